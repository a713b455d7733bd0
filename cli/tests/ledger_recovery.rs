//! `wallet ledger recover --legacy` with the emulated Ledger over real TCP (tests/ledger_emulator
//! at the top of the repository) and the wallet-proxy on loopback (tests/wallet_proxy_server).

mod common;
#[path = "../../tests/ledger_emulator/mod.rs"]
mod ledger_emulator;
#[path = "../../tests/ledger_wallets/mod.rs"]
mod ledger_wallets;
#[path = "../../tests/wallet_proxy_server/mod.rs"]
mod wallet_proxy_server;

use std::collections::HashSet;

use common::scratch;
use ledger_emulator::{EmulatedDevice, EmulatorServer, Generation};
use ledger_wallets::legacy_accounts;
use wallet_proxy_server::{ProxyServer, ProxyState};

#[test]
fn wallet_ledger_recover_on_the_command_line() {
    let (accounts, want) = legacy_accounts();
    let proxy_server = ProxyServer::start(ProxyState::serving(accounts, vec![0]), 0).unwrap();
    let device = EmulatorServer::start(EmulatedDevice::speculos(Generation::V5_7_0), 0).unwrap();
    let d = scratch("cli");
    let store = d.join("w.sqlite");
    let run = |args: &[&str]| common::run_in_store(&store, args);
    common::init_store(&store, "testnet");
    let transport = format!("speculos:{}", device.address_string());
    let url = proxy_server.url();
    let o = run(&[
        "--json",
        "ledger",
        "--transport",
        &transport,
        "recover",
        "--legacy",
        "--wallet-proxy",
        &url,
        "--yes",
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let list = run(&["list", "--json"]);
    let l: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(l["accounts"], 4, "{l}");
    let listed: HashSet<String> = l["identityList"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["accounts"].as_array().unwrap().clone())
        .map(|a| {
            assert!(a["ledger"].is_string(), "{a}");
            a["address"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(listed, want);
    let text = run(&["list"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("(Ledger "));
    // --max-empty-identities 0 is refused before the device is touched.
    let o = run(&[
        "ledger",
        "--transport",
        &transport,
        "recover",
        "--legacy",
        "--max-empty-identities",
        "0",
        "--wallet-proxy",
        &url,
        "--yes",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
