//! More → Export: unlock → information → password → progress → file → saved.

use super::file_type::FileType;
use super::problem::{Problem, ProblemKind};
use super::{text, WrongStep};
use crate::format::{self, BackupFormat, ExportOptions};
use crate::kdf::KdfObserver;
use crate::password::{self, Password, PasswordStrength};
use crate::store::{ExportSnapshot, StorageKey, WalletStore};

/// zxcvbn scores below this count as weak (0–2: "too guessable" to "somewhat guessable").
pub const WEAK_SCORE_BELOW: u8 = 3;

/// What the backup will hold (information screen) or holds (result).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportContents {
    /// Identities.
    pub identities: u32,
    /// Accounts with keys (the ones a backup holds).
    pub accounts: u32,
    /// Accounts without keys, which a backup cannot hold (found by a restore scan).
    pub read_only_accounts: u32,
    /// Address-book entries.
    pub contacts: u32,
}

/// What the password screen shows for a password and its confirmation.
#[derive(Debug, Clone, PartialEq)]
pub struct PasswordFeedback {
    /// Why the password cannot be used yet (too short, the two differ, not text); `None` when it
    /// can.
    pub problem: Option<Problem>,
    /// Strength and guess time at the export's key-derivation cost (`None` when the password is
    /// not text).
    pub strength: Option<PasswordStrength>,
    /// The time to guess on one GPU in words ("3 hours").
    pub time_to_guess: String,
    /// True when the zxcvbn score is below [`WEAK_SCORE_BELOW`]: allowed, but warned about.
    pub weak: bool,
    /// The warning to show for a weak password.
    pub weak_warning: Option<String>,
}

/// The file an export produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedFile {
    /// `concordium-backup-YYYYMMDD.wallet-backup` (or `.concordiumwallet`).
    pub file_name: String,
    /// Extension, MIME type and UTI.
    pub file_type: FileType,
    /// The size in bytes.
    pub size: u64,
    /// What it holds.
    pub contents: ExportContents,
}

/// The screen the export flow is on.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportState {
    /// Needs the storage key: show the biometric or passcode prompt, then call `unlock`.
    Unlock {
        /// Why the last key was refused.
        problem: Option<Problem>,
    },
    /// What the backup will hold and the warning; Continue calls `acknowledge`.
    Information {
        /// Counts.
        contents: ExportContents,
        /// Anyone with the file and its password can move the funds.
        warning: &'static str,
    },
    /// The password, typed twice.
    ChoosePassword {
        /// Feedback on the last password given to `set_password`.
        feedback: Option<PasswordFeedback>,
    },
    /// The password is accepted; `run` encrypts (with progress and cancel).
    ReadyToExport {
        /// Strength of the accepted password (a weak one is allowed, with a warning).
        feedback: PasswordFeedback,
    },
    /// The file is ready; share or save its bytes, then call `confirm_saved`.
    Finished {
        /// The file.
        file: ExportedFile,
    },
    /// The person saved or shared the file; the export is recorded for the backup reminder.
    Saved {
        /// The file.
        file: ExportedFile,
        /// When, in seconds since the Unix epoch.
        at: i64,
    },
    /// Cancelled; nothing was exported or recorded.
    Cancelled,
    /// Failed for a reason retrying the same step cannot fix.
    Failed {
        /// Why.
        problem: Problem,
    },
}

impl ExportState {
    /// The screen's name (for errors and logs).
    pub fn screen(&self) -> &'static str {
        match self {
            Self::Unlock { .. } => "unlock",
            Self::Information { .. } => "information",
            Self::ChoosePassword { .. } => "password",
            Self::ReadyToExport { .. } => "ready-to-export",
            Self::Finished { .. } => "finished",
            Self::Saved { .. } => "saved",
            Self::Cancelled => "cancelled",
            Self::Failed { .. } => "failed",
        }
    }
}

impl super::FlowState for ExportState {
    const FLOW: &'static str = "export";

    fn name(&self) -> &'static str {
        self.screen()
    }

    fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Unlock { problem } => problem.as_ref(),
            Self::ChoosePassword { feedback } => feedback.as_ref().and_then(|f| f.problem.as_ref()),
            Self::Failed { problem } => Some(problem),
            _ => None,
        }
    }
}

/// Rates a password and its confirmation for a backup written with `iterations`.
pub fn password_feedback(
    password: &Password,
    confirmation: &Password,
    iterations: u32,
) -> PasswordFeedback {
    let strength = password::estimate_strength(password, iterations);
    let problem = if let Err(e) = password.check_length() {
        Some(e.into())
    } else if password.as_bytes() != confirmation.as_bytes() {
        Some(Problem::passwords_differ())
    } else {
        None
    };
    let time_to_guess = password::human_duration(strength.seconds_to_guess_one_gpu);
    let weak = strength.score < WEAK_SCORE_BELOW;
    PasswordFeedback {
        problem,
        weak_warning: weak.then(|| text::weak_password(&time_to_guess)),
        weak,
        time_to_guess,
        strength: Some(strength),
    }
}

/// The export flow. Holds the storage key from `unlock` until `run` has read the wallet, and the
/// password from `set_password` until `run` has encrypted; both wipe themselves when dropped.
pub struct ExportFlow {
    options: ExportOptions,
    state: ExportState,
    key: Option<StorageKey>,
    password: Option<Password>,
    output: Option<(Vec<u8>, ExportSnapshot)>,
    contents: Option<ExportContents>,
}

impl ExportFlow {
    /// A flow that writes `options.format`, starting at the unlock screen.
    pub fn new(options: ExportOptions) -> Self {
        log::debug!(
            "export flow: started for {:?}, on the unlock screen",
            options.format
        );
        Self {
            options,
            state: ExportState::Unlock { problem: None },
            key: None,
            password: None,
            output: None,
            contents: None,
        }
    }

    /// The current screen.
    pub fn state(&self) -> &ExportState {
        &self.state
    }

    /// The PBKDF2 iterations the file will get (for the guess-time estimate).
    pub fn iterations(&self) -> u32 {
        self.options
            .iterations
            .unwrap_or(match self.options.format {
                BackupFormat::Ours => format::ours::DEFAULT_ITERATIONS,
                BackupFormat::Legacy => format::legacy::DEFAULT_ITERATIONS,
            })
    }

    fn wrong(&self, action: &'static str) -> WrongStep {
        super::wrong_step(&self.state, action)
    }

    fn set(&mut self, state: ExportState) {
        super::move_to(&mut self.state, state);
    }

    fn wipe(&mut self) {
        self.key = None;
        self.password = None;
        self.output = None;
    }

    fn fail(&mut self, problem: Problem) -> &ExportState {
        self.wipe();
        self.set(if problem.kind == ProblemKind::Cancelled {
            ExportState::Cancelled
        } else {
            ExportState::Failed { problem }
        });
        &self.state
    }

    /// Unlock screen: checks the storage key the prompt released (so a wrong key fails before
    /// the password screen) and shows what the backup will hold.
    pub fn unlock(
        &mut self,
        store: &dyn WalletStore,
        storage_key: &[u8],
    ) -> Result<&ExportState, WrongStep> {
        if !matches!(self.state, ExportState::Unlock { .. }) {
            return Err(self.wrong("unlocking"));
        }
        let checked = StorageKey::from_bytes(storage_key).and_then(|key| {
            store.check_key(&key)?;
            Ok((key, store.summary()?))
        });
        match checked {
            Ok((key, summary)) => {
                let read_only = summary
                    .identities
                    .iter()
                    .flat_map(|i| &i.accounts)
                    .filter(|a| a.read_only)
                    .count();
                let contents = ExportContents {
                    identities: count(summary.identity_count()),
                    accounts: count(summary.account_count() - read_only),
                    read_only_accounts: count(read_only),
                    contacts: count(summary.contact_count()),
                };
                self.key = Some(key);
                self.contents = Some(contents);
                self.set(ExportState::Information {
                    contents,
                    warning: text::EXPORT_WARNING,
                });
            }
            Err(e) => {
                let problem = Problem::from(e);
                if matches!(
                    problem.kind,
                    ProblemKind::WrongStorageKey | ProblemKind::StorageKeyInvalid
                ) {
                    self.set(ExportState::Unlock {
                        problem: Some(problem),
                    });
                } else {
                    self.fail(problem);
                }
            }
        }
        Ok(&self.state)
    }

    /// Information screen → password screen.
    pub fn acknowledge(&mut self) -> Result<&ExportState, WrongStep> {
        if !matches!(self.state, ExportState::Information { .. }) {
            return Err(self.wrong("continuing"));
        }
        self.set(ExportState::ChoosePassword { feedback: None });
        Ok(&self.state)
    }

    /// Password screen: accepts the password when it has at least 6 characters and both entries
    /// match (a weak one is accepted with a warning), and keeps it for `run`; otherwise stays on
    /// the password screen with the reason. Also changes an accepted password.
    pub fn set_password(
        &mut self,
        password: &[u8],
        confirmation: &[u8],
    ) -> Result<&ExportState, WrongStep> {
        if !matches!(
            self.state,
            ExportState::ChoosePassword { .. } | ExportState::ReadyToExport { .. }
        ) {
            return Err(self.wrong("setting the password"));
        }
        self.password = None;
        let (p, c) = match (
            Password::from_bytes(password),
            Password::from_bytes(confirmation),
        ) {
            (Ok(p), Ok(c)) => (p, c),
            (Err(e), _) | (_, Err(e)) => {
                self.set(ExportState::ChoosePassword {
                    feedback: Some(PasswordFeedback {
                        problem: Some(e.into()),
                        strength: None,
                        time_to_guess: String::new(),
                        weak: false,
                        weak_warning: None,
                    }),
                });
                return Ok(&self.state);
            }
        };
        let feedback = password_feedback(&p, &c, self.iterations());
        if feedback.problem.is_some() {
            self.set(ExportState::ChoosePassword {
                feedback: Some(feedback),
            });
        } else {
            self.password = Some(p);
            self.set(ExportState::ReadyToExport { feedback });
        }
        Ok(&self.state)
    }

    /// One screen back: ready → password (the password is wiped), password → information.
    pub fn back(&mut self) -> Result<&ExportState, WrongStep> {
        match &self.state {
            ExportState::ReadyToExport { .. } => {
                self.password = None;
                self.set(ExportState::ChoosePassword { feedback: None });
            }
            ExportState::ChoosePassword { .. } => {
                let Some(contents) = self.contents else {
                    return Err(self.wrong("going back"));
                };
                self.set(ExportState::Information {
                    contents,
                    warning: text::EXPORT_WARNING,
                });
            }
            _ => return Err(self.wrong("going back")),
        }
        Ok(&self.state)
    }

    /// Progress screen: reads the wallet with the storage key (then wipes the key), encrypts
    /// it with the password (then wipes the password) and keeps the file. Cancelling through
    /// the observer ends the flow as `Cancelled` with nothing kept.
    pub fn run(
        &mut self,
        store: &dyn WalletStore,
        observer: &dyn KdfObserver,
        now: i64,
    ) -> Result<&ExportState, WrongStep> {
        if !matches!(self.state, ExportState::ReadyToExport { .. }) {
            return Err(self.wrong("exporting"));
        }
        // Used in place and dropped in place: moving a `StorageKey` out (`Option::take`) would
        // leave a copy of its bytes in this flow's heap block.
        let (Some(key), Some(_)) = (&self.key, &self.password) else {
            return Err(self.wrong("exporting"));
        };
        let data = store.export_data(key);
        self.key = None;
        let data = match data {
            Ok(d) => d,
            Err(e) => return Ok(self.fail(e.into())),
        };
        let Some(password) = &self.password else {
            return Err(self.wrong("exporting"));
        };
        let bytes = format::export(&data, password, &self.options, observer);
        self.password = None;
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => return Ok(self.fail(e.into())),
        };
        let snapshot = ExportSnapshot::of(&data);
        let file_type = FileType::of(self.options.format);
        let file = ExportedFile {
            file_name: file_type.file_name(now),
            file_type,
            size: bytes.len() as u64,
            contents: ExportContents {
                identities: count(data.value.identities.len()),
                accounts: count(snapshot.accounts.len()),
                read_only_accounts: 0,
                contacts: count(data.value.recipients.len()),
            },
        };
        self.output = Some((bytes, snapshot));
        self.set(ExportState::Finished { file });
        Ok(&self.state)
    }

    /// The file's bytes, once finished (and after it was saved, to share it again).
    pub fn file_bytes(&self) -> Result<&[u8], WrongStep> {
        match &self.output {
            Some((bytes, _)) => Ok(bytes),
            None => Err(self.wrong("reading the file")),
        }
    }

    /// The shell saved or shared the file (the share or save target reported success): records
    /// the export, so the backup reminder counts changes from this file on. Calling it again
    /// changes nothing. A cancelled share must not call it: an unsaved file is no backup.
    pub fn confirm_saved(
        &mut self,
        store: &dyn WalletStore,
        now: i64,
    ) -> Result<&ExportState, WrongStep> {
        let file = match &self.state {
            ExportState::Saved { .. } => return Ok(&self.state),
            ExportState::Finished { file } => file.clone(),
            _ => return Err(self.wrong("confirming the save")),
        };
        let Some((_, snapshot)) = &self.output else {
            return Err(self.wrong("confirming the save"));
        };
        match store.record_export(snapshot, now) {
            Ok(()) => self.set(ExportState::Saved { file, at: now }),
            Err(e) => {
                self.fail(e.into());
            }
        }
        Ok(&self.state)
    }

    /// Ends the flow: wipes the key, the password and the file. A flow that was not saved ends
    /// as `Cancelled`; a saved one stays `Saved`.
    pub fn cancel(&mut self) -> &ExportState {
        self.wipe();
        if !matches!(
            self.state,
            ExportState::Saved { .. } | ExportState::Failed { .. }
        ) {
            self.set(ExportState::Cancelled);
        }
        &self.state
    }

    /// True while the flow holds a storage key or a password (for tests of the wiping rules).
    pub fn holds_secrets(&self) -> bool {
        self.key.is_some() || self.password.is_some()
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
