//! More → Import (or a file shared to the app): file → password → (network) → unlock → review →
//! report.

use super::problem::{Problem, ProblemKind};
use super::WrongStep;
use crate::format::{self, FileKind, OpenOptions, MAX_FILE_BYTES, MAX_IMPORT_ITERATIONS};
use crate::kdf::KdfObserver;
use crate::model::WalletData;
use crate::network::Network;
use crate::password::Password;
use crate::store::import::{self, networks_compatible, ImportOptions, ImportPlan, ImportReport};
use crate::store::{StorageKey, StoreError, WalletStore};

/// What the file shows before its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    /// Our format or a legacy mobile export (a Desktop export never gets this far).
    pub kind: FileKind,
    /// The network, when the format shows it without a password (ours does).
    pub network: Option<Network>,
    /// The PBKDF2 iterations: opening it takes about this much work.
    pub iterations: u64,
    /// Cheaper key derivation than new files get (re-export to strengthen).
    pub weak_key_derivation: bool,
}

/// What the import will do (review) or did (report): the same for the same file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The wallet's network.
    pub wallet_network: Network,
    /// The backup's network (as named by the file or as chosen).
    pub file_network: Network,
    /// The file named no network and the person chose it.
    pub network_assumed: bool,
    /// The lists: added, upgraded, already present, conflicts, skipped.
    pub report: ImportReport,
}

impl ImportOutcome {
    fn of(plan: &ImportPlan, report: ImportReport) -> Self {
        Self {
            wallet_network: plan.wallet_network,
            file_network: plan.file_network,
            network_assumed: plan.network_assumed,
            report,
        }
    }
}

/// The screen the import flow is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportState {
    /// The file cannot be imported (not a backup, a Desktop export, an unsupported version,
    /// damaged, another network). Shown before any password when the file shows it.
    Rejected {
        /// Why.
        problem: Problem,
    },
    /// The password of the file; after a wrong one, again (the file stays picked).
    EnterPassword {
        /// What the file shows.
        file: FileFacts,
        /// Why the last password did not open it.
        problem: Option<Problem>,
        /// Wrong passwords so far.
        failed_attempts: u32,
    },
    /// The file names no network: the person chooses one of `choices`.
    ChooseNetwork {
        /// The wallet's network.
        wallet_network: Network,
        /// The networks a backup may have to go into this wallet.
        choices: Vec<Network>,
    },
    /// Needs the storage key: show the biometric or passcode prompt, then call `unlock`.
    Unlock {
        /// Why the last key was refused.
        problem: Option<Problem>,
    },
    /// "Review your import"; confirm applies exactly this.
    Review {
        /// What the import will do.
        outcome: ImportOutcome,
        /// Set when the review was made again because the wallet changed.
        problem: Option<Problem>,
    },
    /// The report ("Ok, thanks"), identical to the review.
    Done {
        /// What the import did.
        outcome: ImportOutcome,
    },
    /// Cancelled; the wallet is unchanged.
    Cancelled,
    /// Failed for a reason retrying the same step cannot fix (the store cannot be written).
    Failed {
        /// Why.
        problem: Problem,
    },
}

impl ImportState {
    /// The screen's name (for errors and logs).
    pub fn screen(&self) -> &'static str {
        match self {
            Self::Rejected { .. } => "rejected",
            Self::EnterPassword { .. } => "password",
            Self::ChooseNetwork { .. } => "network",
            Self::Unlock { .. } => "unlock",
            Self::Review { .. } => "review",
            Self::Done { .. } => "report",
            Self::Cancelled => "cancelled",
            Self::Failed { .. } => "failed",
        }
    }
}

impl super::FlowState for ImportState {
    const FLOW: &'static str = "import";

    fn name(&self) -> &'static str {
        self.screen()
    }

    fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Rejected { problem } | Self::Failed { problem } => Some(problem),
            Self::EnterPassword { problem, .. }
            | Self::Unlock { problem }
            | Self::Review { problem, .. } => problem.as_ref(),
            Self::ChooseNetwork { .. } | Self::Done { .. } | Self::Cancelled => None,
        }
    }
}

/// The import flow over one picked or received file. Holds the file until it is decrypted, the
/// decrypted wallet until it is imported, and the storage key from `unlock` to the report; the
/// password only during `submit_password`. All of them wipe themselves when dropped.
pub struct ImportFlow {
    wallet_network: Network,
    state: ImportState,
    file: Option<Vec<u8>>,
    data: Option<WalletData>,
    assume_network: Option<Network>,
    key: Option<StorageKey>,
    plan: Option<ImportPlan>,
}

fn mismatch(wallet: Network, file: Network) -> Problem {
    StoreError::NetworkMismatch { wallet, file }.into()
}

/// Recognises the file without a password: what it is, or why it cannot be imported.
fn recognise(file: &[u8], wallet: Network) -> Result<FileFacts, Problem> {
    // Refused before parsing: `inspect` reads files of any size.
    let size = file.len() as u64;
    if size > MAX_FILE_BYTES {
        return Err(crate::BackupError::FileTooLarge {
            size,
            max: MAX_FILE_BYTES,
        }
        .into());
    }
    let info = format::inspect(file)?;
    if info.kind == FileKind::LegacyDesktop {
        return Err(crate::BackupError::DesktopWalletExport.into());
    }
    if !info.within_limits {
        return Err(crate::BackupError::ParamsOutOfRange(format!(
            "{} key-derivation iterations (at most {MAX_IMPORT_ITERATIONS} are accepted)",
            info.iterations
        ))
        .into());
    }
    if let Some(n) = info.environment {
        if !networks_compatible(wallet, n) {
            return Err(mismatch(wallet, n));
        }
    }
    Ok(FileFacts {
        kind: info.kind,
        network: info.environment,
        iterations: info.iterations,
        weak_key_derivation: info.weak_key_derivation,
    })
}

impl ImportFlow {
    /// Starts with the file's bytes: recognises it at once, so a file that cannot be imported is
    /// refused before any password is asked.
    pub fn new(store: &dyn WalletStore, file: Vec<u8>) -> Self {
        let mut flow = Self {
            wallet_network: Network::Mainnet,
            state: ImportState::Cancelled,
            file: None,
            data: None,
            assume_network: None,
            key: None,
            plan: None,
        };
        let network = match store.network() {
            Ok(n) => n,
            Err(e) => {
                flow.state = ImportState::Failed { problem: e.into() };
                log::warn!("import flow: the wallet's network could not be read");
                return flow;
            }
        };
        flow.wallet_network = network;
        flow.state = match recognise(&file, network) {
            Ok(facts) => {
                log::info!(
                    "import flow: a {} of {} bytes ({} iterations, network {:?})",
                    facts.kind.describe(),
                    file.len(),
                    facts.iterations,
                    facts.network
                );
                flow.file = Some(file);
                ImportState::EnterPassword {
                    file: facts,
                    problem: None,
                    failed_attempts: 0,
                }
            }
            Err(problem) => ImportState::Rejected { problem },
        };
        log::debug!("import flow: file -> {}", flow.state.screen());
        flow
    }

    /// The current screen.
    pub fn state(&self) -> &ImportState {
        &self.state
    }

    fn wrong(&self, action: &'static str) -> WrongStep {
        super::wrong_step(&self.state, action)
    }

    fn set(&mut self, state: ImportState) {
        super::move_to(&mut self.state, state);
    }

    fn wipe(&mut self) {
        self.file = None;
        self.data = None;
        self.key = None;
        self.plan = None;
    }

    fn end(&mut self, state: ImportState) -> &ImportState {
        self.wipe();
        self.set(state);
        &self.state
    }

    fn fail(&mut self, problem: Problem) -> &ImportState {
        let state = match problem.kind {
            ProblemKind::Cancelled => ImportState::Cancelled,
            ProblemKind::Store | ProblemKind::Other => ImportState::Failed { problem },
            _ => ImportState::Rejected { problem },
        };
        self.end(state)
    }

    /// Password screen: decrypts the file (with progress and cancel through `observer`). A wrong
    /// password stays on this screen with the reason and the count of failed attempts; a damaged
    /// file or one whose content cannot be imported ends as `Rejected`; cancelling ends the flow.
    pub fn submit_password(
        &mut self,
        password: &[u8],
        observer: &dyn KdfObserver,
    ) -> Result<&ImportState, WrongStep> {
        let ImportState::EnterPassword {
            file: facts,
            failed_attempts,
            ..
        } = &self.state
        else {
            return Err(self.wrong("entering the password"));
        };
        let (facts, failed_attempts) = (facts.clone(), *failed_attempts);
        let Some(file) = &self.file else {
            return Err(self.wrong("entering the password"));
        };
        let opened = Password::from_bytes(password)
            .and_then(|p| format::open(file, &p, &OpenOptions::default(), observer));
        let data = match opened {
            Ok(o) => o.data,
            Err(e) => {
                let problem = Problem::from(e);
                if matches!(
                    problem.kind,
                    ProblemKind::WrongPassword
                        | ProblemKind::WrongPasswordOrDamaged
                        | ProblemKind::PasswordNotText
                ) {
                    self.set(ImportState::EnterPassword {
                        file: facts,
                        problem: Some(problem),
                        failed_attempts: failed_attempts.saturating_add(1),
                    });
                    return Ok(&self.state);
                }
                return Ok(self.fail(problem));
            }
        };
        self.file = None;
        let next = match data.environment {
            None => ImportState::ChooseNetwork {
                wallet_network: self.wallet_network,
                choices: self.network_choices(),
            },
            Some(n) if !networks_compatible(self.wallet_network, n) => {
                return Ok(self.fail(mismatch(self.wallet_network, n)))
            }
            Some(_) => ImportState::Unlock { problem: None },
        };
        self.data = Some(data);
        self.set(next);
        Ok(&self.state)
    }

    fn network_choices(&self) -> Vec<Network> {
        use Network::*;
        [Mainnet, Testnet, Stagenet, Mock, Local]
            .into_iter()
            .filter(|n| networks_compatible(self.wallet_network, *n))
            .collect()
    }

    /// Network screen: the network the file was made for (one of the choices).
    pub fn choose_network(&mut self, network: Network) -> Result<&ImportState, WrongStep> {
        let ImportState::ChooseNetwork { choices, .. } = &self.state else {
            return Err(self.wrong("choosing the network"));
        };
        if !choices.contains(&network) {
            return Err(self.wrong("choosing a network that is not offered"));
        }
        self.assume_network = Some(network);
        self.set(ImportState::Unlock { problem: None });
        Ok(&self.state)
    }

    fn review(&mut self, store: &dyn WalletStore, problem: Option<Problem>) -> &ImportState {
        let (Some(data), Some(key)) = (&self.data, &self.key) else {
            return self.fail(Problem::new(
                ProblemKind::Other,
                "The import lost its data.",
            ));
        };
        let options = ImportOptions {
            assume_network: self.assume_network,
        };
        match import::preview(store, data, key, &options) {
            Ok(plan) => {
                let outcome = ImportOutcome::of(&plan, plan.report());
                self.plan = Some(plan);
                self.set(ImportState::Review { outcome, problem });
                &self.state
            }
            Err(e) => self.fail(e.into()),
        }
    }

    /// Unlock screen: checks the storage key the prompt released and makes the review.
    pub fn unlock(
        &mut self,
        store: &dyn WalletStore,
        storage_key: &[u8],
    ) -> Result<&ImportState, WrongStep> {
        if !matches!(self.state, ImportState::Unlock { .. }) {
            return Err(self.wrong("unlocking"));
        }
        let key = StorageKey::from_bytes(storage_key).and_then(|k| store.check_key(&k).map(|_| k));
        match key {
            Ok(k) => {
                self.key = Some(k);
                Ok(self.review(store, None))
            }
            Err(e) => {
                let problem = Problem::from(e);
                if matches!(
                    problem.kind,
                    ProblemKind::WrongStorageKey | ProblemKind::StorageKeyInvalid
                ) {
                    self.set(ImportState::Unlock {
                        problem: Some(problem),
                    });
                    Ok(&self.state)
                } else {
                    Ok(self.fail(problem))
                }
            }
        }
    }

    /// Review screen: applies exactly the reviewed plan in one transaction and shows the report.
    /// When the wallet changed since the review, shows the review again (made for the wallet as
    /// it is now) instead.
    pub fn confirm(&mut self, store: &dyn WalletStore) -> Result<&ImportState, WrongStep> {
        if !matches!(self.state, ImportState::Review { .. }) {
            return Err(self.wrong("confirming the import"));
        }
        let (Some(plan), Some(data), Some(key)) = (&self.plan, &self.data, &self.key) else {
            return Err(self.wrong("confirming the import"));
        };
        match store.apply(plan, data, key) {
            Ok(report) => {
                let outcome = ImportOutcome::of(plan, report);
                Ok(self.end(ImportState::Done { outcome }))
            }
            Err(StoreError::StalePlan) => Ok(self.review(store, Some(Problem::wallet_changed()))),
            Err(e) => Ok(self.fail(e.into())),
        }
    }

    /// Ends the flow and wipes what it holds. A finished import stays `Done`, a refused file
    /// stays `Rejected`; anything else becomes `Cancelled` with the wallet unchanged.
    pub fn cancel(&mut self) -> &ImportState {
        self.wipe();
        if !matches!(
            self.state,
            ImportState::Done { .. } | ImportState::Rejected { .. } | ImportState::Failed { .. }
        ) {
            self.set(ImportState::Cancelled);
        }
        &self.state
    }

    /// True while the flow holds the file, the decrypted wallet or a storage key (for tests of
    /// the wiping rules).
    pub fn holds_secrets(&self) -> bool {
        self.file.is_some() || self.data.is_some() || self.key.is_some() || self.plan.is_some()
    }
}
