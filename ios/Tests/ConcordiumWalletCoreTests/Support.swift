import ConcordiumWalletCore
import Foundation
import XCTest

// Shared by every test file of this target (one file per area, as in tests/kotlin: RoundTrip,
// Errors, LegacyFixture, Progress, Cancel, WalletStore, Recovery; the export/import flows and the
// Ledger bridge get their own files here when they land).

/// The password of the CryptoX fixture.
let fixturePassword = "000000"

/// A password long enough for every export in these tests.
let testPassword = "correct horse battery"

/// Test data shared with tests/kotlin (tests/data/bindings).
func testData(_ name: String) -> String {
    let url = repositoryRoot.appendingPathComponent("tests/data/bindings/\(name)")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
        fatalError("test data \(url.path) is missing")
    }
    return text
}

/// A small wallet in Concordium's `concordium-mobile-wallet-data` v1 schema (fake keys).
let walletJSON = testData("wallet.json")

let ours = ExportSettings(format: .ours, iterations: nil)
let legacy = ExportSettings(format: .legacy, iterations: nil)

/// A password as the bytes the core takes (the caller wipes its own copy after the call).
func pw(_ text: String = testPassword) -> Data { Data(text.utf8) }

func wallet(_ json: String = walletJSON) throws -> WalletBackup {
    try WalletBackup.fromWalletJson(json: Data(json.utf8))
}

/// Exports `walletJSON`.
func exportSample(_ settings: ExportSettings = ours, password: String = testPassword) throws -> Data {
    try wallet().export(password: pw(password), settings: settings, listener: nil, cancel: nil)
}

/// JSON as a comparable value (key order and spacing do not matter).
func parseJSON(_ data: Data) throws -> NSDictionary {
    let object = try JSONSerialization.jsonObject(with: data)
    return try XCTUnwrap(object as? NSDictionary, "not a JSON object")
}

/// The repository root: this file is ios/Tests/ConcordiumWalletCoreTests/Support.swift.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// `$WALLET_FIXTURES_DIR`, else `../shared/fixtures` next to the repository.
let fixturesDirectory: URL = {
    if let dir = ProcessInfo.processInfo.environment["WALLET_FIXTURES_DIR"], !dir.isEmpty {
        return URL(fileURLWithPath: dir, isDirectory: true)
    }
    return repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures", isDirectory: true)
}()

/// The bytes of a fixture. Absent: the calling test is skipped, with one line on the console,
/// unless REQUIRE_FIXTURES=1 (CI), which makes it a failure.
func fixture(_ name: String) throws -> Data {
    let url = fixturesDirectory.appendingPathComponent(name)
    guard FileManager.default.fileExists(atPath: url.path) else {
        let why = "fixture \(url.standardizedFileURL.path) is absent: put the project's "
            + "shared/fixtures next to the repository to run this test (CI always has it)"
        if ProcessInfo.processInfo.environment["REQUIRE_FIXTURES"] == "1" {
            XCTFail("REQUIRE_FIXTURES=1 but \(why)")
            throw CocoaError(.fileNoSuchFile)
        }
        if !fixtureWarned {
            fixtureWarned = true
            print("SKIPPED: \(why)")
        }
        throw XCTSkip(why)
    }
    return try Data(contentsOf: url)
}

/// XCTest runs tests one at a time on the main thread: a plain flag suffices.
private var fixtureWarned = false

/// The CryptoX Android wallet's own export: a file this project did not write.
func cryptoxFixture() throws -> Data { try fixture("cryptox-testnet-export.concordiumwallet") }

/// Runs `body` and returns the `E` it threw; fails when it threw nothing or another error.
@discardableResult
func assertThrows<E: Error, T>(_ type: E.Type, _ body: () throws -> T, file: StaticString = #filePath,
                               line: UInt = #line) -> E?
{
    do {
        _ = try body()
        XCTFail("expected a \(E.self), the call succeeded", file: file, line: line)
    } catch let error as E {
        return error
    } catch {
        XCTFail("expected a \(E.self), got \(error)", file: file, line: line)
    }
    return nil
}

/// Runs `body` and returns the `WalletError` it threw; fails when it threw nothing or another error.
@discardableResult
func assertWalletError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line)
    -> WalletError?
{
    assertThrows(WalletError.self, body, file: file, line: line)
}

/// The variant's name, e.g. "WrongPassword", to compare the case without its message.
func caseName(_ error: WalletError?) -> String? {
    error.map { String(describing: $0).prefix { $0 != "(" } }.map(String.init)
}

/// One progress callback.
struct ProgressCall: Sendable {
    let done: UInt32
    let total: UInt32
    let onCallingThread: Bool
}

/// Records every progress callback; `onEach` runs after recording. The core calls a listener on
/// the thread that made the call; `callingThread` is that thread, to check it.
final class RecordingListener: ProgressListener, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [ProgressCall] = []
    private let onEach: (ProgressCall) -> Void
    private let callingThread: Thread

    init(callingThread: Thread = .current, onEach: @escaping (ProgressCall) -> Void = { _ in }) {
        self.callingThread = callingThread
        self.onEach = onEach
    }

    var calls: [ProgressCall] { lock.lock(); defer { lock.unlock() }; return recorded }

    func onProgress(done: UInt32, total: UInt32) {
        let call = ProgressCall(done: done, total: total, onCallingThread: Thread.current == callingThread)
        lock.lock()
        recorded.append(call)
        lock.unlock()
        onEach(call)
    }
}

extension Data {
    /// Lowercase hex, for comparing with published vectors.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
