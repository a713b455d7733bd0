//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod canary;
pub mod store_data;

use std::cell::Cell;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use sha2::{Digest, Sha256};
use wallet_core::kdf::KdfObserver;
use wallet_core::keys::AccountAddress;
use wallet_core::model::WalletData;
use wallet_core::password::Password;

/// The legacy fixture written by the Concordium (CryptoX) Android wallet.
pub const FIXTURE_PASSWORD: &[u8] = b"000000";

/// Loads a file from `../shared/fixtures/`. When it is absent (a clone without `shared/`), the
/// calling test is skipped with a message, unless `REQUIRE_FIXTURES=1` (set in CI) makes that an
/// error.
pub fn fixture(name: &str) -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(name);
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(e) => {
            if std::env::var("REQUIRE_FIXTURES").as_deref() == Ok("1") {
                panic!("fixture {} is required but missing: {e}", path.display());
            }
            eprintln!(
                "SKIPPED: fixture {} is absent ({e}); clone the project next to shared/ to run this test",
                path.display()
            );
            None
        }
    }
}

/// Recomputes the checksum of a file of ours after an edit, as an attacker (not accidental
/// damage) would.
pub fn reseal(file: &[u8], edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut v: serde_json::Value = serde_json::from_slice(file).unwrap();
    edit(&mut v);
    // Field order is preserved (serde_json preserve_order), so this is the canonical layout.
    let body = format!(
        r#"{{"metadata":{},"cipherText":{}"#,
        serde_json::to_string(&v["metadata"]).unwrap(),
        serde_json::to_string(&v["cipherText"]).unwrap()
    );
    let sum: String = Sha256::digest(body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(r#"{body},"checksum":"{sum}"}}"#).into_bytes()
}

pub fn password(p: &str) -> Password {
    Password::from_bytes(p.as_bytes()).unwrap()
}

/// A small wallet in Concordium's mobile schema, with unicode names and every optional field.
pub fn small_wallet() -> WalletData {
    let json = r#"{"type":"concordium-mobile-wallet-data","v":1,"environment":"testnet",
      "value":{"identities":[{"name":"Ïdentität 🪪","nextAccountNumber":2,
        "identityProvider":{"ipInfo":{"ipIdentity":0,"ipDescription":{"name":"Test IP","url":"","description":""}},"arsInfos":{},"metadata":{"issuanceStart":"x"}},
        "identityObject":{"preIdentityObject":{"pubInfoForIp":{"idCredPub":"abcd"}},"attributeList":{"chosenAttributes":{},"validTo":"202612","createdAt":"202512","maxAccounts":200},"signature":"00"},
        "privateIdObjectData":{"aci":{"credentialHolderInformation":{"idCredSecret":"11"},"prfKey":"22"},"randomness":"33"},
        "accounts":[{"name":"Main","address":"3Y1RLgi5pW3x96xZ7CiDiKsTL9huU92qn6mfxpebwmtkeku8ry","submissionId":"",
          "accountKeys":{"keys":{"0":{"keys":{"0":{"signKey":"44","verifyKey":"55"}},"threshold":1}},"threshold":1},
          "commitmentsRandomness":{"idCredSecRand":"66","prfRand":"77","credCounterRand":"88","maxAccountsRand":"99","attributesRand":{}},
          "revealedAttributes":{},"credential":{"v":0,"value":{}},"encryptionSecretKey":"aa"}]}],
      "recipients":[{"name":"Bob \"the builder\"","address":"4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7"}]}}"#;
    WalletData::from_json(json.as_bytes()).unwrap()
}

/// Counts progress callbacks (to prove no key derivation ran).
#[derive(Default)]
pub struct CountingObserver {
    pub calls: Cell<u32>,
}

impl KdfObserver for CountingObserver {
    fn on_progress(&self, _done: u32, _total: u32) {
        self.calls.set(self.calls.get() + 1);
    }
    fn is_cancelled(&self) -> bool {
        false
    }
}

/// A fresh, empty directory `<temp>/<prefix>-<name>-<pid>` for one test (an old one of the same
/// name is removed first).
pub fn scratch_dir(prefix: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("{prefix}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The `wallet` command line with `args`, none of its environment variables (`WALLET_PASSWORD`,
/// `WALLET_STORE`, `WALLET_STORAGE_PASSPHRASE`) but `envs`, and stdin closed.
pub fn wallet_command(args: &[&str], envs: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wallet"));
    c.args(args)
        .env_remove("WALLET_PASSWORD")
        .env_remove("WALLET_STORE")
        .env_remove("WALLET_STORAGE_PASSPHRASE")
        .stdin(Stdio::null());
    for (k, v) in envs {
        c.env(k, v);
    }
    c
}

/// A valid account address (Base58Check, version byte 1) made from a label: SHA-256 of the label
/// as its 32 bytes, so each label has its own address and tests can still say `address("a1")`.
pub fn address(label: &str) -> String {
    AccountAddress(Sha256::digest(label.as_bytes()).into()).to_base58()
}

/// Checks that `tests/data/bindings/{name}` (test data of the Kotlin and Swift tests) holds
/// `built`, what a Rust test made; `WRITE_BINDINGS_DATA=1` rewrites the file first.
pub fn check_bindings_data(name: &str, built: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/bindings")
        .join(name);
    if std::env::var_os("WRITE_BINDINGS_DATA").is_some() {
        std::fs::write(&path, built).unwrap();
    }
    assert!(
        std::fs::read(&path).unwrap() == built,
        "{} is not what the test builds: run it with WRITE_BINDINGS_DATA=1 to rewrite it",
        path.display()
    );
}
