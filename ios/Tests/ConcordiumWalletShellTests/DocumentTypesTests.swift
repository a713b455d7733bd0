import ConcordiumWalletShell
import Foundation
import XCTest

/// Info.plist.fragment.xml (merged into the app's Info.plist) declares the types BackupFiles
/// names. Whether iOS then offers the app for such files only a device shows.
final class DocumentTypesTests: XCTestCase {
    private func fragment() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Info.plist.fragment.xml")
        let plist = try PropertyListSerialization.propertyList(from: Data(contentsOf: url), format: nil)
        return try XCTUnwrap(plist as? [String: Any])
    }

    private func declarations(_ key: String, in plist: [String: Any]) throws -> [String: [String]] {
        let list = try XCTUnwrap(plist[key] as? [[String: Any]], key)
        var byType: [String: [String]] = [:]
        for declaration in list {
            let identifier = try XCTUnwrap(declaration["UTTypeIdentifier"] as? String)
            XCTAssertEqual(declaration["UTTypeConformsTo"] as? [String], ["public.data"], identifier)
            let tags = try XCTUnwrap(declaration["UTTypeTagSpecification"] as? [String: Any])
            byType[identifier] = tags["public.filename-extension"] as? [String]
        }
        return byType
    }

    func testExportedAndImportedTypesMatchBackupFiles() throws {
        let plist = try fragment()
        XCTAssertEqual(try declarations("UTExportedTypeDeclarations", in: plist),
                       [BackupFiles.typeIdentifier: [BackupFiles.fileExtension]])
        XCTAssertEqual(try declarations("UTImportedTypeDeclarations", in: plist),
                       [BackupFiles.legacyTypeIdentifier: [BackupFiles.legacyFileExtension]])
        let documentTypes = try XCTUnwrap(plist["CFBundleDocumentTypes"] as? [[String: Any]])
        XCTAssertEqual(Set(documentTypes.compactMap { $0["LSItemContentTypes"] as? [String] }.joined()),
                       [BackupFiles.typeIdentifier, BackupFiles.legacyTypeIdentifier])
        XCTAssertEqual(plist["LSSupportsOpeningDocumentsInPlace"] as? Bool, false,
                       "iOS hands the app a copy; the original is never edited")
    }
}
