import ConcordiumWalletCore
import ConcordiumWalletShell
import Foundation
import XCTest

/// The core's records reach a Swift sink (the Linux fallback of `CoreLogging`; OSLog on Apple
/// platforms takes the same records).
final class CoreLoggingTests: XCTestCase {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    override func tearDown() {
        clearLogSink()
    }

    func testARealCallLogsThroughTheSinkWithoutThePassword() throws {
        let lines = Lines()
        try setLogSink(sink: LineLogSink(write: { lines.add($0) }), maxLevel: .debug)
        let password = "kestrel-lantern-91"
        XCTAssertThrowsError(try openBackup(file: Data("{\"not\":\"a backup\"}".utf8),
                                            password: Data(password.utf8), listener: nil, cancel: nil))
        let all = lines.all
        XCTAssertTrue(all.contains { $0.hasPrefix("INFO wallet_core::format: opening a 18-byte file failed") },
                      all.joined(separator: "\n"))
        XCTAssertFalse(all.contains { $0.contains(password) })
    }

    func testTheLevelFiltersAndInstallReplacesTheSink() throws {
        let lines = Lines()
        try setLogSink(sink: LineLogSink(write: { lines.add($0) }), maxLevel: .warn)
        _ = try? openBackup(file: Data("{}".utf8), password: Data("x".utf8), listener: nil, cancel: nil)
        XCTAssertTrue(lines.all.isEmpty, lines.all.joined(separator: "\n"))
        // The platform sink replaces the test's.
        try CoreLogging.install(maxLevel: .info)
        XCTAssertEqual(CoreLogging.line(level: .warn, target: "t", message: "m"), "WARN t: m")
    }
}
