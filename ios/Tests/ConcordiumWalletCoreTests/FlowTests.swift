import ConcordiumWalletCore
import Foundation
import XCTest

/// The export and import flows through the bindings, as the iOS shell drives them (docs/flows.md):
/// the storage key stands for the one the Keychain releases after Face ID / passcode.
final class FlowTests: XCTestCase {
    private struct UnexpectedState: Error {}

    /// Records a failure and stops the helper that met an unexpected screen.
    private func unexpected(_ message: String, file: StaticString = #filePath, line: UInt = #line) -> Error {
        XCTFail(message, file: file, line: line)
        return UnexpectedState()
    }

    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("flow-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func storageKey() -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Imports the CryptoX fixture through the flow: a wrong password first, then the right one.
    private func importFixture(into w: Wallet, key: Data) throws -> ImportSummary {
        let flow = ImportFlow(wallet: w, file: try cryptoxFixture())
        guard case .enterPassword(let file, nil, 0) = flow.state() else {
            throw unexpected("\(flow.state())")
        }
        XCTAssertEqual(file.kind, .legacyMobile)
        guard case .enterPassword(_, let problem?, 1) = try flow.submitPassword(password: pw("111111"), listener: nil, cancel: nil) else {
            throw unexpected("a wrong password asks again")
        }
        XCTAssertEqual(problem.kind, .wrongPasswordOrDamaged)
        XCTAssertEqual(try flow.submitPassword(password: pw(fixturePassword), listener: nil, cancel: nil), .unlock(problem: nil))
        guard case .unlock(let refused?) = try flow.unlock(storageKey: storageKey()) else {
            throw unexpected("a wrong key is refused")
        }
        XCTAssertEqual(refused.kind, .wrongStorageKey)
        guard case .review(let review, nil) = try flow.unlock(storageKey: key) else {
            throw unexpected("review expected")
        }
        let done = try flow.confirm()
        XCTAssertEqual(done, .done(summary: review), "the report is the review")
        return review
    }

    func testImportTheFixtureThenAgain() throws {
        let key = storageKey()
        let w = try Wallet.create(path: path("w.sqlite"), network: "testnet", storageKey: key)
        XCTAssertEqual(try w.backupStatus().reason, .nothingToBackUp)
        let review = try importFixture(into: w, key: key)
        XCTAssertEqual([review.identitiesAdded.count, review.accountsAdded.count, review.contactsAdded.count], [2, 5, 5])
        XCTAssertEqual(ImportState.review(summary: review, problem: nil).text(),
                       "Review your import: it adds 2 identities, 5 accounts and 5 contacts.")
        let again = try importFixture(into: w, key: key)
        XCTAssertEqual(again.changeCount, 0)
        let status = try w.backupStatus()
        XCTAssertTrue(status.due)
        XCTAssertEqual(status.reason, .neverExported)
    }

    func testExportEndToEnd() throws {
        let key = storageKey()
        let w = try Wallet.create(path: path("w.sqlite"), network: "testnet", storageKey: key)
        _ = try importFixture(into: w, key: key)
        let flow = ExportFlow(wallet: w, settings: ours)
        XCTAssertThrowsError(try flow.acknowledge())
        guard case .information(let contents, _) = try flow.unlock(storageKey: key) else {
            return XCTFail("information expected")
        }
        XCTAssertEqual([contents.identities, contents.accounts, contents.contacts], [2, 5, 5])
        _ = try flow.acknowledge()
        guard case .choosePassword(let short?) = try flow.setPassword(password: pw("12345"), confirmation: pw("12345")) else {
            return XCTFail("too short")
        }
        XCTAssertEqual(short.problem?.kind, .passwordTooShort(min: 6))
        guard case .readyToExport(let weak) = try flow.setPassword(password: pw("password"), confirmation: pw("password")) else {
            return XCTFail("a weak password is accepted")
        }
        XCTAssertTrue(weak.weak)
        _ = try flow.back()
        _ = try flow.setPassword(password: pw(), confirmation: pw())
        let listener = RecordingListener()
        guard case .finished(let file) = try flow.run(listener: listener, cancel: nil) else {
            return XCTFail("finished expected")
        }
        XCTAssertFalse(listener.calls.isEmpty)
        XCTAssertEqual(file.uti, "com.concordium.wallet-backup")
        XCTAssertEqual(file.mimeType, "application/octet-stream")
        XCTAssertTrue(file.fileName.hasPrefix("concordium-backup-") && file.fileName.hasSuffix(".wallet-backup"))
        let bytes = try flow.fileBytes()
        let opened = try openBackup(file: bytes, password: pw(), listener: nil, cancel: nil)
        XCTAssertEqual(opened.summary().accountCount, 5)
        XCTAssertEqual(try w.backupStatus().reason, .neverExported, "not saved yet")
        guard case .saved(_, let at) = try flow.confirmSaved() else { return XCTFail("saved expected") }
        XCTAssertEqual(try w.backupStatus().lastExportAt, at)
        XCTAssertEqual(try w.backupStatus().reason, .upToDate)
    }

    func testADesktopExportIsRefusedBeforeAnyPassword() throws {
        let desktop = #"{"cipherText":"tMtYTCchafus9mq3R0UlJvu8sbq4biaQGatpTvZRZ80Phf0Me4PdYYIaSVifY6qGOmeFELOd1W5/0z5ev48Akg==","metadata":{"keyLen":32,"iterations":10000,"salt":"AAECAwQFBgcICQoLDA0ODw==","initializationVector":"EBESExQVFhcYGRobHB0eHw==","encryptionMethod":"AES-256","keyDerivationMethod":"PBKDF2WithHmacSHA256","hashAlgorithm":"sha256"}}"#
        let w = try Wallet.create(path: path("w.sqlite"), network: "testnet", storageKey: storageKey())
        let flow = ImportFlow(wallet: w, file: Data(desktop.utf8))
        guard case .rejected(let problem) = flow.state() else { return XCTFail("\(flow.state())") }
        XCTAssertEqual(problem.kind, .desktopWalletExport)
        XCTAssertThrowsError(try flow.submitPassword(password: pw(), listener: nil, cancel: nil))
    }
}
