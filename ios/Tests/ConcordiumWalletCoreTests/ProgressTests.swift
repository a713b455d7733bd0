import ConcordiumWalletCore
import Foundation
import XCTest

final class ProgressTests: XCTestCase {
    /// One key derivation's worth of progress calls: several, in order, up to `total`, on the
    /// calling thread (documented).
    private func assertProgress(_ calls: [ProgressCall], total: UInt32, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThanOrEqual(calls.count, 5, "expected several progress calls", file: file, line: line)
        XCTAssertTrue(calls.allSatisfy { $0.total == total }, "every call reports total \(total)", file: file, line: line)
        for (a, b) in zip(calls, calls.dropFirst()) {
            XCTAssertGreaterThan(b.done, a.done, "done must increase", file: file, line: line)
        }
        XCTAssertGreaterThan(calls.first?.done ?? 0, 0, file: file, line: line)
        XCTAssertEqual(calls.last?.done, total, "the last call reports completion", file: file, line: line)
        XCTAssertTrue(calls.allSatisfy(\.onCallingThread), "the listener runs on the calling thread", file: file, line: line)
    }

    func testExportWithDefaultIterationsReportsProgressUpTo600000() throws {
        XCTAssertEqual(defaultIterations(), 600_000)
        let listener = RecordingListener()
        _ = try wallet().export(password: pw(), settings: ours, listener: listener, cancel: nil)
        assertProgress(listener.calls, total: 600_000)
    }

    func testOpenReportsProgressUpToTheFilesIterations() throws {
        let file = try exportSample()
        let listener = RecordingListener()
        _ = try openBackup(file: file, password: pw(), listener: listener, cancel: nil)
        assertProgress(listener.calls, total: 600_000)
    }

    func testLegacyExportAndOpenReportProgressUpTo100000() throws {
        let exportListener = RecordingListener()
        let file = try wallet().export(password: pw(), settings: legacy, listener: exportListener, cancel: nil)
        assertProgress(exportListener.calls, total: 100_000)
        let openListener = RecordingListener()
        _ = try openBackup(file: file, password: pw(), listener: openListener, cancel: nil)
        assertProgress(openListener.calls, total: 100_000)
    }

    func testAWrongPasswordStillRunsTheWholeDerivationBeforeFailing() throws {
        let file = try exportSample()
        let listener = RecordingListener()
        XCTAssertThrowsError(try openBackup(file: file, password: pw("wrong password"), listener: listener, cancel: nil))
        assertProgress(listener.calls, total: 600_000)
    }
}
