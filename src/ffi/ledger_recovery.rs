//! Recovering a Ledger wallet's accounts into the [`Wallet`] store, for the bindings: the scan is
//! `recovery::ledger` (legacy Desktop Wallet paths or new paths), the lookup is the app's
//! [`AccountDirectory`], and what was found becomes a [`PendingImport`] of placeholder identities
//! ("Recovered: Index n") with Ledger-backed accounts (no keys).

use std::sync::Arc;

use super::recovery::DirectoryAdapter;
use super::restore::ScanAdapter;
use super::store::take_key;
use super::{
    AccountDirectory, CancelToken, LedgerBridge, LedgerBridgeError, Network, PendingImport,
    RestoreListener, Wallet, WalletError,
};
use crate::keys::CommitmentKey;
use crate::recovery::ledger::{
    ledger_wallet_data, new_path_recovery_supported, recover_legacy, recover_new_paths,
    DEFAULT_MAX_EMPTY_IDENTITIES,
};
use crate::recovery::ScanObserver;
use crate::store::import::ImportOptions;
use crate::store::WalletStore;

/// Which of the Ledger's keys a recovery looks for.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum LedgerRecoveryPaths {
    /// The Desktop Wallet's paths (`1105'`): identity indices 0, 1, … (one approval on the device
    /// each), credential numbers 0..=24 of each, keys of identity version 1 then 0; the scan stops
    /// after `max_empty_identities` indices in a row without accounts (the Desktop Wallet asks
    /// every 3). Every app release supports them.
    Legacy {
        /// Empty identity indices in a row after which the scan stops (at least 1).
        max_empty_identities: u32,
    },
    /// The seed-wallet paths (`44'/coin'/idp'/identity'`) of the wallet's network under each
    /// provider, with the seed-phrase gap rules (20 misses per identity, 20 empty identities per
    /// provider). Releases that cannot export these keys for the network fail with
    /// `LedgerUnsupported` (testnet needs app 5.5 or later; the message names the release)
    /// before anything is sent.
    NewPaths {
        /// The identity providers to scan (their `ipIdentity`), at least one.
        identity_providers: Vec<u32>,
    },
}

/// The Desktop Wallet's default for [`LedgerRecoveryPaths::Legacy`] (3 empty identities).
#[uniffi::export]
pub fn default_max_empty_identities() -> u32 {
    DEFAULT_MAX_EMPTY_IDENTITIES
}

#[uniffi::export]
impl LedgerBridge {
    /// True when the open app release can export the identity keys of new paths on `network`, so
    /// that [`LedgerRecoveryPaths::NewPaths`] can run (testnet needs app 5.5 or later, mainnet
    /// 5.0); otherwise recover with [`LedgerRecoveryPaths::Legacy`]. Asks the app silently.
    pub fn supports_new_path_recovery(&self, network: Network) -> Result<bool, LedgerBridgeError> {
        Ok(new_path_recovery_supported(&mut self.lock(), network)?)
    }
}

impl Wallet {
    fn ledger_recovery_plan(
        &self,
        ledger: &LedgerBridge,
        storage_key: Vec<u8>,
        paths: &LedgerRecoveryPaths,
        lookup: Arc<dyn AccountDirectory>,
        observer: &ScanAdapter,
    ) -> Result<Arc<PendingImport>, WalletError> {
        let key = take_key(storage_key)?;
        self.store().check_key(&key)?;
        match paths {
            LedgerRecoveryPaths::Legacy {
                max_empty_identities: 0,
            } => {
                return Err(WalletError::InvalidParameters(
                    "Invalid request: stop after at least 1 empty identity.".into(),
                ))
            }
            LedgerRecoveryPaths::NewPaths { identity_providers }
                if identity_providers.is_empty() =>
            {
                return Err(WalletError::InvalidParameters(
                    "Invalid request: name at least one identity provider to recover from.".into(),
                ))
            }
            _ => {}
        }
        let network = self.store().network()?;
        let lookup = DirectoryAdapter(lookup);
        let commitment_key = CommitmentKey::global();
        let found = {
            let mut device = ledger.lock();
            match paths {
                LedgerRecoveryPaths::Legacy {
                    max_empty_identities,
                } => recover_legacy(
                    &mut device,
                    network,
                    *max_empty_identities,
                    &commitment_key,
                    &lookup,
                    observer,
                ),
                LedgerRecoveryPaths::NewPaths { identity_providers } => recover_new_paths(
                    &mut device,
                    network,
                    identity_providers,
                    &commitment_key,
                    &lookup,
                    observer,
                ),
            }
        }?;
        if observer.cancelled() {
            return Err(crate::BackupError::Cancelled.into());
        }
        let data = ledger_wallet_data(&found, network);
        PendingImport::plan(self, data, &key, &ImportOptions::default(), Vec::new())
    }
}

#[uniffi::export]
impl Wallet {
    /// Scans a Ledger for the accounts of its identities on the wallet's network and says what
    /// importing them would add, changing nothing ("Review your import"; apply it with
    /// [`Wallet::apply_pending_import`], which does not ask the device again). `paths` chooses
    /// the Desktop Wallet's paths or the new ones. Each identity index needs one approval on the
    /// device; every credential id is looked up through `lookup`, with `listener` told after each
    /// lookup. Found identities become placeholders named `Recovered: Index N` (new paths:
    /// `Recovered: Provider P, Index N`), accounts `Account N.C`, Ledger-backed: no keys, the
    /// Ledger's pairing identifier and the key's path. A Ledger error (typed: `LedgerNotConnected`,
    /// `LedgerLocked`, `LedgerAppNotOpen`, `LedgerRejected`, `LedgerAppClosed`, `LedgerTimeout`,
    /// `LedgerUnsupported`, else `LedgerFailed`), a failed lookup (`LookupFailed`) or a cancel
    /// (`Cancelled`, checked between lookups) returns nothing and changes nothing. The key bytes are wiped.
    pub fn preview_ledger_recovery(
        &self,
        ledger: Arc<LedgerBridge>,
        storage_key: Vec<u8>,
        paths: LedgerRecoveryPaths,
        lookup: Arc<dyn AccountDirectory>,
        listener: Option<Arc<dyn RestoreListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Arc<PendingImport>, WalletError> {
        let observer = ScanAdapter { listener, cancel };
        self.ledger_recovery_plan(&ledger, storage_key, &paths, lookup, &observer)
    }
}
