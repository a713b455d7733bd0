import ConcordiumWalletCore
import ConcordiumWalletShell
import Foundation
import XCTest

/// What an app shows for a core error: the core's sentence, not the generated debug form.
final class WalletErrorMessageTests: XCTestCase {
    private let password = Data("correct horse battery".utf8)

    private func sampleWallet() throws -> WalletBackup {
        let json = #"{"type":"concordium-mobile-wallet-data","v":1,"environment":"testnet","value":{"identities":[],"recipients":[]}}"#
        return try WalletBackup.fromWalletJson(json: Data(json.utf8))
    }

    private func thrown(_ body: () throws -> Void) -> Error? {
        do { try body() } catch { return error }
        XCTFail("the call succeeded")
        return nil
    }

    func testLocalizedDescriptionIsTheCoresSentence() throws {
        let file = try sampleWallet().export(password: password, settings: ExportSettings(format: .ours, iterations: nil),
                                             listener: nil, cancel: nil)
        let error = try XCTUnwrap(thrown { _ = try openBackup(file: file, password: Data("not the password".utf8), listener: nil, cancel: nil) })
        XCTAssertEqual(error.localizedDescription, "The password is wrong.")
        XCTAssertEqual((error as? LocalizedError)?.errorDescription, "The password is wrong.")
        XCTAssertEqual((error as? WalletError)?.message, "The password is wrong.")
    }

    func testEveryKindOfFailureReadsAsASentence() throws {
        let legacyFile = try sampleWallet().export(password: password, settings: ExportSettings(format: .legacy, iterations: nil),
                                                   listener: nil, cancel: nil)
        let token = CancelToken()
        token.cancel()
        let errors: [Error?] = [
            thrown { _ = try openBackup(file: legacyFile, password: Data("not the password".utf8), listener: nil, cancel: nil) },
            thrown { _ = try openBackup(file: Data(), password: self.password, listener: nil, cancel: nil) },
            thrown { _ = try WalletBackup.fromWalletJson(json: Data("not json".utf8)) },
            thrown { _ = try self.sampleWallet().export(password: Data("short".utf8), settings: ExportSettings(format: .ours, iterations: nil), listener: nil, cancel: nil) },
            thrown { _ = try self.sampleWallet().export(password: self.password, settings: ExportSettings(format: .ours, iterations: nil), listener: nil, cancel: token) },
            thrown { _ = try seedFromHex(hex: Data("xyz".utf8)) },
            thrown { _ = try Wallet.open(path: "/nonexistent/wallet.sqlite") },
        ]
        XCTAssertEqual(errors.compactMap { $0 }.count, errors.count)
        for case let error? in errors {
            let text = error.localizedDescription
            XCTAssertEqual(text, (error as? WalletError)?.message, "\(error)")
            XCTAssertTrue(text.first?.isUppercase ?? false, "starts like a sentence: \(text)")
            XCTAssertTrue(text.hasSuffix("."), "ends like a sentence: \(text)")
            XCTAssertFalse(text.contains("WalletError") || text.contains("message:"), "debug form: \(text)")
        }
        XCTAssertEqual(errors[4]?.localizedDescription, "The operation was cancelled.")
    }
}
