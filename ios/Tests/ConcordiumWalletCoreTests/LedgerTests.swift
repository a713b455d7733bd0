import ConcordiumWalletCore
import ConcordiumWalletShell
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Ledger bridge through the bindings against the emulated Concordium app
/// (examples/ledger_emulator.rs, built on the host by scripts/swift next to the library) over
/// real loopback TCP: once through the library's Speculos transport, once through a platform
/// transport written here in Swift (what an iOS app implements for BLE or USB). The test starts
/// the emulator itself (in the chroot on Linux: a host-built binary, like the library) and stops
/// it by closing its stdin.
final class LedgerTests: XCTestCase {
    /// Measured on the real app under Speculos (its default phrase): the key at
    /// 1105'/0'/0'/0'/0'/2'/0'/0', and the PRF key of legacy identity 0.
    private let key1105 = "87e16c8269270b1c75b930224df456d2927b80c760ffa77e57dbd738f6399492"
    private let prfLegacy0 = "48235b90248b6e552d59bf8b533292d25c5afd1f8e1ad5d1e00478794642ba38"
    private let speculosPhrase = "glory promote mansion idle axis finger extra february uncover one trip resource lawn turtle enact monster seven myth punch hobby comfort wild raise skin"

    /// The emulators this test started, with their stdin.
    private var emulators: [(process: Process, input: Pipe)] = []

    override func tearDown() {
        // An emulator exits when its stdin closes, also if this process dies.
        for e in emulators {
            e.input.fileHandleForWriting.closeFile()
            e.process.waitUntilExit()
        }
        emulators = []
    }

    /// Starts the emulator with `arguments`; returns its `127.0.0.1:PORT`.
    private func startEmulator(_ arguments: String...) throws -> String {
        let exe = repositoryRoot.appendingPathComponent("target/debug/examples/ledger_emulator")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            XCTFail("build it first: cargo build --example ledger_emulator (\(exe.path)); scripts/swift does")
            throw CocoaError(.fileNoSuchFile)
        }
        let process = Process()
        process.executableURL = exe
        process.arguments = arguments
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        emulators.append((process, input))
        // The first line is `listening 127.0.0.1:PORT`, printed once it accepts connections.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("listening ") else {
            XCTFail("the emulator did not start: \(text)")
            throw CocoaError(.fileReadUnknown)
        }
        return String(text.dropFirst("listening ".count))
    }

    /// The exported keys as the only owners of their bytes (the record is immutable and gone
    /// after this returns), so that `wipe()` clears them in place rather than a copy.
    private func secrets(_ keys: LedgerIdentityKeys) -> (Data, Data, Data?) {
        (keys.prfKey, keys.idCredSec, keys.blindingRandomness)
    }

    private func deriver(_ network: Network) throws -> KeyDeriver {
        try KeyDeriver(seed: seedFromRecoveryPhrase(phrase: Data(speculosPhrase.utf8)), network: network)
    }

    /// Runs `body` and returns the `LedgerBridgeError` it threw.
    private func bridgeError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> LedgerBridgeError? {
        assertThrows(LedgerBridgeError.self, body, file: file, line: line)
    }

    func testApp513OverTheSpeculosTransport() throws {
        let bridge = try LedgerBridge.speculos(address: try startEmulator("--app-version", "5.1.3"))
        let info = try bridge.appInfo()
        XCTAssertEqual([info.name, info.version], ["Concordium", "5.1.3"])
        XCTAssertTrue(info.transport.hasPrefix("speculos 127.0.0.1:"), info.transport)

        let pairing = try bridge.pairingId()
        XCTAssertEqual(pairing.path, "m/1105'/0'")
        XCTAssertEqual(pairing.publicKey.count, 32)
        XCTAssertEqual(pairing.signature.count, 64)

        // Legacy (Desktop Wallet) path family: the key measured on the real app.
        let legacy = try bridge.publicKey(path: .legacy(identity: 0, credential: 0), confirm: false)
        XCTAssertEqual(legacy.publicKeyHex, key1105)
        XCTAssertEqual(legacy.publicKey.hex, key1105)
        XCTAssertEqual(legacy.signature.count, 64)

        // Seed-wallet path family (Mainnet on 5.1.3): the key the phrase gives.
        let new = try bridge.publicKey(path: .new(network: .mainnet, idp: 1, identity: 2, credential: 3), confirm: false)
        XCTAssertEqual(new.publicKeyHex, try deriver(.mainnet).account(idp: 1, identity: 2, credential: 3, commitmentKeyHex: nil).publicKeyHex)

        var (prf, idCredSec, blinding) = secrets(try bridge.exportIdentityKeys(path: .legacy(identity: 0)))
        XCTAssertEqual(prf.hex, prfLegacy0)
        XCTAssertEqual(idCredSec.count, 32)
        XCTAssertNil(blinding)
        prf.wipe()
        idCredSec.wipe()

        // 5.1.3 exits on Testnet paths: the bridge refuses before sending, with a sentence.
        let refused = bridgeError { try bridge.publicKey(path: .new(network: .testnet, idp: 0, identity: 0, credential: 0), confirm: false) }
        guard case .UnsupportedByApp(let message)? = refused else { return XCTFail("\(String(describing: refused))") }
        XCTAssertTrue(message.contains("5.1.3"), message)
        XCTAssertEqual(refused?.localizedDescription, message)
    }

    func testApp570TestnetKeysAndApprovals() throws {
        let bridge = try LedgerBridge.speculos(address: try startEmulator("--app-version", "5.7.0"))
        XCTAssertEqual(try bridge.appInfo().version, "5.7.0")
        let path = LedgerAccountPath.new(network: .testnet, idp: 0, identity: 0, credential: 0)
        let shown = try bridge.publicKey(path: path, confirm: true)
        XCTAssertEqual(shown.publicKeyHex, try deriver(.testnet).account(idp: 0, identity: 0, credential: 0, commitmentKeyHex: nil).publicKeyHex)
        try bridge.verifyAddress(path: path)
        var (prf, idCredSec, blinding) = secrets(try bridge.exportIdentityKeys(path: .new(network: .testnet, idp: 0, identity: 0)))
        let expected = try deriver(.testnet).identitySecrets(idp: 0, identity: 0)
        XCTAssertEqual(prf.hex, expected.prfKey.hex)
        XCTAssertEqual(idCredSec.hex, expected.idCredSec.hex)
        XCTAssertEqual(blinding?.hex, expected.blindingRandomness.hex)
        prf.wipe()
        idCredSec.wipe()
        blinding?.wipe()
    }

    /// A 5.1.3 app that reports 5.7.0: the bridge sends what the app does not know, the app exits
    /// (the connection closes with no reply), and the bridge answers a typed error at once.
    func testAnAppThatClosesIsATypedError() throws {
        let bridge = try LedgerBridge.speculos(address: try startEmulator("--app-version", "5.1.3", "--reported-version", "5.7.0"))
        let error = bridgeError { try bridge.exportIdentityKeys(path: .new(network: .mainnet, idp: 0, identity: 0)) }
        guard case .AppClosed? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(error?.localizedDescription,
                       "The Concordium app closed; it may not support exporting identity keys. Open it again and check its version.")
        guard case .AppClosed? = bridgeError({ try bridge.pairingId() }) else { return XCTFail("still closed") }
    }

    func testTheDashboardOpenIsOtherAppOpen() throws {
        let bridge = try LedgerBridge.speculos(address: try startEmulator("--screen", "dashboard"))
        let error = bridgeError { try bridge.appInfo() }
        guard case .OtherAppOpen? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(error?.localizedDescription, "The Ledger has the dashboard open: open the Concordium app.")
        XCTAssertEqual(error.flatMap { ($0 as LocalizedError).errorDescription }, error?.message)
    }

    func testASwiftTransportGivesTheSameAnswersAndTypedErrors() throws {
        let address = try startEmulator("--app-version", "5.1.3", "--approval", "reject")
        let transport = try SocketExchange(address: address)
        let bridge = LedgerBridge.platform(transport: transport)
        let info = try bridge.appInfo()
        XCTAssertEqual(info.version, "5.1.3")
        XCTAssertTrue(info.transport.hasPrefix("swift socket 127.0.0.1:"), info.transport)
        XCTAssertEqual(try bridge.publicKey(path: .legacy(identity: 0, credential: 0), confirm: false).publicKeyHex, key1105)
        XCTAssertEqual(try bridge.pairingId(), try LedgerBridge.speculos(address: address).pairingId(), "both transports agree")
        let rejected = bridgeError { try bridge.verifyAddress(path: .legacy(identity: 0, credential: 0)) }
        guard case .Rejected? = rejected else { return XCTFail("\(String(describing: rejected))") }
        XCTAssertEqual(rejected?.localizedDescription, rejected?.message)
        XCTAssertGreaterThan(transport.exchanges, 3)
    }

    func testASwiftTransportThatClosesIsAppClosedAndOneThatTimesOutIsTimeout() throws {
        // The emulator holds a request that needs approval and never answers it.
        let address = try startEmulator("--app-version", "5.1.3", "--approval", "never")
        let bridge = LedgerBridge.platform(transport: try SocketExchange(address: address))
        bridge.setTimeouts(replyMs: 10_000, approvalMs: 300)
        let timeout = bridgeError { try bridge.verifyAddress(path: .legacy(identity: 0, credential: 0)) }
        guard case .Timeout? = timeout else { return XCTFail("\(String(describing: timeout))") }

        // A 5.1.3 app exits on a Testnet path sent by hand; the Swift transport sees the close.
        let raw = try SocketExchange(address: try startEmulator("--app-version", "5.1.3"))
        XCTAssertThrowsError(try raw.exchange(apdu: Data([0xe0, 0x40, 0, 0, 0]), timeoutMs: 10_000)) {
            XCTAssertEqual($0 as? LedgerTransportError, .Closed)
        }
        // Through the bridge, Closed becomes AppClosed with the core's sentence.
        let closed = bridgeError { try LedgerBridge.platform(transport: raw).appInfo() }
        guard case .AppClosed? = closed else { return XCTFail("\(String(describing: closed))") }
        XCTAssertTrue(closed?.localizedDescription.hasPrefix("The Concordium app closed") ?? false)
    }

    /// A new testnet wallet in a fresh temporary folder, with its storage key.
    private func newWallet() throws -> (Wallet, Data) {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("wallet-ledger-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        return (try Wallet.create(path: folder.appendingPathComponent("w.sqlite").path, network: .testnet, storageKey: key), key)
    }

    /// Ledger recovery into the store (Desktop Wallet paths): the preview finds the accounts the
    /// directory knows (tests/data/bindings/ledger-legacy-accounts.json, checked by the Rust
    /// tests), applying writes them Ledger-backed, and recovering again adds nothing.
    func testLedgerRecoveryIntoTheWalletStore() throws {
        let bridge = try LedgerBridge.speculos(address: try startEmulator("--app-version", "5.7.0"))
        let data = try parseJSON(Data(testData("ledger-legacy-accounts.json").utf8))
        let found = Set(try XCTUnwrap(data["legacyFound"] as? [String]))
        let onChain = found.union(try XCTUnwrap(data["legacyBeyondGap"] as? [String]))
        let directory = Directory { _, address in onChain.contains(address) ? .exists : .missing }
        let (w, key) = try newWallet()
        let paths = LedgerRecoveryPaths.legacy(maxEmptyIdentities: defaultMaxEmptyIdentities())
        let pending = try w.previewLedgerRecovery(ledger: bridge, storageKey: key, paths: paths, lookup: directory, listener: nil, cancel: nil)
        let preview = pending.summary()
        XCTAssertEqual(Set(preview.accountsAdded.compactMap(\.key)), found)
        XCTAssertEqual(preview.identitiesAdded.map(\.name), ["Recovered: Index 0", "Recovered: Index 1", "Recovered: Index 4"])
        XCTAssertEqual(directory.lookups, try XCTUnwrap(data["legacyLookups"] as? Int))
        XCTAssertEqual(try w.overview().accountCount, 0, "a preview changes nothing")
        XCTAssertEqual(try w.applyPendingImport(pending: pending, storageKey: key), preview)
        let pairing = try bridge.pairingId().publicKeyHex
        let accounts = try w.overview().identities.flatMap(\.accounts)
        XCTAssertEqual(Set(accounts.map(\.address)), found)
        XCTAssertTrue(accounts.allSatisfy { $0.readOnly && $0.ledgerPairingId == pairing })
        let again = try w.previewLedgerRecovery(ledger: bridge, storageKey: key, paths: paths, lookup: directory, listener: nil, cancel: nil)
        XCTAssertEqual(again.summary().changeCount, 0)

        let failing = Directory { _, _ in .failed(reason: "the wallet proxy answered HTTP 500") }
        let error = assertWalletError { try w.previewLedgerRecovery(ledger: bridge, storageKey: key, paths: paths, lookup: failing, listener: nil, cancel: nil) }
        XCTAssertEqual(caseName(error), "LookupFailed")
        let unsupported = try LedgerBridge.speculos(address: try startEmulator("--app-version", "5.1.3"))
        let refused = assertWalletError {
            try w.previewLedgerRecovery(ledger: unsupported, storageKey: key, paths: .newPaths(identityProviders: [0]), lookup: directory, listener: nil, cancel: nil)
        }
        XCTAssertEqual(caseName(refused), "LedgerUnsupported")
        XCTAssertTrue(refused?.message.contains("5.1.3") ?? false, "\(String(describing: refused))")
    }

    /// A Desktop Wallet export of the emulated Ledger (tests/data/bindings/desktop-export.json):
    /// with that Ledger its identities, Ledger-backed accounts and contact; without it the contact
    /// alone, every account skipped with the reason.
    func testDesktopImportWithAndWithoutItsLedger() throws {
        let bridge = try LedgerBridge.speculos(address: try startEmulator("--app-version", "5.1.3"))
        let file = try Data(contentsOf: repositoryRoot.appendingPathComponent("tests/data/bindings/desktop-export.json"))
        let pairing = try bridge.pairingId().publicKeyHex

        let (phone, phoneKey) = try newWallet()
        let contacts = try phone.previewDesktopImport(file: file, password: Data("desktop pw".utf8), storageKey: phoneKey,
                                                      assumeNetwork: nil, ledger: nil, listener: nil, cancel: nil).summary()
        XCTAssertEqual(contacts.contactsAdded.map(\.name), ["Bob"])
        XCTAssertEqual(contacts.skipped.map(\.name), ["Main", "Second", "Old", "Tampered"])
        XCTAssertTrue(contacts.skipped.allSatisfy { $0.reason == "its keys are on the Ledger with pairing identifier \(pairing)" })

        let (w, key) = try newWallet()
        let pending = try w.previewDesktopImport(file: file, password: Data("desktop pw".utf8), storageKey: key,
                                                 assumeNetwork: nil, ledger: bridge, listener: nil, cancel: nil)
        XCTAssertEqual(pending.summary().accountsAdded.map(\.name), ["Main", "Second", "Old"])
        XCTAssertEqual(pending.summary().skipped.map(\.name), ["Tampered"])
        XCTAssertEqual(try w.applyPendingImport(pending: pending, storageKey: key).accountsAdded.count, 3)
        XCTAssertTrue(try w.overview().identities.flatMap(\.accounts).allSatisfy { $0.ledgerPairingId == pairing })
    }
}

/// Speculos's framing over a POSIX socket, written in Swift: what an app's BLE or USB transport
/// stands for (an APDU out, `data ‖ SW1 SW2` back; a close without reply is `Closed`, no reply in
/// `timeoutMs` is `Timeout`).
final class SocketExchange: LedgerExchange, @unchecked Sendable {
    private let fd: Int32
    private let address: String
    private let lock = NSLock()
    private(set) var exchanges = 0

    init(address: String) throws {
        let parts = address.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw LedgerTransportError.Failed(reason: "bad address") }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw LedgerTransportError.Failed(reason: "no socket") }
        #if canImport(Darwin)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        guard inet_pton(AF_INET, String(parts[0]), &sin.sin_addr) == 1 else {
            close(fd)
            throw LedgerTransportError.Failed(reason: "bad host")
        }
        let connected = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw LedgerTransportError.NoDevice
        }
        self.fd = fd
        self.address = address
    }

    deinit { close(fd) }

    // A peer that closed must be an error here, not SIGPIPE for the test process.
    #if canImport(Glibc)
    private let noSignal = Int32(MSG_NOSIGNAL)
    #else
    private let noSignal: Int32 = 0
    #endif

    private func sendAll(_ data: Data) throws {
        var sent = 0
        while sent < data.count {
            let n = data.withUnsafeBytes { send(fd, $0.baseAddress! + sent, data.count - sent, noSignal) }
            guard n > 0 else { throw LedgerTransportError.Closed }
            sent += n
        }
    }

    private func receive(_ count: Int) throws -> Data {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
            if n == 0 { throw LedgerTransportError.Closed }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { throw LedgerTransportError.Timeout }
                if errno == EINTR { continue }
                throw LedgerTransportError.Closed
            }
            got += n
        }
        return Data(buffer)
    }

    func exchange(apdu: Data, timeoutMs: UInt64) throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        exchanges += 1
        let ms = min(timeoutMs, 86_400_000)
        var tv = timeval(tv_sec: .init(ms / 1000), tv_usec: .init(ms % 1000 * 1000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var frame = Data()
        frame.append(contentsOf: withUnsafeBytes(of: UInt32(apdu.count).bigEndian, Array.init))
        frame.append(apdu)
        try sendAll(frame)
        let header = try receive(4)
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard length <= 65_536 else { throw LedgerTransportError.Failed(reason: "a reply of \(length) bytes") }
        return try receive(length + 2) // the data, then the status word
    }

    func describe() -> String { "swift socket \(address)" }
}
