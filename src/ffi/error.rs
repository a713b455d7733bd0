//! [`WalletError`], the one error of the wallet calls in the bindings, and every conversion of a
//! domain error into it. Each domain variant is mapped by name, so a new variant in a domain
//! error does not compile until it is given its FFI kind here.

use crate::desktop_export::DesktopLedgerError;
use crate::error::{capped, BackupError, MAX_MESSAGE_CHARS};
use crate::flow::WrongStep;
use crate::keys::KeyError;
use crate::ledger::LedgerError;
use crate::phrase::PhraseError;
use crate::recovery::ledger::LedgerRecoveryError;
use crate::recovery::{LookupError, RecoveryError};
use crate::store::StoreError;

/// An error from the wallet core. `message` is a sentence that can be shown to the user; it is at
/// most [`MAX_MESSAGE_CHARS`] characters long, whatever produced it.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum WalletError {
    /// The password is shorter than the minimum.
    PasswordTooShort(String),
    /// The password bytes are not UTF-8 text.
    PasswordNotText(String),
    /// The password does not open this file.
    WrongPassword(String),
    /// A legacy file did not decrypt: wrong password or damaged file (that format cannot tell).
    WrongPasswordOrDamaged(String),
    /// The file was damaged or changed after it was written.
    Damaged(String),
    /// The bytes are not a wallet backup file.
    NotABackup(String),
    /// The file holds some other Concordium document.
    NotAWalletBackup(String),
    /// A Desktop Wallet export: its keys live on a Ledger, so it cannot become a mobile wallet.
    DesktopWalletExport(String),
    /// The file's format version is not one this library reads.
    UnsupportedVersion(String),
    /// The file uses an encryption method this library does not implement.
    UnsupportedEncryption(String),
    /// A parameter (iterations, salt) is outside the accepted range.
    ParamsOutOfRange(String),
    /// The file is larger than the import cap.
    FileTooLarge(String),
    /// The file decrypted but its wallet data is invalid.
    PayloadInvalid(String),
    /// The legacy format needs a network and the wallet data names none.
    MissingEnvironment(String),
    /// The request itself is invalid.
    InvalidParameters(String),
    /// The operation was cancelled through its [`CancelToken`](super::CancelToken).
    Cancelled(String),
    /// The system's random number generator failed.
    Randomness(String),
    /// A recovery phrase is not valid (unknown word, wrong word count, bad checksum).
    InvalidPhrase(String),
    /// A seed is not 64 bytes (or 128 hex characters).
    InvalidSeed(String),
    /// Key derivation failed (an index too large, an invalid commitment key).
    KeyDerivation(String),
    /// The platform's account lookup failed during a restore; nothing partial was returned.
    LookupFailed(String),
    /// The storage key does not unlock this wallet.
    WrongStorageKey(String),
    /// No usable storage key was given (wrong length, or the wallet is not passphrase-locked).
    StorageKeyMissing(String),
    /// The backup is for another network than the wallet.
    NetworkMismatch(String),
    /// The backup names no network and none was assumed.
    UnknownNetwork(String),
    /// The wallet changed after the import was previewed.
    StaleImport(String),
    /// The contact or account is already in the wallet.
    AlreadyInWallet(String),
    /// A string is not a Concordium account address (Base58Check, version byte 1, 32 bytes).
    InvalidAddress(String),
    /// The wallet file cannot be used (missing, not a wallet, newer schema, damaged, I/O).
    Store(String),
    /// No Ledger could be reached during a recovery or a Desktop Wallet import: none connected,
    /// several connected and none chosen, the chosen one not connected, or the connection or
    /// transport failed. The person should connect (or choose) the Ledger and try again. Nothing
    /// was changed.
    LedgerNotConnected(String),
    /// The Ledger is locked: the person should unlock it with its PIN and open the Concordium app.
    /// Nothing was changed.
    LedgerLocked(String),
    /// Another app, or the dashboard, is open on the Ledger: the person should open the
    /// Concordium app. Nothing was changed.
    LedgerAppNotOpen(String),
    /// The person rejected the request on the Ledger. Nothing was changed.
    LedgerRejected(String),
    /// The Concordium app on the Ledger closed without answering (it may not support the request,
    /// or the device was disconnected): open it again and check its version. Nothing was changed.
    LedgerAppClosed(String),
    /// The Ledger did not answer in time (for approvals: nobody confirmed on the device). Nothing
    /// was changed.
    LedgerTimeout(String),
    /// The running Concordium app release cannot do this (too old, or it cannot export these keys
    /// for this network): the message names the release; update the app with Ledger Live. Nothing
    /// was sent to the device and nothing was changed.
    LedgerUnsupported(String),
    /// Any other Ledger failure during a recovery or a Desktop Wallet import: the app refused with
    /// an error status word, its reply or a signature is not valid, or the request is invalid. The
    /// message says which. Nothing was changed.
    LedgerFailed(String),
    /// The connected Ledger is not the one a Desktop Wallet export was made with (its pairing
    /// identifier differs). Nothing was changed.
    OtherLedger(String),
}

impl WalletError {
    /// The message as it was made (before the length cap).
    fn raw_message(&self) -> &str {
        match self {
            Self::PasswordTooShort(m)
            | Self::PasswordNotText(m)
            | Self::WrongPassword(m)
            | Self::WrongPasswordOrDamaged(m)
            | Self::Damaged(m)
            | Self::NotABackup(m)
            | Self::NotAWalletBackup(m)
            | Self::DesktopWalletExport(m)
            | Self::UnsupportedVersion(m)
            | Self::UnsupportedEncryption(m)
            | Self::ParamsOutOfRange(m)
            | Self::FileTooLarge(m)
            | Self::PayloadInvalid(m)
            | Self::MissingEnvironment(m)
            | Self::InvalidParameters(m)
            | Self::Cancelled(m)
            | Self::Randomness(m)
            | Self::InvalidPhrase(m)
            | Self::InvalidSeed(m)
            | Self::KeyDerivation(m)
            | Self::LookupFailed(m)
            | Self::WrongStorageKey(m)
            | Self::StorageKeyMissing(m)
            | Self::NetworkMismatch(m)
            | Self::UnknownNetwork(m)
            | Self::StaleImport(m)
            | Self::AlreadyInWallet(m)
            | Self::InvalidAddress(m)
            | Self::Store(m)
            | Self::LedgerNotConnected(m)
            | Self::LedgerLocked(m)
            | Self::LedgerAppNotOpen(m)
            | Self::LedgerRejected(m)
            | Self::LedgerAppClosed(m)
            | Self::LedgerTimeout(m)
            | Self::LedgerUnsupported(m)
            | Self::LedgerFailed(m)
            | Self::OtherLedger(m) => m,
        }
    }
}

// The one place every message passes on its way to Kotlin and Swift (a flat error is lowered as
// its `Display`), so the cap holds for messages made anywhere.
impl std::fmt::Display for WalletError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&capped(self.raw_message(), MAX_MESSAGE_CHARS))
    }
}

impl From<BackupError> for WalletError {
    fn from(e: BackupError) -> Self {
        let m = e.to_string();
        match e {
            BackupError::PasswordTooShort { .. } => Self::PasswordTooShort(m),
            BackupError::PasswordNotText => Self::PasswordNotText(m),
            BackupError::WrongPassword => Self::WrongPassword(m),
            BackupError::WrongPasswordOrDamaged => Self::WrongPasswordOrDamaged(m),
            BackupError::Damaged(_) => Self::Damaged(m),
            BackupError::NotABackup(_) => Self::NotABackup(m),
            BackupError::NotAWalletBackup(_) => Self::NotAWalletBackup(m),
            BackupError::DesktopWalletExport => Self::DesktopWalletExport(m),
            BackupError::UnsupportedVersion { .. } => Self::UnsupportedVersion(m),
            BackupError::UnsupportedEncryption(_) => Self::UnsupportedEncryption(m),
            BackupError::ParamsOutOfRange(_) => Self::ParamsOutOfRange(m),
            BackupError::FileTooLarge { .. } => Self::FileTooLarge(m),
            BackupError::PayloadInvalid(_) => Self::PayloadInvalid(m),
            BackupError::MissingEnvironment => Self::MissingEnvironment(m),
            BackupError::InvalidParameters(_) => Self::InvalidParameters(m),
            BackupError::Cancelled => Self::Cancelled(m),
            BackupError::Randomness => Self::Randomness(m),
        }
    }
}

impl From<StoreError> for WalletError {
    fn from(e: StoreError) -> Self {
        let m = e.to_string();
        match e {
            StoreError::Backup(b) => b.into(),
            StoreError::WrongStorageKey => Self::WrongStorageKey(m),
            StoreError::KeyLength { .. } | StoreError::NoPassphrase => Self::StorageKeyMissing(m),
            StoreError::NetworkMismatch { .. } => Self::NetworkMismatch(m),
            StoreError::UnknownNetwork => Self::UnknownNetwork(m),
            StoreError::StalePlan | StoreError::PlanMismatch(_) => Self::StaleImport(m),
            StoreError::AddressHasOtherName | StoreError::AccountExists => Self::AlreadyInWallet(m),
            StoreError::InvalidInput(_) => Self::InvalidParameters(m),
            StoreError::InvalidAddress => Self::InvalidAddress(m),
            // The app tells them apart by the message; the variant set of the flat error (and so
            // the generated bindings) stays as it is.
            StoreError::NotFound
            | StoreError::IsADirectory
            | StoreError::Io(_)
            | StoreError::AlreadyExists
            | StoreError::NotAStore(_)
            | StoreError::NewerSchema { .. }
            | StoreError::Damaged(_)
            | StoreError::Database(_) => Self::Store(m),
        }
    }
}

impl From<PhraseError> for WalletError {
    fn from(e: PhraseError) -> Self {
        let m = e.to_string();
        match e {
            PhraseError::SeedLength { .. } | PhraseError::SeedNotHex => Self::InvalidSeed(m),
            PhraseError::Randomness => Self::Randomness(m),
            PhraseError::Empty
            | PhraseError::UnknownWord { .. }
            | PhraseError::InvisibleCharacter { .. }
            | PhraseError::WrongWordCount { .. }
            | PhraseError::BadChecksum
            | PhraseError::EntropyLength { .. } => Self::InvalidPhrase(m),
        }
    }
}

impl From<KeyError> for WalletError {
    fn from(e: KeyError) -> Self {
        match e {
            KeyError::SeedLength { .. } => Self::InvalidSeed(e.to_string()),
            KeyError::IndexTooLarge { .. }
            | KeyError::InvalidCommitmentKey(_)
            | KeyError::NotAScalar
            | KeyError::NoCredentialForCounter { .. }
            | KeyError::InvalidAddress => Self::KeyDerivation(e.to_string()),
        }
    }
}

impl From<RecoveryError> for WalletError {
    fn from(e: RecoveryError) -> Self {
        match e {
            RecoveryError::Lookup(LookupError::Cancelled) => {
                Self::Cancelled(BackupError::Cancelled.to_string())
            }
            RecoveryError::Lookup(l @ LookupError::Failed(_)) => Self::LookupFailed(l.to_string()),
            RecoveryError::Key(k) => k.into(),
        }
    }
}

impl From<WrongStep> for WalletError {
    fn from(e: WrongStep) -> Self {
        Self::InvalidParameters(e.to_string())
    }
}

/// The [`WalletError`] kind of a Ledger failure during a recovery or a Desktop Wallet import, so an
/// app can tell "unlock your Ledger" from "rejected on the device" without reading the message.
/// Every variant is named: a new [`LedgerError`] does not compile until it is given its kind here.
fn ledger_error(e: LedgerError) -> WalletError {
    let m = e.to_string();
    match e {
        LedgerError::NoDevice => WalletError::LedgerNotConnected(m),
        LedgerError::AmbiguousDevice { .. } => WalletError::LedgerNotConnected(m),
        LedgerError::DeviceNotFound { .. } => WalletError::LedgerNotConnected(m),
        LedgerError::Connection(_) => WalletError::LedgerNotConnected(m),
        LedgerError::Framing(_) => WalletError::LedgerNotConnected(m),
        LedgerError::HidUnavailable => WalletError::LedgerNotConnected(m),
        LedgerError::Locked => WalletError::LedgerLocked(m),
        LedgerError::OtherAppOpen { .. } => WalletError::LedgerAppNotOpen(m),
        LedgerError::Rejected => WalletError::LedgerRejected(m),
        LedgerError::AppClosed { .. } => WalletError::LedgerAppClosed(m),
        LedgerError::Timeout { .. } => WalletError::LedgerTimeout(m),
        LedgerError::UnsupportedByApp { .. } => WalletError::LedgerUnsupported(m),
        LedgerError::UnsupportedAppVersion { .. } => WalletError::LedgerUnsupported(m),
        LedgerError::Status { .. } => WalletError::LedgerFailed(m),
        LedgerError::BadReply(_) => WalletError::LedgerFailed(m),
        LedgerError::BadSignature => WalletError::LedgerFailed(m),
        LedgerError::InvalidRequest(_) => WalletError::LedgerFailed(m),
    }
}

impl From<DesktopLedgerError> for WalletError {
    fn from(e: DesktopLedgerError) -> Self {
        match e {
            DesktopLedgerError::OtherLedger { .. } => Self::OtherLedger(e.to_string()),
            DesktopLedgerError::Ledger(l) => ledger_error(l),
            DesktopLedgerError::Key(k) => k.into(),
        }
    }
}

impl From<LedgerRecoveryError> for WalletError {
    fn from(e: LedgerRecoveryError) -> Self {
        match e {
            LedgerRecoveryError::Ledger(l) => ledger_error(l),
            LedgerRecoveryError::Recovery(r) => r.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::hid_framing::FramingError;
    use crate::ledger::StatusWord;

    /// The kind of a [`WalletError`], by variant name.
    fn kind(e: &WalletError) -> &'static str {
        match e {
            WalletError::LedgerNotConnected(_) => "LedgerNotConnected",
            WalletError::LedgerLocked(_) => "LedgerLocked",
            WalletError::LedgerAppNotOpen(_) => "LedgerAppNotOpen",
            WalletError::LedgerRejected(_) => "LedgerRejected",
            WalletError::LedgerAppClosed(_) => "LedgerAppClosed",
            WalletError::LedgerTimeout(_) => "LedgerTimeout",
            WalletError::LedgerUnsupported(_) => "LedgerUnsupported",
            WalletError::LedgerFailed(_) => "LedgerFailed",
            _ => "other",
        }
    }

    /// Every [`LedgerError`] variant, with the [`WalletError`] kind it becomes.
    fn table() -> Vec<(LedgerError, &'static str)> {
        vec![
            (LedgerError::NoDevice, "LedgerNotConnected"),
            (
                LedgerError::AmbiguousDevice {
                    count: 2,
                    devices: "0001, 0002".into(),
                },
                "LedgerNotConnected",
            ),
            (
                LedgerError::DeviceNotFound {
                    selector: "0003".into(),
                },
                "LedgerNotConnected",
            ),
            (
                LedgerError::Connection("connection refused".into()),
                "LedgerNotConnected",
            ),
            (
                LedgerError::Framing(FramingError::WrongTag(7)),
                "LedgerNotConnected",
            ),
            (LedgerError::HidUnavailable, "LedgerNotConnected"),
            (LedgerError::Locked, "LedgerLocked"),
            (
                LedgerError::OtherAppOpen {
                    app: "the dashboard".into(),
                },
                "LedgerAppNotOpen",
            ),
            (LedgerError::Rejected, "LedgerRejected"),
            (
                LedgerError::AppClosed {
                    operation: "a key export".into(),
                },
                "LedgerAppClosed",
            ),
            (
                LedgerError::Timeout {
                    seconds: 60,
                    hint: "",
                },
                "LedgerTimeout",
            ),
            (
                LedgerError::UnsupportedByApp {
                    version: "5.1.3".into(),
                    what: "export".into(),
                },
                "LedgerUnsupported",
            ),
            (
                LedgerError::UnsupportedAppVersion {
                    version: "1.0.0".into(),
                },
                "LedgerUnsupported",
            ),
            (
                LedgerError::Status {
                    status: StatusWord::InvalidPath,
                    operation: "export".into(),
                },
                "LedgerFailed",
            ),
            (LedgerError::BadReply("short".into()), "LedgerFailed"),
            (LedgerError::BadSignature, "LedgerFailed"),
            (
                LedgerError::InvalidRequest("index 2^31".into()),
                "LedgerFailed",
            ),
        ]
    }

    #[test]
    fn every_ledger_error_has_its_kind_and_keeps_its_message() {
        // The table names every variant: this match fails to compile when one is added.
        for (e, _) in table() {
            match e {
                LedgerError::NoDevice
                | LedgerError::AmbiguousDevice { .. }
                | LedgerError::DeviceNotFound { .. }
                | LedgerError::Locked
                | LedgerError::OtherAppOpen { .. }
                | LedgerError::AppClosed { .. }
                | LedgerError::Rejected
                | LedgerError::Timeout { .. }
                | LedgerError::Status { .. }
                | LedgerError::UnsupportedByApp { .. }
                | LedgerError::UnsupportedAppVersion { .. }
                | LedgerError::BadReply(_)
                | LedgerError::BadSignature
                | LedgerError::Framing(_)
                | LedgerError::Connection(_)
                | LedgerError::InvalidRequest(_)
                | LedgerError::HidUnavailable => {}
            }
        }
        let names: std::collections::BTreeSet<&str> =
            table().iter().map(|(e, _)| e.into()).collect();
        assert_eq!(names.len(), table().len(), "each LedgerError variant once");
        for (e, want) in table() {
            let message = e.to_string();
            let name: &'static str = (&e).into();
            let recovery = WalletError::from(LedgerRecoveryError::Ledger(e.clone()));
            assert_eq!(kind(&recovery), want, "recovery: {name}");
            assert_eq!(recovery.to_string(), message, "recovery: {name}");
            let desktop = WalletError::from(DesktopLedgerError::Ledger(e));
            assert_eq!(kind(&desktop), want, "desktop import: {name}");
            assert_eq!(desktop.to_string(), message, "desktop import: {name}");
        }
    }
}
