//! More → Import for the bindings: [`ImportFlow`] and the records of its screens.

use std::sync::{Arc, Mutex};

use super::{lock, problem, wiped, FlowProblem};
use crate::ffi::store::{summary_of, ImportSummary, Wallet};
use crate::ffi::{BackupKind, CancelToken, Observer, ProgressListener, WalletError};
use crate::flow::{self, text};
use crate::network::Network;

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
