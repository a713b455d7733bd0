//! Desktop Wallet exports (docs/recovery.md): an export built here from the format description
//! (Desktop Wallet `app/utils/types.ts`, legacy envelope with `keyLen`/`hashAlgorithm`) imports
//! with the matching emulated Ledger, offers only the address book without it, refuses another
//! Ledger, another network and an unknown genesis; the self-generated envelope vectors open.

mod common;

use common::scratch;
mod ledger_emulator;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use aes::cipher::{block_padding::Pkcs7, BlockModeEncrypt, KeyIvInit};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{json, Value};

use common::{init_store, password, run_in_store, stderr, stdout};
use ledger_emulator::{EmulatedDevice, EmulatorServer, Generation, SPECULOS_PHRASE};
use wallet_core::desktop_export::{self, DesktopNetwork, TESTNET_GENESIS};
use wallet_core::ffi;
use wallet_core::kdf::{pbkdf2_sha256, NoProgress};
use wallet_core::keys::{
    credential_id_from_prf, id_cred_pub, CommitmentKey, ExtendedKey, Secret32,
};
use wallet_core::model::Environment;
use wallet_core::phrase::Phrase;
use wallet_core::recovery::ledger::{legacy_identity_keys, LedgerKeys};
use wallet_core::BackupError;

fn raw(nodes: &[u32]) -> Secret32 {
    let seed = Phrase::parse(SPECULOS_PHRASE).unwrap().to_seed("");
    ExtendedKey::derive(seed.as_bytes(), nodes)
        .unwrap()
        .private_key()
        .clone()
}

fn pairing_id() -> String {
    let seed = Phrase::parse(SPECULOS_PHRASE).unwrap().to_seed("");
    hex::encode(
        ExtendedKey::derive(seed.as_bytes(), &[1105, 0])
            .unwrap()
            .public_key(),
    )
}

/// (idCredPub, credential id of counter `c`) of Ledger identity `n` with keys of `version`.
fn ledger_identity(n: u32, keys: LedgerKeys, c: u8) -> (String, String) {
    let (prf, ics) = legacy_identity_keys(
        &raw(&[1105, 0, 0, 0, n, 1]),
        &raw(&[1105, 0, 0, 0, n, 0]),
        keys,
    );
    let ck = CommitmentKey::global();
    (
        hex::encode(id_cred_pub(&ics, &ck).unwrap()),
        credential_id_from_prf(&prf, c, &ck).unwrap().to_hex(),
    )
}

fn address_of(cred_id_hex: &str) -> String {
    let mut b = [0u8; 48];
    hex::decode_to_slice(cred_id_hex, &mut b).unwrap();
    wallet_core::keys::CredentialId(b)
        .account_address()
        .to_base58()
}

/// The plaintext of an export as the Desktop Wallet writes it (§A.2.2 of the format notes):
/// identity 0 (version 1) with accounts "Main" (credential 0) and "Second" (credential 1), identity
/// 1 (version 0) with "Old" (credential 2), and "Tampered" whose credential id is not the Ledger's.
fn desktop_plaintext(genesis: &str) -> Value {
    let (icp0, c00) = ledger_identity(0, LedgerKeys::LegacyV1, 0);
    let (_, c01) = ledger_identity(0, LedgerKeys::LegacyV1, 1);
    let (icp1, c12) = ledger_identity(1, LedgerKeys::LegacyV0, 2);
    let (_, wrong) = ledger_identity(5, LedgerKeys::LegacyV1, 3);
    let object = |icp: &str| {
        json!({"v": 0, "value": {"preIdentityObject": {"pubInfoForIp": {"idCredPub": icp}},
               "attributeList": {"chosenAttributes": {}}}})
        .to_string()
    };
    let provider = json!({"ipInfo": {"ipIdentity": 0, "ipDescription": {"name": "Notabene"}},
                          "arsInfos": {}, "metadata": {}})
    .to_string();
    let account = |name: &str, address: &str, identity: i64| {
        json!({"name": name, "address": address, "identityId": identity, "status": "confirmed",
               "signatureThreshold": 1, "transactionFilter": {}, "isInitial": false})
    };
    let credential = |address: &str, number: u32, identity: i64, cred_id: &str| {
        json!({"accountAddress": address, "credentialIndex": 0, "credentialNumber": number,
               "identityId": identity, "walletId": 1, "credId": cred_id,
               "policy": "{\"validTo\":\"202712\",\"createdAt\":\"202412\",\"revealedAttributes\":{}}"})
    };
    let tampered_address = address_of(&ledger_identity(0, LedgerKeys::LegacyV1, 3).1);
    json!({
        "accounts": [
            account("Main", &address_of(&c00), 1),
            account("Second", &address_of(&c01), 1),
            account("Old", &address_of(&c12), 2),
            account("Tampered", &tampered_address, 1),
        ],
        "identities": [
            {"id": 1, "identityNumber": 0, "name": "Alice", "status": "confirmed",
             "codeUri": "", "identityProvider": provider, "identityObject": object(&icp0),
             "randomness": "00", "walletId": 1, "version": 1},
            {"id": 2, "identityNumber": 1, "name": "Alice (2021)", "status": "confirmed",
             "codeUri": "", "identityProvider": provider, "identityObject": object(&icp1),
             "randomness": "00", "walletId": 1, "version": 0},
        ],
        "addressBook": [
            {"name": "Bob", "address": address_of(&ledger_identity(9, LedgerKeys::LegacyV1, 0).1),
             "note": "a friend", "readOnly": false},
        ],
        "credentials": [
            credential(&address_of(&c00), 0, 1, &c00),
            credential(&address_of(&c01), 1, 1, &c01),
            credential(&address_of(&c12), 2, 2, &c12),
            credential(&tampered_address, 3, 1, &wrong),
        ],
        "externalCredentials": [],
        "wallets": [{"id": 1, "identifier": pairing_id(), "type": "ledgernanos"}],
        "genesis": {"id": 1, "genesisBlock": genesis},
    })
}

/// The Desktop Wallet's envelope (§A.2.1): AES-256-CBC, PBKDF2-HMAC-SHA256, 10000 iterations,
/// 16-byte salt, with `keyLen` and `hashAlgorithm`.
fn envelope(plain: &[u8], pw: &str, salt: [u8; 16], iv: [u8; 16]) -> Vec<u8> {
    let key = pbkdf2_sha256(pw.as_bytes(), &salt, 10_000, &NoProgress).unwrap();
    let mut buf = vec![0u8; plain.len() + 16];
    buf[..plain.len()].copy_from_slice(plain);
    let ct = cbc::Encryptor::<aes::Aes256>::new(&(*key).into(), &iv.into())
        .encrypt_padded::<Pkcs7>(&mut buf, plain.len())
        .unwrap()
        .to_vec();
    serde_json::to_vec(&json!({
        "cipherText": B64.encode(ct),
        "metadata": {"keyLen": 32, "iterations": 10000, "salt": B64.encode(salt),
                     "initializationVector": B64.encode(iv), "encryptionMethod": "AES-256",
                     "keyDerivationMethod": "PBKDF2WithHmacSHA256", "hashAlgorithm": "sha256"},
    }))
    .unwrap()
}

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
