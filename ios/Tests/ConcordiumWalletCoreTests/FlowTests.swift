import ConcordiumWalletCore
import ConcordiumWalletShell
import Foundation
import XCTest

/// A Concordium Desktop Wallet export (its encryption metadata; the content is never read).
private let desktopExport = #"{"cipherText":"tMtYTCchafus9mq3R0UlJvu8sbq4biaQGatpTvZRZ80Phf0Me4PdYYIaSVifY6qGOmeFELOd1W5/0z5ev48Akg==","metadata":{"keyLen":32,"iterations":10000,"salt":"AAECAwQFBgcICQoLDA0ODw==","initializationVector":"EBESExQVFhcYGRobHB0eHw==","encryptionMethod":"AES-256","keyDerivationMethod":"PBKDF2WithHmacSHA256","hashAlgorithm":"sha256"}}"#

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
        let w = try Wallet.create(path: path("w.sqlite"), network: .testnet, storageKey: key)
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
        let w = try Wallet.create(path: path("w.sqlite"), network: .testnet, storageKey: key)
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
        let w = try Wallet.create(path: path("w.sqlite"), network: .testnet, storageKey: storageKey())
        let flow = ImportFlow(wallet: w, file: Data(desktopExport.utf8))
        guard case .rejected(let problem) = flow.state() else { return XCTFail("\(flow.state())") }
        XCTAssertEqual(problem.kind, .desktopWalletExport)
        XCTAssertThrowsError(try flow.submitPassword(password: pw(), listener: nil, cancel: nil))
    }

    // MARK: Through the shell's flow models (ExportFlowModel, ImportFlowModel)

    /// The storage key as the Keychain would release it: hands out `keys` in turn and records
    /// the prompt texts it was asked with.
    private final class QueuedKeys: StorageKeySource {
        var keys: [Data]
        var reasons: [String] = []
        init(_ keys: [Data]) { self.keys = keys }
        func storageKey(reason: String) throws -> Data {
            reasons.append(reason)
            guard !keys.isEmpty else { throw CocoaError(.userCancelled) }
            return keys.removeFirst()
        }
    }

    /// Imports the CryptoX fixture through `ImportFlowModel`: a wrong password, then the right
    /// one, a wrong storage key, then the right one.
    private func importFixtureThroughModel(into w: Wallet, key: Data) throws -> ImportSummary {
        let keys = QueuedKeys([storageKey(), key])
        let model = ImportFlowModel(wallet: w, file: try cryptoxFixture(), storageKey: keys)
        var seen: [ImportState] = []
        model.onChange = { seen.append($0) }
        guard case .enterPassword(let file, nil, 0) = model.state else { throw unexpected("\(model.state)") }
        XCTAssertEqual(file.kind, .legacyMobile)
        XCTAssertNil(file.network, "a legacy file names its network only inside the encryption")
        guard case .enterPassword(_, let wrong?, 1) = try model.submitPassword("111111") else {
            throw unexpected("a wrong password asks again: \(model.state)")
        }
        XCTAssertEqual(wrong.kind, .wrongPasswordOrDamaged)
        XCTAssertEqual(model.text, wrong.text, "the screen shows the problem")
        XCTAssertEqual(try model.submitPassword(fixturePassword), .unlock(problem: nil))
        guard case .unlock(let refused?) = try model.unlock() else { throw unexpected("a wrong key is refused") }
        XCTAssertEqual(refused.kind, .wrongStorageKey)
        guard case .review(let review, nil) = try model.unlock() else { throw unexpected("review expected") }
        XCTAssertEqual(model.text, ImportState.review(summary: review, problem: nil).text())
        XCTAssertEqual(try model.confirm(), .done(summary: review))
        XCTAssertEqual(seen.count, 5, "one change per transition")
        XCTAssertEqual(seen.last, model.state)
        XCTAssertEqual(keys.reasons.count, 2)
        XCTAssertEqual(keys.reasons.first, ImportState.unlock(problem: nil).text(), "the prompt shows the Unlock text")
        XCTAssertTrue(keys.keys.isEmpty)
        return review
    }

    func testImportModelTheFixtureThenAgain() throws {
        let key = storageKey()
        let w = try Wallet.create(path: path("w.sqlite"), network: .testnet, storageKey: key)
        let review = try importFixtureThroughModel(into: w, key: key)
        XCTAssertEqual([review.identitiesAdded.count, review.accountsAdded.count, review.contactsAdded.count], [2, 5, 5])
        XCTAssertEqual(try importFixtureThroughModel(into: w, key: key).changeCount, 0, "a second import changes nothing")
    }

    func testImportModelRejectsADesktopExportBeforeAnyPassword() throws {
        let keys = QueuedKeys([])
        let w = try Wallet.create(path: path("w.sqlite"), network: .testnet, storageKey: storageKey())
        let model = ImportFlowModel(wallet: w, file: Data(desktopExport.utf8), storageKey: keys)
        guard case .rejected(let problem) = model.state else { return XCTFail("\(model.state)") }
        XCTAssertEqual(problem.kind, .desktopWalletExport)
        XCTAssertEqual(model.text, problem.text)
        let error = assertWalletError { try model.submitPassword(fixturePassword) }
        XCTAssertEqual(caseName(error), "InvalidParameters", "no password for a rejected file")
        XCTAssertEqual(error?.localizedDescription, error?.message, "the core's sentence")
        XCTAssertTrue(keys.reasons.isEmpty, "no prompt")
    }

    func testImportModelCancelLeavesTheWalletUnchanged() throws {
        let key = storageKey()
        let w = try Wallet.create(path: path("w.sqlite"), network: .testnet, storageKey: key)
        let model = ImportFlowModel(wallet: w, file: try cryptoxFixture(), storageKey: QueuedKeys([key]))
        _ = try model.submitPassword(fixturePassword)
        guard case .review = try model.unlock() else { return XCTFail("review expected") }
        XCTAssertEqual(model.cancel(), .cancelled)
        XCTAssertEqual(model.text, ImportState.cancelled.text())
        assertWalletError { try model.confirm() }
        XCTAssertEqual(try w.backupStatus().reason, .nothingToBackUp, "nothing was imported")
    }

    func testExportModelEndToEndAndTheBackupReminder() throws {
        let key = storageKey()
        let w = try Wallet.create(path: path("w.sqlite"), network: .testnet, storageKey: key)
        _ = try importFixtureThroughModel(into: w, key: key)
        let before = try w.backupStatus()
        XCTAssertTrue(before.due)
        XCTAssertEqual(before.reason, .neverExported)
        XCTAssertNil(before.lastExportAt)

        let keys = QueuedKeys([storageKey(), key])
        let model = ExportFlowModel(wallet: w, settings: ours, storageKey: keys)
        var changes = 0
        model.onChange = { _ in changes += 1 }
        XCTAssertEqual(model.text, ExportState.unlock(problem: nil).text())
        guard case .unlock(let refused?) = try model.unlock() else { return XCTFail("a wrong key is refused") }
        XCTAssertEqual(refused.kind, .wrongStorageKey)
        guard case .information(let contents, _) = try model.unlock() else { return XCTFail("information expected") }
        XCTAssertEqual([contents.identities, contents.accounts, contents.contacts], [2, 5, 5])
        XCTAssertTrue(model.text.hasPrefix("The backup will hold 2 identities, 5 accounts and 5 contacts."), model.text)
        _ = try model.acknowledge()
        XCTAssertTrue(model.ratePassword("password", confirmation: "password").weak)
        XCTAssertEqual(model.ratePassword("abcdef", confirmation: "abcdeg").problem?.kind, .passwordsDiffer)
        guard case .choosePassword(let differ?) = try model.setPassword(testPassword, confirmation: testPassword + "!") else {
            return XCTFail("different entries are refused")
        }
        XCTAssertEqual(differ.problem?.kind, .passwordsDiffer)
        XCTAssertEqual(model.text, differ.problem?.text)
        guard case .readyToExport = try model.setPassword(testPassword, confirmation: testPassword) else {
            return XCTFail("ready expected")
        }
        let listener = RecordingListener()
        guard case .finished(let file) = try model.run(listener: listener) else { return XCTFail("finished expected") }
        XCTAssertFalse(listener.calls.isEmpty)
        XCTAssertEqual(file.contents, contents)
        var bytes = try model.fileBytes()
        defer { bytes.wipe() }
        XCTAssertEqual(UInt64(bytes.count), file.size)
        XCTAssertEqual(try openBackup(file: bytes, password: pw(), listener: nil, cancel: nil).summary().accountCount, 5)
        XCTAssertEqual(try w.backupStatus(), before, "nothing recorded before the file is saved")

        guard case .saved(_, let at) = try model.confirmSaved() else { return XCTFail("saved expected") }
        let after = try w.backupStatus()
        XCTAssertFalse(after.due)
        XCTAssertEqual(after.reason, .upToDate)
        XCTAssertEqual(after.lastExportAt, at)
        XCTAssertEqual(changes, 7)
        XCTAssertEqual(keys.reasons.count, 2)
    }

    func testExportModelCancelRecordsNothing() throws {
        let key = storageKey()
        let w = try Wallet.create(path: path("w.sqlite"), network: .testnet, storageKey: key)
        _ = try importFixtureThroughModel(into: w, key: key)
        let model = ExportFlowModel(wallet: w, settings: ours, storageKey: QueuedKeys([key]))
        _ = try model.unlock()
        _ = try model.acknowledge()
        _ = try model.setPassword(testPassword, confirmation: testPassword)
        XCTAssertEqual(model.cancel(), .cancelled)
        XCTAssertEqual(model.text, ExportState.cancelled.text())
        assertWalletError { try model.run() }
        assertWalletError { try model.fileBytes() }
        XCTAssertEqual(try w.backupStatus().reason, .neverExported)

        // A token fired during run: Cancelled as well, nothing recorded.
        let second = ExportFlowModel(wallet: w, settings: ours, storageKey: QueuedKeys([key]))
        _ = try second.unlock()
        _ = try second.acknowledge()
        _ = try second.setPassword(testPassword, confirmation: testPassword)
        let token = CancelToken()
        token.cancel()
        XCTAssertEqual(try second.run(cancel: token), .cancelled)
        XCTAssertEqual(try w.backupStatus().reason, .neverExported)
    }

    func testAPromptThatFailsLeavesTheScreen() throws {
        let w = try Wallet.create(path: path("w.sqlite"), network: .testnet, storageKey: storageKey())
        let model = ExportFlowModel(wallet: w, settings: ours, storageKey: QueuedKeys([]))
        XCTAssertThrowsError(try model.unlock()) { XCTAssertEqual(($0 as? CocoaError)?.code, .userCancelled) }
        XCTAssertEqual(model.state, .unlock(problem: nil))
    }
}
