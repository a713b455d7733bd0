//! Accounts: the same when their address is. An account stored with other data (another name,
//! other keys, another identity) is a conflict; a read-only account of the same identity is
//! upgraded with the backup's keys and data; an account without keys (and not on a Ledger) or
//! with an invalid address is skipped.

use std::collections::{HashMap, HashSet};

use super::{conflict, skip};
use crate::keys::validate_address;
use crate::model::{Account, Identity, WalletData};
use crate::store::import::account_keys::{has_keys, is_ledger_backed};
use crate::store::import::plan::{
    AccountItem, Conflict, ImportPlan, ItemKind, Present, SkipReason,
};
use crate::store::StoreState;

/// Plans accounts identity by identity, remembering the addresses seen earlier in the backup.
pub(super) struct AccountPlanner<'a> {
    /// Stored accounts with keys, by address: the account and its identity's idCredPub.
    stored: HashMap<&'a str, (&'a Account, &'a str)>,
    /// Stored read-only accounts, by address: their name and their identity's idCredPub.
    read_only: HashMap<&'a str, (&'a str, &'a str)>,
    /// Addresses planned so far in this backup.
    seen: HashSet<&'a str>,
}

impl<'a> AccountPlanner<'a> {
    pub(super) fn new(state: &'a StoreState, data: &'a WalletData) -> Self {
        let mut stored = HashMap::new();
        for ident in &state.data.value.identities {
            let Some(icp) = ident.id_cred_pub() else {
                continue;
            };
            for acc in &ident.accounts {
                stored.insert(acc.address.as_str(), (acc, icp));
            }
        }
        let mut read_only = HashMap::new();
        for ident in &state.summary.identities {
            for acc in ident.accounts.iter().filter(|a| a.read_only) {
                read_only.insert(
                    acc.address.as_str(),
                    (acc.name.as_str(), ident.id_cred_pub.as_str()),
                );
            }
        }
        let backup_accounts = data.value.identities.iter().map(|i| i.accounts.len()).sum();
        Self {
            stored,
            read_only,
            seen: HashSet::with_capacity(backup_accounts),
        }
    }

    /// Skips every account of an identity that is itself skipped.
    pub(super) fn skip_all(plan: &mut ImportPlan, ident: &Identity) {
        for acc in &ident.accounts {
            skip(
                plan,
                ItemKind::Account,
                &acc.name,
                Some(&acc.address),
                SkipReason::IdentitySkipped,
            );
        }
    }

    /// Plans the accounts of the backup's identity at `identity_index`, whose idCredPub is `icp`.
    pub(super) fn plan_accounts(
        &mut self,
        plan: &mut ImportPlan,
        identity_index: usize,
        ident: &'a Identity,
        icp: &str,
    ) {
        for (j, acc) in ident.accounts.iter().enumerate() {
            let item = AccountItem {
                identity_index,
                index: j,
                name: acc.name.clone(),
                address: acc.address.clone(),
                id_cred_pub: icp.to_string(),
            };
            if let Err(reason) = self.admit(acc) {
                skip(
                    plan,
                    ItemKind::Account,
                    &acc.name,
                    Some(&acc.address),
                    reason,
                );
            } else {
                self.plan_account(plan, item, acc, icp);
            }
        }
    }

    /// Whether the account can be imported at all, and remembers its address.
    fn admit(&mut self, acc: &'a Account) -> Result<(), SkipReason> {
        if validate_address(&acc.address).is_err() {
            return Err(SkipReason::InvalidAddress);
        }
        if !has_keys(acc) && !is_ledger_backed(acc) {
            return Err(SkipReason::KeysMissing);
        }
        if !self.seen.insert(acc.address.as_str()) {
            return Err(SkipReason::DuplicateInFile);
        }
        Ok(())
    }

    /// Compares one admitted account with what the wallet holds at its address.
    fn plan_account(&self, plan: &mut ImportPlan, item: AccountItem, acc: &Account, icp: &str) {
        if let Some((stored, stored_icp)) = self.stored.get(acc.address.as_str()) {
            if *stored_icp != icp {
                conflict(
                    plan,
                    Conflict::AccountOfOtherIdentity {
                        item,
                        name_in_wallet: stored.name.clone(),
                        id_cred_pub_in_wallet: stored_icp.to_string(),
                    },
                );
            } else if *stored == acc {
                plan.already_present.push(Present::Account(item));
            } else {
                conflict(
                    plan,
                    Conflict::AccountDiffers {
                        item,
                        name_in_wallet: stored.name.clone(),
                    },
                );
            }
        } else if let Some((name, ro_icp)) = self.read_only.get(acc.address.as_str()) {
            if *ro_icp == icp && is_ledger_backed(acc) {
                // Already there without keys; a Ledger-backed account has none to add.
                plan.already_present.push(Present::Account(item));
            } else if *ro_icp == icp {
                plan.accounts_to_upgrade.push(item);
            } else {
                conflict(
                    plan,
                    Conflict::AccountOfOtherIdentity {
                        item,
                        name_in_wallet: name.to_string(),
                        id_cred_pub_in_wallet: ro_icp.to_string(),
                    },
                );
            }
        } else {
            plan.accounts_to_add.push(item);
        }
    }
}
