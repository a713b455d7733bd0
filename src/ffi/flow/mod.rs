//! The export and import flows for the bindings: [`ExportFlow`] (`export.rs`) and [`ImportFlow`]
//! (`import.rs`) objects over [`crate::flow`], and the backup reminder
//! ([`Wallet::backup_status`](crate::ffi::Wallet::backup_status), `backup_status.rs`).
//!
//! Each call returns the screen to show next. Calls on one flow run one at a time: while `run`
//! or `submit_password` derives a key, other calls on the same flow wait, so stop those with the
//! [`CancelToken`](crate::ffi::CancelToken). A call that does not fit the current screen fails with `InvalidParameters`
//! (a bug in the shell); everything the person can cause is a state with a [`FlowProblem`].

mod backup_status;
mod export;
mod import;

pub use backup_status::*;
pub use export::*;
pub use import::*;

use std::sync::{Mutex, MutexGuard};

use zeroize::Zeroize;

use crate::flow;
use crate::network::Network;

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
