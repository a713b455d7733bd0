//! Importing a Concordium Desktop Wallet export into the [`Wallet`] store, for the bindings: the
//! file is read by [`crate::desktop_export`]; with the Ledger whose pairing identifier the file
//! names, its identities, Ledger-backed accounts and address book, else the address book alone
//! with every account listed as skipped, with the reason.

use std::sync::Arc;

use super::store::take_key;
use super::{
    take_password, CancelToken, ImportLine, LedgerBridge, Network, Observer, PendingImport,
    ProgressListener, Wallet, WalletError,
};
use crate::desktop_export::{self, SkippedAccount};
use crate::import_summary;
use crate::keys::CommitmentKey;
use crate::store::import::{networks_compatible, ImportOptions};
use crate::store::{StoreError, WalletStore};

impl From<SkippedAccount> for ImportLine {
    fn from(a: SkippedAccount) -> Self {
        import_summary::ImportLine::from(a).into()
    }
}

#[uniffi::export]
impl Wallet {
    /// Reads a Desktop Wallet export (`wallet-export.json`) with its password and says what
    /// importing it would add, changing nothing ("Review your import"; apply it with
    /// [`Wallet::apply_pending_import`]). With `ledger`, whose pairing identifier must be the
    /// file's (else `OtherLedger`): the file's identities of that Ledger (one approval on the
    /// device each), their accounts as Ledger-backed ones when the credential id the Ledger's keys
    /// give equals the file's (else skipped, with the reason), and the address book. Without it:
    /// the address book, and every account in `skipped` ("its keys are on the Ledger with pairing
    /// identifier …"). The file's genesis block names its network: another network than the
    /// wallet's is `NetworkMismatch`, an unknown one `NotAWalletBackup` naming it; a file without
    /// one needs `assume_network`. A Ledger error is typed as in
    /// [`Wallet::preview_ledger_recovery`] (`LedgerLocked`, `LedgerRejected`, …, else
    /// `LedgerFailed`) and changes nothing. The password and key bytes are wiped.
    // Flat arguments, as `Wallet.preview_import` takes them.
    #[allow(clippy::too_many_arguments)]
    pub fn preview_desktop_import(
        &self,
        file: Vec<u8>,
        password: Vec<u8>,
        storage_key: Vec<u8>,
        assume_network: Option<Network>,
        ledger: Option<Arc<LedgerBridge>>,
        listener: Option<Arc<dyn ProgressListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Arc<PendingImport>, WalletError> {
        let key = take_key(storage_key)?;
        self.store().check_key(&key)?;
        let password = take_password(password)?;
        let observer = Observer { listener, cancel };
        let export = desktop_export::open(&file, &password, &observer)?;
        let environment = export.environment(assume_network)?;
        // Refused before the device is asked for anything.
        let wallet_network = self.store().network()?;
        if !networks_compatible(wallet_network, environment) {
            return Err(StoreError::NetworkMismatch {
                wallet: wallet_network,
                file: environment,
            }
            .into());
        }
        let import = match ledger {
            None => desktop_export::contacts_only(&export, environment),
            Some(bridge) => desktop_export::with_ledger(
                &export,
                environment,
                &mut bridge.lock(),
                &CommitmentKey::global(),
            )?,
        };
        if observer.is_cancelled_now() {
            return Err(crate::BackupError::Cancelled.into());
        }
        let left_out = import.skipped.into_iter().map(ImportLine::from).collect();
        PendingImport::plan(self, import.data, &key, &ImportOptions::default(), left_out)
    }
}
