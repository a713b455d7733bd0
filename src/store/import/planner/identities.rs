//! Identities: the same when their idCredPub is; one without idCredPub cannot be told apart and
//! is skipped, with its accounts.

use std::collections::{HashMap, HashSet};

use super::accounts::AccountPlanner;
use super::{conflict, skip};
use crate::model::{Identity, WalletData};
use crate::store::import::plan::{
    Conflict, IdentityItem, ImportPlan, ItemKind, Present, SkipReason,
};
use crate::store::StoreState;

/// Plans the backup's identities and, under each, its accounts.
pub(super) fn plan_identities(plan: &mut ImportPlan, state: &StoreState, data: &WalletData) {
    let stored: HashMap<&str, &Identity> = state
        .data
        .value
        .identities
        .iter()
        .filter_map(|ident| Some((ident.id_cred_pub()?, ident)))
        .collect();
    let mut accounts = AccountPlanner::new(state, data);
    let mut seen: HashSet<&str> = HashSet::with_capacity(data.value.identities.len());
    for (i, ident) in data.value.identities.iter().enumerate() {
        let Some(icp) = ident.id_cred_pub() else {
            skip(
                plan,
                ItemKind::Identity,
                &ident.name,
                None,
                SkipReason::NoIdCredPub,
            );
            AccountPlanner::skip_all(plan, ident);
            continue;
        };
        let item = IdentityItem {
            index: i,
            name: ident.name.clone(),
            id_cred_pub: icp.to_string(),
        };
        if seen.contains(icp) {
            skip(
                plan,
                ItemKind::Identity,
                &ident.name,
                Some(icp),
                SkipReason::DuplicateInFile,
            );
        } else if let Some(stored) = stored.get(icp) {
            seen.insert(icp);
            if same_identity(stored, ident) {
                plan.already_present.push(Present::Identity(item));
            } else {
                conflict(
                    plan,
                    Conflict::IdentityDiffers {
                        item,
                        name_in_wallet: stored.name.clone(),
                    },
                );
            }
        } else if ident
            .next_account_number
            .is_some_and(|n| i64::try_from(n).is_err())
        {
            skip(
                plan,
                ItemKind::Identity,
                &ident.name,
                Some(icp),
                SkipReason::ValueOutOfRange,
            );
            AccountPlanner::skip_all(plan, ident);
            continue;
        } else {
            seen.insert(icp);
            plan.identities_to_add.push(item);
        }
        accounts.plan_accounts(plan, i, ident, icp);
    }
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
