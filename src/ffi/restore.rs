//! Restoring a seed-phrase wallet into the [`Wallet`] store, for the bindings: the app brings the
//! account lookup (its own networking, through [`AccountDirectory`]) and the identity providers;
//! the scan and the wallet data are `recovery::wallet_data::restore_phrase_wallet`, the import is
//! the reviewed import of a backup (preview, then one transaction).

use std::sync::Arc;

use super::recovery::{take_text, DirectoryAdapter};
use super::store::{plan_summary, report_summary, take_key};
use super::{AccountDirectory, CancelToken, ImportSummary, Wallet, WalletError};
use crate::model::WalletData;
use crate::phrase;
use crate::recovery::wallet_data::restore_phrase_wallet;
use crate::recovery::{ScanObserver, ScanProgress};
use crate::store::import::{self, ImportOptions, ImportPlan};
use crate::store::{StorageKey, WalletStore};

/// How far a restore scan has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct RestoreProgress {
    /// Identity indices looked at so far (over all providers).
    pub identities_scanned: u32,
    /// Credential counters looked up so far (one `AccountDirectory` call each).
    pub credentials_scanned: u32,
    /// Accounts found so far.
    pub accounts_found: u32,
}

impl From<&ScanProgress> for RestoreProgress {
    fn from(p: &ScanProgress) -> Self {
        Self {
            identities_scanned: p.identities_scanned,
            credentials_scanned: p.credentials_scanned,
            accounts_found: p.accounts_found,
        }
    }
}

/// Receives a restore's progress after every lookup, on the restoring thread. The scan has no
/// known end (it stops after 20 misses in a row), so there is no total. It must return quickly and
/// must not throw; to stop the restore, use a [`CancelToken`].
#[uniffi::export(foreign)]
pub trait RestoreListener: Send + Sync {
    /// The scan's counters after the latest lookup.
    fn on_restore_progress(&self, progress: RestoreProgress);
}

/// A scan observer over the app's listener and cancel token (shared by the phrase restore and the
/// Ledger recovery).
pub(super) struct ScanAdapter {
    pub(super) listener: Option<Arc<dyn RestoreListener>>,
    pub(super) cancel: Option<Arc<CancelToken>>,
}

impl ScanObserver for ScanAdapter {
    fn progress(&self, p: &ScanProgress) {
        if let Some(l) = &self.listener {
            l.on_restore_progress(p.into());
        }
    }
    fn cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.is_cancelled())
    }
}

impl Wallet {
    /// Checks the key, scans the phrase's accounts and plans their import (shared by preview and
    /// restore, so both compute the same plan).
    fn restore_plan(
        &self,
        phrase: Vec<u8>,
        storage_key: Vec<u8>,
        identity_providers: &[u32],
        lookup: Arc<dyn AccountDirectory>,
        observer: &ScanAdapter,
    ) -> Result<(ImportPlan, WalletData, StorageKey), WalletError> {
        let text = take_text(phrase);
        let key = take_key(storage_key)?;
        let seed = phrase::check(&text?).into_result()?.to_seed("");
        self.store().check_key(&key)?;
        if identity_providers.is_empty() {
            return Err(WalletError::InvalidParameters(
                "Invalid request: name at least one identity provider to restore from.".into(),
            ));
        }
        let environment = self.store().network()?;
        let data = restore_phrase_wallet(
            seed,
            environment,
            identity_providers,
            &DirectoryAdapter(lookup),
            observer,
        )?;
        let plan = import::preview(self.store(), &data, &key, &ImportOptions::default())?;
        Ok((plan, data, key))
    }
}

#[uniffi::export]
impl Wallet {
    /// Says what restoring from a recovery phrase would add, changing nothing ("Review your
    /// import"). For each provider in `identity_providers` (their `ipIdentity`), identity indices
    /// 0, 1, … and credential counters 0, 1, … of the wallet's network are looked up through
    /// `lookup`; each scan stops after 20 misses in a row, as Concordium's wallets do. Found
    /// identities are named `Recovered: Provider P, Index N`, accounts `Account N.C`. The phrase
    /// and key bytes are wiped. A failed lookup (`LookupFailed`) or a cancel (`Cancelled`) changes
    /// nothing.
    pub fn preview_restore_from_phrase(
        &self,
        phrase: Vec<u8>,
        storage_key: Vec<u8>,
        identity_providers: Vec<u32>,
        lookup: Arc<dyn AccountDirectory>,
        listener: Option<Arc<dyn RestoreListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<ImportSummary, WalletError> {
        let observer = ScanAdapter { listener, cancel };
        let (plan, _, _) =
            self.restore_plan(phrase, storage_key, &identity_providers, lookup, &observer)?;
        Ok(plan_summary(&plan))
    }

    /// Restores from a recovery phrase: the same scan as the preview (it runs again: the chain
    /// may have changed), then its plan applied in one transaction (all or nothing). Returns the
    /// report, equal to the preview. Restoring again adds nothing.
    pub fn restore_from_phrase(
        &self,
        phrase: Vec<u8>,
        storage_key: Vec<u8>,
        identity_providers: Vec<u32>,
        lookup: Arc<dyn AccountDirectory>,
        listener: Option<Arc<dyn RestoreListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<ImportSummary, WalletError> {
        let observer = ScanAdapter { listener, cancel };
        let (plan, data, key) =
            self.restore_plan(phrase, storage_key, &identity_providers, lookup, &observer)?;
        if observer.cancelled() {
            return Err(crate::BackupError::Cancelled.into());
        }
        let report = self.store().apply(&plan, &data, &key)?;
        Ok(report_summary(&plan, &report))
    }
}
