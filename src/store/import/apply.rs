//! Checking a plan before a store applies it: that it was made for this store at this revision,
//! and that every entry it lists is in the backup it is applied with. A store writes what
//! [`Writes::resolve`] returns, so every implementation of [`WalletStore`](crate::store::WalletStore)
//! refuses the same plans.

use serde_json::Value;

use super::account_keys::{has_keys, is_ledger_backed};
use super::plan::{FieldScope, IdentityItem, ImportPlan};
use crate::model::{Account, Identity, Recipient, WalletData};
use crate::network::Network;
use crate::store::StoreError;

/// Refuses a plan made for another store ([`StoreError::PlanMismatch`]) or at another revision
/// of this one ([`StoreError::StalePlan`]).
pub fn check_base(
    plan: &ImportPlan,
    store_id: &[u8],
    network: Network,
    revision: u64,
) -> Result<(), StoreError> {
    if plan.store_id() != store_id || plan.wallet_network != network {
        return Err(StoreError::PlanMismatch(
            "it was made for another wallet".into(),
        ));
    }
    if plan.base_revision() != revision {
        return Err(StoreError::StalePlan);
    }
    Ok(())
}

/// One account to write.
#[derive(Debug, Clone, Copy)]
pub struct AccountWrite<'a> {
    /// The idCredPub of its identity (stored, or added by the same plan).
    pub id_cred_pub: &'a str,
    /// The backup's account.
    pub account: &'a Account,
    /// True for a read-only account of the wallet that gets the backup's keys and data.
    pub upgrade: bool,
    /// True when it is Ledger-backed: it has no keys and is stored read-only.
    pub ledger_backed: bool,
}

/// One unmodelled field to add.
#[derive(Debug, Clone, Copy)]
pub struct FieldWrite<'a> {
    /// Where it goes.
    pub scope: FieldScope,
    /// Its name.
    pub name: &'a str,
    /// Its value in the backup.
    pub value: &'a Value,
}

/// What applying a plan writes, in order: each entry the backup's own item.
#[derive(Debug, Clone, Default)]
pub struct Writes<'a> {
    /// Identities to add, with the idCredPub the plan lists them by.
    pub identities: Vec<(&'a IdentityItem, &'a Identity)>,
    /// Accounts to add, then read-only accounts to upgrade.
    pub accounts: Vec<AccountWrite<'a>>,
    /// Address-book entries to add.
    pub contacts: Vec<&'a Recipient>,
    /// Unmodelled fields to add.
    pub fields: Vec<FieldWrite<'a>>,
}

fn mismatch(what: &str) -> StoreError {
    StoreError::PlanMismatch(format!("{what} is not in the backup"))
}

impl<'a> Writes<'a> {
    /// Looks every entry of `plan` up in `data`, by position, and checks that it is the item the
    /// plan names ([`StoreError::PlanMismatch`] otherwise): the plan's lists are public, so an
    /// app may have edited them.
    pub fn resolve(plan: &'a ImportPlan, data: &'a WalletData) -> Result<Self, StoreError> {
        let identity_at = |i: usize, icp: &str| -> Result<&'a Identity, StoreError> {
            data.value
                .identities
                .get(i)
                .filter(|ident| ident.id_cred_pub() == Some(icp))
                .ok_or_else(|| mismatch("an identity it lists"))
        };
        let identities = (plan.identities_to_add.iter())
            .map(|item| Ok((item, identity_at(item.index, &item.id_cred_pub)?)))
            .collect::<Result<_, StoreError>>()?;
        let added = plan.accounts_to_add.iter().map(|i| (false, i));
        let upgraded = plan.accounts_to_upgrade.iter().map(|i| (true, i));
        let accounts = added
            .chain(upgraded)
            .map(|(upgrade, item)| {
                let ident = identity_at(item.identity_index, &item.id_cred_pub)?;
                let account = (ident.accounts.get(item.index))
                    .filter(|a| a.address == item.address)
                    .ok_or_else(|| mismatch("an account it lists"))?;
                let ledger_backed = is_ledger_backed(account);
                if !(has_keys(account) || (ledger_backed && !upgrade)) {
                    return Err(StoreError::PlanMismatch(
                        "an account it lists has no keys".into(),
                    ));
                }
                Ok(AccountWrite {
                    id_cred_pub: &item.id_cred_pub,
                    account,
                    upgrade,
                    ledger_backed,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let contacts = (plan.contacts_to_add.iter())
            .map(|item| {
                (data.value.recipients.get(item.index))
                    .filter(|r| r.name == item.name && r.address == item.address)
                    .ok_or_else(|| mismatch("a contact it lists"))
            })
            .collect::<Result<_, StoreError>>()?;
        let fields = (plan.fields_to_add.iter())
            .map(|item| {
                let source = match item.scope {
                    FieldScope::TopLevel => &data.extra,
                    FieldScope::Value => &data.value.extra,
                };
                let value = source
                    .get(&item.name)
                    .ok_or_else(|| mismatch("a field it lists"))?;
                Ok(FieldWrite {
                    scope: item.scope,
                    name: &item.name,
                    value,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Self {
            identities,
            accounts,
            contacts,
            fields,
        })
    }
}
