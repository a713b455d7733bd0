//! Why a step of a flow did not go ahead: a kind a shell can translate, and an English sentence.

use crate::error::BackupError;
use crate::network::Network;
use crate::store::StoreError;

/// What went wrong, as data: a shell that translates picks its own sentence by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The storage key does not unlock this wallet.
    WrongStorageKey,
    /// The storage key is not 32 bytes (the platform returned something else).
    StorageKeyInvalid,
    /// The new password is shorter than `min` characters.
    PasswordTooShort {
        /// The fewest characters allowed.
        min: u32,
    },
    /// The password and its confirmation differ.
    PasswordsDiffer,
    /// The password bytes are not UTF-8 text.
    PasswordNotText,
    /// The password does not open this file (our format tells this apart from damage).
    WrongPassword,
    /// A legacy file did not decrypt: wrong password or damaged file (that format cannot tell).
    WrongPasswordOrDamaged,
    /// The file was damaged or changed after it was written.
    Damaged,
    /// Not a wallet backup file at all.
    NotABackup,
    /// Some other Concordium document.
    NotAWalletBackup,
    /// A Concordium Desktop Wallet export: its keys live on a Ledger.
    DesktopWalletExport,
    /// A format or wallet-data version this app does not read.
    UnsupportedVersion {
        /// The version in the file.
        found: u64,
        /// The version this app reads.
        supported: u64,
    },
    /// An encryption method this app does not implement.
    UnsupportedEncryption,
    /// The file's key-derivation parameters are outside the accepted range.
    ParamsOutOfRange,
    /// The file is larger than a backup may be.
    FileTooLarge {
        /// Its size in bytes.
        size: u64,
        /// The cap in bytes.
        max: u64,
    },
    /// The file decrypted but its wallet data is invalid.
    PayloadInvalid,
    /// The backup is for a network this wallet cannot take.
    NetworkMismatch {
        /// The wallet's network.
        wallet: Network,
        /// The backup's network.
        file: Network,
    },
    /// The wallet changed between the review and the confirmation; the review was made again.
    WalletChanged,
    /// The person cancelled.
    Cancelled,
    /// The wallet store could not be read or written.
    Store,
    /// Anything else (the system's random generator failed, an invalid request).
    Other,
}

/// A problem: its kind and an English sentence to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What went wrong.
    pub kind: ProblemKind,
    /// An English sentence for people; never contains a password, a key or wallet content.
    pub text: String,
}

impl Problem {
    /// A problem with its own sentence.
    pub fn new(kind: ProblemKind, text: impl Into<String>) -> Self {
        Self {
            kind,
            text: text.into(),
        }
    }

    /// The password and its confirmation differ.
    pub fn passwords_differ() -> Self {
        Self::new(
            ProblemKind::PasswordsDiffer,
            "The two passwords are not the same.",
        )
    }

    /// The review was made again because the wallet changed.
    pub fn wallet_changed() -> Self {
        Self::new(
            ProblemKind::WalletChanged,
            "The wallet changed while you were reviewing this import. Here is the review again, \
             for the wallet as it is now.",
        )
    }
}

impl From<BackupError> for Problem {
    fn from(e: BackupError) -> Self {
        let text = e.to_string();
        let kind = match e {
            BackupError::PasswordTooShort { min } => ProblemKind::PasswordTooShort {
                min: u32::try_from(min).unwrap_or(u32::MAX),
            },
            BackupError::PasswordNotText => ProblemKind::PasswordNotText,
            BackupError::WrongPassword => ProblemKind::WrongPassword,
            BackupError::WrongPasswordOrDamaged => ProblemKind::WrongPasswordOrDamaged,
            BackupError::Damaged(_) => ProblemKind::Damaged,
            BackupError::NotABackup(_) => ProblemKind::NotABackup,
            BackupError::NotAWalletBackup(_) => ProblemKind::NotAWalletBackup,
            BackupError::DesktopWalletExport => ProblemKind::DesktopWalletExport,
            BackupError::UnsupportedVersion {
                found, supported, ..
            } => ProblemKind::UnsupportedVersion { found, supported },
            BackupError::UnsupportedEncryption(_) => ProblemKind::UnsupportedEncryption,
            BackupError::ParamsOutOfRange(_) => ProblemKind::ParamsOutOfRange,
            BackupError::FileTooLarge { size, max } => ProblemKind::FileTooLarge { size, max },
            BackupError::PayloadInvalid(_) => ProblemKind::PayloadInvalid,
            BackupError::Cancelled => ProblemKind::Cancelled,
            BackupError::MissingEnvironment
            | BackupError::InvalidParameters(_)
            | BackupError::Randomness => ProblemKind::Other,
        };
        Self { kind, text }
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Self {
        let text = e.to_string();
        let kind = match e {
            StoreError::Backup(b) => return b.into(),
            StoreError::WrongStorageKey => ProblemKind::WrongStorageKey,
            StoreError::KeyLength { .. } | StoreError::NoPassphrase => {
                ProblemKind::StorageKeyInvalid
            }
            StoreError::NetworkMismatch { wallet, file } => {
                ProblemKind::NetworkMismatch { wallet, file }
            }
            StoreError::StalePlan => ProblemKind::WalletChanged,
            StoreError::UnknownNetwork
            | StoreError::PlanMismatch(_)
            | StoreError::AddressHasOtherName
            | StoreError::AccountExists
            | StoreError::InvalidAddress
            | StoreError::InvalidInput(_) => ProblemKind::Other,
            StoreError::NotFound
            | StoreError::IsADirectory
            | StoreError::Io(_)
            | StoreError::AlreadyExists
            | StoreError::NotAStore(_)
            | StoreError::NewerSchema { .. }
            | StoreError::Damaged(_)
            | StoreError::Database(_) => ProblemKind::Store,
        };
        Self { kind, text }
    }
}
