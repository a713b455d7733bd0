import ConcordiumWalletCore
import Foundation

// As for WalletError (WalletErrorMessage.swift): the bindings omit UniFFI's LocalizedError
// conformance, whose text would be `ConcordiumWalletCore.LedgerBridgeError.Locked(message: …)`.
//
// LedgerTransportError has no such conformance on purpose: the app throws it from its
// LedgerExchange to the core and never shows it; the core turns it into the LedgerBridgeError
// whose sentence the app shows ("No Ledger was found. Connect it, …", "The Concordium app closed; …").
extension ConcordiumWalletCore.LedgerBridgeError: Foundation.LocalizedError {
    /// The core's sentence for the user, e.g. "The Ledger is locked: unlock it with its PIN."
    public var errorDescription: String? { message }
}

public extension ConcordiumWalletCore.LedgerBridgeError {
    /// The sentence the core wrote for this error, to show the person as it is.
    ///
    /// Exhaustive on purpose (no `default`): a case the core adds fails to compile here until it
    /// is listed.
    var message: String {
        switch self {
        case let .NoDevice(message),
             let .AmbiguousDevice(message),
             let .DeviceNotFound(message),
             let .Locked(message),
             let .OtherAppOpen(message),
             let .AppClosed(message),
             let .Rejected(message),
             let .Timeout(message),
             let .Status(message),
             let .UnsupportedByApp(message),
             let .UnsupportedAppVersion(message),
             let .BadReply(message),
             let .Transport(message),
             let .InvalidRequest(message):
            return message
        }
    }
}
