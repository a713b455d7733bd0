//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod canary;
pub mod cli;
pub mod store_data;
pub mod vectors;
pub mod wallets;

// Not every test file uses these.
#[allow(unused_imports)]
pub use cli::*;
#[allow(unused_imports)]
pub use vectors::*;
#[allow(unused_imports)]
pub use wallets::address;

use std::cell::Cell;
use std::path::PathBuf;
use std::sync::Arc;

use wallet_core::ffi;
use wallet_core::format::{self, OpenOptions, Opened};
use wallet_core::kdf::{KdfObserver, NoProgress};
use wallet_core::model::WalletData;
use wallet_core::password::Password;

/// The legacy fixture written by the Concordium (CryptoX) Android wallet.
pub const FIXTURE_PASSWORD: &[u8] = b"000000";

/// The repository's top directory: these helpers serve the library's tests and, through
/// cli/tests/common, the command line's, whose manifest is in `cli/`.
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if env!("CARGO_PKG_NAME") == "concordium-wallet-cli" {
        manifest.join("..")
    } else {
        manifest
    }
}

/// Loads a file from `../shared/fixtures/`. When it is absent (a clone without `shared/`), the
/// calling test is skipped with a message, unless `REQUIRE_FIXTURES=1` (set in CI) makes that an
/// error.
pub fn fixture(name: &str) -> Option<Vec<u8>> {
    let path = repo_root().join("../shared/fixtures").join(name);
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

/// Opens a backup written with [`FIXTURE_PASSWORD`] (a fixture of Concordium's wallets).
pub fn open_with_fixture_password(file: &[u8]) -> Opened {
    let password = Password::from_bytes(FIXTURE_PASSWORD).unwrap();
    format::open(file, &password, &OpenOptions::default(), &NoProgress).unwrap()
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

/// A fresh, empty directory `<temp>/wallet-core-<test file>-<name>-<pid>` for one test (an old
/// one of the same name is removed first); the test file's name keeps the test binaries, which
/// run in parallel, apart.
pub fn scratch(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let stem = exe.file_stem().unwrap().to_string_lossy().into_owned();
    // Cargo names a test binary `<file>-<hash>`.
    let file = stem
        .rsplit_once('-')
        .map_or(stem.as_str(), |(file, _)| file);
    let d = std::env::temp_dir().join(format!("wallet-core-{file}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `again`, a second preview of what `w` already imported, adds nothing: its summary and its
/// apply change nothing, and `w` still has the overview `expected`.
pub fn assert_nothing_new(
    w: &ffi::Wallet,
    again: Arc<ffi::PendingImport>,
    storage_key: &[u8],
    expected: &ffi::WalletOverview,
) {
    assert_eq!(again.summary().change_count, 0);
    let report = w.apply_pending_import(again, storage_key.to_vec()).unwrap();
    assert_eq!(report.change_count, 0);
    assert_eq!(w.overview().unwrap(), *expected);
}

/// Checks that `tests/data/bindings/{name}` (test data of the Kotlin and Swift tests) holds
/// `built`, what a Rust test made; `WRITE_BINDINGS_DATA=1` rewrites the file first.
pub fn check_bindings_data(name: &str, built: &[u8]) {
    let path = repo_root().join("tests/data/bindings").join(name);
    if std::env::var_os("WRITE_BINDINGS_DATA").is_some() {
        std::fs::write(&path, built).unwrap();
    }
    assert!(
        std::fs::read(&path).unwrap() == built,
        "{} is not what the test builds: run it with WRITE_BINDINGS_DATA=1 to rewrite it",
        path.display()
    );
}
