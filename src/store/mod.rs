//! The wallet store: where a wallet keeps its identities, accounts and address book between runs.
//!
//! [`WalletStore`] is what the rest of the core needs from a store, so an app that already has a
//! database can plug in its own; [`SqliteStore`] is the working default, one embedded SQLite file
//! opened by path. Names, addresses and counts are read without a key ([`WalletStore::summary`]);
//! everything that reads or writes secrets (export, import) takes the caller's [`StorageKey`], and
//! the secrets themselves (private identity data, account keys, commitment randomness, the
//! shielded-balance key) are sealed with AES-256-GCM before they reach the database
//! ([`seal`]). The non-secret parts are stored as JSON text, so every field of
//! [`WalletData`], including the ones this library does not model,
//! comes back out of [`WalletStore::export_data`].
//!
//! Imports are reviewed merges: [`crate::import_plan::preview`] says what a backup would add,
//! what is already there, what conflicts and what is skipped, and [`WalletStore::apply`] carries
//! out exactly that plan in one transaction.

pub mod backup_status;
pub mod migrations;
pub mod seal;
pub mod sqlite;

use thiserror::Error;

use crate::error::BackupError;
use crate::import_plan::{ImportPlan, ImportReport};
use crate::model::WalletData;

use crate::network::Network;
pub use backup_status::{BackupDue, BackupStatus, ExportSnapshot};
pub use seal::StorageKey;
pub use sqlite::SqliteStore;

/// Everything that can go wrong while opening, reading or writing a wallet store.
///
/// Messages are sentences for people and never contain keys, secrets or wallet content (names and
/// addresses included): they end up in logs and support tickets.
#[derive(Debug, Error, Clone, PartialEq, Eq, strum::IntoStaticStr)]
pub enum StoreError {
    /// The storage key does not unlock this store (its key-check value does not match).
    #[error("The storage key is wrong: it does not unlock this wallet.")]
    WrongStorageKey,
    /// A storage key of the wrong length was given.
    #[error("A storage key must be 32 bytes long; this one has {len}.")]
    KeyLength {
        /// The length that was given.
        len: usize,
    },
    /// The store was created with an app-supplied key, so no passphrase can unlock it.
    #[error("This wallet is locked with the app's key, not with a passphrase.")]
    NoPassphrase,
    /// There is no store at the path.
    #[error("There is no wallet store at this path.")]
    NotFound,
    /// The path is a directory: a store is one file.
    #[error(
        "This path is a directory, not a wallet store file; give the path of the store file \
         itself (for example, a file named wallet.sqlite inside that directory)."
    )]
    IsADirectory,
    /// `create` was asked to create a store where a file already exists.
    #[error(
        "A file already exists at this path; a new wallet store is only created in a new file."
    )]
    AlreadyExists,
    /// The file is not a wallet store (another database, or not a database at all).
    #[error("This file is not a wallet store: {0}.")]
    NotAStore(String),
    /// The store was written by a newer version of this library.
    #[error(
        "This wallet store was written by a newer version of the app (store schema version \
         {found}; this version knows up to {supported}); update the app."
    )]
    NewerSchema {
        /// The schema version in the file.
        found: u32,
        /// The newest schema version this library knows.
        supported: u32,
    },
    /// A record is damaged: a sealed secret does not decrypt under the right key, or a JSON field
    /// does not parse.
    #[error("The wallet store is damaged: {0}.")]
    Damaged(String),
    /// The backup belongs to a network whose data this wallet cannot take.
    #[error(
        "This backup is for {file}, but this wallet is on {wallet}; a {file} backup cannot be \
         imported into a {wallet} wallet."
    )]
    NetworkMismatch {
        /// The wallet's network.
        wallet: Network,
        /// The backup's network.
        file: Network,
    },
    /// The backup does not name its network and the caller did not say which one to assume.
    #[error(
        "The network of this backup is unknown (files written before May 2021 do not name it); \
         choose the network it was made for before importing it."
    )]
    UnknownNetwork,
    /// The store changed after the import plan was made.
    #[error("The wallet changed after this import was previewed; preview the import again.")]
    StalePlan,
    /// The import plan does not fit the wallet data it is applied with.
    #[error("This import plan was not made for this backup: {0}.")]
    PlanMismatch(String),
    /// The address is already in the address book under another name.
    #[error("This address is already in the address book under another name.")]
    AddressHasOtherName,
    /// The account address is already in the wallet.
    #[error("This account is already in the wallet.")]
    AccountExists,
    /// The address is not a Concordium account address.
    #[error(
        "This is not a valid Concordium account address (it must be Base58Check with version \
         byte 1 and 32 bytes; check that it was copied completely)."
    )]
    InvalidAddress,
    /// A request the store does not allow (an empty name, an unknown identity, …).
    #[error("Invalid request: {0}.")]
    InvalidInput(String),
    /// The store's file could not be read or written for a reason outside its contents (a
    /// read-only or full disk, permissions, another program holding it): the wallet is not
    /// damaged, and the same call works once the cause is removed.
    #[error("The wallet store could not be read or written: {0}.")]
    Io(StoreIo),
    /// SQLite failed in another way.
    #[error("The wallet store could not be read or written: {0}.")]
    Database(String),
    /// An error from the backup core (the secure random source, the key derivation, a password
    /// rule).
    #[error(transparent)]
    Backup(#[from] BackupError),
}

/// What kept a store from being read or written ([`StoreError::Io`]); each message says what to
/// do about it.
#[derive(Debug, Error, Clone, Copy, PartialEq, Eq)]
pub enum StoreIo {
    /// The file, its directory or the file system is read-only.
    #[error(
        "the file, its directory or the disk is read-only; make them writable (SQLite also \
         writes its -wal and -shm files next to the store), or copy the store to a writable place"
    )]
    ReadOnly,
    /// The operating system denied access to the file or its directory.
    #[error(
        "permission denied; this user may not read or write the file or its directory: fix \
         their permissions, or run as the user who owns them"
    )]
    PermissionDenied,
    /// The disk (or a file-size limit) has no room for the write.
    #[error("the disk is full; free some space and try again (nothing was changed)")]
    DiskFull,
    /// Another connection holds the store locked (another process is writing to it).
    #[error(
        "another program has it locked (it is writing to the same wallet); wait until it has \
         finished, or close it, and try again (nothing was changed)"
    )]
    Locked,
    /// The file could not be opened (a missing directory, too many open files, …).
    #[error(
        "the file could not be opened; check that its directory exists and is writable by this \
         user"
    )]
    CannotOpen,
    /// The operating system reported a read or write error.
    #[error(
        "disk I/O error; check that the disk has room and works, then try again (an interrupted \
         change is rolled back)"
    )]
    Failed,
}

/// One account as listed without a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    /// The account's name in the wallet.
    pub name: String,
    /// The account address.
    pub address: String,
    /// True when the store has no keys for the account (found by a scan, not imported): it can be
    /// shown but not used to sign, and it is upgraded when a backup with its keys is imported.
    pub read_only: bool,
    /// The pairing identifier of the Ledger that holds its keys, for a Ledger-backed account
    /// (recovered from a Ledger or imported from a Desktop Wallet export); such an account is
    /// read-only here and signs on the device.
    pub ledger_pairing_id: Option<String>,
}

/// One identity as listed without a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentitySummary {
    /// The identity's nickname.
    pub name: String,
    /// Its public id credential, which tells identities apart.
    pub id_cred_pub: String,
    /// Its accounts, in the order they were stored.
    pub accounts: Vec<AccountSummary>,
}

/// One address-book entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactSummary {
    /// The contact's name.
    pub name: String,
    /// The contact's account address.
    pub address: String,
}

/// What a store holds, as far as it can be told without a key: no secret is in here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreSummary {
    /// The wallet's network.
    pub network: Network,
    /// A random id given to the store when it was created; it tells two stores apart.
    pub store_id: Vec<u8>,
    /// Counts the changes made to the store; an import plan is only applied at the revision it
    /// was made at.
    pub revision: u64,
    /// The identities with their accounts.
    pub identities: Vec<IdentitySummary>,
    /// The address book.
    pub contacts: Vec<ContactSummary>,
}

impl StoreSummary {
    /// The number of identities.
    pub fn identity_count(&self) -> usize {
        self.identities.len()
    }

    /// The number of accounts over all identities (read-only ones included).
    pub fn account_count(&self) -> usize {
        self.identities.iter().map(|i| i.accounts.len()).sum()
    }

    /// The number of address-book entries.
    pub fn contact_count(&self) -> usize {
        self.contacts.len()
    }
}

/// What an import is planned against: the store's summary and its content, read together.
#[derive(Debug, Clone)]
pub struct StoreState {
    /// Names, addresses, read-only flags, revision.
    pub summary: StoreSummary,
    /// Every identity, account with keys and contact, secrets included.
    pub data: WalletData,
}

/// What the wallet core needs from a store.
///
/// [`SqliteStore`] implements it on an embedded SQLite file. An app with its own database can
/// implement it too; the contract each method documents (one transaction per write, key checks,
/// the revision) is what [`crate::import_plan`] relies on. Opening and creating are not part of
/// the trait, because what identifies a store (a path, a database handle) is the implementation's
/// business.
pub trait WalletStore: Send + Sync {
    /// The wallet's network, fixed when the store was created.
    fn network(&self) -> Result<Network, StoreError>;

    /// Names, addresses and counts, without a key.
    fn summary(&self) -> Result<StoreSummary, StoreError>;

    /// Checks that `key` unlocks the store ([`StoreError::WrongStorageKey`] otherwise).
    fn check_key(&self, key: &StorageKey) -> Result<(), StoreError>;

    /// Adds an address-book entry. Returns false when the same name and address are already
    /// there; fails with [`StoreError::AddressHasOtherName`] when the address is stored under
    /// another name.
    fn add_contact(&self, name: &str, address: &str) -> Result<bool, StoreError>;

    /// Removes an address-book entry; returns false when there was none with this name and
    /// address.
    fn remove_contact(&self, name: &str, address: &str) -> Result<bool, StoreError>;

    /// Adds an account without keys (one a restore scan found on chain) to a stored identity.
    /// Fails with [`StoreError::AccountExists`] when the address is already in the store.
    fn add_read_only_account(
        &self,
        id_cred_pub: &str,
        name: &str,
        address: &str,
    ) -> Result<(), StoreError>;

    /// The whole wallet, secrets included: every identity, every account that has keys (read-only
    /// accounts have nothing to export, as in Concordium's wallets) and the address book, with the
    /// wallet's network as `environment`.
    fn export_data(&self, key: &StorageKey) -> Result<WalletData, StoreError>;

    /// The summary and the content, read together so that they describe the same revision.
    fn import_state(&self, key: &StorageKey) -> Result<StoreState, StoreError> {
        let summary = self.summary()?;
        let data = self.export_data(key)?;
        if self.summary()?.revision != summary.revision {
            return Err(StoreError::StalePlan);
        }
        Ok(StoreState { summary, data })
    }

    /// When the wallet was last exported and what changed since ([`BackupStatus`]). Needs no key.
    fn backup_status(&self) -> Result<BackupStatus, StoreError>;

    /// Records that an export holding `snapshot` was saved or shared at `at` (seconds since the
    /// Unix epoch), replacing the previous record, in one transaction. Does not change the
    /// revision: the wallet's content is unchanged.
    fn record_export(&self, snapshot: &ExportSnapshot, at: i64) -> Result<(), StoreError>;

    /// Carries out an import plan made by [`crate::import_plan::preview`] for `data`, in one
    /// transaction: everything in the plan is written, or nothing is. Fails with
    /// [`StoreError::StalePlan`] when the store changed since the plan was made.
    fn apply(
        &self,
        plan: &ImportPlan,
        data: &WalletData,
        key: &StorageKey,
    ) -> Result<ImportReport, StoreError>;
}
