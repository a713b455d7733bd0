//! [`WalletStore`]: what the wallet core needs from a store, whatever keeps the data.

use super::backup_status::{BackupStatus, ExportSnapshot};
use super::error::StoreError;
use super::import::plan::{ImportPlan, ImportReport};
use super::seal::StorageKey;
use super::summary::StoreSummary;
use crate::model::WalletData;
use crate::network::Network;

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
/// [`SqliteStore`](super::SqliteStore) implements it on an embedded SQLite file and
/// [`MemoryStore`](super::MemoryStore) in memory. An app with its own database can implement it
/// too; the contract each method documents (one transaction per write, key checks, the revision)
/// is what [`import`](super::import) relies on, `tests/store_contract.rs` checks it, and
/// [`check_base`](super::import::check_base) and [`Writes`](super::import::Writes) do the checks
/// of [`apply`](WalletStore::apply) that every store shares. Opening and creating are not part of
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

    /// Carries out an import plan made by [`preview`](super::import::preview) for `data`, in one
    /// transaction: everything in the plan is written, or nothing is. Fails with
    /// [`StoreError::StalePlan`] when the store changed since the plan was made.
    fn apply(
        &self,
        plan: &ImportPlan,
        data: &WalletData,
        key: &StorageKey,
    ) -> Result<ImportReport, StoreError>;
}

/// The request check of [`WalletStore::add_contact`], the same for every store: a name and a
/// Concordium account address ([`StoreError::InvalidInput`], [`StoreError::InvalidAddress`]).
pub fn check_contact(name: &str, address: &str) -> Result<(), StoreError> {
    if name.trim().is_empty() || address.trim().is_empty() {
        return Err(StoreError::InvalidInput(
            "a contact needs a name and an address".into(),
        ));
    }
    crate::keys::validate_address(address)
        .map(|_| ())
        .map_err(|_| StoreError::InvalidAddress)
}

/// The request check of [`WalletStore::add_read_only_account`], the same for every store: an
/// address ([`StoreError::InvalidInput`] when it is empty).
pub fn check_read_only_account(address: &str) -> Result<(), StoreError> {
    if address.trim().is_empty() {
        return Err(StoreError::InvalidInput(
            "an account needs an address".into(),
        ));
    }
    Ok(())
}
