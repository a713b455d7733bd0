//! The UniFFI surface: the only module that knows about the bindings.
//!
//! It maps the domain types to FFI records and objects and does nothing else. Rules kept here:
//! - secrets (passwords, decrypted wallet JSON) cross as bytes (`ByteArray` / `Data`) so the
//!   platform can wipe its copy; the bytes we receive are wiped as soon as they are copied;
//! - every call that can fail returns [`WalletError`], whose Kotlin `message` and Swift
//!   description are the human sentence (a flat error: see docs/references.md §E);
//! - long calls (key derivation) take an optional [`ProgressListener`] and [`CancelToken`].

mod desktop_import;
mod flow;
mod ledger;
mod ledger_recovery;
mod logging;
mod pending_import;
mod recovery;
mod restore;
mod store;

pub use desktop_import::*;
pub use flow::*;
pub use ledger::*;
pub use ledger_recovery::*;
pub use logging::*;
pub use pending_import::*;
pub use recovery::*;
pub use restore::*;
pub use store::*;

use std::sync::Arc;

use zeroize::Zeroize;

use crate::error::{capped, BackupError, MAX_MESSAGE_CHARS};
use crate::format::{self, BackupFormat, ExportOptions, FileKind, OpenOptions};
use crate::kdf::{CancelFlag, KdfObserver};
use crate::model::WalletData;
use crate::password::{self, Password};

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
    /// The operation was cancelled through its [`CancelToken`].
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

/// Receives key-derivation progress, for a progress bar. Called on the calling thread, about
/// 75 times for a 600,000-iteration derivation. It must return quickly and must not throw: an
/// exception thrown here cannot be mapped to a `WalletException` and ends the call with an
/// internal error. To stop the operation, use a [`CancelToken`].
#[uniffi::export(foreign)]
pub trait ProgressListener: Send + Sync {
    /// `done` of `total` key-derivation steps are complete.
    fn on_progress(&self, done: u32, total: u32);
}

/// Cancels a running export or import from another thread.
#[derive(uniffi::Object, Default)]
pub struct CancelToken(CancelFlag);

#[uniffi::export]
impl CancelToken {
    /// A token that is not cancelled.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }
    /// Asks the operation using this token to stop; it fails with `Cancelled` within a few ms.
    pub fn cancel(&self) {
        self.0.cancel();
    }
    /// True once [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

pub(crate) struct Observer {
    pub(crate) listener: Option<Arc<dyn ProgressListener>>,
    pub(crate) cancel: Option<Arc<CancelToken>>,
}

impl Observer {
    /// True when the caller cancelled.
    pub(crate) fn is_cancelled_now(&self) -> bool {
        KdfObserver::is_cancelled(self)
    }
}

impl KdfObserver for Observer {
    fn on_progress(&self, done: u32, total: u32) {
        if let Some(l) = &self.listener {
            l.on_progress(done, total);
        }
    }
    fn is_cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.is_cancelled())
    }
}

/// Takes the password bytes and wipes the FFI copy.
pub(crate) fn take_password(mut bytes: Vec<u8>) -> Result<Password, WalletError> {
    let p = Password::from_bytes(&bytes);
    bytes.zeroize();
    Ok(p?)
}

/// The formats a backup can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ExportFormat {
    /// Our authenticated AES-256-GCM format (the default).
    Ours,
    /// Concordium's legacy `.concordiumwallet` format, for moving to another Concordium wallet.
    Legacy,
}

/// What kind of file a backup is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum BackupKind {
    /// Our authenticated backup format.
    Ours,
    /// A legacy `.concordiumwallet` mobile export.
    LegacyMobile,
    /// A Concordium Desktop Wallet export (legacy envelope).
    LegacyDesktop,
}

impl From<FileKind> for BackupKind {
    fn from(k: FileKind) -> Self {
        match k {
            FileKind::Ours => Self::Ours,
            FileKind::LegacyMobile => Self::LegacyMobile,
            FileKind::LegacyDesktop => Self::LegacyDesktop,
        }
    }
}

/// How to write a backup.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ExportSettings {
    /// The format.
    pub format: ExportFormat,
    /// PBKDF2 iterations; `null`/`nil` for the default (600,000 ours, 100,000 legacy).
    #[uniffi(default = None)]
    pub iterations: Option<u32>,
}

impl From<ExportSettings> for ExportOptions {
    fn from(s: ExportSettings) -> Self {
        Self {
            format: match s.format {
                ExportFormat::Ours => BackupFormat::Ours,
                ExportFormat::Legacy => BackupFormat::Legacy,
            },
            iterations: s.iterations,
        }
    }
}

/// What a file shows without its password.
#[derive(Debug, Clone, uniffi::Record)]
pub struct BackupInfo {
    /// The kind of file.
    pub kind: BackupKind,
    /// A description for people.
    pub description: String,
    /// Our format's version (`null` for legacy files).
    pub format_version: Option<u64>,
    /// The encryption method as written in the file.
    pub encryption_method: String,
    /// The key-derivation method as written in the file.
    pub key_derivation_method: String,
    /// PBKDF2 iterations, as written in the file.
    pub iterations: u64,
    /// The network, when the format shows it without a password (`mainnet`, `testnet`, `stagenet`).
    pub network: Option<String>,
    /// The file size in bytes.
    pub file_size: u64,
    /// Our format: the checksum matched. Legacy files have no checksum (`null`).
    pub intact: Option<bool>,
    /// The key derivation is cheaper than new files get; re-export to strengthen it.
    pub weak_key_derivation: bool,
    /// The file is within the import limits.
    pub within_limits: bool,
}

/// Tells what a file is and what it shows without a password. Runs no key derivation.
#[uniffi::export]
pub fn inspect_backup(file: Vec<u8>) -> Result<BackupInfo, WalletError> {
    let i = format::inspect(&file)?;
    Ok(BackupInfo {
        kind: i.kind.into(),
        description: i.kind.describe().into(),
        format_version: i.format_version,
        encryption_method: i.encryption_method,
        key_derivation_method: i.key_derivation_method,
        iterations: i.iterations,
        network: i.environment.map(|e| e.to_string()),
        file_size: i.file_size,
        intact: i.intact,
        weak_key_derivation: i.weak_key_derivation,
        within_limits: i.within_limits,
    })
}

/// An account as shown in lists (no keys).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AccountSummary {
    /// The account's name.
    pub name: String,
    /// The account address.
    pub address: String,
}

/// An identity as shown in lists (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IdentitySummary {
    /// The identity's nickname.
    pub name: String,
    /// The identity provider's name, when known.
    pub provider_name: Option<String>,
    /// The identity provider's `ipIdentity`, when known.
    pub provider_id: Option<u64>,
    /// The identity's accounts.
    pub accounts: Vec<AccountSummary>,
}

/// An address-book entry.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Contact {
    /// The contact's name.
    pub name: String,
    /// The contact's account address.
    pub address: String,
}

/// What a wallet holds, without any secret.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WalletSummary {
    /// The network (`mainnet`, `testnet`, `stagenet`, …), or `null` for old files without one.
    pub network: Option<String>,
    /// Identities with their accounts.
    pub identities: Vec<IdentitySummary>,
    /// The address book.
    pub address_book: Vec<Contact>,
    /// Number of identities.
    pub identity_count: u32,
    /// Number of accounts over all identities.
    pub account_count: u32,
    /// Number of address-book entries.
    pub contact_count: u32,
}

/// Summarises wallet data without touching its secrets.
pub fn summarize(d: &WalletData) -> WalletSummary {
    WalletSummary {
        network: d.environment.map(|e| e.to_string()),
        identities: d
            .value
            .identities
            .iter()
            .map(|i| IdentitySummary {
                name: i.name.clone(),
                provider_name: i.provider_name().map(str::to_string),
                provider_id: i.provider_id(),
                accounts: i
                    .accounts
                    .iter()
                    .map(|a| AccountSummary {
                        name: a.name.clone(),
                        address: a.address.clone(),
                    })
                    .collect(),
            })
            .collect(),
        address_book: d
            .value
            .recipients
            .iter()
            .map(|r| Contact {
                name: r.name.clone(),
                address: r.address.clone(),
            })
            .collect(),
        identity_count: d.value.identities.len() as u32,
        account_count: d.account_count() as u32,
        contact_count: d.value.recipients.len() as u32,
    }
}

/// Wallet data held in Rust memory (secrets never leave it unless asked for), opened from a
/// backup or built from wallet JSON.
#[derive(uniffi::Object)]
pub struct WalletBackup {
    data: WalletData,
    source: Option<(FileKind, u32)>,
}

#[uniffi::export]
impl WalletBackup {
    /// Builds from wallet JSON in Concordium's `concordium-mobile-wallet-data` v1 schema.
    /// The given bytes are wiped.
    #[uniffi::constructor]
    pub fn from_wallet_json(mut json: Vec<u8>) -> Result<Arc<Self>, WalletError> {
        let data = WalletData::from_json(&json);
        json.zeroize();
        Ok(Arc::new(Self {
            data: data?,
            source: None,
        }))
    }

    /// What the wallet holds, without secrets.
    pub fn summary(&self) -> WalletSummary {
        summarize(&self.data)
    }

    /// The kind of file this was opened from (`null` when built from JSON).
    pub fn source_kind(&self) -> Option<BackupKind> {
        self.source.map(|(k, _)| k.into())
    }

    /// The PBKDF2 iterations of the file this was opened from (`null` when built from JSON).
    /// Below 600,000 the app should offer to re-export with a stronger setting.
    pub fn source_iterations(&self) -> Option<u32> {
        self.source.map(|(_, n)| n)
    }

    /// The wallet as JSON (Concordium's mobile schema), **including private keys**. The caller
    /// owns the bytes and must wipe them (`fill(0)`) after use.
    pub fn wallet_json(&self) -> Vec<u8> {
        self.data.to_json().to_vec()
    }

    /// Writes an encrypted backup. The password bytes are wiped; it needs at least 6 characters.
    pub fn export(
        &self,
        password: Vec<u8>,
        settings: ExportSettings,
        listener: Option<Arc<dyn ProgressListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Vec<u8>, WalletError> {
        let password = take_password(password)?;
        Ok(format::export(
            &self.data,
            &password,
            &settings.into(),
            &Observer { listener, cancel },
        )?)
    }
}

/// Opens (decrypts) a backup in our format or the legacy `.concordiumwallet` format.
/// The password bytes are wiped. Fails with a typed error, never a crash.
#[uniffi::export]
pub fn open_backup(
    file: Vec<u8>,
    password: Vec<u8>,
    listener: Option<Arc<dyn ProgressListener>>,
    cancel: Option<Arc<CancelToken>>,
) -> Result<Arc<WalletBackup>, WalletError> {
    let password = take_password(password)?;
    let opened = format::open(
        &file,
        &password,
        &OpenOptions::default(),
        &Observer { listener, cancel },
    )?;
    Ok(Arc::new(WalletBackup {
        data: opened.data,
        source: Some((opened.kind, opened.iterations)),
    }))
}

/// A password's strength, for the export screen.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PasswordCheck {
    /// The password has at least [`min_password_length`] characters.
    pub meets_minimum: bool,
    /// zxcvbn score, 0 (weakest) to 4.
    pub score: u8,
    /// log10 of the estimated guesses needed.
    pub guesses_log10: f64,
    /// Expected seconds for one RTX 4090 to guess it at `iterations`.
    pub seconds_to_guess_one_gpu: f64,
    /// The same for 100 GPUs.
    pub seconds_to_guess_100_gpus: f64,
    /// The one-GPU time in words ("3 hours").
    pub time_to_guess: String,
    /// A warning to show, if any.
    pub warning: Option<String>,
    /// Suggestions for a stronger password.
    pub suggestions: Vec<String>,
}

/// Rates a password for a backup written with `iterations` PBKDF2 iterations (use
/// [`default_iterations`]). The password bytes are wiped.
#[uniffi::export]
pub fn check_password(password: Vec<u8>, iterations: u32) -> Result<PasswordCheck, WalletError> {
    let password = take_password(password)?;
    Ok(password::estimate_strength(&password, iterations).into())
}

impl From<password::PasswordStrength> for PasswordCheck {
    fn from(s: password::PasswordStrength) -> Self {
        Self {
            meets_minimum: s.meets_minimum,
            score: s.score,
            guesses_log10: s.guesses_log10,
            seconds_to_guess_one_gpu: s.seconds_to_guess_one_gpu,
            seconds_to_guess_100_gpus: s.seconds_to_guess_100_gpus,
            time_to_guess: password::human_duration(s.seconds_to_guess_one_gpu),
            warning: s.warning,
            suggestions: s.suggestions,
        }
    }
}

/// The PBKDF2 iterations new backups get in our format (600,000).
#[uniffi::export]
pub fn default_iterations() -> u32 {
    format::ours::DEFAULT_ITERATIONS
}

/// The fewest characters a backup password may have (6).
#[uniffi::export]
pub fn min_password_length() -> u32 {
    password::MIN_PASSWORD_CHARS as u32
}
