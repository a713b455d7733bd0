//! [`WalletError`], the one error of the wallet calls in the bindings, and every conversion of a
//! domain error into it. Each domain variant is mapped by name, so a new variant in a domain
//! error does not compile until it is given its FFI kind here.

use crate::desktop_export::DesktopLedgerError;
use crate::error::{capped, BackupError, MAX_MESSAGE_CHARS};
use crate::flow::WrongStep;
use crate::keys::KeyError;
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
    /// The Ledger refused or failed during a recovery or a Desktop Wallet import (locked, request
    /// rejected on the device, another app open, app release too old, connection lost); the
    /// message says which and what to do. Nothing was changed.
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

impl From<DesktopLedgerError> for WalletError {
    fn from(e: DesktopLedgerError) -> Self {
        match e {
            DesktopLedgerError::OtherLedger { .. } => Self::OtherLedger(e.to_string()),
            DesktopLedgerError::Ledger(l) => Self::LedgerFailed(l.to_string()),
            DesktopLedgerError::Key(k) => k.into(),
        }
    }
}

impl From<LedgerRecoveryError> for WalletError {
    fn from(e: LedgerRecoveryError) -> Self {
        match e {
            LedgerRecoveryError::Ledger(l) => Self::LedgerFailed(l.to_string()),
            LedgerRecoveryError::Recovery(r) => r.into(),
        }
    }
}
