import ConcordiumWalletCore
import Foundation

// Thin models over the core's export and import flows (docs/flows.md): they hold the flow, keep
// its current screen, fetch the storage key when a screen asks for it and wipe every secret they
// copy. Every decision (what the next screen is, its text, what a wrong password or a Desktop
// export means) is the core's. Platform-free, so Linux builds and tests them; the Keychain is one
// `StorageKeySource` (below), a test supplies another.
//
// The methods block: `submitPassword` and `run` derive keys (seconds on a phone). Call them off
// the main thread and show `state` on the main thread from `onChange`.

/// Where a flow's storage key comes from when it reaches an Unlock screen.
public protocol StorageKeySource {
    /// The wallet's storage key, after whatever prompt the platform shows with `reason`. The
    /// caller wipes the returned bytes after use.
    func storageKey(reason: String) throws -> Data
}

#if canImport(Security) && canImport(LocalAuthentication)
import LocalAuthentication

extension KeychainStorageKey: StorageKeySource {
    /// The Keychain item, released after Face ID / Touch ID / passcode (`reason` is the text iOS
    /// shows). Blocks: never on the main thread. A missing item is `.itemMissing`, never replaced.
    public func storageKey(reason: String) throws -> Data {
        try readBlocking(reason: reason, context: LAContext())
    }
}
#endif

/// Runs `body` with `text` as bytes and wipes those bytes after (a `String` itself cannot be
/// wiped; the copies the models make can).
private func withBytes<T>(_ text: String, _ body: (Data) throws -> T) rethrows -> T {
    var bytes = Data(text.utf8)
    defer { bytes.wipe() }
    return try body(bytes)
}

/// A screen of a core flow: every state has the core's English text.
public protocol FlowScreen {
    /// The English default text of this screen.
    func text() -> String
}

extension ExportState: FlowScreen {}
extension ImportState: FlowScreen {}

/// What both flow models share: the current screen, the change callback and the Unlock step.
public class FlowModel<State: FlowScreen> {
    private let keys: StorageKeySource

    /// The current screen.
    public private(set) var state: State
    /// Called with each new state, on the thread that drove the transition.
    public var onChange: ((State) -> Void)?

    init(state: State, storageKey: StorageKeySource) {
        self.state = state
        keys = storageKey
    }

    /// The current screen's English text.
    public var text: String { state.text() }

    @discardableResult
    func move(_ transition: () throws -> State) rethrows -> State {
        state = try transition()
        onChange?(state)
        return state
    }

    /// Asks the `StorageKeySource` for the key (the prompt's reason is the Unlock screen's
    /// text), passes it to `core` and wipes it.
    func unlock(with core: (Data) throws -> State) throws -> State {
        var key = try keys.storageKey(reason: text)
        defer { key.wipe() }
        return try move { try core(key) }
    }
}

/// More → Export, for a screen to show: `state` is the screen, `text` its English text.
public final class ExportFlowModel: FlowModel<ExportState> {
    /// The flow; for what the model does not wrap.
    public let flow: ExportFlow

    /// Starts an export of `wallet` on the Unlock screen.
    public init(wallet: Wallet, settings: ExportSettings, storageKey: StorageKeySource) {
        let flow = ExportFlow(wallet: wallet, settings: settings)
        self.flow = flow
        super.init(state: flow.state(), storageKey: storageKey)
    }

    /// Unlock: the key from the `StorageKeySource`, wiped after. A refused key stays on Unlock
    /// with the problem.
    @discardableResult
    public func unlock() throws -> ExportState { try unlock { try flow.unlock(storageKey: $0) } }

    /// Information → Continue.
    @discardableResult
    public func acknowledge() throws -> ExportState { try move { try flow.acknowledge() } }

    /// Strength and match while the person types (no transition).
    public func ratePassword(_ password: String, confirmation: String) -> PasswordFeedback {
        withBytes(password) { p in withBytes(confirmation) { c in flow.ratePassword(password: p, confirmation: c) } }
    }

    /// Choose password → Continue: ReadyToExport, or ChoosePassword with the problem.
    @discardableResult
    public func setPassword(_ password: String, confirmation: String) throws -> ExportState {
        try withBytes(password) { p in
            try withBytes(confirmation) { c in try move { try flow.setPassword(password: p, confirmation: c) } }
        }
    }

    /// Back to the previous screen.
    @discardableResult
    public func back() throws -> ExportState { try move { try flow.back() } }

    /// Encrypts (progress on `listener`, stoppable with `cancel`): Finished, Cancelled or Failed.
    @discardableResult
    public func run(listener: ProgressListener? = nil, cancel: CancelToken? = nil) throws -> ExportState {
        try move { try flow.run(listener: listener, cancel: cancel) }
    }

    /// The file to save or share, once Finished. The caller wipes it after.
    public func fileBytes() throws -> Data { try flow.fileBytes() }

    /// After the file was saved or shared: Saved, and the wallet records the export.
    @discardableResult
    public func confirmSaved() throws -> ExportState { try move { try flow.confirmSaved() } }

    /// Cancel from any screen: nothing is exported or recorded.
    @discardableResult
    public func cancel() -> ExportState { move { flow.cancel() } }
}

/// Import of a backup file opened in the app, for a screen to show. `state` starts Rejected when
/// the file shows it cannot be imported (a Desktop Wallet export, not a backup…), before any
/// password.
public final class ImportFlowModel: FlowModel<ImportState> {
    /// The flow; for what the model does not wrap.
    public let flow: ImportFlow

    /// Starts importing `file` (as read by `BackupFiles.readCapped` / `readIncoming`) into `wallet`.
    public init(wallet: Wallet, file: Data, storageKey: StorageKeySource) {
        let flow = ImportFlow(wallet: wallet, file: file)
        self.flow = flow
        super.init(state: flow.state(), storageKey: storageKey)
    }

    /// Enter password → Continue: opens the file (progress on `listener`). A wrong password
    /// stays on EnterPassword with the problem and the count of failed attempts.
    @discardableResult
    public func submitPassword(_ password: String, listener: ProgressListener? = nil,
                               cancel: CancelToken? = nil) throws -> ImportState {
        try withBytes(password) { p in try move { try flow.submitPassword(password: p, listener: listener, cancel: cancel) } }
    }

    /// The network for a file that names none (one of ChooseNetwork's `choices`).
    @discardableResult
    public func chooseNetwork(_ network: Network) throws -> ImportState {
        try move { try flow.chooseNetwork(network: network) }
    }

    /// Unlock: the key from the `StorageKeySource`, wiped after; then Review.
    @discardableResult
    public func unlock() throws -> ImportState { try unlock { try flow.unlock(storageKey: $0) } }

    /// Review → Import: applies exactly what was reviewed; Done.
    @discardableResult
    public func confirm() throws -> ImportState { try move { try flow.confirm() } }

    /// Cancel from any screen: the wallet is unchanged.
    @discardableResult
    public func cancel() -> ImportState { move { flow.cancel() } }
}
