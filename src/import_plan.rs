//! Importing a backup into a wallet store as a reviewed merge.
//!
//! [`preview`] compares a backup's wallet data with what the store holds and returns an
//! [`ImportPlan`] without changing anything: identities, accounts and address-book entries to add;
//! read-only accounts the backup upgrades with keys; what is already present; conflicts, which are
//! reported and never overwritten; and what is skipped, with the reason. [`import`] makes that
//! plan and has the store apply exactly it, in one transaction, so the [`ImportReport`] equals the
//! preview. Importing the same backup again changes nothing.
//!
//! The rules follow Concordium's wallets (docs/references.md §A.1.4):
//!
//! - **Network.** A mainnet backup goes only into a mainnet wallet and a mainnet wallet takes only
//!   mainnet backups; testnet and stagenet backups go into any non-mainnet wallet (CryptoX's rule);
//!   other networks (mock, local) only into a wallet of the same network. A backup without a
//!   network is refused ([`StoreError::UnknownNetwork`]) unless the caller names the network to
//!   assume ([`ImportOptions::assume_network`]).
//! - **Identities** are the same when their idCredPub is; one without idCredPub is skipped.
//! - **Accounts** are the same when their address is. An account already stored with other data
//!   (another name, other keys, another identity) is a conflict. A read-only account of the same
//!   identity is upgraded with the backup's account (its keys and its data). An account without
//!   keys in the backup is skipped.
//! - **Contacts** are the same when name and address are; the same address under another name is
//!   a conflict.
//! - **Addresses** of accounts and contacts must be Concordium account addresses (Base58Check,
//!   version byte 1, 32 bytes: [`validate_address`]); an item whose address is not is skipped
//!   with [`SkipReason::InvalidAddress`].
//! - Fields this library does not model, at the top level and in `value`, are added when the
//!   wallet does not have them; a different value is a conflict.
//! - Within one backup, a second identity with an idCredPub seen before is skipped (its accounts
//!   are still considered), and so are a second account with the same address and a second
//!   identical contact.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::Value;

use crate::keys::validate_address;
use crate::model::{Account, Identity, WalletData, MOBILE_WALLET_TYPE, MOBILE_WALLET_VERSION};
use crate::network::Network;
use crate::store::{StorageKey, StoreError, StoreState, StoreSummary, WalletStore};

/// Options for [`preview`] and [`import`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The network to assume for a backup that does not name one (files written before May
    /// 2021). Ignored when the backup names its network: an assumption never changes it.
    pub assume_network: Option<Network>,
}

/// An identity of the backup (its position in `value.identities`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityItem {
    /// Position in the backup's identities.
    pub index: usize,
    /// The identity's nickname.
    pub name: String,
    /// Its idCredPub.
    pub id_cred_pub: String,
}

/// An account of the backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountItem {
    /// Position of its identity in the backup's identities.
    pub identity_index: usize,
    /// Position in that identity's accounts.
    pub index: usize,
    /// The account's name in the backup.
    pub name: String,
    /// The account address.
    pub address: String,
    /// The idCredPub of its identity.
    pub id_cred_pub: String,
}

/// An address-book entry of the backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactItem {
    /// Position in the backup's recipients.
    pub index: usize,
    /// The contact's name.
    pub name: String,
    /// The contact's address.
    pub address: String,
}

/// Where an unmodelled field sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldScope {
    /// Next to `type`, `v`, `environment` and `value`.
    TopLevel,
    /// Inside `value`, next to `identities` and `recipients`.
    Value,
}

/// A field of the wallet data this library does not model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldItem {
    /// Where it is.
    pub scope: FieldScope,
    /// Its name.
    pub name: String,
}

/// Something in the backup that the wallet already has, unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Present {
    /// The same identity (same idCredPub, same data).
    Identity(IdentityItem),
    /// The same account (same address, same data, same identity).
    Account(AccountItem),
    /// The same contact (same name, address and details).
    Contact(ContactItem),
    /// The same unmodelled field with the same value.
    Field(FieldItem),
}

/// Something in the backup that disagrees with the wallet. The wallet's version is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The wallet has this identity (same idCredPub) with other data (name, next account number,
    /// provider, …). The identity is kept as it is; its new accounts are still added.
    IdentityDiffers {
        /// The backup's identity.
        item: IdentityItem,
        /// The identity's name in the wallet.
        name_in_wallet: String,
    },
    /// The wallet has an account with this address and other data (name, keys, credential, …).
    AccountDiffers {
        /// The backup's account.
        item: AccountItem,
        /// The account's name in the wallet.
        name_in_wallet: String,
    },
    /// The wallet has this address as an account of another identity.
    AccountOfOtherIdentity {
        /// The backup's account.
        item: AccountItem,
        /// The account's name in the wallet.
        name_in_wallet: String,
        /// The idCredPub of the identity it belongs to in the wallet.
        id_cred_pub_in_wallet: String,
    },
    /// The address book has this address under another name.
    ContactNameDiffers {
        /// The backup's contact.
        item: ContactItem,
        /// The name the address has in the wallet (or earlier in the same backup).
        name_in_wallet: String,
    },
    /// The address book has this name and address with other details (unmodelled fields).
    ContactDetailsDiffer {
        /// The backup's contact.
        item: ContactItem,
    },
    /// An unmodelled field has another value in the wallet.
    FieldDiffers(FieldItem),
}

/// What was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// An identity.
    Identity,
    /// An account.
    Account,
    /// An address-book entry.
    Contact,
}

/// Why something was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SkipReason {
    /// The identity has no `identityObject.preIdentityObject.pubInfoForIp.idCredPub`, so it cannot
    /// be told apart from others.
    NoIdCredPub,
    /// The account's identity was skipped.
    IdentitySkipped,
    /// The account has no keys (`accountKeys` or `encryptionSecretKey` is empty).
    KeysMissing,
    /// The same item appears earlier in the backup.
    DuplicateInFile,
    /// A number in it is larger than the store can hold.
    ValueOutOfRange,
    /// Its address is not a Concordium account address (Base58Check, version byte 1, 32 bytes).
    InvalidAddress,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoIdCredPub => "the identity has no public id credential (idCredPub)",
            Self::IdentitySkipped => "its identity was skipped",
            Self::KeysMissing => "the account's keys are missing",
            Self::DuplicateInFile => "it appears earlier in the same backup",
            Self::ValueOutOfRange => "a number in it is too large",
            Self::InvalidAddress => "its address is not a valid Concordium account address",
        })
    }
}

/// An item of the backup that will not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// What it is.
    pub kind: ItemKind,
    /// Its name.
    pub name: String,
    /// Its idCredPub or address, when it has one.
    pub key: Option<String>,
    /// Why it is skipped.
    pub reason: SkipReason,
}

/// What an import will do, made by [`preview`]; nothing is changed until a store applies it.
///
/// The lists are public so an app can show them (and leave out what the user deselects); the
/// store checks every entry against the backup when it applies the plan, and refuses a plan made
/// for another store or an older revision of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    /// The wallet's network.
    pub wallet_network: Network,
    /// The backup's network (as named by the file, or as assumed).
    pub file_network: Network,
    /// True when the backup did not name its network and [`ImportOptions::assume_network`] was
    /// used.
    pub network_assumed: bool,
    /// Identities to add.
    pub identities_to_add: Vec<IdentityItem>,
    /// Accounts to add, under a stored identity or one added by this plan.
    pub accounts_to_add: Vec<AccountItem>,
    /// Read-only accounts of the wallet that get the backup's keys and data.
    pub accounts_to_upgrade: Vec<AccountItem>,
    /// Address-book entries to add.
    pub contacts_to_add: Vec<ContactItem>,
    /// Unmodelled fields to add.
    pub fields_to_add: Vec<FieldItem>,
    /// What the wallet already has.
    pub already_present: Vec<Present>,
    /// What disagrees with the wallet (kept as the wallet has it).
    pub conflicts: Vec<Conflict>,
    /// What is not imported, with the reason.
    pub skipped: Vec<Skipped>,
    store_id: Vec<u8>,
    base_revision: u64,
}

impl ImportPlan {
    /// The id of the store the plan was made for.
    pub fn store_id(&self) -> &[u8] {
        &self.store_id
    }

    /// The store revision the plan was made at.
    pub fn base_revision(&self) -> u64 {
        self.base_revision
    }

    /// How many writes applying the plan makes (additions, upgrades, fields).
    pub fn changes(&self) -> usize {
        self.identities_to_add.len()
            + self.accounts_to_add.len()
            + self.accounts_to_upgrade.len()
            + self.contacts_to_add.len()
            + self.fields_to_add.len()
    }

    /// The report a store gives after applying this plan.
    pub fn report(&self) -> ImportReport {
        ImportReport {
            identities_added: self.identities_to_add.clone(),
            accounts_added: self.accounts_to_add.clone(),
            accounts_upgraded: self.accounts_to_upgrade.clone(),
            contacts_added: self.contacts_to_add.clone(),
            fields_added: self.fields_to_add.clone(),
            already_present: self.already_present.clone(),
            conflicts: self.conflicts.clone(),
            skipped: self.skipped.clone(),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Identities added.
    pub identities_added: Vec<IdentityItem>,
    /// Accounts added.
    pub accounts_added: Vec<AccountItem>,
    /// Read-only accounts that got keys.
    pub accounts_upgraded: Vec<AccountItem>,
    /// Address-book entries added.
    pub contacts_added: Vec<ContactItem>,
    /// Unmodelled fields added.
    pub fields_added: Vec<FieldItem>,
    /// What the wallet already had.
    pub already_present: Vec<Present>,
    /// What disagreed with the wallet and was left as the wallet had it.
    pub conflicts: Vec<Conflict>,
    /// What was not imported, with the reason.
    pub skipped: Vec<Skipped>,
}

impl ImportReport {
    /// How many writes the import made.
    pub fn changes(&self) -> usize {
        self.identities_added.len()
            + self.accounts_added.len()
            + self.accounts_upgraded.len()
            + self.contacts_added.len()
            + self.fields_added.len()
    }
}

/// Whether a backup of network `file` may go into a wallet on network `wallet`.
pub fn networks_compatible(wallet: Network, file: Network) -> bool {
    use Network::*;
    match (wallet, file) {
        (w, f) if w == f => true,
        (Mainnet, _) | (_, Mainnet) => false,
        (_, Testnet | Stagenet) => true,
        _ => false,
    }
}

/// The backup's network after the rules above, or the typed error that refuses it.
pub fn check_network(
    wallet: Network,
    data: &WalletData,
    options: &ImportOptions,
) -> Result<(Network, bool), StoreError> {
    let (file, assumed) = match (data.environment, options.assume_network) {
        (Some(e), _) => (e, false),
        (None, Some(e)) => (e, true),
        (None, None) => return Err(StoreError::UnknownNetwork),
    };
    if !networks_compatible(wallet, file) {
        return Err(StoreError::NetworkMismatch { wallet, file });
    }
    Ok((file, assumed))
}

/// True when an account carries keys: a non-empty `accountKeys` object and a non-empty
/// `encryptionSecretKey`.
pub fn has_keys(account: &Account) -> bool {
    matches!(&account.account_keys.0, Value::Object(m) if !m.is_empty())
        && !account.encryption_secret_key.0.is_empty()
}

/// The pairing identifier in an account's or identity's `ledger` field (`{"pairingId": hex, …}`),
/// which marks it as Ledger-backed: its keys are on that Ledger, not in the wallet.
pub fn ledger_pairing_id(extra: &serde_json::Map<String, Value>) -> Option<String> {
    extra
        .get("ledger")?
        .get("pairingId")?
        .as_str()
        .map(str::to_string)
}

/// True when an account is Ledger-backed: no keys, and a `ledger` field naming the Ledger (its
/// pairing identifier) and the key's path on it. It is imported as a read-only account.
pub fn is_ledger_backed(account: &Account) -> bool {
    !has_keys(account)
        && ledger_pairing_id(&account.extra).is_some()
        && account
            .extra
            .get("ledger")
            .and_then(|l| l.get("path"))
            .is_some_and(Value::is_string)
}

/// The identity's own data, without its accounts.
fn same_identity(a: &Identity, b: &Identity) -> bool {
    a.name == b.name
        && a.next_account_number == b.next_account_number
        && a.identity_provider == b.identity_provider
        && a.identity_object == b.identity_object
        && a.private_id_object_data == b.private_id_object_data
        && a.extra == b.extra
}

/// Compares a backup with what a store holds and says what importing it would do. Changes
/// nothing. Needs the storage key, because whether a stored account equals the backup's depends
/// on its keys.
pub fn preview(
    store: &dyn WalletStore,
    data: &WalletData,
    key: &StorageKey,
    options: &ImportOptions,
) -> Result<ImportPlan, StoreError> {
    let state = store.import_state(key)?;
    plan(&state, data, options)
}

/// Previews the import and has the store apply exactly that plan, in one transaction.
pub fn import(
    store: &dyn WalletStore,
    data: &WalletData,
    key: &StorageKey,
    options: &ImportOptions,
) -> Result<ImportReport, StoreError> {
    let plan = preview(store, data, key, options)?;
    store.apply(&plan, data, key)
}

/// The planning itself: compares `data` with a store's state. [`preview`] reads the state.
pub fn plan(
    state: &StoreState,
    data: &WalletData,
    options: &ImportOptions,
) -> Result<ImportPlan, StoreError> {
    let summary: &StoreSummary = &state.summary;
    let (file_network, network_assumed) = check_network(summary.network, data, options)?;
    if data.kind != MOBILE_WALLET_TYPE || data.v != MOBILE_WALLET_VERSION {
        return Err(StoreError::InvalidInput(
            "the data is not Concordium mobile wallet data, version 1".into(),
        ));
    }
    let mut plan = ImportPlan {
        wallet_network: summary.network,
        file_network,
        network_assumed,
        identities_to_add: Vec::new(),
        accounts_to_add: Vec::new(),
        accounts_to_upgrade: Vec::new(),
        contacts_to_add: Vec::new(),
        fields_to_add: Vec::new(),
        already_present: Vec::new(),
        conflicts: Vec::new(),
        skipped: Vec::new(),
        store_id: summary.store_id.clone(),
        base_revision: summary.revision,
    };

    // What the wallet has.
    let mut stored_identities: HashMap<&str, &Identity> = HashMap::new();
    let mut stored_accounts: HashMap<&str, (&Account, &str)> = HashMap::new();
    for ident in &state.data.value.identities {
        let Some(icp) = ident.id_cred_pub() else {
            continue;
        };
        stored_identities.insert(icp, ident);
        for acc in &ident.accounts {
            stored_accounts.insert(acc.address.as_str(), (acc, icp));
        }
    }
    let mut read_only: HashMap<&str, (&str, &str)> = HashMap::new();
    for ident in &summary.identities {
        for acc in ident.accounts.iter().filter(|a| a.read_only) {
            read_only.insert(&acc.address, (&acc.name, &ident.id_cred_pub));
        }
    }

    // Identities and their accounts.
    let mut seen_identities: HashSet<&str> = HashSet::with_capacity(data.value.identities.len());
    let mut seen_accounts: HashSet<&str> =
        HashSet::with_capacity(data.value.identities.iter().map(|i| i.accounts.len()).sum());
    for (i, ident) in data.value.identities.iter().enumerate() {
        let skip_accounts = |plan: &mut ImportPlan| {
            for acc in &ident.accounts {
                plan.skipped.push(Skipped {
                    kind: ItemKind::Account,
                    name: acc.name.clone(),
                    key: Some(acc.address.clone()),
                    reason: SkipReason::IdentitySkipped,
                });
            }
        };
        let Some(icp) = ident.id_cred_pub() else {
            plan.skipped.push(Skipped {
                kind: ItemKind::Identity,
                name: ident.name.clone(),
                key: None,
                reason: SkipReason::NoIdCredPub,
            });
            skip_accounts(&mut plan);
            continue;
        };
        let item = IdentityItem {
            index: i,
            name: ident.name.clone(),
            id_cred_pub: icp.to_string(),
        };
        if seen_identities.contains(icp) {
            plan.skipped.push(Skipped {
                kind: ItemKind::Identity,
                name: ident.name.clone(),
                key: Some(icp.to_string()),
                reason: SkipReason::DuplicateInFile,
            });
        } else if let Some(stored) = stored_identities.get(icp) {
            seen_identities.insert(icp);
            if same_identity(stored, ident) {
                plan.already_present.push(Present::Identity(item));
            } else {
                plan.conflicts.push(Conflict::IdentityDiffers {
                    item,
                    name_in_wallet: stored.name.clone(),
                });
            }
        } else if ident
            .next_account_number
            .is_some_and(|n| i64::try_from(n).is_err())
        {
            plan.skipped.push(Skipped {
                kind: ItemKind::Identity,
                name: ident.name.clone(),
                key: Some(icp.to_string()),
                reason: SkipReason::ValueOutOfRange,
            });
            skip_accounts(&mut plan);
            continue;
        } else {
            seen_identities.insert(icp);
            plan.identities_to_add.push(item);
        }

        for (j, acc) in ident.accounts.iter().enumerate() {
            let item = AccountItem {
                identity_index: i,
                index: j,
                name: acc.name.clone(),
                address: acc.address.clone(),
                id_cred_pub: icp.to_string(),
            };
            let skip = |plan: &mut ImportPlan, reason| {
                plan.skipped.push(Skipped {
                    kind: ItemKind::Account,
                    name: acc.name.clone(),
                    key: Some(acc.address.clone()),
                    reason,
                })
            };
            if validate_address(&acc.address).is_err() {
                skip(&mut plan, SkipReason::InvalidAddress);
                continue;
            }
            let ledger_backed = is_ledger_backed(acc);
            if !has_keys(acc) && !ledger_backed {
                skip(&mut plan, SkipReason::KeysMissing);
                continue;
            }
            if !seen_accounts.insert(acc.address.as_str()) {
                skip(&mut plan, SkipReason::DuplicateInFile);
                continue;
            }
            if let Some((stored, stored_icp)) = stored_accounts.get(acc.address.as_str()) {
                if *stored_icp != icp {
                    plan.conflicts.push(Conflict::AccountOfOtherIdentity {
                        item,
                        name_in_wallet: stored.name.clone(),
                        id_cred_pub_in_wallet: stored_icp.to_string(),
                    });
                } else if *stored == acc {
                    plan.already_present.push(Present::Account(item));
                } else {
                    plan.conflicts.push(Conflict::AccountDiffers {
                        item,
                        name_in_wallet: stored.name.clone(),
                    });
                }
            } else if let Some((name, ro_icp)) = read_only.get(acc.address.as_str()) {
                if *ro_icp == icp && ledger_backed {
                    // Already there without keys; a Ledger-backed account has none to add.
                    plan.already_present.push(Present::Account(item));
                } else if *ro_icp == icp {
                    plan.accounts_to_upgrade.push(item);
                } else {
                    plan.conflicts.push(Conflict::AccountOfOtherIdentity {
                        item,
                        name_in_wallet: name.to_string(),
                        id_cred_pub_in_wallet: ro_icp.to_string(),
                    });
                }
            } else {
                plan.accounts_to_add.push(item);
            }
        }
    }

    // The address book. The first name each address has, in the wallet or in what this plan
    // adds (only the first is ever reported, so no list of names is kept).
    let stored_recipients = &state.data.value.recipients;
    let recipients = &data.value.recipients;
    let mut name_of_address: HashMap<&str, &str> =
        HashMap::with_capacity(stored_recipients.len() + recipients.len());
    let mut stored_contacts: HashMap<(&str, &str), &serde_json::Map<String, Value>> =
        HashMap::with_capacity(stored_recipients.len());
    for r in stored_recipients {
        name_of_address
            .entry(r.address.as_str())
            .or_insert(r.name.as_str());
        stored_contacts.insert((r.name.as_str(), r.address.as_str()), &r.extra);
    }
    let mut seen_contacts: HashSet<(&str, &str)> = HashSet::with_capacity(recipients.len());
    for (k, r) in recipients.iter().enumerate() {
        let pair = (r.name.as_str(), r.address.as_str());
        let item = ContactItem {
            index: k,
            name: r.name.clone(),
            address: r.address.clone(),
        };
        if validate_address(&r.address).is_err() {
            plan.skipped.push(Skipped {
                kind: ItemKind::Contact,
                name: r.name.clone(),
                key: Some(r.address.clone()),
                reason: SkipReason::InvalidAddress,
            });
        } else if !seen_contacts.insert(pair) {
            plan.skipped.push(Skipped {
                kind: ItemKind::Contact,
                name: r.name.clone(),
                key: Some(r.address.clone()),
                reason: SkipReason::DuplicateInFile,
            });
        } else if let Some(extra) = stored_contacts.get(&pair) {
            if **extra == r.extra {
                plan.already_present.push(Present::Contact(item));
            } else {
                plan.conflicts.push(Conflict::ContactDetailsDiffer { item });
            }
        } else if let Some(other) = name_of_address.get(r.address.as_str()) {
            plan.conflicts.push(Conflict::ContactNameDiffers {
                item,
                name_in_wallet: other.to_string(),
            });
        } else {
            name_of_address.insert(r.address.as_str(), r.name.as_str());
            plan.contacts_to_add.push(item);
        }
    }

    // Unmodelled fields.
    for (scope, theirs, ours) in [
        (FieldScope::TopLevel, &data.extra, &state.data.extra),
        (
            FieldScope::Value,
            &data.value.extra,
            &state.data.value.extra,
        ),
    ] {
        for (name, value) in theirs {
            let item = FieldItem {
                scope,
                name: name.clone(),
            };
            match ours.get(name) {
                None => plan.fields_to_add.push(item),
                Some(v) if v == value => plan.already_present.push(Present::Field(item)),
                Some(_) => plan.conflicts.push(Conflict::FieldDiffers(item)),
            }
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Network::*;

    #[test]
    fn network_rules_follow_cryptox() {
        let ok = [
            (Mainnet, Mainnet),
            (Testnet, Testnet),
            (Testnet, Stagenet),
            (Stagenet, Testnet),
            (Stagenet, Stagenet),
            (Mock, Testnet),
            (Local, Stagenet),
            (Mock, Mock),
            (Local, Local),
        ];
        let refused = [
            (Mainnet, Testnet),
            (Mainnet, Stagenet),
            (Mainnet, Mock),
            (Testnet, Mainnet),
            (Stagenet, Mainnet),
            (Testnet, Mock),
            (Testnet, Local),
            (Mock, Local),
        ];
        for (w, f) in ok {
            assert!(networks_compatible(w, f), "{w} <- {f}");
        }
        for (w, f) in refused {
            assert!(!networks_compatible(w, f), "{w} <- {f}");
        }
    }

    #[test]
    fn a_file_without_network_needs_an_assumption() {
        let mut d = WalletData::empty(Testnet);
        d.environment = None;
        assert_eq!(
            check_network(Testnet, &d, &ImportOptions::default()),
            Err(StoreError::UnknownNetwork)
        );
        let assume = |e| ImportOptions {
            assume_network: Some(e),
        };
        assert_eq!(
            check_network(Testnet, &d, &assume(Testnet)),
            Ok((Testnet, true))
        );
        assert_eq!(
            check_network(Mainnet, &d, &assume(Testnet)),
            Err(StoreError::NetworkMismatch {
                wallet: Mainnet,
                file: Testnet
            })
        );
        // An assumption never overrides the file's own network.
        d.environment = Some(Mainnet);
        assert_eq!(
            check_network(Testnet, &d, &assume(Testnet)),
            Err(StoreError::NetworkMismatch {
                wallet: Testnet,
                file: Mainnet
            })
        );
        let msg = StoreError::NetworkMismatch {
            wallet: Mainnet,
            file: Stagenet,
        }
        .to_string();
        assert!(msg.contains("stagenet") && msg.contains("mainnet"), "{msg}");
    }
}
