//! A reviewed import waiting to be applied: what a Ledger recovery or a Desktop Wallet import
//! found, with its plan. The preview asks the device for its approvals once; applying the
//! [`PendingImport`] writes the plan in one transaction without asking again, and the store
//! refuses it (`StaleImport`) when the wallet changed since the preview.

use std::sync::Arc;

use super::store::{plan_summary, report_summary, take_key};
use super::{ImportLine, ImportSummary, Wallet, WalletError};
use crate::model::WalletData;
use crate::store::import::{self, ImportOptions, ImportPlan};
use crate::store::WalletStore;

/// An import that was previewed and not yet applied. It holds no secret: the accounts it adds are
/// Ledger-backed (their keys stay on the device) and identities carry public values only.
#[derive(uniffi::Object)]
pub struct PendingImport {
    plan: ImportPlan,
    data: WalletData,
    left_out: Vec<ImportLine>,
}

impl PendingImport {
    /// Plans the import of `data` into the wallet; `left_out` lists what the caller set aside
    /// (shown as skipped next to the plan's own skips).
    pub(super) fn plan(
        wallet: &Wallet,
        data: WalletData,
        key: &crate::store::StorageKey,
        options: &ImportOptions,
        left_out: Vec<ImportLine>,
    ) -> Result<Arc<Self>, WalletError> {
        let plan = import::preview(wallet.store(), &data, key, options)?;
        Ok(Arc::new(Self {
            plan,
            data,
            left_out,
        }))
    }

    fn with_left_out(&self, mut summary: ImportSummary) -> ImportSummary {
        summary.skipped.extend(self.left_out.iter().cloned());
        summary
    }
}

#[uniffi::export]
impl PendingImport {
    /// What applying it will add, what the wallet already has, what conflicts and what is skipped
    /// with the reason ("Review your import").
    pub fn summary(&self) -> ImportSummary {
        self.with_left_out(plan_summary(&self.plan))
    }
}

#[uniffi::export]
impl Wallet {
    /// Applies a previewed import in one transaction (all or nothing) and returns the report,
    /// equal to the preview's summary. Fails with `StaleImport`, changing nothing, when the wallet
    /// changed after the preview (preview again), and with `StaleImport` too for an import
    /// previewed on another wallet. The key bytes are wiped.
    pub fn apply_pending_import(
        &self,
        pending: Arc<PendingImport>,
        storage_key: Vec<u8>,
    ) -> Result<ImportSummary, WalletError> {
        let key = take_key(storage_key)?;
        self.store().check_key(&key)?;
        let report = self.store().apply(&pending.plan, &pending.data, &key)?;
        Ok(pending.with_left_out(report_summary(&pending.plan, &report)))
    }
}
