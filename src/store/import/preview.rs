//! Reading a store's state to plan an import, and importing: the two calls an app makes.

use super::plan::{ImportOptions, ImportPlan, ImportReport};
use super::planner::plan;
use crate::model::WalletData;
use crate::store::{StorageKey, StoreError, WalletStore};

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
