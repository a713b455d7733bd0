// swift-tools-version:5.9
// The iOS shell: the Keychain-held storage key, the Share sheet for exported backups and reading
// files opened from other apps. It does not depend on the generated bindings
// (bindings/swift/ConcordiumWalletCore.swift): it hands `Data` to the app, which passes it to the
// `Wallet` of the bindings. See ios/README.md for how the app puts the two together.
import PackageDescription

let package = Package(
    name: "ConcordiumWalletShell",
    platforms: [
        .iOS(.v15),
        // Only so that `swift build` on a Mac type-checks the package (the UIKit part is skipped
        // there with #if canImport(UIKit)); the shell is meant for iOS.
        .macOS(.v12),
    ],
    products: [
        .library(name: "ConcordiumWalletShell", targets: ["ConcordiumWalletShell"]),
    ],
    targets: [
        .target(
            name: "ConcordiumWalletShell",
            path: "Sources/ConcordiumWalletShell",
            linkerSettings: [
                .linkedFramework("Security"),
                .linkedFramework("LocalAuthentication"),
            ]
        ),
    ]
)
