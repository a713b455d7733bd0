#!/usr/bin/env bash
# Builds the Swift package an iOS app adds: target/ios/ConcordiumWallet/, a copy of ios/ (the
# generated bindings copied in instead of linked) with ConcordiumWalletCoreFFI.xcframework next to
# its manifest, which makes Package.swift use that binary target. The XCFramework holds the
# release static library for iOS devices (aarch64-apple-ios) and for simulators
# (aarch64-apple-ios-sim and x86_64-apple-ios joined with lipo), each with the generated header
# and module map.
#
# Needs macOS with Xcode (xcodebuild, lipo) and rustup. It has never run on the project's Linux
# machines; see ios/README.md for what only a Mac checks.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)" != Darwin ] || ! command -v xcodebuild >/dev/null; then
  echo "error: building the XCFramework needs macOS with Xcode" >&2
  exit 1
fi

# The C code (bundled SQLite) and Rust target the same minimum as Package.swift.
export IPHONEOS_DEPLOYMENT_TARGET=15.0
targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
rustup target add "${targets[@]}"
for target in "${targets[@]}"; do
  # wipe-freed-heap: the shipped library zeroes every heap block it frees (README, Secrets).
  cargo build --release --lib --features wipe-freed-heap --target "$target"
done

out=target/ios
package="$out/ConcordiumWallet"
rm -rf "$out"
mkdir -p "$out/headers" "$out/simulator"
cp bindings/swift/ConcordiumWalletCoreFFI.h "$out/headers/"
cp bindings/swift/ConcordiumWalletCoreFFI.modulemap "$out/headers/module.modulemap"
lipo -create \
  target/aarch64-apple-ios-sim/release/libwallet_core.a \
  target/x86_64-apple-ios/release/libwallet_core.a \
  -output "$out/simulator/libwallet_core.a"

# -L: the links into bindings/swift become copies. Local build state stays behind.
cp -RL ios "$package"
rm -rf "$package/.build" "$package/.swiftpm" "$package/build-xcframework.sh" \
  "$package/Sources/ConcordiumWalletCoreFFI"
xcodebuild -create-xcframework \
  -library target/aarch64-apple-ios/release/libwallet_core.a -headers "$out/headers" \
  -library "$out/simulator/libwallet_core.a" -headers "$out/headers" \
  -output "$package/ConcordiumWalletCoreFFI.xcframework"

# The package must resolve with the binary target (this also type-checks the manifest).
(cd "$package" && swift package describe >/dev/null)
echo "built $package: add it to the app (File > Add Package Dependencies > Add Local...)"
