//! [`MemoryStore`]: a wallet store that lives in memory, for tests and for apps that keep the
//! wallet elsewhere and only need the core's import rules for a session.
//!
//! It keeps the same contract as [`SqliteStore`](super::SqliteStore) (the suite in
//! `tests/store_contract.rs` runs against both): the storage key is checked against a key-check
//! value derived as in a store file ([`StoreError::WrongStorageKey`] for another key), every
//! change bumps the revision and a plan made at another revision is refused, an apply writes all
//! of its plan or nothing, and the backup status compares the last recorded export with the
//! wallet. What it does not do is seal: the secrets are held as the model's own types (wiped
//! when dropped), never written anywhere, and gone when the store is dropped.

use std::sync::{Mutex, MutexGuard};

use serde_json::{Map, Value};

use super::fault::{FailAfterWrites, WriteCounter};
use super::import::{check_base, ledger_pairing_id, AccountWrite, FieldScope, ImportPlan};
use super::import::{ImportReport, Writes};
use super::seal::{Sealer, StorageKey, KEY_CHECK_LEN, STORE_ID_LEN};
use super::wallet_store::{check_contact, check_read_only_account};
use super::{
    AccountSummary, BackupStatus, ContactSummary, ExportSnapshot, IdentitySummary, StoreError,
    StoreState, StoreSummary, WalletStore,
};
use crate::model::{
    Account, Identity, Recipient, WalletContents, WalletData, MOBILE_WALLET_TYPE,
    MOBILE_WALLET_VERSION,
};
use crate::network::Network;

/// A stored account: with its keys, or read-only (found by a scan, or on a Ledger).
#[derive(Debug, Clone)]
enum StoredAccount {
    /// An account with keys, as imported.
    WithKeys(Box<Account>),
    /// An account without keys; `extra` holds a Ledger-backed account's `ledger` field.
    ReadOnly {
        name: String,
        address: String,
        extra: Map<String, Value>,
    },
}

impl StoredAccount {
    fn address(&self) -> &str {
        match self {
            Self::WithKeys(a) => &a.address,
            Self::ReadOnly { address, .. } => address,
        }
    }

    fn summary(&self) -> AccountSummary {
        match self {
            Self::WithKeys(a) => AccountSummary {
                name: a.name.clone(),
                address: a.address.clone(),
                read_only: false,
                ledger_pairing_id: None,
            },
            Self::ReadOnly {
                name,
                address,
                extra,
            } => AccountSummary {
                name: name.clone(),
                address: address.clone(),
                read_only: true,
                ledger_pairing_id: ledger_pairing_id(extra),
            },
        }
    }
}

/// A stored identity: its own data (`accounts` left empty) and its accounts in the order stored.
#[derive(Debug, Clone)]
struct StoredIdentity {
    id_cred_pub: String,
    identity: Identity,
    accounts: Vec<StoredAccount>,
}

/// Everything that changes, behind the store's one lock.
#[derive(Debug, Clone, Default)]
struct Content {
    revision: u64,
    identities: Vec<StoredIdentity>,
    contacts: Vec<Recipient>,
    extra: Map<String, Value>,
    value_extra: Map<String, Value>,
    last_export: Option<(i64, ExportSnapshot)>,
}

/// A wallet store in memory (see the module documentation for what it keeps and how).
///
/// Calls run one at a time behind a mutex, so the store can be shared between threads.
#[derive(Debug)]
pub struct MemoryStore {
    network: Network,
    store_id: Vec<u8>,
    key_check: [u8; KEY_CHECK_LEN],
    content: Mutex<Content>,
    fail_after_writes: FailAfterWrites,
}

impl MemoryStore {
    /// A new, empty store for `network`, unlocked by `key` from now on.
    pub fn new(network: Network, key: &StorageKey) -> Result<Self, StoreError> {
        let mut store_id = vec![0u8; STORE_ID_LEN];
        crate::random::fill(&mut store_id)?;
        let key_check = Sealer::key_check(key, &store_id)?;
        Ok(Self {
            network,
            store_id,
            key_check,
            content: Mutex::new(Content::default()),
            fail_after_writes: FailAfterWrites::new(),
        })
    }

    /// Testing aid (feature `testing`): makes the next [`WalletStore::apply`] fail after `n`
    /// writes (`None` turns it off), to show that a failure halfway changes nothing.
    #[cfg(any(test, feature = "testing"))]
    pub fn fail_apply_after_writes(&self, n: Option<u64>) {
        self.fail_after_writes.set(n);
    }

    fn lock(&self) -> MutexGuard<'_, Content> {
        // Every change is made on a copy that replaces the content only when it is complete, so
        // a panic elsewhere cannot leave the content half-changed.
        self.content.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn summary_of(&self, content: &Content) -> StoreSummary {
        StoreSummary {
            network: self.network,
            store_id: self.store_id.clone(),
            revision: content.revision,
            identities: (content.identities.iter())
                .map(|i| IdentitySummary {
                    name: i.identity.name.clone(),
                    id_cred_pub: i.id_cred_pub.clone(),
                    accounts: i.accounts.iter().map(StoredAccount::summary).collect(),
                })
                .collect(),
            contacts: (content.contacts.iter())
                .map(|c| ContactSummary {
                    name: c.name.clone(),
                    address: c.address.clone(),
                })
                .collect(),
        }
    }

    fn export_of(&self, content: &Content) -> WalletData {
        let identities = (content.identities.iter())
            .map(|i| Identity {
                accounts: (i.accounts.iter())
                    .filter_map(|a| match a {
                        StoredAccount::WithKeys(a) => Some(Account::clone(a)),
                        StoredAccount::ReadOnly { .. } => None,
                    })
                    .collect(),
                ..i.identity.clone()
            })
            .collect();
        WalletData {
            kind: MOBILE_WALLET_TYPE.into(),
            v: MOBILE_WALLET_VERSION,
            environment: Some(self.network),
            value: WalletContents {
                identities,
                recipients: content.contacts.clone(),
                extra: content.value_extra.clone(),
            },
            extra: content.extra.clone(),
        }
    }
}

/// The store's content now, by the keys an export is compared on.
fn snapshot(content: &Content) -> ExportSnapshot {
    let mut now = ExportSnapshot::default();
    for ident in &content.identities {
        now.identities.insert(ident.id_cred_pub.clone());
        for acc in &ident.accounts {
            if let StoredAccount::WithKeys(a) = acc {
                now.accounts.insert(a.address.clone());
            }
        }
    }
    now.contacts = (content.contacts.iter())
        .map(|c| (c.address.clone(), c.name.clone()))
        .collect();
    now
}

impl Content {
    fn has_account(&self, address: &str) -> bool {
        (self.identities.iter())
            .flat_map(|i| &i.accounts)
            .any(|a| a.address() == address)
    }

    fn identity_mut(&mut self, id_cred_pub: &str) -> Option<&mut StoredIdentity> {
        (self.identities.iter_mut()).find(|i| i.id_cred_pub == id_cred_pub)
    }

    /// Writes one account of a plan, as the SQLite store's insert or upgrade does.
    fn write_account(&mut self, write: &AccountWrite<'_>) -> Result<(), StoreError> {
        let acc = write.account;
        if !write.upgrade && self.has_account(&acc.address) {
            return Err(StoreError::PlanMismatch(
                "an account it adds is already in the wallet".into(),
            ));
        }
        let ident = self.identity_mut(write.id_cred_pub).ok_or_else(|| {
            StoreError::PlanMismatch("an account's identity is neither stored nor added".into())
        })?;
        let stored = if write.ledger_backed {
            StoredAccount::ReadOnly {
                name: acc.name.clone(),
                address: acc.address.clone(),
                extra: acc.extra.clone(),
            }
        } else {
            StoredAccount::WithKeys(Box::new(acc.clone()))
        };
        if !write.upgrade {
            ident.accounts.push(stored);
            return Ok(());
        }
        let slot = (ident.accounts.iter_mut())
            .find(
                |a| matches!(a, StoredAccount::ReadOnly { address, .. } if *address == acc.address),
            )
            .ok_or(StoreError::StalePlan)?;
        *slot = stored;
        Ok(())
    }

    /// Writes everything `writes` lists, counting each write for the fault injection.
    fn write_all(
        &mut self,
        writes: &Writes<'_>,
        counter: &mut WriteCounter,
    ) -> Result<(), StoreError> {
        for (item, ident) in &writes.identities {
            if self.identity_mut(&item.id_cred_pub).is_some() {
                return Err(StoreError::PlanMismatch(
                    "an identity it adds is already in the wallet".into(),
                ));
            }
            self.identities.push(StoredIdentity {
                id_cred_pub: item.id_cred_pub.clone(),
                identity: Identity {
                    accounts: Vec::new(),
                    ..(*ident).clone()
                },
                accounts: Vec::new(),
            });
            counter.wrote()?;
        }
        for write in &writes.accounts {
            self.write_account(write)?;
            counter.wrote()?;
        }
        for r in &writes.contacts {
            if (self.contacts.iter()).any(|c| c.name == r.name && c.address == r.address) {
                return Err(StoreError::PlanMismatch(
                    "a contact it adds is already in the wallet".into(),
                ));
            }
            self.contacts.push((*r).clone());
            counter.wrote()?;
        }
        for field in &writes.fields {
            let target = match field.scope {
                FieldScope::TopLevel => &mut self.extra,
                FieldScope::Value => &mut self.value_extra,
            };
            if target
                .insert(field.name.to_string(), field.value.clone())
                .is_some()
            {
                return Err(StoreError::StalePlan);
            }
            counter.wrote()?;
        }
        Ok(())
    }
}

impl WalletStore for MemoryStore {
    fn network(&self) -> Result<Network, StoreError> {
        Ok(self.network)
    }

    fn summary(&self) -> Result<StoreSummary, StoreError> {
        Ok(self.summary_of(&self.lock()))
    }

    fn check_key(&self, key: &StorageKey) -> Result<(), StoreError> {
        Sealer::unlock(key, &self.store_id, &self.key_check).map(|_| ())
    }

    fn add_contact(&self, name: &str, address: &str) -> Result<bool, StoreError> {
        check_contact(name, address)?;
        let mut content = self.lock();
        let mut names = (content.contacts.iter()).filter(|c| c.address == address);
        if names.clone().any(|c| c.name == name) {
            return Ok(false);
        }
        if names.next().is_some() {
            return Err(StoreError::AddressHasOtherName);
        }
        content.contacts.push(Recipient {
            name: name.to_string(),
            address: address.to_string(),
            extra: Map::new(),
        });
        content.revision += 1;
        Ok(true)
    }

    fn remove_contact(&self, name: &str, address: &str) -> Result<bool, StoreError> {
        let mut content = self.lock();
        let before = content.contacts.len();
        content
            .contacts
            .retain(|c| !(c.name == name && c.address == address));
        let removed = content.contacts.len() < before;
        if removed {
            content.revision += 1;
        }
        Ok(removed)
    }

    fn add_read_only_account(
        &self,
        id_cred_pub: &str,
        name: &str,
        address: &str,
    ) -> Result<(), StoreError> {
        check_read_only_account(address)?;
        let mut content = self.lock();
        if content.identity_mut(id_cred_pub).is_none() {
            return Err(StoreError::InvalidInput(
                "the wallet has no such identity".into(),
            ));
        }
        if content.has_account(address) {
            return Err(StoreError::AccountExists);
        }
        if let Some(ident) = content.identity_mut(id_cred_pub) {
            ident.accounts.push(StoredAccount::ReadOnly {
                name: name.to_string(),
                address: address.to_string(),
                extra: Map::new(),
            });
        }
        content.revision += 1;
        Ok(())
    }

    fn export_data(&self, key: &StorageKey) -> Result<WalletData, StoreError> {
        self.check_key(key)?;
        Ok(self.export_of(&self.lock()))
    }

    fn import_state(&self, key: &StorageKey) -> Result<StoreState, StoreError> {
        self.check_key(key)?;
        let content = self.lock();
        Ok(StoreState {
            summary: self.summary_of(&content),
            data: self.export_of(&content),
        })
    }

    fn backup_status(&self) -> Result<BackupStatus, StoreError> {
        let content = self.lock();
        let now = snapshot(&content);
        let last = (content.last_export.as_ref()).map(|(at, then)| (*at, then));
        Ok(BackupStatus::assess(last, &now))
    }

    fn record_export(&self, snapshot: &ExportSnapshot, at: i64) -> Result<(), StoreError> {
        self.lock().last_export = Some((at, snapshot.clone()));
        Ok(())
    }

    fn apply(
        &self,
        plan: &ImportPlan,
        data: &WalletData,
        key: &StorageKey,
    ) -> Result<ImportReport, StoreError> {
        self.check_key(key)?;
        let mut content = self.lock();
        check_base(plan, &self.store_id, self.network, content.revision)?;
        let mut counter = self.fail_after_writes.counter();
        let writes = Writes::resolve(plan, data)?;
        // Written into a copy that replaces the content only when every write succeeded.
        let mut next = content.clone();
        next.write_all(&writes, &mut counter)?;
        if plan.changes() > 0 {
            next.revision += 1;
        }
        *content = next;
        Ok(plan.report())
    }
}
