//! `wallet import` of a Desktop Wallet export (docs/recovery.md), built by tests/ledger_wallets at
//! the top of the repository: with the matching emulated Ledger its identities and accounts are
//! imported Ledger-backed; without it only the address book is offered; another Ledger, another
//! network and an unknown genesis are refused; `wallet verify` says what an import would do.

mod common;
#[path = "../../tests/ledger_emulator/mod.rs"]
mod ledger_emulator;
#[path = "../../tests/ledger_wallets/mod.rs"]
mod ledger_wallets;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{json, Value};

use common::{init_store, run_in_store, scratch, stderr, stdout};
use ledger_emulator::{EmulatedDevice, EmulatorServer, Generation};
use ledger_wallets::{desktop_plaintext, envelope, pairing_id};
use wallet_core::desktop_export::TESTNET_GENESIS;

fn json_of(o: &Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn write_export(d: &Path, genesis: &str) -> (String, String) {
    let plain = serde_json::to_vec(&desktop_plaintext(genesis)).unwrap();
    let file = d.join(format!("wallet-export-{}.json", &genesis[..8]));
    std::fs::write(&file, envelope(&plain, "desktop pw", [3; 16], [4; 16])).unwrap();
    let pw = d.join("pw");
    std::fs::write(&pw, "desktop pw\n").unwrap();
    (
        file.to_str().unwrap().to_string(),
        pw.to_str().unwrap().to_string(),
    )
}

/// `import <file> --password-file <pw> --yes --transport <transport>`.
fn import_args<'a>(file: &'a str, pw: &'a str, transport: &'a str) -> [&'a str; 7] {
    [
        "import",
        file,
        "--password-file",
        pw,
        "--yes",
        "--transport",
        transport,
    ]
}

/// A new testnet store `w.sqlite` in `d`, and a testnet export with its password file next to it.
fn testnet_store_and_export(d: &Path) -> (PathBuf, String, String) {
    let store = d.join("w.sqlite");
    init_store(&store, "testnet");
    let (file, pw) = write_export(d, TESTNET_GENESIS);
    (store, file, pw)
}

#[test]
fn without_its_ledger_only_the_address_book_is_offered() {
    let d = scratch("contacts");
    let (store, file, pw) = testnet_store_and_export(&d);
    let v = json_of(&run_in_store(
        &store,
        &["--json", "import", &file, "--password-file", &pw, "--yes"],
    ));
    assert_eq!(v["contactsAdded"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["accountsAdded"].as_array().unwrap().len(), 0);
    let skipped = v["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 4, "{v}");
    let want = format!(
        "its keys are on the Ledger with pairing identifier {}",
        pairing_id()
    );
    assert!(skipped.iter().all(|s| s["reason"] == want.as_str()), "{v}");
    let l = json_of(&run_in_store(&store, &["list", "--json"]));
    assert_eq!(
        (l["accounts"].as_u64(), l["addressBook"].as_u64()),
        (Some(0), Some(1))
    );

    // A mainnet wallet refuses a testnet export; an unknown genesis is named.
    let main = d.join("main.sqlite");
    init_store(&main, "mainnet");
    let o = run_in_store(&main, &["import", &file, "--password-file", &pw, "--yes"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("testnet") && err.contains("mainnet"), "{err}");
    let (other, _) = write_export(&d, &"ab".repeat(32));
    let o = run_in_store(&store, &["import", &other, "--password-file", &pw, "--yes"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("unknown network") && err.contains(&"ab".repeat(32)),
        "{err}"
    );
}

#[test]
fn with_its_ledger_identities_and_accounts_are_imported_ledger_backed() {
    let d = scratch("ledger");
    let (store, file, pw) = testnet_store_and_export(&d);
    let device = EmulatorServer::start(EmulatedDevice::speculos(Generation::V5_1_3), 0).unwrap();
    let transport = format!("speculos:{}", device.address_string());
    let import = |store: &Path| {
        let args = import_args(&file, &pw, &transport);
        run_in_store(store, &[&["--json"][..], &args].concat())
    };
    let v = json_of(&import(&store));
    assert_eq!(v["identitiesAdded"].as_array().unwrap().len(), 2, "{v}");
    let added: Vec<&str> = v["accountsAdded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(added, ["Main", "Second", "Old"]);
    let skipped = v["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{v}");
    assert_eq!(skipped[0]["name"], "Tampered");
    assert!(skipped[0]["reason"]
        .as_str()
        .unwrap()
        .contains("credential id does not match"));
    assert_eq!(v["contactsAdded"].as_array().unwrap().len(), 1);
    let l = json_of(&run_in_store(&store, &["list", "--json"]));
    assert_eq!(l["accounts"], 3);
    for i in l["identityList"].as_array().unwrap() {
        for a in i["accounts"].as_array().unwrap() {
            assert_eq!(a["ledger"], pairing_id().as_str(), "{a}");
        }
    }
    // Again: nothing new.
    let again = json_of(&import(&store));
    assert_eq!(again["changes"], 0, "{again}");

    // Another Ledger: refused, nothing imported.
    let other =
        EmulatorServer::start(EmulatedDevice::new(common::ART_24, Generation::V5_7_0), 0).unwrap();
    let fresh = d.join("fresh.sqlite");
    init_store(&fresh, "testnet");
    let other_transport = format!("speculos:{}", other.address_string());
    let o = run_in_store(&fresh, &import_args(&file, &pw, &other_transport));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("is not the one this export was made with"));
    let l = json_of(&run_in_store(&fresh, &["list", "--json"]));
    assert_eq!(
        (l["accounts"].as_u64(), l["addressBook"].as_u64()),
        (Some(0), Some(0))
    );
}

#[test]
fn wallet_verify_says_what_an_import_would_do() {
    let d = scratch("verify");
    let store = d.join("unused.sqlite");
    let (file, pw) = write_export(&d, TESTNET_GENESIS);
    let v = json_of(&run_in_store(
        &store,
        &["--json", "verify", &file, "--password-file", &pw],
    ));
    assert_eq!(v["kind"], "LegacyDesktop", "{v}");
    assert_eq!(v["network"], "testnet");
    assert_eq!(v["pairingIds"], json!([pairing_id()]));
    assert_eq!(
        (&v["identities"], &v["accounts"], &v["addressBook"]),
        (&json!(2), &json!(4), &json!(1))
    );
    let o = run_in_store(&store, &["verify", &file, "--password-file", &pw]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for want in [
        "Network:       testnet",
        &format!("pairing identifier {}", pairing_id()),
        "Accounts:      4",
        "adds the address book (1 contact(s))",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    let (other, _) = write_export(&d, &"ab".repeat(32));
    let o = run_in_store(&store, &["verify", &other, "--password-file", &pw]);
    let text = stdout(&o);
    assert!(
        text.contains(&format!("unknown (genesis block {})", "ab".repeat(32)))
            && text.contains("cannot be imported"),
        "{text}"
    );
}
