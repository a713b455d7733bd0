import ConcordiumWalletCore
import Foundation
import XCTest

/// The CryptoX Android wallet's own export (shared/fixtures): a file this project did not write.
final class LegacyFixtureTests: XCTestCase {
    func testInspectShowsALegacyMobileFileWithoutThePassword() throws {
        let info = try inspectBackup(file: cryptoxFixture())
        XCTAssertEqual(info.kind, .legacyMobile)
        XCTAssertEqual(info.iterations, 100_000)
        XCTAssertNil(info.formatVersion)
        XCTAssertNil(info.intact, "the legacy format has no checksum")
        XCTAssertNil(info.network, "the legacy format shows no network without the password")
        XCTAssertTrue(info.weakKeyDerivation)
        XCTAssertTrue(info.withinLimits)
        XCTAssertEqual(info.keyDerivationMethod, "PBKDF2WithHmacSHA256")
    }

    func testOpensWithItsPasswordAndShowsTwoIdentitiesFiveAccountsFiveContacts() throws {
        let w = try openBackup(file: cryptoxFixture(), password: pw(fixturePassword), listener: nil, cancel: nil)
        let s = w.summary()
        XCTAssertEqual(s.network, .testnet)
        XCTAssertEqual(s.identityCount, 2)
        XCTAssertEqual(s.accountCount, 5)
        XCTAssertEqual(s.contactCount, 5)
        XCTAssertEqual(s.identities.map(\.name), ["My ID", "IDn2"])
        XCTAssertEqual(s.identities.map(\.accounts.count), [2, 3])
        XCTAssertEqual(s.addressBook.count, 5)
        XCTAssertEqual(w.sourceKind(), .legacyMobile)
        XCTAssertEqual(w.sourceIterations(), 100_000)
    }

    func testReExportedInOurFormatItOpensAgainWithTheSameContent() throws {
        let legacyWallet = try openBackup(file: cryptoxFixture(), password: pw(fixturePassword), listener: nil, cancel: nil)
        let file = try legacyWallet.export(password: pw(), settings: ours, listener: nil, cancel: nil)
        let info = try inspectBackup(file: file)
        XCTAssertEqual(info.kind, .ours)
        XCTAssertEqual(info.network, .testnet)
        let reopened = try openBackup(file: file, password: pw(), listener: nil, cancel: nil)
        XCTAssertEqual(reopened.summary(), legacyWallet.summary())
        XCTAssertEqual(try parseJSON(reopened.walletJson()), try parseJSON(legacyWallet.walletJson()))
        XCTAssertEqual(reopened.sourceKind(), .ours)
    }

    func testAWrongPasswordIsWrongPasswordOrDamaged() throws {
        let file = try cryptoxFixture()
        let error = assertWalletError { try openBackup(file: file, password: pw("000001"), listener: nil, cancel: nil) }
        XCTAssertEqual(caseName(error), "WrongPasswordOrDamaged")
    }
}
