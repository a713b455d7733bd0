//! The planning itself: compares a backup's wallet data with a store's state and fills an
//! [`ImportPlan`], without reading or writing the store. One module per part of the wallet data:
//! identities with their accounts, the address book, and the fields this library does not model.
//!
//! Every skip and conflict is logged at debug level with the item's name, its address (never an
//! idCredPub or any key) and the reason, so an app developer can see why an item was left out.

mod accounts;
mod contacts;
mod fields;
mod identities;

use super::network::check_network;
use super::plan::{Conflict, ImportOptions, ImportPlan, ItemKind, SkipReason, Skipped};
use crate::model::{WalletData, MOBILE_WALLET_TYPE, MOBILE_WALLET_VERSION};
use crate::store::{StoreError, StoreState};

/// Compares `data` with a store's state and says what importing it would do.
/// [`preview`](super::preview) reads the state from a store.
pub fn plan(
    state: &StoreState,
    data: &WalletData,
    options: &ImportOptions,
) -> Result<ImportPlan, StoreError> {
    let summary = &state.summary;
    let networks = check_network(summary.network, data, options)?;
    if data.kind != MOBILE_WALLET_TYPE || data.v != MOBILE_WALLET_VERSION {
        return Err(StoreError::InvalidInput(
            "the data is not Concordium mobile wallet data, version 1".into(),
        ));
    }
    let mut plan = ImportPlan::new(
        summary.network,
        networks,
        summary.store_id.clone(),
        summary.revision,
    );
    identities::plan_identities(&mut plan, state, data);
    contacts::plan_contacts(&mut plan, &state.data, data);
    fields::plan_fields(&mut plan, &state.data, data);
    Ok(plan)
}

/// Records that an item is not imported, and logs why. `key` is the item's address for an account
/// or contact, and its idCredPub (or none) for an identity: the plan keeps it, the log leaves an
/// idCredPub out.
fn skip(plan: &mut ImportPlan, kind: ItemKind, name: &str, key: Option<&str>, reason: SkipReason) {
    let what = match kind {
        ItemKind::Identity => "identity",
        ItemKind::Account => "account",
        ItemKind::Contact => "contact",
    };
    match (kind, key) {
        (ItemKind::Account | ItemKind::Contact, Some(address)) => {
            log::debug!("import: skipping {what} {name:?} ({address}): {reason}")
        }
        _ => log::debug!("import: skipping {what} {name:?}: {reason}"),
    }
    plan.skipped.push(Skipped {
        kind,
        name: name.to_string(),
        key: key.map(str::to_string),
        reason,
    });
}

/// Records a conflict (the wallet's version is kept), and logs it.
fn conflict(plan: &mut ImportPlan, conflict: Conflict) {
    match &conflict {
        Conflict::IdentityDiffers {
            item,
            name_in_wallet,
        } => log::debug!(
            "import: conflict: identity {:?} differs from the wallet's identity {name_in_wallet:?}; \
             the wallet's is kept",
            item.name
        ),
        Conflict::AccountDiffers {
            item,
            name_in_wallet,
        } => log::debug!(
            "import: conflict: account {:?} ({}) differs from the wallet's account \
             {name_in_wallet:?}; the wallet's is kept",
            item.name,
            item.address
        ),
        Conflict::AccountOfOtherIdentity {
            item,
            name_in_wallet,
            ..
        } => log::debug!(
            "import: conflict: account {:?} ({}) belongs to another identity in the wallet \
             (as {name_in_wallet:?}); the wallet's is kept",
            item.name,
            item.address
        ),
        Conflict::ContactNameDiffers {
            item,
            name_in_wallet,
        } => log::debug!(
            "import: conflict: contact {:?} ({}) is in the address book as {name_in_wallet:?}; \
             the wallet's is kept",
            item.name,
            item.address
        ),
        Conflict::ContactDetailsDiffer { item } => log::debug!(
            "import: conflict: contact {:?} ({}) has other details in the address book; the \
             wallet's are kept",
            item.name,
            item.address
        ),
        Conflict::FieldDiffers(item) => log::debug!(
            "import: conflict: wallet field {:?} ({:?}) has another value in the wallet; the \
             wallet's is kept",
            item.name,
            item.scope
        ),
    }
    plan.conflicts.push(conflict);
}
