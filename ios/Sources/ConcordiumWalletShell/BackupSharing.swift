import Foundation
#if canImport(UIKit)
import UIKit
#endif

// Security-scoped URLs and NSFileCoordinator are Apple Foundation only.
#if canImport(Darwin)
public extension BackupFiles {
    /// Reads a backup the system handed to the app: the URL given to
    /// `application(_:open:options:)`, `scene(_:openURLContexts:)` or SwiftUI's `onOpenURL`, or
    /// one picked with `UIDocumentPickerViewController`. Uses security-scoped access when the URL
    /// has it, coordinates the read (iCloud / File Provider files), refuses a file over `limit`
    /// by its size before reading, and never reads more than `limit + 1` bytes.
    ///
    /// With `LSSupportsOpeningDocumentsInPlace` false, iOS copies an opened file into
    /// `Documents/Inbox/`; that copy is deleted after reading unless `removeInboxCopy` is false.
    /// Blocks: call it off the main thread for large files.
    static func readIncoming(url: URL,
                             limit: Int = maxBackupBytes,
                             removeInboxCopy: Bool = true) throws -> Data {
        guard url.isFileURL else { throw BackupFileError.notAFile }
        let scoped = url.startAccessingSecurityScopedResource()
        defer {
            if scoped { url.stopAccessingSecurityScopedResource() }
            if removeInboxCopy && isInInbox(url) { try? FileManager.default.removeItem(at: url) }
        }

        var coordinationError: NSError?
        var result: Result<Data, Error> = .failure(BackupFileError.unreadable("not read"))
        NSFileCoordinator().coordinate(readingItemAt: url, options: [.withoutChanges],
                                       error: &coordinationError) { readURL in
            result = Result { try readCapped(readURL, limit: limit) }
        }
        if let error = coordinationError { throw BackupFileError.unreadable(error.localizedDescription) }
        return try result.get()
    }

    private static func isInInbox(_ url: URL) -> Bool {
        guard let documents = FileManager.default.urls(for: .documentDirectory,
                                                       in: .userDomainMask).first else { return false }
        let inbox = documents.appendingPathComponent("Inbox", isDirectory: true)
            .resolvingSymlinksInPath().path + "/"
        return url.resolvingSymlinksInPath().path.hasPrefix(inbox)
    }
}
#endif

#if canImport(UIKit)
/// The Share sheet for an exported backup.
@MainActor
public enum BackupSharing {
    /// Where exported files wait for the share sheet: `tmp/backup-share/<uuid>/<file name>`.
    static var shareRoot: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("backup-share", isDirectory: true)
    }

    /// Writes `backup` to a temporary file (file protection `.complete`: unreadable while the
    /// device is locked) and presents a `UIActivityViewController` for it. The file is removed
    /// when the sheet finishes, whether the user shared, saved or cancelled. On iPad the sheet is
    /// a popover anchored at `sourceView` (or the middle of the presenter's view).
    ///
    /// `completion` gets whether an activity completed and its error, if any.
    public static func present(backup: Data,
                               fileName: String = BackupFiles.suggestedFileName(),
                               from presenter: UIViewController,
                               sourceView: UIView? = nil,
                               completion: ((_ completed: Bool, _ error: Error?) -> Void)? = nil) throws {
        let url = try writeTemporary(backup, fileName: fileName)
        let controller = UIActivityViewController(activityItems: [url], applicationActivities: nil)
        // Nothing that copies the file somewhere less controlled than a place the user picks.
        controller.excludedActivityTypes = [
            .copyToPasteboard, .assignToContact, .addToReadingList, .print, .saveToCameraRoll,
            .markupAsPDF, .openInIBooks,
        ]
        controller.completionWithItemsHandler = { _, completed, _, error in
            removeTemporary(url)
            completion?(completed, error)
        }
        if let popover = controller.popoverPresentationController {
            let anchor: UIView = sourceView ?? presenter.view!
            popover.sourceView = anchor
            if sourceView == nil {
                popover.sourceRect = CGRect(x: anchor.bounds.midX, y: anchor.bounds.midY, width: 0, height: 0)
                popover.permittedArrowDirections = []
            } else {
                popover.sourceRect = anchor.bounds
            }
        }
        presenter.present(controller, animated: true)
    }

    /// Removes exported files a killed app left behind. Call at launch.
    public static func removeLeftovers() {
        try? FileManager.default.removeItem(at: shareRoot)
    }

    static func writeTemporary(_ data: Data, fileName: String) throws -> URL {
        guard !fileName.isEmpty, !fileName.contains("/"), !fileName.hasPrefix(".") else {
            throw BackupFileError.unreadable("not a plain file name: \(fileName)")
        }
        var directory = shareRoot.appendingPathComponent(UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true,
            attributes: [.protectionKey: FileProtectionType.complete])
        let url = directory.appendingPathComponent(fileName, isDirectory: false)
        do {
            // tmp/ is not backed up by iOS today; the flag keeps it so should that change.
            var values = URLResourceValues()
            values.isExcludedFromBackup = true
            try directory.setResourceValues(values)
            try data.write(to: url, options: [.atomic, .completeFileProtection])
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        return url
    }

    static func removeTemporary(_ url: URL) {
        // The file's own directory (tmp/backup-share/<uuid>/).
        try? FileManager.default.removeItem(at: url.deletingLastPathComponent())
    }
}
#endif
