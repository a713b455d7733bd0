//! Desktop Wallet exports (docs/recovery.md): an export built from the format description
//! (tests/ledger_wallets: Desktop Wallet `app/utils/types.ts`, legacy envelope with
//! `keyLen`/`hashAlgorithm`) imports through the `Wallet` object with the matching emulated
//! Ledger, offers only the address book without it, refuses another Ledger, another network and
//! an unknown genesis; the self-generated envelope vectors open. The command line's import and
//! verify of such a file are tested in cli/tests/desktop_export.rs.

mod common;
mod ledger_emulator;
mod ledger_wallets;

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use common::{password, scratch};
use ledger_emulator::{EmulatedDevice, EmulatorServer, Generation};
use ledger_wallets::{desktop_plaintext, envelope, pairing_id};
use wallet_core::desktop_export::{self, DesktopNetwork, TESTNET_GENESIS};
use wallet_core::ffi;
use wallet_core::kdf::NoProgress;
use wallet_core::model::Environment;
use wallet_core::BackupError;

#[test]
fn the_self_generated_envelope_vectors_open_as_empty_exports() {
    let salt: [u8; 16] = core::array::from_fn(|i| i as u8);
    let iv: [u8; 16] = core::array::from_fn(|i| 16 + i as u8);
    let plain = br#"{"accounts":[],"identities":[],"addressBook":[]}"#;
    let file = envelope(plain, "password", salt, iv);
    let v: Value = serde_json::from_slice(&file).unwrap();
    assert_eq!(
        v["cipherText"],
        "tMtYTCchafus9mq3R0UlJvu8sbq4biaQGatpTvZRZ80Phf0Me4PdYYIaSVifY6qGOmeFELOd1W5/0z5ev48Akg=="
    );
    let e = desktop_export::open(&file, &password("password"), &NoProgress).unwrap();
    assert!(e.accounts.is_empty() && e.identities.is_empty() && e.address_book.is_empty());
    assert_eq!(e.network(), DesktopNetwork::NoGenesis);
    assert_eq!(e.environment(None), Err(BackupError::MissingEnvironment));
    assert_eq!(
        e.environment(Some(Environment::Testnet)),
        Ok(Environment::Testnet)
    );
    assert_eq!(
        desktop_export::open(&file, &password("passwort"), &NoProgress).unwrap_err(),
        BackupError::WrongPasswordOrDamaged
    );
}

/// The export the Kotlin and Swift tests import (tests/data/bindings), kept equal to the one
/// built here; `WRITE_BINDINGS_DATA=1` rewrites it.
#[test]
fn the_bindings_test_export_is_the_one_built_here() {
    let plain = serde_json::to_vec(&desktop_plaintext(TESTNET_GENESIS)).unwrap();
    let built = envelope(&plain, "desktop pw", [3; 16], [4; 16]);
    common::check_bindings_data("desktop-export.json", &built);
}

fn ffi_wallet(d: &Path, name: &str, network: &str) -> Arc<ffi::Wallet> {
    ffi::Wallet::create(
        d.join(name).to_str().unwrap().into(),
        network.into(),
        FFI_KEY.to_vec(),
    )
    .unwrap()
}

const FFI_KEY: [u8; 32] = [7; 32];

fn names(lines: &[ffi::ImportLine]) -> Vec<&str> {
    lines.iter().map(|l| l.name.as_str()).collect()
}

#[test]
fn desktop_import_through_the_wallet_object_with_and_without_its_ledger() {
    let d = scratch("ffi");
    let plain = serde_json::to_vec(&desktop_plaintext(TESTNET_GENESIS)).unwrap();
    let file = envelope(&plain, "desktop pw", [3; 16], [4; 16]);
    let preview = |w: &ffi::Wallet, file: &[u8], ledger: Option<Arc<ffi::LedgerBridge>>| {
        w.preview_desktop_import(
            file.to_vec(),
            b"desktop pw".to_vec(),
            FFI_KEY.to_vec(),
            None,
            ledger,
            None,
            None,
        )
    };

    // Without the Ledger: the address book, every account skipped with the reason.
    let phone = ffi_wallet(&d, "phone.sqlite", "testnet");
    let pending = preview(&phone, &file, None).unwrap();
    let s = pending.summary();
    assert_eq!(names(&s.contacts_added), ["Bob"]);
    assert!(s.accounts_added.is_empty() && s.identities_added.is_empty());
    assert_eq!(names(&s.skipped), ["Main", "Second", "Old", "Tampered"]);
    let want = format!(
        "its keys are on the Ledger with pairing identifier {}",
        pairing_id()
    );
    assert!(s.skipped.iter().all(|l| l.reason == want), "{s:?}");
    assert_eq!(
        phone.overview().unwrap().contact_count,
        0,
        "a preview changes nothing"
    );
    assert_eq!(
        phone
            .apply_pending_import(pending, FFI_KEY.to_vec())
            .unwrap(),
        s
    );
    let o = phone.overview().unwrap();
    assert_eq!((o.contact_count, o.account_count), (1, 0));

    // With it: identities, Ledger-backed accounts (not the tampered one), the address book.
    let device = EmulatorServer::start(EmulatedDevice::speculos(Generation::V5_1_3), 0).unwrap();
    let bridge = ffi::LedgerBridge::speculos(device.address_string()).unwrap();
    let w = ffi_wallet(&d, "ledger.sqlite", "testnet");
    let pending = preview(&w, &file, Some(bridge.clone())).unwrap();
    let s = pending.summary();
    assert_eq!(names(&s.identities_added), ["Alice", "Alice (2021)"]);
    assert_eq!(names(&s.accounts_added), ["Main", "Second", "Old"]);
    assert_eq!(names(&s.contacts_added), ["Bob"]);
    assert_eq!(names(&s.skipped), ["Tampered"]);
    assert!(s.skipped[0].reason.contains("credential id does not match"));
    let exports = device.device.instructions().len();
    assert_eq!(
        w.apply_pending_import(pending, FFI_KEY.to_vec()).unwrap(),
        s
    );
    assert_eq!(
        device.device.instructions().len(),
        exports,
        "applying asks nothing"
    );
    let o = w.overview().unwrap();
    assert_eq!(o.account_count, 3);
    assert!(o
        .identities
        .iter()
        .flat_map(|i| &i.accounts)
        .all(|a| a.read_only && a.ledger_pairing_id.as_deref() == Some(pairing_id().as_str())));
    // Again: nothing new.
    let again = preview(&w, &file, Some(bridge.clone())).unwrap();
    common::assert_nothing_new(&w, again, &FFI_KEY, &o);

    // Another Ledger: OtherLedger. Another network, an unknown genesis, a wrong password: typed
    // errors, the device not asked, nothing changed.
    let fresh = ffi_wallet(&d, "fresh.sqlite", "testnet");
    let other = EmulatorServer::start(
        EmulatedDevice::new(
            &format!("{} art", ["abandon"; 23].join(" ")),
            Generation::V5_7_0,
        ),
        0,
    )
    .unwrap();
    let other_bridge = ffi::LedgerBridge::speculos(other.address_string()).unwrap();
    let e = preview(&fresh, &file, Some(other_bridge)).err().unwrap();
    assert!(
        matches!(e, ffi::WalletError::OtherLedger(ref m) if m.contains(&pairing_id())),
        "{e}"
    );
    let mainnet = ffi_wallet(&d, "mainnet.sqlite", "mainnet");
    let asked = device.device.instructions().len();
    let e = preview(&mainnet, &file, Some(bridge.clone()))
        .err()
        .unwrap();
    assert!(matches!(e, ffi::WalletError::NetworkMismatch(_)), "{e}");
    assert_eq!(device.device.instructions().len(), asked);
    let unknown = serde_json::to_vec(&desktop_plaintext(&"ab".repeat(32))).unwrap();
    let unknown = envelope(&unknown, "desktop pw", [3; 16], [4; 16]);
    let e = preview(&fresh, &unknown, None).err().unwrap();
    assert!(
        matches!(e, ffi::WalletError::NotAWalletBackup(ref m) if m.contains(&"ab".repeat(32))),
        "{e}"
    );
    let e = fresh
        .preview_desktop_import(
            file,
            b"wrong pw".to_vec(),
            FFI_KEY.to_vec(),
            None,
            None,
            None,
            None,
        )
        .err()
        .unwrap();
    assert!(
        matches!(e, ffi::WalletError::WrongPasswordOrDamaged(_)),
        "{e}"
    );
    for w in [&fresh, &mainnet] {
        let o = w.overview().unwrap();
        assert_eq!((o.contact_count, o.account_count), (0, 0));
    }
}
