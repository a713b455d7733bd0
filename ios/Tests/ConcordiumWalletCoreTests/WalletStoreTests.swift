import ConcordiumWalletCore
import Foundation
import XCTest

/// A wallet an import can take: the identity has an idCredPub and the account has keys.
private let storeWalletJSON = testData("store-wallet.json")

private let carol = "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7"

/// The whole store flow through the bindings: the storage key stands for the one the Keychain
/// releases after Face ID / passcode (KeychainStorageKey, which only a device runs).
final class WalletStoreTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wallet-store-tests-\(UUID().uuidString)", isDirectory: true)
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

    private func storeSample() throws -> Data {
        try wallet(storeWalletJSON).export(password: pw(), settings: ours, listener: nil, cancel: nil)
    }

    func testCreateImportReImportContactsExportAndImportIntoAnEmptyWallet() throws {
        let key = storageKey()
        do {
            let w = try Wallet.create(path: path("wallet.sqlite"), network: .testnet, storageKey: key)
            XCTAssertEqual(try w.overview().accountCount, 0)
            let file = try storeSample()
            let preview = try w.previewImport(file: file, password: pw(), storageKey: key, assumeNetwork: nil, listener: nil, cancel: nil)
            XCTAssertEqual(preview.identitiesAdded.count, 1)
            XCTAssertEqual(preview.accountsAdded.count, 1)
            XCTAssertEqual(preview.contactsAdded.count, 1)
            XCTAssertEqual(try w.overview().accountCount, 0, "a preview changes nothing")

            let report = try w.import(file: file, password: pw(), storageKey: key, assumeNetwork: nil, listener: nil, cancel: nil)
            XCTAssertEqual(report, preview, "the report matches the preview")
            let o = try w.overview()
            XCTAssertEqual([o.identityCount, o.accountCount, o.contactCount], [1, 1, 1])

            let again = try w.import(file: file, password: pw(), storageKey: key, assumeNetwork: nil, listener: nil, cancel: nil)
            XCTAssertEqual(again.changeCount, 0, "re-importing the same file changes nothing")
            XCTAssertEqual(again.alreadyPresent.count, 3)
            XCTAssertEqual(try w.overview(), o)

            XCTAssertTrue(try w.addContact(name: "Carol", address: carol))
            XCTAssertFalse(try w.addContact(name: "Carol", address: carol))
            XCTAssertTrue(try w.removeContact(name: "Carol", address: carol))

            let exported = try w.export(storageKey: key, password: pw(), settings: ours, listener: nil, cancel: nil)
            // Into an empty wallet and out again: the same plaintext content.
            let key2 = storageKey()
            let w2 = try Wallet.create(path: path("second.sqlite"), network: .testnet, storageKey: key2)
            _ = try w2.import(file: exported, password: pw(), storageKey: key2, assumeNetwork: nil, listener: nil, cancel: nil)
            let back = try w2.export(storageKey: key2, password: pw(), settings: ours, listener: nil, cancel: nil)
            let a = try openBackup(file: exported, password: pw(), listener: nil, cancel: nil).walletJson()
            let b = try openBackup(file: back, password: pw(), listener: nil, cancel: nil).walletJson()
            XCTAssertEqual(try parseJSON(a), try parseJSON(b))
        }
        // Reopened from disk, the data is still there.
        XCTAssertEqual(try Wallet.open(path: path("wallet.sqlite")).overview().accountCount, 1)
    }

    func testAWrongOrMissingStorageKeyReadsNoSecret() throws {
        let key = storageKey()
        let w = try Wallet.create(path: path("w.sqlite"), network: .testnet, storageKey: key)
        _ = try w.import(file: storeSample(), password: pw(), storageKey: key, assumeNetwork: nil, listener: nil, cancel: nil)
        let wrong = assertWalletError { try w.export(storageKey: self.storageKey(), password: pw(), settings: ours, listener: nil, cancel: nil) }
        XCTAssertEqual(wrong, .WrongStorageKey(message: "The storage key is wrong: it does not unlock this wallet."))
        XCTAssertEqual(caseName(assertWalletError { try w.export(storageKey: Data(), password: pw(), settings: ours, listener: nil, cancel: nil) }),
                       "StorageKeyMissing")
        let file = try storeSample()
        XCTAssertEqual(caseName(assertWalletError {
            try w.previewImport(file: file, password: pw(), storageKey: self.storageKey(), assumeNetwork: nil, listener: nil, cancel: nil)
        }), "WrongStorageKey")
        XCTAssertEqual(caseName(assertWalletError { try w.checkStorageKey(storageKey: self.storageKey()) }), "WrongStorageKey")
        XCTAssertNoThrow(try w.checkStorageKey(storageKey: key))
        // Listing needs no key.
        XCTAssertEqual(try w.overview().accountCount, 1)
    }

    func testNetworkMismatchWrongPasswordAndAnInterruptedImportLeaveTheWalletAsItWas() throws {
        let key = storageKey()
        let file = try storeSample()
        let mainnet = try Wallet.create(path: path("main.sqlite"), network: .mainnet, storageKey: key)
        let mismatch = assertWalletError { try mainnet.import(file: file, password: pw(), storageKey: key, assumeNetwork: nil, listener: nil, cancel: nil) }
        XCTAssertEqual(caseName(mismatch), "NetworkMismatch")
        XCTAssertEqual(try mainnet.overview().accountCount, 0)

        let w = try Wallet.create(path: path("test.sqlite"), network: .testnet, storageKey: key)
        let token = CancelToken()
        let listener = RecordingListener { _ in token.cancel() }
        XCTAssertEqual(caseName(assertWalletError {
            try w.import(file: file, password: pw(), storageKey: key, assumeNetwork: nil, listener: listener, cancel: token)
        }), "Cancelled")
        XCTAssertEqual(try w.overview().accountCount, 0, "an interrupted import changes nothing")
        XCTAssertEqual(caseName(assertWalletError {
            try w.import(file: file, password: pw("not the password"), storageKey: key, assumeNetwork: nil, listener: nil, cancel: nil)
        }), "WrongPassword")
        XCTAssertEqual(try w.overview().contactCount, 0)

        XCTAssertEqual(caseName(assertWalletError { try Wallet.open(path: self.path("missing.sqlite")) }), "Store")
        try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: path("garbage.sqlite")))
        XCTAssertEqual(caseName(assertWalletError { try Wallet.open(path: self.path("garbage.sqlite")) }), "Store")
    }
}
