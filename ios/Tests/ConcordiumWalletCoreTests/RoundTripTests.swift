import ConcordiumWalletCore
import Foundation
import XCTest

final class RoundTripTests: XCTestCase {
    private let expectedSummary = WalletSummary(
        network: .testnet,
        identities: [
            IdentitySummary(name: "Id", providerName: nil, providerId: nil,
                            accounts: [AccountSummary(name: "Acc", address: "3ZFGxLtnUUSJGW2WqjMh1DDjxyq5rnytCwkSqxFTpsWSFdQnNn")]),
        ],
        addressBook: [Contact(name: "Bob", address: "3a1iz9jtYEh3CfSBsZt2nPx287UHWpia7eqWi5rpyfWKZUCXKG")],
        identityCount: 1, accountCount: 1, contactCount: 1
    )

    func testWalletBuiltFromJSONSummarisesItAndGivesTheSameJSONBack() throws {
        let w = try wallet()
        XCTAssertEqual(w.summary(), expectedSummary)
        XCTAssertNil(w.sourceKind(), "built from JSON, not opened from a file")
        XCTAssertNil(w.sourceIterations())
        XCTAssertEqual(try parseJSON(w.walletJson()), try parseJSON(Data(walletJSON.utf8)))
    }

    func testOurFormatRoundTripKeepsSummaryAndWalletJSON() throws {
        let original = try wallet()
        let file = try original.export(password: pw(), settings: ours, listener: nil, cancel: nil)
        let opened = try openBackup(file: file, password: pw(), listener: nil, cancel: nil)
        XCTAssertEqual(opened.summary(), original.summary())
        XCTAssertEqual(opened.walletJson(), original.walletJson())
        XCTAssertEqual(try parseJSON(opened.walletJson()), try parseJSON(Data(walletJSON.utf8)))
        XCTAssertEqual(opened.sourceKind(), .ours)
        XCTAssertEqual(opened.sourceIterations(), 600_000)
    }

    func testLegacyFormatRoundTripKeepsSummaryAndWalletJSON() throws {
        let original = try wallet()
        let file = try original.export(password: pw(), settings: legacy, listener: nil, cancel: nil)
        let opened = try openBackup(file: file, password: pw(), listener: nil, cancel: nil)
        XCTAssertEqual(opened.summary(), original.summary())
        XCTAssertEqual(opened.walletJson(), original.walletJson())
        XCTAssertEqual(opened.sourceKind(), .legacyMobile)
        XCTAssertEqual(opened.sourceIterations(), 100_000)
    }

    func testTwoExportsOfTheSameWalletDiffer() throws {
        let w = try wallet()
        let a = try w.export(password: pw(), settings: ours, listener: nil, cancel: nil)
        let b = try w.export(password: pw(), settings: ours, listener: nil, cancel: nil)
        XCTAssertNotEqual(a, b, "fresh salt and nonce each time")
    }

    func testExportedFileHoldsNoPlaintextSecret() throws {
        let text = String(decoding: try exportSample(), as: UTF8.self)
        for secret in ["idCredSecret", "prfKey", "encryptionSecretKey", "3ZFGxLtnUUSJGW2WqjMh1DDjxyq5rnytCwkSqxFTpsWSFdQnNn"] {
            XCTAssertFalse(text.contains(secret), "the file shows `\(secret)` in clear")
        }
    }

    func testInspectOurFileWithoutAPassword() throws {
        let file = try exportSample()
        let info = try inspectBackup(file: file)
        XCTAssertEqual(info.kind, .ours)
        XCTAssertEqual(info.formatVersion, 1)
        XCTAssertEqual(info.iterations, 600_000)
        XCTAssertEqual(info.network, .testnet)
        XCTAssertEqual(info.intact, true)
        XCTAssertEqual(info.encryptionMethod, "AES-256-GCM")
        XCTAssertEqual(info.keyDerivationMethod, "PBKDF2WithHmacSHA256")
        XCTAssertEqual(info.fileSize, UInt64(file.count))
        XCTAssertFalse(info.weakKeyDerivation)
        XCTAssertTrue(info.withinLimits)
    }

    func testInspectALegacyFileWeWrote() throws {
        let info = try inspectBackup(file: exportSample(legacy))
        XCTAssertEqual(info.kind, .legacyMobile)
        XCTAssertNil(info.formatVersion)
        XCTAssertEqual(info.iterations, 100_000)
        XCTAssertNil(info.intact)
        XCTAssertTrue(info.weakKeyDerivation)
        XCTAssertEqual(info.encryptionMethod, "AES-256")
    }
}
