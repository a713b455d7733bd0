//! The wallet store: where a wallet keeps its identities, accounts and address book between runs.
//!
//! [`WalletStore`] is what the rest of the core needs from a store, so an app that already has a
//! database can plug in its own; [`SqliteStore`] is the working default, one embedded SQLite file
//! opened by path, and [`MemoryStore`] keeps a wallet in memory (tests, sessions). Names, addresses and counts are read without a key ([`WalletStore::summary`]);
//! everything that reads or writes secrets (export, import) takes the caller's [`StorageKey`], and
//! the secrets themselves (private identity data, account keys, commitment randomness, the
//! shielded-balance key) are sealed with AES-256-GCM before they reach the database
//! ([`seal`]). The non-secret parts are stored as JSON text, so every field of
//! [`WalletData`](crate::model::WalletData), including the ones this library does not model,
//! comes back out of [`WalletStore::export_data`].
//!
//! Imports are reviewed merges: [`import::preview`] says what a backup would add,
//! what is already there, what conflicts and what is skipped, and [`WalletStore::apply`] carries
//! out exactly that plan in one transaction.

pub mod backup_status;
pub mod error;
mod fault;
pub mod import;
pub mod memory;
pub mod seal;
pub mod sqlite;
pub mod summary;
pub mod wallet_store;

pub use backup_status::{BackupDue, BackupStatus, ExportSnapshot};
pub use error::{StoreError, StoreIo};
pub use memory::MemoryStore;
pub use seal::StorageKey;
pub use sqlite::{migrations, SqliteStore};
pub use summary::{AccountSummary, ContactSummary, IdentitySummary, StoreSummary};
pub use wallet_store::{StoreState, WalletStore};
