//! `wallet restore` against a real HTTP wallet-proxy on loopback (tests/wallet_proxy_server at the
//! top of the repository), seeded with the accounts of BIP39's all-`abandon` phrase.

mod common;
#[path = "../../tests/wallet_proxy_server/mod.rs"]
mod wallet_proxy_server;

use common::*;
use wallet_proxy_server::abandon::{seeded_state, PHRASE};
use wallet_proxy_server::{Behaviour, ProxyServer};

#[test]
fn wallet_restore_on_the_command_line() {
    let server = ProxyServer::start(seeded_state(), 0).unwrap();
    let d = scratch("cli");
    let store = d.join("w.sqlite");
    let phrase_file = d.join("phrase");
    std::fs::write(&phrase_file, PHRASE).unwrap();
    let run = |args: &[&str]| run_in_store(&store, args);
    common::init_store(&store, "testnet");
    let restore = |extra: &[&str]| {
        let mut a = vec![
            "restore",
            "--phrase-file",
            phrase_file.to_str().unwrap(),
            "--wallet-proxy",
        ];
        let url = server.url();
        a.push(Box::leak(url.into_boxed_str()));
        a.extend_from_slice(extra);
        run(&a)
    };
    // Without a terminal it needs --yes.
    let o = restore(&[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = restore(&["--yes", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = v.to_string();
    assert!(text.contains("Recovered: Provider 3, Index 0"), "{text}");
    let list = run(&["list", "--json"]);
    let l: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(l["accounts"], 5, "{l}");
    // A mainnet restore into a testnet wallet is refused.
    let o = restore(&["--yes", "--network", "mainnet"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("mainnet"));
    // A failing proxy: an error, and the store as it was.
    server.set_behaviour(Behaviour::FailFrom(0));
    let o = restore(&["--yes"]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let list2 = run(&["list", "--json"]);
    assert_eq!(list.stdout, list2.stdout);
}
