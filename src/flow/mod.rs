//! The export and import flows as a person goes through them, screen by screen.
//!
//! The Android and iOS shells render these states and pass on what the person typed or what a
//! system prompt released; the rules (when the storage key is needed, the password rule, what a
//! wrong password leads to, what is recorded when) live here once. [`export::ExportFlow`] goes
//! More → Export → unlock → information → password → progress → file → saved;
//! [`import::ImportFlow`] goes file → password → (network) → unlock → review → report.
//! `docs/flows.md` describes the screens for shell developers.
//!
//! Secrets (the backup password, the storage key, the decrypted wallet) are held in wiping types
//! only between the screens that need them, and dropped at the end of the flow, on cancel and
//! when the flow is dropped. Every state is plain data without secrets.

pub mod export;
pub mod file_type;
pub mod import;
pub mod problem;
pub mod text;

pub use export::{ExportContents, ExportFlow, ExportState, ExportedFile, PasswordFeedback};
pub use file_type::FileType;
pub use import::{FileFacts, ImportFlow, ImportOutcome, ImportState};
pub use problem::{Problem, ProblemKind};

/// A call that does not fit the flow's current screen (a programming error in the shell, such
/// as confirming an import before its review).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Invalid request: {action} is not possible on the {screen} screen.")]
pub struct WrongStep {
    /// What was asked.
    pub action: &'static str,
    /// The screen the flow is on.
    pub screen: &'static str,
}

/// What the logs need of a flow's state.
trait FlowState {
    /// The flow's name.
    const FLOW: &'static str;
    /// The screen's name.
    fn name(&self) -> &'static str;
    /// The problem the screen shows, if any.
    fn problem(&self) -> Option<&Problem>;
}

/// Moves a flow to `next`, logging the move with the kind of problem the new screen shows (the
/// kind only: the wording is for the person).
fn move_to<S: FlowState>(state: &mut S, next: S) {
    let (flow, from, to) = (S::FLOW, state.name(), next.name());
    match next.problem() {
        Some(p) => log::info!("{flow} flow: {from} -> {to} ({:?})", p.kind),
        None => log::debug!("{flow} flow: {from} -> {to}"),
    }
    *state = next;
}

/// The error for a call the flow's screen does not allow (a bug in the shell), logged.
fn wrong_step<S: FlowState>(state: &S, action: &'static str) -> WrongStep {
    let step = WrongStep {
        action,
        screen: state.name(),
    };
    log::warn!("{} flow: {step}", S::FLOW);
    step
}

/// Seconds since the Unix epoch, for the export record and the file name.
pub fn now_unix() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        // A clock before 1970: record the epoch rather than fail an export.
        Err(_) => 0,
    }
}
