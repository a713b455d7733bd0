//! The wallet store for the bindings: a [`Wallet`] object over the embedded SQLite store, with
//! import as a reviewed merge.
//!
//! The storage key is passed per call as 32 bytes: on Android the key unwrapped by a
//! BiometricPrompt-gated Keystore key, on iOS a Keychain item with user-presence access control.
//! Listing needs no key; export and import do, so the biometric gate is enforced by the core.

use std::path::PathBuf;
use std::sync::Arc;

use zeroize::Zeroize;

use super::{take_password, CancelToken, ExportSettings, Observer, ProgressListener, WalletError};
use crate::format::{self, OpenOptions};
use crate::import_summary;
use crate::network::Network;
use crate::store::import::{self, ImportOptions, ImportPlan, ImportReport};
use crate::store::{SqliteStore, StorageKey, WalletStore};

/// Takes the storage key bytes and wipes the FFI copy.
pub(super) fn take_key(mut bytes: Vec<u8>) -> Result<StorageKey, WalletError> {
    let key = StorageKey::from_bytes(&bytes);
    bytes.zeroize();
    Ok(key?)
}

/// What kind of thing an import item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ImportItemKind {
    /// An identity.
    Identity,
    /// An account.
    Account,
    /// An address-book entry.
    Contact,
    /// A field of the wallet data this library does not model.
    Field,
}

/// One line of the "Review your import" screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportLine {
    /// What it is.
    pub kind: ImportItemKind,
    /// Its name in the backup.
    pub name: String,
    /// Its address (accounts, contacts) or idCredPub (identities), when it has one.
    pub key: Option<String>,
    /// Why it conflicts or is skipped (empty for additions and items already present).
    pub reason: String,
}

/// What an import will do (preview) or did (report): the two are the same for the same file.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportSummary {
    /// The wallet's network.
    pub wallet_network: Network,
    /// The backup's network (as named by the file, or as assumed).
    pub file_network: Network,
    /// True when the backup named no network and `assume_network` was used.
    pub network_assumed: bool,
    /// Identities to add / added.
    pub identities_added: Vec<ImportLine>,
    /// Accounts to add / added.
    pub accounts_added: Vec<ImportLine>,
    /// Read-only accounts that get / got the backup's keys.
    pub accounts_upgraded: Vec<ImportLine>,
    /// Address-book entries to add / added.
    pub contacts_added: Vec<ImportLine>,
    /// What the wallet already has.
    pub already_present: Vec<ImportLine>,
    /// What disagrees with the wallet; the wallet's version is kept.
    pub conflicts: Vec<ImportLine>,
    /// What is not imported, with the reason.
    pub skipped: Vec<ImportLine>,
    /// How many writes the import makes / made (0 when importing the same file again).
    pub change_count: u32,
}

impl From<import_summary::ImportItemKind> for ImportItemKind {
    fn from(k: import_summary::ImportItemKind) -> Self {
        use import_summary::ImportItemKind as K;
        match k {
            K::Identity => Self::Identity,
            K::Account => Self::Account,
            K::Contact => Self::Contact,
            K::Field => Self::Field,
        }
    }
}

impl From<import_summary::ImportLine> for ImportLine {
    fn from(l: import_summary::ImportLine) -> Self {
        Self {
            kind: l.kind.into(),
            name: l.name,
            key: l.key,
            reason: l.reason,
        }
    }
}

impl From<import_summary::ImportSummary> for ImportSummary {
    fn from(s: import_summary::ImportSummary) -> Self {
        let lines = |ls: Vec<import_summary::ImportLine>| ls.into_iter().map(Into::into).collect();
        Self {
            wallet_network: s.wallet_network,
            file_network: s.file_network,
            network_assumed: s.network_assumed,
            identities_added: lines(s.identities_added),
            accounts_added: lines(s.accounts_added),
            accounts_upgraded: lines(s.accounts_upgraded),
            contacts_added: lines(s.contacts_added),
            already_present: lines(s.already_present),
            conflicts: lines(s.conflicts),
            skipped: lines(s.skipped),
            change_count: s.change_count as u32,
        }
    }
}

pub(crate) fn summary_of(
    plan_networks: (Network, Network, bool),
    r: &ImportReport,
) -> ImportSummary {
    let (wallet, file, assumed) = plan_networks;
    import_summary::ImportSummary::new(wallet, file, assumed, r).into()
}

/// The FFI summary of a plan (what the import would do).
pub(crate) fn plan_summary(plan: &ImportPlan) -> ImportSummary {
    import_summary::ImportSummary::of_plan(plan).into()
}

/// The FFI summary of a finished import.
pub(crate) fn report_summary(plan: &ImportPlan, report: &ImportReport) -> ImportSummary {
    import_summary::ImportSummary::of_report(plan, report).into()
}

/// An account as listed from the store (no keys).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StoredAccount {
    /// The account's name.
    pub name: String,
    /// The account address.
    pub address: String,
    /// True when the wallet has no keys for it (it can be upgraded by importing a backup).
    pub read_only: bool,
    /// For a Ledger-backed account: the pairing identifier of the Ledger that holds its keys.
    pub ledger_pairing_id: Option<String>,
}

/// An identity as listed from the store (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StoredIdentity {
    /// The identity's nickname.
    pub name: String,
    /// Its accounts.
    pub accounts: Vec<StoredAccount>,
}

/// What the wallet holds, listed without a key.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WalletOverview {
    /// The wallet's network.
    pub network: Network,
    /// Identities with their accounts.
    pub identities: Vec<StoredIdentity>,
    /// The address book.
    pub address_book: Vec<super::Contact>,
    /// Number of identities.
    pub identity_count: u32,
    /// Number of accounts.
    pub account_count: u32,
    /// Number of address-book entries.
    pub contact_count: u32,
}

/// A wallet kept in an embedded SQLite database file. Secrets inside are sealed under the storage
/// key the app passes to each call that needs them.
#[derive(uniffi::Object)]
pub struct Wallet {
    store: SqliteStore,
}

impl Wallet {
    /// The store under this wallet (for the flows).
    pub(crate) fn store(&self) -> &SqliteStore {
        &self.store
    }

    /// Checks the key, decrypts the backup and makes the import plan (shared by preview and
    /// import, so both compute exactly the same plan).
    fn plan(
        &self,
        file: Vec<u8>,
        password: Vec<u8>,
        storage_key: Vec<u8>,
        assume_network: Option<Network>,
        observer: &Observer,
    ) -> Result<(ImportPlan, crate::model::WalletData, StorageKey), WalletError> {
        let key = take_key(storage_key)?;
        self.store.check_key(&key)?;
        let options = ImportOptions { assume_network };
        let password = take_password(password)?;
        let data = format::open(&file, &password, &OpenOptions::default(), observer)?.data;
        let plan = import::preview(&self.store, &data, &key, &options)?;
        Ok((plan, data, key))
    }
}

#[uniffi::export]
impl Wallet {
    /// Creates a new wallet file at `path` for `network`, locked with a 32-byte storage key
    /// (wiped after use). Fails if the file exists.
    #[uniffi::constructor]
    pub fn create(
        path: String,
        network: Network,
        storage_key: Vec<u8>,
    ) -> Result<Arc<Self>, WalletError> {
        let key = take_key(storage_key)?;
        let store = SqliteStore::create(&PathBuf::from(path), network, &key)?;
        Ok(Arc::new(Self { store }))
    }

    /// Opens an existing wallet file (migrating its schema if it is older). Needs no key.
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>, WalletError> {
        let store = SqliteStore::open(&PathBuf::from(path))?;
        Ok(Arc::new(Self { store }))
    }

    /// Names, addresses and counts, without a key.
    pub fn overview(&self) -> Result<WalletOverview, WalletError> {
        let s = self.store.summary()?;
        Ok(WalletOverview {
            network: s.network,
            identity_count: s.identity_count() as u32,
            account_count: s.account_count() as u32,
            contact_count: s.contact_count() as u32,
            identities: s
                .identities
                .into_iter()
                .map(|i| StoredIdentity {
                    name: i.name,
                    accounts: i
                        .accounts
                        .into_iter()
                        .map(|a| StoredAccount {
                            name: a.name,
                            address: a.address,
                            read_only: a.read_only,
                            ledger_pairing_id: a.ledger_pairing_id,
                        })
                        .collect(),
                })
                .collect(),
            address_book: s
                .contacts
                .into_iter()
                .map(|c| super::Contact {
                    name: c.name,
                    address: c.address,
                })
                .collect(),
        })
    }

    /// Checks that the storage key unlocks this wallet (`WrongStorageKey` otherwise).
    pub fn check_storage_key(&self, storage_key: Vec<u8>) -> Result<(), WalletError> {
        Ok(self.store.check_key(&take_key(storage_key)?)?)
    }

    /// Adds an address-book entry; false when it is already there.
    pub fn add_contact(&self, name: String, address: String) -> Result<bool, WalletError> {
        Ok(self.store.add_contact(&name, &address)?)
    }

    /// Removes an address-book entry; false when there was none.
    pub fn remove_contact(&self, name: String, address: String) -> Result<bool, WalletError> {
        Ok(self.store.remove_contact(&name, &address)?)
    }

    /// Exports the whole wallet as an encrypted backup. Needs the storage key; the password and
    /// key bytes are wiped.
    pub fn export(
        &self,
        storage_key: Vec<u8>,
        password: Vec<u8>,
        settings: ExportSettings,
        listener: Option<Arc<dyn ProgressListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Vec<u8>, WalletError> {
        let key = take_key(storage_key)?;
        let password = take_password(password)?;
        let data = self.store.export_data(&key)?;
        Ok(format::export(
            &data,
            &password,
            &settings.into(),
            &Observer { listener, cancel },
        )?)
    }

    /// Says what importing the backup would do, changing nothing ("Review your import").
    /// `assume_network` names the network of old files that do not say (else `UnknownNetwork`).
    pub fn preview_import(
        &self,
        file: Vec<u8>,
        password: Vec<u8>,
        storage_key: Vec<u8>,
        assume_network: Option<Network>,
        listener: Option<Arc<dyn ProgressListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<ImportSummary, WalletError> {
        let observer = Observer { listener, cancel };
        let (plan, _, _) = self.plan(file, password, storage_key, assume_network, &observer)?;
        Ok(plan_summary(&plan))
    }

    /// Imports the backup: the preview's plan, applied in one transaction (all or nothing).
    /// Importing the same file twice changes nothing the second time.
    pub fn import(
        &self,
        file: Vec<u8>,
        password: Vec<u8>,
        storage_key: Vec<u8>,
        assume_network: Option<Network>,
        listener: Option<Arc<dyn ProgressListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<ImportSummary, WalletError> {
        let observer = Observer { listener, cancel };
        let (plan, data, key) =
            self.plan(file, password, storage_key, assume_network, &observer)?;
        if observer.is_cancelled_now() {
            return Err(crate::BackupError::Cancelled.into());
        }
        let report = self.store.apply(&plan, &data, &key)?;
        Ok(report_summary(&plan, &report))
    }
}
