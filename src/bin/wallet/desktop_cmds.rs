//! `wallet import wallet-export.json`: a Concordium Desktop Wallet export. With `--transport`
//! (the Ledger whose pairing identifier the file names) its identities, Ledger-backed accounts and
//! address book; without, the address book alone, each account listed as skipped with the reason.

use wallet_core::desktop_export::{self, DesktopImport, DesktopLedgerError};
use wallet_core::ffi::{ImportItemKind, ImportLine};
use wallet_core::keys::CommitmentKey;
use wallet_core::ledger::Ledger;
use wallet_core::model::Environment;
use wallet_core::password::Password;
use wallet_core::store::import::ImportOptions;
use wallet_core::store::{SqliteStore, StorageKey};

use crate::store_cmds::review_and_apply;
use crate::{CliError, ProgressBar};

#[allow(clippy::too_many_arguments)]
pub fn import_desktop_export(
    s: &SqliteStore,
    key: &StorageKey,
    bytes: &[u8],
    password: &Password,
    assume: Option<Environment>,
    transport: Option<&str>,
    yes: bool,
    json: bool,
) -> Result<(), CliError> {
    let bar = ProgressBar::new("Deriving key", json);
    let export = desktop_export::open(bytes, password, &bar);
    bar.finish();
    let export = export?;
    let env = export.environment(assume)?;
    let DesktopImport { data, skipped } = match transport {
        None => desktop_export::contacts_only(&export, env),
        Some(t) => {
            let mut ledger = Ledger::new(crate::ledger_cmds::open_transport(Some(t), None)?);
            if !json {
                eprintln!("Approve the export of each identity's keys on the Ledger.");
            }
            desktop_export::with_ledger(&export, env, &mut ledger, &CommitmentKey::global())
                .map_err(|e| match e {
                    DesktopLedgerError::Ledger(l) => CliError::from(l),
                    other => CliError::Input(other.to_string()),
                })?
        }
    };
    let left_out: Vec<ImportLine> = skipped
        .into_iter()
        .map(|a| ImportLine {
            kind: ImportItemKind::Account,
            name: a.name,
            key: Some(a.address),
            reason: a.reason,
        })
        .collect();
    review_and_apply(
        s,
        &data,
        key,
        &ImportOptions::default(),
        &left_out,
        yes,
        json,
    )
}
