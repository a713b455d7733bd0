//! The address book: entries are the same when name and address are; the same address under
//! another name, or the same entry with other details, is a conflict.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::{conflict, skip};
use crate::keys::validate_address;
use crate::model::WalletData;
use crate::store::import::plan::{
    Conflict, ContactItem, ImportPlan, ItemKind, Present, SkipReason,
};

/// Plans the backup's address book against the wallet's (`stored`).
pub(super) fn plan_contacts(plan: &mut ImportPlan, stored: &WalletData, data: &WalletData) {
    let stored = &stored.value.recipients;
    let recipients = &data.value.recipients;
    // The first name each address has, in the wallet or in what this plan adds (only the first
    // is ever reported, so no list of names is kept).
    let mut name_of_address: HashMap<&str, &str> =
        HashMap::with_capacity(stored.len() + recipients.len());
    let mut stored_contacts: HashMap<(&str, &str), &Map<String, Value>> =
        HashMap::with_capacity(stored.len());
    for r in stored {
        name_of_address
            .entry(r.address.as_str())
            .or_insert(r.name.as_str());
        stored_contacts.insert((r.name.as_str(), r.address.as_str()), &r.extra);
    }
    let mut seen: HashSet<(&str, &str)> = HashSet::with_capacity(recipients.len());
    for (k, r) in recipients.iter().enumerate() {
        let pair = (r.name.as_str(), r.address.as_str());
        let item = ContactItem {
            index: k,
            name: r.name.clone(),
            address: r.address.clone(),
        };
        let skipped = |plan: &mut ImportPlan, reason| {
            skip(plan, ItemKind::Contact, &r.name, Some(&r.address), reason)
        };
        if validate_address(&r.address).is_err() {
            skipped(plan, SkipReason::InvalidAddress);
        } else if !seen.insert(pair) {
            skipped(plan, SkipReason::DuplicateInFile);
        } else if let Some(extra) = stored_contacts.get(&pair) {
            if **extra == r.extra {
                plan.already_present.push(Present::Contact(item));
            } else {
                conflict(plan, Conflict::ContactDetailsDiffer { item });
            }
        } else if let Some(other) = name_of_address.get(r.address.as_str()) {
            conflict(
                plan,
                Conflict::ContactNameDiffers {
                    item,
                    name_in_wallet: other.to_string(),
                },
            );
        } else {
            name_of_address.insert(r.address.as_str(), r.name.as_str());
            plan.contacts_to_add.push(item);
        }
    }
}
