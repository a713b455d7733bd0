import ConcordiumWalletShell
import Foundation
import XCTest

final class BackupFilesTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("backup-files-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    private func file(_ name: String, bytes: Int) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0) }).write(to: url)
        return url
    }

    func testReadsAFileUpToTheLimitWhole() throws {
        for size in [0, 1, 100, 200_000] {
            let url = try file("f\(size)", bytes: size)
            let data = try BackupFiles.readCapped(url, limit: 200_000)
            XCTAssertEqual(data, try Data(contentsOf: url), "size \(size)")
        }
    }

    func testRefusesAFileOverTheLimitByItsSize() throws {
        let url = try file("big", bytes: 200_001)
        XCTAssertThrowsError(try BackupFiles.readCapped(url, limit: 200_000)) { error in
            XCTAssertEqual(error as? BackupFileError, .tooLarge(limit: 200_000, size: 200_001))
            XCTAssertEqual(error.localizedDescription, "This file is too large to be a wallet backup.")
        }
    }

    /// Files in /proc report size 0 but have content: only the capped read can notice.
    func testStopsAtLimitPlusOneWhateverTheReportedSize() throws {
        let url = URL(fileURLWithPath: "/proc/self/maps")
        let values = try? url.resourceValues(forKeys: [.fileSizeKey])
        guard FileManager.default.fileExists(atPath: url.path), values?.fileSize == 0 else {
            throw XCTSkip("no /proc file that reports size 0 here (Linux only)")
        }
        XCTAssertThrowsError(try BackupFiles.readCapped(url, limit: 100)) { error in
            XCTAssertEqual(error as? BackupFileError, .tooLarge(limit: 100, size: nil))
        }
        XCTAssertGreaterThan(try BackupFiles.readCapped(url, limit: 1 << 20).count, 100)
    }

    func testRefusesWhatIsNotARegularLocalFile() throws {
        XCTAssertThrowsError(try BackupFiles.readCapped(directory)) { error in
            XCTAssertEqual(error as? BackupFileError, .notAFile)
        }
        XCTAssertThrowsError(try BackupFiles.readCapped(URL(string: "https://example.com/backup.wallet-backup")!)) { error in
            XCTAssertEqual(error as? BackupFileError, .notAFile)
        }
        let fifo = directory.appendingPathComponent("fifo")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertThrowsError(try BackupFiles.readCapped(fifo)) { error in
            XCTAssertEqual(error as? BackupFileError, .notAFile, "a pipe would block or never end")
        }
        XCTAssertThrowsError(try BackupFiles.readCapped(directory.appendingPathComponent("absent"))) { error in
            guard case .unreadable? = error as? BackupFileError else { return XCTFail("\(error)") }
        }
    }

    func testSuggestedFileNames() throws {
        let date = try XCTUnwrap(ISO8601DateFormatter().date(from: "2026-03-04T12:00:00Z"))
        let utc = try XCTUnwrap(TimeZone(identifier: "UTC"))
        XCTAssertEqual(BackupFiles.suggestedFileName(date: date, timeZone: utc), "concordium-backup-20260304.wallet-backup")
        XCTAssertEqual(BackupFiles.suggestedFileName(legacy: true, date: date, timeZone: utc), "concordium-backup-20260304.concordiumwallet")
    }

    func testWipeZeroesTheBuffer() {
        var data = Data([1, 2, 3, 4])
        data.wipe()
        XCTAssertEqual(data, Data(count: 4))
        var slice = Data([9, 9, 9, 9]).dropFirst(2)
        slice.wipe()
        XCTAssertEqual(Array(slice), [0, 0])
    }
}
