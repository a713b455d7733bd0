//! More → Export for the bindings: [`ExportFlow`] and the records of its screens.

use std::sync::{Arc, Mutex};

use super::{lock, problem, wiped, FlowProblem};
use crate::ffi::store::Wallet;
use crate::ffi::{
    CancelToken, ExportSettings, Observer, PasswordCheck, ProgressListener, WalletError,
};
use crate::flow::{self, text};

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
