//! The command line's errors: one line on stderr, a kind and message in JSON with `--json`, and
//! an exit code (README, Command line).

use wallet_core::ledger::LedgerError;
use wallet_core::recovery::{LookupError, RecoveryError};
use wallet_core::store::StoreError;
use wallet_core::BackupError;

/// Errors of the command line: the library's, plus files, usage and invalid input.
pub enum CliError {
    Backup(BackupError),
    Io(String),
    Usage(String),
    /// Input that is not valid (a recovery phrase, a seed).
    Input(String),
    /// Invalid input whose details were already printed on stdout (as JSON with --json).
    Reported(String),
    /// The wallet store.
    Store(StoreError),
    /// An input larger than its cap (a backup, a password or phrase file, stdin).
    TooLarge(String),
    /// A Ledger or its transport.
    Ledger(LedgerError),
}

impl From<BackupError> for CliError {
    fn from(e: BackupError) -> Self {
        Self::Backup(e)
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Backup(b) => CliError::Backup(b),
            other => CliError::Store(other),
        }
    }
}

impl From<LedgerError> for CliError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::InvalidRequest(m) => CliError::Usage(m),
            other => CliError::Ledger(other),
        }
    }
}

impl From<RecoveryError> for CliError {
    fn from(e: RecoveryError) -> Self {
        match e {
            RecoveryError::Lookup(LookupError::Cancelled) => {
                CliError::Backup(BackupError::Cancelled)
            }
            RecoveryError::Lookup(l) => {
                CliError::Io(format!("{l} Nothing was changed; run it again"))
            }
            RecoveryError::Key(k) => CliError::Input(k.to_string()),
        }
    }
}

impl CliError {
    /// The one-line message for stderr and the JSON `"message"`.
    pub fn message(&self) -> String {
        match self {
            Self::Backup(e) => e.to_string(),
            Self::Io(m)
            | Self::Usage(m)
            | Self::Input(m)
            | Self::Reported(m)
            | Self::TooLarge(m) => m.clone(),
            Self::Store(e) => e.to_string(),
            Self::Ledger(e) => e.to_string(),
        }
    }

    /// Exit codes (documented in the README).
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            Self::Backup(BackupError::WrongPassword | BackupError::WrongPasswordOrDamaged) => 3,
            Self::Backup(BackupError::PasswordTooShort { .. } | BackupError::PasswordNotText) => 2,
            Self::Backup(BackupError::Cancelled) => 130,
            Self::Store(StoreError::WrongStorageKey) => 3,
            Self::Store(StoreError::IsADirectory) => 2,
            Self::Io(_) | Self::Store(StoreError::Io(_)) => 5,
            Self::Ledger(_) => 6,
            Self::Backup(_)
            | Self::Input(_)
            | Self::Reported(_)
            | Self::Store(_)
            | Self::TooLarge(_) => 4,
        }
    }

    /// The error's name in the JSON `"kind"`: the library error's variant name (strum's
    /// `IntoStaticStr`), or the command line's own.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Backup(e) => e.into(),
            Self::Io(_) => "Io",
            Self::Usage(_) => "Usage",
            Self::Input(_) | Self::Reported(_) => "InvalidInput",
            Self::TooLarge(_) => "FileTooLarge",
            Self::Store(e) => e.into(),
            Self::Ledger(e) => e.into(),
        }
    }
}
