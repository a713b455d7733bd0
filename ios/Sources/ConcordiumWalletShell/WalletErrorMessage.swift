import ConcordiumWalletCore
import Foundation

// The bindings are generated with `omit_localized_error_conformance` (uniffi.toml): UniFFI's own
// conformance describes the error as `ConcordiumWalletCore.WalletError.WrongPassword(message: …)`,
// which is what `localizedDescription` and SwiftUI's `.alert(isPresented:error:)` would show.
// Module-qualified names: a retroactive conformance the bindings' owner (us) intends.
extension ConcordiumWalletCore.WalletError: Foundation.LocalizedError {
    /// The core's sentence for the user, e.g. "The password is wrong."
    public var errorDescription: String? { message }
}

public extension ConcordiumWalletCore.WalletError {
    /// The sentence the core wrote for this error, to show the user as it is. It never contains a
    /// password, key or wallet content.
    ///
    /// Every case of the flat error carries exactly this one string. The switch is exhaustive on
    /// purpose (no `default`, no reflection, which apps may strip): a case the core adds fails to
    /// compile here until it is listed.
    var message: String {
        switch self {
        case let .PasswordTooShort(message),
             let .PasswordNotText(message),
             let .WrongPassword(message),
             let .WrongPasswordOrDamaged(message),
             let .Damaged(message),
             let .NotABackup(message),
             let .NotAWalletBackup(message),
             let .DesktopWalletExport(message),
             let .UnsupportedVersion(message),
             let .UnsupportedEncryption(message),
             let .ParamsOutOfRange(message),
             let .FileTooLarge(message),
             let .PayloadInvalid(message),
             let .MissingEnvironment(message),
             let .InvalidParameters(message),
             let .Cancelled(message),
             let .Randomness(message),
             let .InvalidPhrase(message),
             let .InvalidSeed(message),
             let .KeyDerivation(message),
             let .LookupFailed(message),
             let .WrongStorageKey(message),
             let .StorageKeyMissing(message),
             let .NetworkMismatch(message),
             let .UnknownNetwork(message),
             let .StaleImport(message),
             let .AlreadyInWallet(message),
             let .Store(message),
             let .InvalidAddress(message),
             let .LedgerNotConnected(message),
             let .LedgerLocked(message),
             let .LedgerAppNotOpen(message),
             let .LedgerRejected(message),
             let .LedgerAppClosed(message),
             let .LedgerTimeout(message),
             let .LedgerUnsupported(message),
             let .LedgerFailed(message),
             let .OtherLedger(message):
            return message
        }
    }
}
