//! Fields this library does not model, at the top level and in `value`: added when the wallet
//! does not have them; a different value is a conflict.

use super::conflict;
use crate::model::WalletData;
use crate::store::import::plan::{Conflict, FieldItem, FieldScope, ImportPlan, Present};

/// Plans the backup's unmodelled fields against the wallet's (`stored`).
pub(super) fn plan_fields(plan: &mut ImportPlan, stored: &WalletData, data: &WalletData) {
    for (scope, theirs, ours) in [
        (FieldScope::TopLevel, &data.extra, &stored.extra),
        (FieldScope::Value, &data.value.extra, &stored.value.extra),
    ] {
        for (name, value) in theirs {
            let item = FieldItem {
                scope,
                name: name.clone(),
            };
            match ours.get(name) {
                None => plan.fields_to_add.push(item),
                Some(v) if v == value => plan.already_present.push(Present::Field(item)),
                Some(_) => conflict(plan, Conflict::FieldDiffers(item)),
            }
        }
    }
}
