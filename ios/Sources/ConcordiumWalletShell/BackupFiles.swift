import Foundation

/// Why a received or picked backup file could not be read.
public enum BackupFileError: Error, Equatable, Sendable {
    /// Larger than the limit (64 MiB by default); `size` is nil when only the read noticed.
    case tooLarge(limit: Int, size: Int?)
    /// Not a regular local file (a directory, a package, a pipe, a web URL).
    case notAFile
    /// The file could not be read (access denied, not downloaded, gone).
    case unreadable(String)
}

extension BackupFileError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .tooLarge: return "This file is too large to be a wallet backup."
        case .notAFile: return "This is not a file."
        case .unreadable: return "The file could not be read."
        }
    }
}

/// Names, types and reading of backup files. The core recognises a backup by its content
/// (`inspectBackup`), never by its name or type; these only route files to the app.
public enum BackupFiles {
    /// The core refuses larger files anyway; this stops them before they are read into memory.
    public static let maxBackupBytes = 64 * 1024 * 1024

    /// Our format (docs/backup-format.md) and its exported type (Info.plist.fragment.xml).
    public static let fileExtension = "wallet-backup"
    public static let typeIdentifier = "com.concordium.wallet-backup"

    /// Concordium's legacy mobile-wallet export, declared as an imported type.
    public static let legacyFileExtension = "concordiumwallet"
    public static let legacyTypeIdentifier = "com.concordium.id.concordiumwallet"

    /// `concordium-backup-YYYYMMDD.wallet-backup`, or `.concordiumwallet` for the legacy format.
    public static func suggestedFileName(legacy: Bool = false, date: Date = Date(),
                                         timeZone: TimeZone = .current) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyyMMdd"
        let ext = legacy ? legacyFileExtension : fileExtension
        return "concordium-backup-\(formatter.string(from: date)).\(ext)"
    }

    /// Reads a local regular file of at most `limit` bytes. A file whose reported size exceeds
    /// `limit` is refused before reading; whatever the reported size (a file that grows, a
    /// placeholder that reports 0), at most `limit + 1` bytes are read, in chunks, so a file over
    /// the limit never reaches memory whole. Blocks: call it off the main thread.
    public static func readCapped(_ url: URL, limit: Int = maxBackupBytes) throws -> Data {
        precondition(limit >= 0 && limit < Int.max, "limit must be 0 ..< Int.max")
        guard url.isFileURL else { throw BackupFileError.notAFile }
        let values: URLResourceValues
        do {
            values = try url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
        } catch {
            throw BackupFileError.unreadable(error.localizedDescription)
        }
        guard values.isRegularFile == true else { throw BackupFileError.notAFile }
        if let size = values.fileSize, size > limit {
            throw BackupFileError.tooLarge(limit: limit, size: size)
        }
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw BackupFileError.unreadable(error.localizedDescription)
        }
        defer { try? handle.close() }
        var data = Data()
        do {
            while data.count <= limit {
                let want = min(readChunk, limit + 1 - data.count)
                guard let chunk = try handle.read(upToCount: want), !chunk.isEmpty else { break }
                data.append(chunk)
            }
        } catch {
            throw BackupFileError.unreadable(error.localizedDescription)
        }
        if data.count > limit {
            throw BackupFileError.tooLarge(limit: limit, size: nil)
        }
        return data
    }

    private static let readChunk = 64 * 1024
}
