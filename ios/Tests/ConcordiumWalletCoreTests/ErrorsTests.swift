import ConcordiumWalletCore
import Foundation
import XCTest

/// Wrong password versus a damaged file, and the other typed failures, as an app sees them.
final class ErrorsTests: XCTestCase {
    func testWrongPasswordOnOurFormatIsWrongPassword() throws {
        let file = try exportSample()
        let error = assertWalletError { try openBackup(file: file, password: pw("not the password"), listener: nil, cancel: nil) }
        XCTAssertEqual(error, .WrongPassword(message: "The password is wrong."))
    }

    func testWrongPasswordOnALegacyFileCannotBeToldFromDamage() throws {
        let file = try exportSample(legacy)
        let error = assertWalletError { try openBackup(file: file, password: pw("not the password"), listener: nil, cancel: nil) }
        XCTAssertEqual(caseName(error), "WrongPasswordOrDamaged")
    }

    func testOneFlippedByteInTheCiphertextIsDamagedWithAndWithoutThePassword() throws {
        let file = try exportSample()
        let text = String(decoding: file, as: UTF8.self)
        let marker = "\"cipherText\":\""
        let start = try XCTUnwrap(text.range(of: marker)).upperBound.utf16Offset(in: text)
        let middle = file.count / 2
        XCTAssertGreaterThan(middle, start, "the middle of the file is inside the Base64 ciphertext")
        for mask: UInt8 in [0x01, 0x20] {
            var bad = file
            bad[middle] ^= mask
            let opened = assertWalletError { try openBackup(file: bad, password: pw(), listener: nil, cancel: nil) }
            XCTAssertEqual(caseName(opened), "Damaged")
            XCTAssertTrue(opened.map { "\($0)".contains("The backup file is damaged") } ?? false, "\(String(describing: opened))")
            XCTAssertEqual(caseName(assertWalletError { try inspectBackup(file: bad) }), "Damaged")
        }
    }

    func testATruncatedFileIsDamaged() throws {
        let file = try exportSample()
        for length in [file.count - 1, file.count / 2, 10] {
            let error = assertWalletError { try openBackup(file: file.prefix(length), password: pw(), listener: nil, cancel: nil) }
            XCTAssertEqual(caseName(error), "Damaged", "cut to \(length) of \(file.count) bytes")
        }
    }

    func testRandomBytesEmptyFilesAndPlainJSONAreNotABackup() throws {
        var generator = SystemRandomNumberGenerator()
        var junk = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
        junk[0] = 0x7f // not `{`, so it cannot look like a damaged JSON envelope
        XCTAssertEqual(caseName(assertWalletError { try openBackup(file: junk, password: pw(), listener: nil, cancel: nil) }), "NotABackup")
        XCTAssertEqual(caseName(assertWalletError { try inspectBackup(file: junk) }), "NotABackup")
        XCTAssertEqual(caseName(assertWalletError { try openBackup(file: Data(), password: pw(), listener: nil, cancel: nil) }), "NotABackup")
        XCTAssertEqual(caseName(assertWalletError { try openBackup(file: Data(walletJSON.utf8), password: pw(), listener: nil, cancel: nil) }), "NotABackup")
    }

    func testADesktopWalletExportIsRefusedWithItsOwnError() {
        let desktop = #"{"identities":[],"accounts":[],"addressBook":[]}"#
        XCTAssertEqual(caseName(assertWalletError { try WalletBackup.fromWalletJson(json: Data(desktop.utf8)) }), "DesktopWalletExport")
    }

    func testInvalidWalletJSONAndParametersAreRejected() throws {
        XCTAssertEqual(caseName(assertWalletError { try WalletBackup.fromWalletJson(json: Data("not json".utf8)) }), "PayloadInvalid")
        let v2 = walletJSON.replacingOccurrences(of: "\"v\":1", with: "\"v\":2")
        XCTAssertEqual(caseName(assertWalletError { try WalletBackup.fromWalletJson(json: Data(v2.utf8)) }), "UnsupportedVersion")
        let w = try wallet()
        XCTAssertEqual(caseName(assertWalletError {
            try w.export(password: pw(), settings: ExportSettings(format: .ours, iterations: 1000), listener: nil, cancel: nil)
        }), "InvalidParameters")
        XCTAssertEqual(caseName(assertWalletError {
            try w.export(password: pw("short"), settings: ours, listener: nil, cancel: nil)
        }), "PasswordTooShort")
        let noNetwork = try wallet(walletJSON.replacingOccurrences(of: "\"environment\":\"testnet\",", with: ""))
        XCTAssertNil(noNetwork.summary().network)
        XCTAssertEqual(caseName(assertWalletError {
            try noNetwork.export(password: pw(), settings: legacy, listener: nil, cancel: nil)
        }), "MissingEnvironment")
    }

    func testIterationsAboveTheCapAreRefusedBeforeAnyKeyDerivation() throws {
        let text = String(decoding: try exportSample(legacy), as: UTF8.self)
        XCTAssertTrue(text.contains("\"iterations\":100000"))
        let file = Data(text.replacingOccurrences(of: "\"iterations\":100000", with: "\"iterations\":4000000000").utf8)
        let info = try inspectBackup(file: file)
        XCTAssertEqual(info.iterations, 4_000_000_000)
        XCTAssertFalse(info.withinLimits)
        let listener = RecordingListener()
        XCTAssertEqual(caseName(assertWalletError { try openBackup(file: file, password: pw(), listener: listener, cancel: nil) }), "ParamsOutOfRange")
        XCTAssertTrue(listener.calls.isEmpty, "no key derivation may start")
    }
}
