//! `wallet import wallet-export.json`: a Concordium Desktop Wallet export. With `--transport`
//! (the Ledger whose pairing identifier the file names) its identities, Ledger-backed accounts and
//! address book; without, the address book alone, each account listed as skipped with the reason.
//! `wallet verify wallet-export.json` says what such an import would do.

use wallet_core::desktop_export::{
    self, DesktopExport, DesktopImport, DesktopLedgerError, UnknownGenesis,
};
use wallet_core::import_summary::ImportLine;
use wallet_core::keys::CommitmentKey;
use wallet_core::ledger::Ledger;
use wallet_core::network::Network;
use wallet_core::password::Password;
use wallet_core::store::import::ImportOptions;
use wallet_core::store::{SqliteStore, StorageKey};

use serde_json::json;

use crate::error::CliError;
use crate::output::{print_json, shown};
use crate::progress::KdfBar;
use crate::store_cmds::review_and_apply;

#[allow(clippy::too_many_arguments)]
pub fn import_desktop_export(
    s: &SqliteStore,
    key: &StorageKey,
    bytes: &[u8],
    password: &Password,
    assume: Option<Network>,
    transport: Option<&str>,
    yes: bool,
    json: bool,
) -> Result<(), CliError> {
    let export = open_export(bytes, password, json)?;
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
    let left_out: Vec<ImportLine> = skipped.into_iter().map(ImportLine::from).collect();
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

fn open_export(bytes: &[u8], password: &Password, json: bool) -> Result<DesktopExport, CliError> {
    let bar = KdfBar::new("Deriving key", json);
    let export = desktop_export::open(bytes, password, &bar);
    bar.finish();
    Ok(export?)
}

/// `wallet verify` of a Desktop Wallet export: what `wallet import` would do with it.
pub fn verify_desktop_export(
    bytes: &[u8],
    password: &Password,
    json: bool,
) -> Result<(), CliError> {
    let export = open_export(bytes, password, json)?;
    let (network, genesis) = match export.network() {
        Ok(n) => (n.map(|n| n.to_string()), None),
        Err(UnknownGenesis(g)) => (None, Some(g)),
    };
    let pairing_ids: Vec<&str> = export
        .wallets
        .iter()
        .map(|w| w.identifier.as_str())
        .collect();
    if json {
        print_json(&json!({
            "kind": "LegacyDesktop",
            "network": network,
            "unknownGenesis": genesis,
            "pairingIds": pairing_ids,
            "identities": export.identities.len(),
            "accounts": export.accounts.len(),
            "addressBook": export.address_book.len(),
            "fileBytes": bytes.len(),
        }));
        return Ok(());
    }
    println!("Format:        Concordium Desktop Wallet export (keys on a Ledger)");
    let shown_network = match (&network, &genesis) {
        (Some(n), _) => n.clone(),
        (None, Some(g)) => format!("unknown (genesis block {})", shown(g)),
        (None, None) => "not stated (give --assume-network when importing)".into(),
    };
    println!("Network:       {shown_network}");
    for p in &pairing_ids {
        println!("Ledger:        pairing identifier {}", shown(p));
    }
    println!("Identities:    {}", export.identities.len());
    println!("Accounts:      {}", export.accounts.len());
    println!("Address book:  {}", export.address_book.len());
    if genesis.is_some() {
        println!("It cannot be imported: this library does not know its network.");
    } else {
        println!(
            "`wallet import` adds the address book ({} contact(s)); with `--transport` and the \
             Ledger named above, also the identities ({}) and accounts ({}) as Ledger-backed \
             accounts, each checked against the Ledger's keys.",
            export.address_book.len(),
            export.identities.len(),
            export.accounts.len()
        );
    }
    Ok(())
}
