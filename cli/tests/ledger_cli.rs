//! `wallet ledger …` as a real process, against the emulated app over real loopback TCP.

mod common;
#[path = "../../tests/ledger_emulator/mod.rs"]
mod ledger_emulator;

use std::process::Output;

use common::{json_out, run_wallet, stderr, with_account, with_legacy_account};
use ledger_emulator::{Approval, EmulatedDevice, EmulatorServer, Generation, Screen};

const KEY_1105: &str = "87e16c8269270b1c75b930224df456d2927b80c760ffa77e57dbd738f6399492";

fn wallet(args: &[&str]) -> Output {
    run_wallet(args, &[])
}

fn emulator(generation: Generation) -> (EmulatorServer, String) {
    with_device(EmulatedDevice::speculos(generation))
}

fn with_device(device: EmulatedDevice) -> (EmulatorServer, String) {
    let server = EmulatorServer::start(device, 0).unwrap();
    let transport = format!("speculos:{}", server.address_string());
    (server, transport)
}

#[test]
fn info_pairing_id_and_keys() {
    for generation in [Generation::V5_1_3, Generation::V5_7_0] {
        let (_server, t) = emulator(generation);
        let o = wallet(&["ledger", "--transport", &t, "info", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v = json_out(&o);
        assert_eq!(v["name"], "Concordium");
        assert_eq!(v["version"], generation.version());
        assert!(v["transport"]
            .as_str()
            .unwrap()
            .starts_with("speculos 127.0.0.1:"));

        let o = wallet(&["--json", "ledger", "--transport", &t, "pairing-id"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v = json_out(&o);
        assert_eq!(v["path"], "m/1105'/0'");
        assert_eq!(v["pairingId"], v["publicKey"]);
        assert_eq!(v["signatureVerified"], true);

        let o = wallet(&with_legacy_account(
            &["ledger", "--transport", &t, "pubkey"],
            ["0", "0"],
        ));
        assert!(o.status.success(), "{}", stderr(&o));
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(text.contains(&format!("Public key: {KEY_1105}")), "{text}");
        assert!(text.contains("(verified)"));

        let o = wallet(&with_account(
            &["ledger", "--transport", &t, "pubkey", "--confirm", "--json"],
            "mainnet",
            ["1", "2", "3"],
        ));
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(json_out(&o)["path"], "m/44'/919'/1'/2'/0'/3'");
    }
}

#[test]
fn transport_from_the_environment() {
    let (_server, t) = emulator(Generation::V5_7_0);
    let o = run_wallet(&["ledger", "info"], &[("LEDGER_TRANSPORT", &t)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Concordium 5.7.0"));
}

#[test]
fn verify_address_waits_for_approval() {
    let (server, t) = emulator(Generation::V5_7_0);
    let o = wallet(&with_account(
        &["ledger", "--transport", &t, "verify-address", "--json"],
        "testnet",
        ["0", "0", "1"],
    ));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json_out(&o)["approved"], true);
    // The device showed the address `wallet keys` derives from the same phrase.
    let dir = common::scratch("verify-address");
    let phrase_file = dir.join("phrase.txt");
    std::fs::write(&phrase_file, ledger_emulator::SPECULOS_PHRASE).unwrap();
    let keys = wallet(&with_account(
        &[
            "--json",
            "keys",
            "--phrase-file",
            phrase_file.to_str().unwrap(),
        ],
        "testnet",
        ["0", "0", "1"],
    ));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(keys.status.success(), "{}", stderr(&keys));
    assert_eq!(
        *server.device.shown_addresses.lock().unwrap(),
        [json_out(&keys)["address"].as_str().unwrap()]
    );
}

#[test]
fn device_problems_exit_6_with_a_typed_kind() {
    let mut device = EmulatedDevice::speculos(Generation::V5_1_3);
    device.approval = Approval::Reject;
    let (_server, t) = with_device(device);
    let o = wallet(&with_legacy_account(
        &["--json", "ledger", "--transport", &t, "verify-address"],
        ["0", "0"],
    ));
    assert_eq!(o.status.code(), Some(6));
    let v = json_out(&o);
    assert_eq!(v["error"]["kind"], "Rejected");
    assert_eq!(
        stderr(&o),
        "error: The request was rejected on the Ledger.\n"
    );

    // 5.1.3 has no Testnet paths: refused before anything is sent.
    let (_server, t) = emulator(Generation::V5_1_3);
    let o = wallet(&with_account(
        &["--json", "ledger", "--transport", &t, "pubkey"],
        "testnet",
        ["0", "0", "0"],
    ));
    assert_eq!(o.status.code(), Some(6));
    assert_eq!(json_out(&o)["error"]["kind"], "UnsupportedByApp");

    let mut device = EmulatedDevice::speculos(Generation::V5_1_3);
    device.screen = Screen::Dashboard;
    let (_server, t) = with_device(device);
    let o = wallet(&["--json", "ledger", "--transport", &t, "info"]);
    assert_eq!(o.status.code(), Some(6));
    assert_eq!(json_out(&o)["error"]["kind"], "OtherAppOpen");
    assert!(stderr(&o).contains("open the Concordium app"));

    // Nothing listening.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let o = wallet(&[
        "--json",
        "ledger",
        "--transport",
        &format!("speculos:{addr}"),
        "info",
    ]);
    assert_eq!(o.status.code(), Some(6));
    assert_eq!(json_out(&o)["error"]["kind"], "Connection");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["ledger", "--transport", "bluetooth", "info"][..],
        &[
            "ledger",
            "--transport",
            "speculos:127.0.0.1:9",
            "pubkey",
            "--identity",
            "0",
            "--credential",
            "0",
        ][..],
        &with_account(
            &["ledger", "--transport", "speculos:127.0.0.1:9", "pubkey"],
            "stagenet",
            ["0", "0", "0"],
        )[..],
        &[
            "ledger",
            "pubkey",
            "--legacy",
            "--idp",
            "3",
            "--identity",
            "0",
            "--credential",
            "0",
        ][..],
    ] {
        let o = wallet(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    // An index the device cannot harden: refused before anything is sent.
    let (server, t) = emulator(Generation::V5_7_0);
    let o = wallet(&with_legacy_account(
        &["ledger", "--transport", &t, "pubkey"],
        ["2147483648", "0"],
    ));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(server.device.instructions().is_empty());
}

/// With no Ledger connected, `--transport hid` (the default) is a typed NoDevice error.
#[cfg(feature = "ledger-hid")]
#[test]
fn hid_without_a_device() {
    match wallet_core::ledger::hid::list_devices() {
        Ok(list) if !list.is_empty() => {
            println!("SKIPPED: a Ledger is connected to this machine");
            return;
        }
        Err(e) => {
            // No HID subsystem at all (a container): the CLI must say so cleanly too.
            println!("USB HID unavailable here: {e}");
        }
        Ok(_) => {}
    }
    let o = wallet(&["--json", "ledger", "info"]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    let kind = json_out(&o)["error"]["kind"].as_str().unwrap().to_string();
    assert!(kind == "NoDevice" || kind == "Connection", "{kind}");
}
