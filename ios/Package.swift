// swift-tools-version:5.9
// The Swift side of the wallet core:
// - ConcordiumWalletCoreFFI: the C header and module map UniFFI generates (bindings/swift, linked
//   here, never edited by hand).
// - ConcordiumWalletCore: the generated Swift bindings (bindings/swift/ConcordiumWalletCore.swift).
// - ConcordiumWalletShell: what must be native on iOS (Keychain storage key, Share sheet, opened
//   files, document types) and the platform-free parts every platform builds (errors as
//   LocalizedError with the core's sentence, capped reading of a file).
//
// Two ways to get the Rust library:
// - Development and tests (Linux, `swift test` on a Mac): the FFI module is a system library and
//   the library is `libwallet_core` from `cargo build --lib`; scripts/swift passes
//   `-Xlinker -L<target/debug> -Xlinker -rpath …` (flags, not unsafeFlags here: SwiftPM refuses
//   unsafeFlags in a package that is someone's dependency).
// - An app: build-xcframework.sh copies this package with ConcordiumWalletCoreFFI.xcframework
//   (static library, header, module map per platform) next to this manifest, and the FFI module
//   becomes that binary target.
import Foundation
import PackageDescription

let packageDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
let xcframework = "ConcordiumWalletCoreFFI.xcframework"
let hasXCFramework = FileManager.default.fileExists(atPath: "\(packageDirectory)/\(xcframework)")

let ffiTarget: Target = hasXCFramework
    ? .binaryTarget(name: "ConcordiumWalletCoreFFI", path: xcframework)
    : .systemLibrary(name: "ConcordiumWalletCoreFFI", path: "Sources/ConcordiumWalletCoreFFI")

let package = Package(
    name: "ConcordiumWallet",
    platforms: [
        .iOS(.v15),
        // So that `swift build` / `swift test` on a Mac builds the package (the UIKit part is
        // compiled out there); the shell is meant for iOS.
        .macOS(.v12),
    ],
    products: [
        .library(name: "ConcordiumWalletCore", targets: ["ConcordiumWalletCore"]),
        .library(name: "ConcordiumWalletShell", targets: ["ConcordiumWalletShell"]),
    ],
    targets: [
        ffiTarget,
        .target(
            name: "ConcordiumWalletCore",
            dependencies: ["ConcordiumWalletCoreFFI"],
            path: "Sources/ConcordiumWalletCore",
            // The XCFramework's static library is linked by SwiftPM itself.
            linkerSettings: hasXCFramework ? [] : [.linkedLibrary("wallet_core")]
        ),
        .target(
            name: "ConcordiumWalletShell",
            dependencies: ["ConcordiumWalletCore"],
            path: "Sources/ConcordiumWalletShell",
            linkerSettings: [
                .linkedFramework("Security", .when(platforms: [.iOS, .macOS])),
                .linkedFramework("LocalAuthentication", .when(platforms: [.iOS, .macOS])),
            ]
        ),
        // Through the bindings, as an app calls them: the same ground as tests/kotlin.
        .testTarget(
            name: "ConcordiumWalletCoreTests",
            // The shell for the flow models and the errors' sentences.
            dependencies: ["ConcordiumWalletCore", "ConcordiumWalletShell"],
            path: "Tests/ConcordiumWalletCoreTests"
        ),
        .testTarget(
            name: "ConcordiumWalletShellTests",
            dependencies: ["ConcordiumWalletShell", "ConcordiumWalletCore"],
            path: "Tests/ConcordiumWalletShellTests"
        ),
    ]
)
