//! The export and import flows for the bindings: [`ExportFlow`] and [`ImportFlow`] objects over
//! [`crate::flow`], and the backup reminder ([`Wallet::backup_status`]).
//!
//! Each call returns the screen to show next. Calls on one flow run one at a time: while `run`
//! or `submit_password` derives a key, other calls on the same flow wait, so stop those with the
//! [`CancelToken`]. A call that does not fit the current screen fails with `InvalidParameters`
//! (a bug in the shell); everything the person can cause is a state with a [`FlowProblem`].

use std::sync::{Arc, Mutex, MutexGuard};

use zeroize::Zeroize;

use super::store::{summary_of, ImportSummary, Wallet};
use super::WalletError;
use super::{BackupKind, CancelToken, ExportSettings, Observer, PasswordCheck, ProgressListener};
use crate::flow::{self, text};
use crate::network::Network;
use crate::store::{self as domain_store, WalletStore};

/// Calls `f` with the bytes, then wipes them (passwords and storage keys from the platform).
fn wiped<T>(mut bytes: Vec<u8>, f: impl FnOnce(&[u8]) -> T) -> T {
    let out = f(&bytes);
    bytes.zeroize();
    out
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic inside a flow call leaves the flow in a consistent state (each step assigns its
    // new state last), so a poisoned lock is still usable.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What kind of problem stopped a step. A shell that translates picks its sentence by kind.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum FlowProblemKind {
    /// The storage key does not unlock this wallet.
    WrongStorageKey,
    /// The storage key is not 32 bytes.
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
    /// The password does not open this file.
    WrongPassword,
    /// A legacy file did not decrypt: wrong password or damaged (that format cannot tell).
    WrongPasswordOrDamaged,
    /// The file was damaged or changed after it was written.
    Damaged,
    /// Not a wallet backup file.
    NotABackup,
    /// Some other Concordium document.
    NotAWalletBackup,
    /// A Concordium Desktop Wallet export (its keys live on a Ledger).
    DesktopWalletExport,
    /// A version this app does not read.
    UnsupportedVersion {
        /// The version in the file.
        found: u64,
        /// The version this app reads.
        supported: u64,
    },
    /// An encryption method this app does not implement.
    UnsupportedEncryption,
    /// Key-derivation parameters outside the accepted range.
    ParamsOutOfRange,
    /// Larger than a backup may be.
    FileTooLarge {
        /// The size in bytes.
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
    /// The wallet changed between review and confirmation; the review was made again.
    WalletChanged,
    /// The person cancelled.
    Cancelled,
    /// The wallet store could not be read or written.
    Store,
    /// Anything else.
    Other,
}

/// Why a step did not go ahead: the kind, and an English sentence to show.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FlowProblem {
    /// What went wrong.
    pub kind: FlowProblemKind,
    /// An English sentence; never contains a password, a key or wallet content.
    pub text: String,
}

impl From<flow::Problem> for FlowProblem {
    fn from(p: flow::Problem) -> Self {
        use flow::ProblemKind as K;
        use FlowProblemKind as F;
        let kind = match p.kind {
            K::WrongStorageKey => F::WrongStorageKey,
            K::StorageKeyInvalid => F::StorageKeyInvalid,
            K::PasswordTooShort { min } => F::PasswordTooShort { min },
            K::PasswordsDiffer => F::PasswordsDiffer,
            K::PasswordNotText => F::PasswordNotText,
            K::WrongPassword => F::WrongPassword,
            K::WrongPasswordOrDamaged => F::WrongPasswordOrDamaged,
            K::Damaged => F::Damaged,
            K::NotABackup => F::NotABackup,
            K::NotAWalletBackup => F::NotAWalletBackup,
            K::DesktopWalletExport => F::DesktopWalletExport,
            K::UnsupportedVersion { found, supported } => {
                F::UnsupportedVersion { found, supported }
            }
            K::UnsupportedEncryption => F::UnsupportedEncryption,
            K::ParamsOutOfRange => F::ParamsOutOfRange,
            K::FileTooLarge { size, max } => F::FileTooLarge { size, max },
            K::PayloadInvalid => F::PayloadInvalid,
            K::NetworkMismatch { wallet, file } => F::NetworkMismatch { wallet, file },
            K::WalletChanged => F::WalletChanged,
            K::Cancelled => F::Cancelled,
            K::Store => F::Store,
            K::Other => F::Other,
        };
        Self { kind, text: p.text }
    }
}

fn problem(p: &Option<flow::Problem>) -> Option<FlowProblem> {
    p.clone().map(Into::into)
}

/// What a backup will hold (information screen) or holds (result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ExportContents {
    /// Identities.
    pub identities: u32,
    /// Accounts with keys (the ones a backup holds).
    pub accounts: u32,
    /// Accounts without keys, which no backup holds (found by a restore scan).
    pub read_only_accounts: u32,
    /// Address-book entries.
    pub contacts: u32,
}

impl From<flow::ExportContents> for ExportContents {
    fn from(c: flow::ExportContents) -> Self {
        Self {
            identities: c.identities,
            accounts: c.accounts,
            read_only_accounts: c.read_only_accounts,
            contacts: c.contacts,
        }
    }
}

/// The password screen's feedback on a password and its confirmation.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PasswordFeedback {
    /// Why it cannot be used yet (too short, the two differ, not text); `null` when it can.
    pub problem: Option<FlowProblem>,
    /// Strength and guess time at the export's key-derivation cost (`null` when not text).
    pub strength: Option<PasswordCheck>,
    /// zxcvbn score below 3: allowed, but show `weak_warning`.
    pub weak: bool,
    /// The warning for a weak password, with the time one GPU needs to guess it.
    pub weak_warning: Option<String>,
}

impl From<flow::PasswordFeedback> for PasswordFeedback {
    fn from(f: flow::PasswordFeedback) -> Self {
        Self {
            problem: f.problem.map(Into::into),
            strength: f.strength.map(Into::into),
            weak: f.weak,
            weak_warning: f.weak_warning,
        }
    }
}

/// The exported file: name, types and size (the bytes come from [`ExportFlow::file_bytes`]).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExportedFile {
    /// `concordium-backup-YYYYMMDD.wallet-backup` (UTC date; `.concordiumwallet` for legacy).
    pub file_name: String,
    /// The extension without the dot.
    pub extension: String,
    /// `application/octet-stream`.
    pub mime_type: String,
    /// `com.concordium.wallet-backup` (legacy: `com.concordium.id.concordiumwallet`).
    pub uti: String,
    /// The size in bytes.
    pub size: u64,
    /// What it holds.
    pub contents: ExportContents,
}

impl From<flow::ExportedFile> for ExportedFile {
    fn from(f: flow::ExportedFile) -> Self {
        Self {
            file_name: f.file_name,
            extension: f.file_type.extension.into(),
            mime_type: f.file_type.mime_type.into(),
            uti: f.file_type.uti.into(),
            size: f.size,
            contents: f.contents.into(),
        }
    }
}

/// The screen the export flow is on (docs/flows.md).
#[derive(Debug, Clone, uniffi::Enum)]
pub enum ExportState {
    /// Show the biometric or passcode prompt, then call `unlock` with the released storage key.
    Unlock {
        /// Why the last key was refused.
        problem: Option<FlowProblem>,
    },
    /// What the backup will hold and the warning; Continue calls `acknowledge`.
    Information {
        /// Counts.
        contents: ExportContents,
        /// Anyone with the file and its password can move the funds.
        warning: String,
    },
    /// The password, typed twice; `ratePassword` while typing, `setPassword` on Continue.
    ChoosePassword {
        /// Feedback on the last `setPassword` (`null` on arrival).
        feedback: Option<PasswordFeedback>,
    },
    /// Accepted; show the progress screen and call `run`.
    ReadyToExport {
        /// The accepted password's strength (a weak one is allowed, with its warning).
        feedback: PasswordFeedback,
    },
    /// The file is ready: `fileBytes`, then save or share, then `confirmSaved` on success.
    Finished {
        /// Name, types, size, counts.
        file: ExportedFile,
    },
    /// Saved or shared, and recorded for the backup reminder.
    Saved {
        /// Name, types, size, counts.
        file: ExportedFile,
        /// When, in seconds since the Unix epoch.
        at: i64,
    },
    /// Cancelled; nothing exported or recorded.
    Cancelled,
    /// Failed; start again from More.
    Failed {
        /// Why.
        problem: FlowProblem,
    },
}

impl From<&flow::ExportState> for ExportState {
    fn from(s: &flow::ExportState) -> Self {
        use flow::ExportState as S;
        match s {
            S::Unlock { problem: p } => Self::Unlock {
                problem: problem(p),
            },
            S::Information { contents, warning } => Self::Information {
                contents: (*contents).into(),
                warning: (*warning).into(),
            },
            S::ChoosePassword { feedback } => Self::ChoosePassword {
                feedback: feedback.clone().map(Into::into),
            },
            S::ReadyToExport { feedback } => Self::ReadyToExport {
                feedback: feedback.clone().into(),
            },
            S::Finished { file } => Self::Finished {
                file: file.clone().into(),
            },
            S::Saved { file, at } => Self::Saved {
                file: file.clone().into(),
                at: *at,
            },
            S::Cancelled => Self::Cancelled,
            S::Failed { problem } => Self::Failed {
                problem: problem.clone().into(),
            },
        }
    }
}

#[uniffi::export]
impl ExportState {
    /// The English default text of this screen (a shell may translate by state instead).
    pub fn text(&self) -> String {
        match self {
            Self::Unlock { problem: Some(p) } | Self::Failed { problem: p } => p.text.clone(),
            Self::Unlock { problem: None } => text::EXPORT_UNLOCK.into(),
            Self::Information { contents: c, .. } => {
                text::export_information(c.identities, c.accounts, c.contacts)
            }
            Self::ChoosePassword {
                feedback:
                    Some(PasswordFeedback {
                        problem: Some(p), ..
                    }),
            } => p.text.clone(),
            Self::ChoosePassword { .. } => {
                text::export_choose_password(crate::password::MIN_PASSWORD_CHARS as u32)
            }
            Self::ReadyToExport { feedback } => feedback
                .weak_warning
                .clone()
                .unwrap_or_else(|| text::EXPORT_READY.into()),
            Self::Finished { file } => text::export_finished(&file.file_name),
            Self::Saved { .. } => text::EXPORT_SAVED.into(),
            Self::Cancelled => text::EXPORT_CANCELLED.into(),
        }
    }
}

/// More → Export, screen by screen, over a [`Wallet`] (docs/flows.md). Holds the storage key
/// from `unlock` until `run` has read the wallet and the password from `setPassword` until `run`
/// has encrypted; wipes both at the end, on `cancel` and when closed.
#[derive(uniffi::Object)]
pub struct ExportFlow {
    wallet: Arc<Wallet>,
    flow: Mutex<flow::ExportFlow>,
}

#[uniffi::export]
impl ExportFlow {
    /// Starts an export of `wallet` in `settings.format` (normally `ExportFormat.OURS` with the
    /// default iterations), on the unlock screen.
    #[uniffi::constructor]
    pub fn new(wallet: Arc<Wallet>, settings: ExportSettings) -> Arc<Self> {
        Arc::new(Self {
            wallet,
            flow: Mutex::new(flow::ExportFlow::new(settings.into())),
        })
    }

    /// The current screen.
    pub fn state(&self) -> ExportState {
        lock(&self.flow).state().into()
    }

    /// Unlock screen: the storage key the biometric or passcode prompt released (32 bytes,
    /// wiped). A wrong key stays on this screen with `WrongStorageKey`.
    pub fn unlock(&self, storage_key: Vec<u8>) -> Result<ExportState, WalletError> {
        let store = self.wallet.store();
        let mut f = lock(&self.flow);
        Ok(wiped(storage_key, |k| f.unlock(store, k).map(Into::into))?)
    }

    /// Information screen: Continue.
    pub fn acknowledge(&self) -> Result<ExportState, WalletError> {
        Ok(lock(&self.flow).acknowledge()?.into())
    }

    /// Rates a password and its confirmation while the person types (changes nothing; both
    /// wiped).
    pub fn rate_password(&self, password: Vec<u8>, confirmation: Vec<u8>) -> PasswordFeedback {
        let iterations = lock(&self.flow).iterations();
        wiped(password, |p| {
            wiped(confirmation, |c| {
                match (
                    crate::password::Password::from_bytes(p),
                    crate::password::Password::from_bytes(c),
                ) {
                    (Ok(p), Ok(c)) => flow::export::password_feedback(&p, &c, iterations).into(),
                    (Err(e), _) | (_, Err(e)) => PasswordFeedback {
                        problem: Some(flow::Problem::from(e).into()),
                        strength: None,
                        weak: false,
                        weak_warning: None,
                    },
                }
            })
        })
    }

    /// Password screen: Continue. At least 6 characters and both the same → `ReadyToExport`
    /// (a weak password is allowed, with a warning); otherwise `ChoosePassword` with the reason.
    /// Both byte arrays are wiped.
    pub fn set_password(
        &self,
        password: Vec<u8>,
        confirmation: Vec<u8>,
    ) -> Result<ExportState, WalletError> {
        let mut f = lock(&self.flow);
        Ok(wiped(password, |p| {
            wiped(confirmation, |c| f.set_password(p, c).map(Into::into))
        })?)
    }

    /// One screen back: ready → password (wiped), password → information.
    pub fn back(&self) -> Result<ExportState, WalletError> {
        Ok(lock(&self.flow).back()?.into())
    }

    /// Progress screen: reads and encrypts the wallet (blocking: call it off the main thread).
    /// → `Finished`, or `Cancelled` when `cancel` fired (nothing kept), or `Failed`.
    pub fn run(
        &self,
        listener: Option<Arc<dyn ProgressListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<ExportState, WalletError> {
        let observer = Observer { listener, cancel };
        let mut f = lock(&self.flow);
        Ok(f.run(self.wallet.store(), &observer, flow::now_unix())?
            .into())
    }

    /// The file's bytes (encrypted; not secret), once `Finished` or `Saved`.
    pub fn file_bytes(&self) -> Result<Vec<u8>, WalletError> {
        Ok(lock(&self.flow).file_bytes()?.to_vec())
    }

    /// Call when the save or share target reported success: records the export for the backup
    /// reminder (`Wallet.backupStatus`) → `Saved`. Not after a cancelled share: an unsaved file
    /// is no backup. Calling it again changes nothing.
    pub fn confirm_saved(&self) -> Result<ExportState, WalletError> {
        let mut f = lock(&self.flow);
        Ok(f.confirm_saved(self.wallet.store(), flow::now_unix())?
            .into())
    }

    /// Leaves the flow: wipes the key, the password and the file → `Cancelled` (a saved export
    /// stays `Saved`). To stop a running `run`, use its `CancelToken`.
    pub fn cancel(&self) -> ExportState {
        lock(&self.flow).cancel().into()
    }
}

/// What a picked file shows before its password.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportFileFacts {
    /// Our format or a legacy mobile export.
    pub kind: BackupKind,
    /// The network, when the file shows it without a password (ours does).
    pub network: Option<Network>,
    /// PBKDF2 iterations (opening takes about this much work).
    pub iterations: u64,
    /// Cheaper key derivation than new files get.
    pub weak_key_derivation: bool,
}

/// The screen the import flow is on (docs/flows.md).
#[derive(Debug, Clone, uniffi::Enum)]
pub enum ImportState {
    /// The file cannot be imported; shown before any password when the file shows why.
    Rejected {
        /// Why (Desktop export, not a backup, unsupported version, damaged, other network…).
        problem: FlowProblem,
    },
    /// The file's password; after a wrong one, again (no need to pick the file again).
    EnterPassword {
        /// What the file shows.
        file: ImportFileFacts,
        /// Why the last password did not open it (`WrongPassword`, `WrongPasswordOrDamaged`).
        problem: Option<FlowProblem>,
        /// Wrong passwords so far.
        failed_attempts: u32,
    },
    /// The file names no network: ask which of `choices`, then call `chooseNetwork`.
    ChooseNetwork {
        /// The wallet's network.
        wallet_network: Network,
        /// The networks this wallet can take a backup of.
        choices: Vec<Network>,
    },
    /// Show the biometric or passcode prompt, then call `unlock` with the storage key.
    Unlock {
        /// Why the last key was refused.
        problem: Option<FlowProblem>,
    },
    /// "Review your import"; `confirm` applies exactly this.
    Review {
        /// What the import will do.
        summary: ImportSummary,
        /// `WalletChanged` when the review was made again because the wallet changed.
        problem: Option<FlowProblem>,
    },
    /// The report ("Ok, thanks"), equal to the review.
    Done {
        /// What the import did.
        summary: ImportSummary,
    },
    /// Cancelled; the wallet is unchanged.
    Cancelled,
    /// The wallet store failed; the wallet is unchanged.
    Failed {
        /// Why.
        problem: FlowProblem,
    },
}

fn outcome_summary(o: &flow::ImportOutcome) -> ImportSummary {
    summary_of(
        (o.wallet_network, o.file_network, o.network_assumed),
        &o.report,
    )
}

impl From<&flow::ImportState> for ImportState {
    fn from(s: &flow::ImportState) -> Self {
        use flow::ImportState as S;
        match s {
            S::Rejected { problem } => Self::Rejected {
                problem: problem.clone().into(),
            },
            S::EnterPassword {
                file,
                problem: p,
                failed_attempts,
            } => Self::EnterPassword {
                file: ImportFileFacts {
                    kind: file.kind.into(),
                    network: file.network,
                    iterations: file.iterations,
                    weak_key_derivation: file.weak_key_derivation,
                },
                problem: problem(p),
                failed_attempts: *failed_attempts,
            },
            S::ChooseNetwork {
                wallet_network,
                choices,
            } => Self::ChooseNetwork {
                wallet_network: *wallet_network,
                choices: choices.clone(),
            },
            S::Unlock { problem: p } => Self::Unlock {
                problem: problem(p),
            },
            S::Review {
                outcome,
                problem: p,
            } => Self::Review {
                summary: outcome_summary(outcome),
                problem: problem(p),
            },
            S::Done { outcome } => Self::Done {
                summary: outcome_summary(outcome),
            },
            S::Cancelled => Self::Cancelled,
            S::Failed { problem } => Self::Failed {
                problem: problem.clone().into(),
            },
        }
    }
}

/// (identities, accounts added or upgraded, contacts, writes) of a review or report.
fn summary_counts(s: &ImportSummary) -> (u32, u32, u32, u32) {
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    (
        n(s.identities_added.len()),
        n(s.accounts_added.len() + s.accounts_upgraded.len()),
        n(s.contacts_added.len()),
        s.change_count,
    )
}

#[uniffi::export]
impl ImportState {
    /// The English default text of this screen (a shell may translate by state instead).
    pub fn text(&self) -> String {
        match self {
            Self::Rejected { problem }
            | Self::Failed { problem }
            | Self::EnterPassword {
                problem: Some(problem),
                ..
            }
            | Self::Unlock {
                problem: Some(problem),
            }
            | Self::Review {
                problem: Some(problem),
                ..
            } => problem.text.clone(),
            Self::EnterPassword { problem: None, .. } => text::IMPORT_ENTER_PASSWORD.into(),
            Self::ChooseNetwork { .. } => text::IMPORT_CHOOSE_NETWORK.into(),
            Self::Unlock { problem: None } => text::IMPORT_UNLOCK.into(),
            Self::Review {
                summary,
                problem: None,
            } => {
                let (i, a, c, n) = summary_counts(summary);
                text::import_review(i, a, c, n)
            }
            Self::Done { summary } => {
                let (i, a, c, n) = summary_counts(summary);
                text::import_done(i, a, c, n)
            }
            Self::Cancelled => text::IMPORT_CANCELLED.into(),
        }
    }
}

/// More → Import (or a file shared to the app), screen by screen, over a picked file's bytes
/// and a [`Wallet`] (docs/flows.md). Holds the file until it is decrypted, the decrypted wallet
/// until it is imported and the storage key from `unlock` to the report; the password only
/// during `submitPassword`. Wipes them at the end, on `cancel` and when closed.
#[derive(uniffi::Object)]
pub struct ImportFlow {
    wallet: Arc<Wallet>,
    flow: Mutex<flow::ImportFlow>,
}

#[uniffi::export]
impl ImportFlow {
    /// Starts with the file's bytes and recognises the file at once: `EnterPassword`, or
    /// `Rejected` (a Desktop export, not a backup, an unsupported version, damaged, another
    /// network) before any password is asked. Runs no key derivation.
    #[uniffi::constructor]
    pub fn new(wallet: Arc<Wallet>, file: Vec<u8>) -> Arc<Self> {
        let flow = flow::ImportFlow::new(wallet.store(), file);
        Arc::new(Self {
            wallet,
            flow: Mutex::new(flow),
        })
    }

    /// The current screen.
    pub fn state(&self) -> ImportState {
        lock(&self.flow).state().into()
    }

    /// Password screen: decrypts the file (blocking: call it off the main thread; the bytes are
    /// wiped). A wrong password → `EnterPassword` again with the reason; then `ChooseNetwork` or
    /// `Unlock`; `Rejected` for a damaged file; `Cancelled` when `cancel` fired.
    pub fn submit_password(
        &self,
        password: Vec<u8>,
        listener: Option<Arc<dyn ProgressListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<ImportState, WalletError> {
        let observer = Observer { listener, cancel };
        let mut f = lock(&self.flow);
        Ok(wiped(password, |p| {
            f.submit_password(p, &observer).map(Into::into)
        })?)
    }

    /// Network screen: the network the file was made for, one of the offered `choices`.
    pub fn choose_network(&self, network: Network) -> Result<ImportState, WalletError> {
        Ok(lock(&self.flow).choose_network(network)?.into())
    }

    /// Unlock screen: the storage key the prompt released (32 bytes, wiped) → `Review`. A wrong
    /// key stays on this screen with `WrongStorageKey`.
    pub fn unlock(&self, storage_key: Vec<u8>) -> Result<ImportState, WalletError> {
        let store = self.wallet.store();
        let mut f = lock(&self.flow);
        Ok(wiped(storage_key, |k| f.unlock(store, k).map(Into::into))?)
    }

    /// Review screen: imports exactly what the review shows, in one transaction → `Done` (equal
    /// to the review). If the wallet changed since, → `Review` again with `WalletChanged`.
    pub fn confirm(&self) -> Result<ImportState, WalletError> {
        Ok(lock(&self.flow).confirm(self.wallet.store())?.into())
    }

    /// Leaves the flow: wipes the file, the decrypted wallet and the key → `Cancelled` (a
    /// finished import stays `Done`, a refused file `Rejected`). To stop a running
    /// `submitPassword`, use its `CancelToken`.
    pub fn cancel(&self) -> ImportState {
        lock(&self.flow).cancel().into()
    }
}

/// Items added and removed since the last export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ItemChanges {
    /// In the wallet now, not in the last backup.
    pub added: u32,
    /// In the last backup, not in the wallet now.
    pub removed: u32,
}

impl From<domain_store::backup_status::Change> for ItemChanges {
    fn from(c: domain_store::backup_status::Change) -> Self {
        Self {
            added: c.added,
            removed: c.removed,
        }
    }
}

/// Why a backup is or is not due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum BackupDue {
    /// Never exported, and the wallet holds an identity or an account with keys.
    NeverExported,
    /// Identities, accounts or contacts were added or removed since the last export.
    ChangedSinceExport,
    /// The last export holds everything.
    UpToDate,
    /// Never exported, and nothing a backup would protect yet.
    NothingToBackUp,
}

/// For the More screen: is a backup due?
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupStatus {
    /// When an export was last saved or shared (seconds since the Unix epoch); `null`: never.
    pub last_export_at: Option<i64>,
    /// Identities added and removed since.
    pub identities: ItemChanges,
    /// Accounts with keys added and removed since.
    pub accounts: ItemChanges,
    /// Address-book entries added and removed since.
    pub contacts: ItemChanges,
    /// True when the app should recommend a backup (`NeverExported` or `ChangedSinceExport`).
    pub due: bool,
    /// Why.
    pub reason: BackupDue,
    /// An English sentence for the More screen.
    pub text: String,
}

impl From<domain_store::BackupStatus> for BackupStatus {
    fn from(s: domain_store::BackupStatus) -> Self {
        use domain_store::BackupDue as D;
        Self {
            last_export_at: s.last_export_at,
            identities: s.changes.identities.into(),
            accounts: s.changes.accounts.into(),
            contacts: s.changes.contacts.into(),
            due: s.due.is_due(),
            reason: match s.due {
                D::NeverExported => BackupDue::NeverExported,
                D::ChangedSinceExport => BackupDue::ChangedSinceExport,
                D::UpToDate => BackupDue::UpToDate,
                D::NothingToBackUp => BackupDue::NothingToBackUp,
            },
            text: s.due.text().into(),
        }
    }
}

#[uniffi::export]
impl Wallet {
    /// For the More screen: when the wallet was last exported (saved or shared through an
    /// [`ExportFlow`]), what changed since, and whether a backup is due. Needs no key.
    pub fn backup_status(&self) -> Result<BackupStatus, WalletError> {
        Ok(self.store().backup_status()?.into())
    }
}
