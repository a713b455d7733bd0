//! `wallet restore` (a recovery phrase) and `wallet ledger recover` (a Ledger): find the accounts
//! on chain through the wallet-proxy and import them into the store as a reviewed import.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use wallet_core::keys::CommitmentKey;
use wallet_core::ledger::{Ledger, Transport};
use wallet_core::network::Network;
use wallet_core::recovery::ledger::{
    ledger_wallet_data, recover_legacy, recover_new_paths, LedgerRecoveryError,
    DEFAULT_MAX_EMPTY_IDENTITIES,
};
use wallet_core::recovery::wallet_data::restore_phrase_wallet;
use wallet_core::recovery::wallet_proxy::WalletProxy;
use wallet_core::recovery::{default_wallet_proxy, RecoveryError};
use wallet_core::store::import::{networks_compatible, ImportOptions};
use wallet_core::store::{SqliteStore, StoreError, WalletStore};

use crate::error::CliError;
use crate::network_arg::NetworkArg;
use crate::phrase_cmds;
use crate::progress::ScanBar;
use crate::store_cmds::{open_store, review_and_apply, store_path, unlock};

/// The store, opened, with the network its recovered data is for (`--network` may only name a
/// network the wallet accepts).
pub fn open_for_recovery(
    store: Option<&Path>,
    network: Option<Network>,
    yes: bool,
) -> Result<(SqliteStore, Network), CliError> {
    if !yes && !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "importing needs a confirmation: run in a terminal, or pass --yes".into(),
        ));
    }
    let s = open_store(&store_path(store)?)?;
    let wallet = s.network()?;
    let env = network.unwrap_or(wallet);
    if !networks_compatible(wallet, env) {
        return Err(StoreError::NetworkMismatch { wallet, file: env }.into());
    }
    Ok((s, env))
}

/// The wallet-proxy client: `--wallet-proxy`, else Concordium's for the network.
pub fn wallet_proxy(url: Option<&str>, env: Network) -> Result<WalletProxy, CliError> {
    let url = url.or(default_wallet_proxy(env)).ok_or_else(|| {
        CliError::Usage(format!(
            "Concordium runs no wallet-proxy for {env}: give one with --wallet-proxy URL"
        ))
    })?;
    WalletProxy::new(url).map_err(|e| CliError::Usage(e.to_string()))
}

/// `wallet restore --phrase-file F`.
#[derive(clap::Args)]
pub struct RestoreArgs {
    /// File holding the recovery phrase (or a 64-byte seed as 128 hex characters).
    #[arg(long)]
    phrase_file: PathBuf,
    /// The network to restore on (default: the wallet's).
    #[arg(long, value_enum, ignore_case = true)]
    network: Option<NetworkArg>,
    /// The wallet-proxy to ask (default: Concordium's for the network).
    #[arg(long)]
    wallet_proxy: Option<String>,
    /// Apply without asking (for scripts).
    #[arg(long)]
    yes: bool,
}

/// `wallet restore`: scans the phrase's identities and accounts (20 consecutive misses per
/// provider and per identity) and imports what it finds.
pub fn cmd_restore(a: &RestoreArgs, store: Option<&Path>, json: bool) -> Result<(), CliError> {
    let (s, env) = open_for_recovery(store, a.network.map(Into::into), a.yes)?;
    let key = unlock(&s, json)?;
    let seed = phrase_cmds::read_seed(&a.phrase_file)?;
    let proxy = wallet_proxy(a.wallet_proxy.as_deref(), env)?;
    let providers = proxy.identity_providers().map_err(RecoveryError::from)?;
    let bar = ScanBar::new(json);
    let data = restore_phrase_wallet(seed, env, &providers, &proxy, &bar);
    bar.finish();
    let data = data?;
    review_and_apply(&s, &data, &key, &ImportOptions::default(), &[], a.yes, json)
}

/// `wallet ledger recover (--legacy | --network NET) [--wallet-proxy URL]
/// [--max-empty-identities N] [--yes]`.
#[derive(clap::Args)]
pub struct LedgerRecoverArgs {
    /// The Desktop Wallet's paths (1105'); the wallet's network decides the proxy.
    #[arg(long, conflicts_with = "network")]
    legacy: bool,
    /// New (44') paths on this network (mainnet or testnet).
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        required_unless_present = "legacy"
    )]
    network: Option<NetworkArg>,
    /// The wallet-proxy to ask (default: Concordium's for the network).
    #[arg(long)]
    wallet_proxy: Option<String>,
    /// Legacy paths: stop after this many identity indices in a row without accounts.
    #[arg(long, default_value_t = DEFAULT_MAX_EMPTY_IDENTITIES)]
    max_empty_identities: u32,
    /// Apply without asking (for scripts).
    #[arg(long)]
    yes: bool,
}

/// `wallet ledger recover`: scans the Ledger's identities (one approval on the device per
/// identity) and imports the accounts found as Ledger-backed accounts.
pub fn cmd_ledger_recover(
    a: &LedgerRecoverArgs,
    store: Option<&Path>,
    open_transport: impl FnOnce() -> Result<Box<dyn Transport>, CliError>,
    json: bool,
) -> Result<(), CliError> {
    let (s, env) = open_for_recovery(store, a.network.map(Into::into), a.yes)?;
    if a.max_empty_identities == 0 {
        return Err(CliError::Usage(
            "--max-empty-identities must be at least 1".into(),
        ));
    }
    let key = unlock(&s, json)?;
    let proxy = wallet_proxy(a.wallet_proxy.as_deref(), env)?;
    let mut ledger = Ledger::new(open_transport()?);
    let commitment_key = CommitmentKey::global();
    let bar = ScanBar::new(json);
    if !json {
        eprintln!("Approve the export of each identity's keys on the Ledger.");
    }
    let found = if a.legacy {
        recover_legacy(
            &mut ledger,
            env,
            a.max_empty_identities,
            &commitment_key,
            &proxy,
            &bar,
        )
    } else {
        let providers = proxy.identity_providers().map_err(RecoveryError::from)?;
        recover_new_paths(&mut ledger, env, &providers, &commitment_key, &proxy, &bar)
    };
    bar.finish();
    let found = found.map_err(|e| match e {
        LedgerRecoveryError::Ledger(l) => CliError::from(l),
        LedgerRecoveryError::Recovery(r) => CliError::from(r),
    })?;
    let data = ledger_wallet_data(&found, env);
    review_and_apply(&s, &data, &key, &ImportOptions::default(), &[], a.yes, json)
}
