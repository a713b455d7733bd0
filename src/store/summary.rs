//! What a store holds as far as it can be told without a key: names, addresses, counts.

use crate::network::Network;

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
