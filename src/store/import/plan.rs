//! What an import will do and what it did: the plan a preview makes, the items it names, and the
//! report a store gives after applying it.

use std::fmt;

use crate::network::Network;

/// Options for [`preview`](super::preview) and [`import`](super::import).
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

/// What an import will do, made by [`preview`](super::preview); nothing is changed until a store applies it.
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
    /// An empty plan for the store `store_id` at `base_revision`: the planner fills its lists.
    pub(super) fn new(
        wallet_network: Network,
        (file_network, network_assumed): (Network, bool),
        store_id: Vec<u8>,
        base_revision: u64,
    ) -> Self {
        Self {
            wallet_network,
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
            store_id,
            base_revision,
        }
    }

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
