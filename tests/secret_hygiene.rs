//! Secret hygiene: no password, recovery phrase, seed or private key ever reaches a log line, the
//! terminal or a `Debug` string, and the types that hold key material wipe it when dropped.
//!
//! (a) Output. The library logs through the `log` crate. A child process of this test binary
//!     installs a capturing `log` logger at the most verbose level, runs export, import (the
//!     functions and the flows), phrase handling, a phrase restore against a wallet-proxy on
//!     loopback and the Ledger operations and recoveries against the emulated device, logs the
//!     `Debug` form of every result, and the parent checks that the library logged on each of
//!     these paths and searches the child's stdout, stderr and log records for the secrets (the
//!     emulated Ledger's phrase and exported keys included). The `wallet` command line is
//!     searched the same way for every command, failing ones included.
//! (b) `Debug` of every secret-holding type hides the secret; `Password` has no `Debug` or
//!     `Display` at all (a compile-time check).
//! (c) Zeroize on drop: `ZeroizeOnDrop` as a trait bound where a type implements it, and for the
//!     rest an allocator check: this test binary's global allocator looks for a canary in every
//!     heap block *as it is freed* (before it goes back to the system allocator), so "dropped
//!     without wiping" is seen without reading freed memory (no undefined behaviour, no timing).
//!     Stack copies (moves, temporaries) are out of its reach: it is best-effort in that sense.

// These checks install their own global allocator; with the library's `wipe-freed-heap` feature
// the library installs one already (and wipes everything, so the controls would not hold).
#![cfg(not(feature = "wipe-freed-heap"))]

mod common;
mod hygiene;
mod ledger_emulator;
mod wallet_proxy_server;

use std::collections::HashSet;
use std::fmt::Debug;
use std::process::{Command, Stdio};
use std::sync::Mutex;

use common::canary::{
    escaped_secret_wallet_json, free_without_drop, freed_blocks_holding, leak, CanaryAlloc,
};
use common::*;
use hygiene::*;
use ledger_emulator::{EmulatedDevice, EmulatorServer, Generation};
use wallet_core::flow::{ExportFlow, ImportFlow};
use wallet_core::format::{self, legacy, ours, BackupFormat, ExportOptions, OpenOptions};
use wallet_core::kdf::NoProgress;
use wallet_core::keys::{
    CommitmentKey, ConcordiumHdWallet, ExtendedKey, Net, Secret32, SecretBytes, Seed,
};
use wallet_core::ledger::{AccountPath, IdentityPath, Ledger, SpeculosTransport};
use wallet_core::model::{Environment, SecretJson, SecretString, WalletData};
use wallet_core::password::{self, Password};
use wallet_core::phrase::{self, Phrase, PhraseCheck};
use wallet_core::recovery::ledger::{recover_legacy, recover_new_paths};
use wallet_core::recovery::wallet_proxy::WalletProxy;
use wallet_core::recovery::{self, NoScanObserver};
use wallet_core::store::{SqliteStore, StorageKey};
use wallet_proxy_server::{Behaviour, ProxyServer, ProxyState};

// ---------------------------------------------------------------------------------------------
// (a) Log and terminal output of the library, in a child process.

const CHILD_ENV: &str = "WALLET_HYGIENE_CHILD";
const CHILD_DONE: &str = "hygiene-child: done";

/// A `log` logger that keeps every record.
struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        self.0.lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

static LOGGER: Capture = Capture(Mutex::new(Vec::new()));

/// What an app would do with the library, logging every result in `Debug` form (as careless app
/// code or a crash reporter would).
fn child_operations() {
    log::set_logger(&LOGGER).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let secrets = Secrets::new();
    let wallet = secrets.wallet();
    let pw = password(PASSWORD);
    let wrong = password(WRONG_PASSWORD);
    let other = password(NEW_PASSWORD);

    // Export in both formats at the production cost, through the public entry point.
    let mut files = Vec::new();
    for fmt in [BackupFormat::Ours, BackupFormat::Legacy] {
        let options = ExportOptions {
            format: fmt,
            iterations: None,
        };
        let r = format::export(&wallet, &pw, &options, &NoProgress);
        log::info!("export {fmt:?}: {:?}", r.as_ref().map(Vec::len));
        files.push(r.unwrap());
    }
    let short = format::export(
        &wallet,
        &password("short"),
        &ExportOptions::default(),
        &NoProgress,
    );
    log::warn!("export with a short password: {short:?}");

    // Import: right and wrong passwords, damaged files, every entry point.
    for file in &files {
        log::info!("inspect: {:?}", format::inspect(file));
        let opened = format::open(file, &pw, &OpenOptions::default(), &NoProgress);
        log::info!("open: {opened:?}");
        println!("open (stdout): {opened:?}");
        let opened = opened.unwrap();
        log::info!("opened wallet: {:?}", opened.data);
        for (name, p) in [("wrong password", &wrong), ("new password", &other)] {
            let r = format::open(file, p, &OpenOptions::default(), &NoProgress);
            log::error!("open with the {name}: {r:?} / {}", r.as_ref().unwrap_err());
            eprintln!("open with the {name} (stderr): {r:?}");
        }
        let mut damaged = file.clone();
        let mid = damaged.len() / 2;
        damaged[mid] ^= 0x04;
        let r = format::open(&damaged, &pw, &OpenOptions::default(), &NoProgress);
        log::error!("open damaged: {r:?}");
        let ffi = wallet_core::ffi::open_backup(file.clone(), WRONG_PASSWORD.into(), None, None);
        log::error!("ffi open_backup, wrong password: {:?}", ffi.as_ref().err());
        if let Err(e) = &ffi {
            log::error!("ffi error message: {e}");
        }
        let ffi = wallet_core::ffi::open_backup(file.clone(), PASSWORD.into(), None, None);
        log::info!("ffi open_backup: {:?}", ffi.as_ref().map(|b| b.summary()));
    }
    let strength = password::estimate_strength(&pw, ours::DEFAULT_ITERATIONS);
    log::info!("strength: {strength:?}");
    let check = wallet_core::ffi::check_password(PASSWORD.into(), ours::DEFAULT_ITERATIONS);
    log::info!("ffi check_password: {check:?}");

    // Phrases and keys.
    for input in [
        PHRASE.to_string(),
        typo_phrase(),
        PHRASE.replace("title", "legal"),
    ] {
        let check = phrase::check(&input);
        log::info!("phrase check: {check:?}");
        log::info!("into_result: {:?}", check.clone().into_result());
        if let Err(e) = check.into_result() {
            log::warn!("phrase error: {e}");
        }
        let ffi = wallet_core::ffi::check_recovery_phrase(input.clone().into_bytes());
        log::info!(
            "ffi check: status {:?}, message {:?}",
            ffi.as_ref().map(|r| r.status),
            ffi.as_ref().map(|r| r.message.clone())
        );
        let seed = wallet_core::ffi::seed_from_recovery_phrase(input.into_bytes());
        log::info!("ffi seed: {:?}", seed.as_ref().err());
    }
    log::info!("suggest: {:?}", phrase::suggest_words(TYPO_WORD).len());
    let seed_hex = secrets.seed.to_hex();
    log::info!("seed from hex: {:?}", phrase::seed_from_hex(&seed_hex));
    let bad_hex = format!("{}zz", &seed_hex[..126]);
    log::info!("seed from bad hex: {:?}", phrase::seed_from_hex(&bad_hex));
    log::info!("seed: {:?}", secrets.seed);
    log::info!("account: {:?}", secrets.account);
    log::info!("identity: {:?}", secrets.identity);
    let hd = ConcordiumHdWallet::new(secrets.seed.clone(), Net::Testnet);
    log::info!("hd wallet: {hd:?}");
    log::info!(
        "extended key: {:?}",
        ExtendedKey::derive(secrets.seed.as_bytes(), &[44, 919, 0])
    );
    let deriver = wallet_core::ffi::KeyDeriver::new(
        secrets.seed.as_bytes().to_vec(),
        wallet_core::ffi::Network::Testnet,
    )
    .unwrap();
    log::info!("ffi account: {:?}", deriver.account(0, 0, 0, None));

    flows(&files[0]);
    restore_and_ledger(&secrets);

    let records = LOGGER.0.lock().unwrap();
    println!("hygiene-child: {} log records", records.len());
    for r in records.iter() {
        println!("LOG {r}");
    }
    println!("{CHILD_DONE}");
}

/// The export and import flows into a store, screen by screen, wrong password and key included.
fn flows(file: &[u8]) {
    let dir = scratch("logged-flows");
    let key = [7u8; 32];
    let store = SqliteStore::create(
        &dir.join("w.sqlite"),
        Environment::Testnet,
        &StorageKey::from_bytes(&key).unwrap(),
    )
    .unwrap();
    let mut import = ImportFlow::new(&store, file.to_vec());
    log::info!("import flow: {:?}", import.state());
    let r = import.submit_password(WRONG_PASSWORD.as_bytes(), &NoProgress);
    log::info!("import, wrong password: {r:?}");
    let r = import.submit_password(PASSWORD.as_bytes(), &NoProgress);
    log::info!("import, password: {r:?}");
    log::info!("import, wrong key: {:?}", import.unlock(&store, &[8u8; 32]));
    log::info!("import, unlock: {:?}", import.unlock(&store, &key));
    log::info!("import, confirm: {:?}", import.confirm(&store));
    assert_eq!(import.state().screen(), "report");
    log::info!("import, confirm again: {:?}", import.confirm(&store));

    let mut export = ExportFlow::new(ExportOptions::default());
    log::info!("export, unlock: {:?}", export.unlock(&store, &key));
    log::info!("export, acknowledge: {:?}", export.acknowledge());
    let r = export.set_password(PASSWORD.as_bytes(), NEW_PASSWORD.as_bytes());
    log::info!("export, passwords differ: {r:?}");
    let r = export.set_password(PASSWORD.as_bytes(), PASSWORD.as_bytes());
    log::info!("export, password: {r:?}");
    log::info!("export, run: {:?}", export.run(&store, &NoProgress, 1));
    log::info!("export, saved: {:?}", export.confirm_saved(&store, 2));
    assert_eq!(export.state().screen(), "saved");
    let _ = std::fs::remove_dir_all(dir);
}

/// A phrase restore against a wallet-proxy on loopback that knows the secrets' one account, and
/// the Ledger paths against the emulated device: app info, keys, an address, identity key
/// exports, both recoveries, and a failing lookup.
fn restore_and_ledger(secrets: &Secrets) {
    let server = ProxyServer::start(
        ProxyState {
            accounts: HashSet::from([secrets.account.public.address.to_base58()]),
            unfinalized: HashSet::new(),
            providers: vec![0],
            behaviour: Behaviour::Normal,
        },
        0,
    )
    .unwrap();
    let proxy = WalletProxy::new(&server.url()).unwrap();
    let hd = ConcordiumHdWallet::new(secrets.seed.clone(), Net::Testnet);
    let providers = proxy.identity_providers().unwrap();
    let restored = recovery::restore(&hd, &providers, &CommitmentKey::global(), &proxy, None);
    log::info!("restore: {restored:?}");
    assert_eq!(restored.unwrap().account_count(), 1);

    let device = EmulatorServer::start(EmulatedDevice::speculos(Generation::V5_7_0), 0).unwrap();
    let mut ledger = Ledger::new(SpeculosTransport::connect(&device.address_string()).unwrap());
    log::info!("app info: {:?}", ledger.app_info());
    log::info!("pairing id: {:?}", ledger.pairing_id());
    let path = AccountPath::New {
        net: Net::Testnet,
        idp: 0,
        identity: 0,
        credential: 0,
    };
    log::info!("public key: {:?}", ledger.public_key(&path, true));
    log::info!("verify address: {:?}", ledger.verify_address(&path));
    let keys = ledger.export_identity_keys(&IdentityPath::New {
        net: Net::Testnet,
        idp: 0,
        identity: 0,
    });
    log::info!("identity keys: {keys:?}");
    log::info!("legacy seeds: {:?}", ledger.export_legacy_identity_seeds(0));
    let ck = CommitmentKey::global();
    let r = recover_legacy(&mut ledger, Net::Testnet, 1, &ck, &proxy, &NoScanObserver);
    log::info!("legacy recovery: {r:?}");
    let recover_new = |ledger: &mut Ledger<SpeculosTransport>| {
        recover_new_paths(ledger, Net::Testnet, &[0], &ck, &proxy, &NoScanObserver)
    };
    log::info!("new-path recovery: {:?}", recover_new(&mut ledger));
    server.set_behaviour(Behaviour::FailFrom(0));
    let r = recover_new(&mut ledger);
    log::info!("new-path recovery, failing proxy: {r:?}");
    assert!(r.is_err());
}

/// Runs [`child_operations`] in a child process of this test binary and searches its stdout,
/// stderr and log records (printed to stdout) for every secret.
#[test]
fn library_output_and_logs_hold_no_secret() {
    if std::env::var_os(CHILD_ENV).is_some() {
        child_operations();
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "library_output_and_logs_hold_no_secret",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the child failed:\n{stderr}");
    assert!(stdout.contains(CHILD_DONE), "the child did not run");
    // The capture is not vacuous: the logger saw every operation.
    let records = stdout.lines().filter(|l| l.starts_with("LOG ")).count();
    assert!(records >= 40, "only {records} log records were captured");
    // The library itself logged on every path (not only this test's own records).
    for area in [
        "wallet_core::format",
        "wallet_core::flow::import",
        "wallet_core::flow::export",
        "wallet_core::recovery::wallet_proxy",
        "wallet_core::recovery",
        "wallet_core::ledger::bridge",
    ] {
        let from_area = stdout
            .lines()
            .filter(|l| l.starts_with("LOG "))
            .filter(|l| l.split(' ').nth(2).is_some_and(|t| t.starts_with(area)))
            .count();
        assert!(from_area > 0, "the library logged nothing from {area}");
    }
    assert!(stdout.contains("WrongPassword"));
    let needles = Secrets::new().needles();
    assert_clean(
        "the child's stdout (with the log records)",
        &stdout,
        &needles,
    );
    assert_clean("the child's stderr", &stderr, &needles);
}

// ---------------------------------------------------------------------------------------------
// (b) `Debug` hides every secret; `Password` has no `Debug` and no `Display`.

/// Compile-time negative trait checks (the `static_assertions::assert_not_impl_any!` technique):
/// `<T as AmbiguousIf…<_>>::some_item` has one candidate impl when `T` lacks the trait and two
/// (an ambiguity, so a compile error) when it has it.
macro_rules! assert_not_impl {
    ($t:ty: $tr:path) => {
        const _: fn() = || {
            trait AmbiguousIfImpl<A> {
                fn some_item() {}
            }
            impl<T: ?Sized> AmbiguousIfImpl<()> for T {}
            #[allow(dead_code)]
            struct Invalid;
            impl<T: ?Sized + $tr> AmbiguousIfImpl<Invalid> for T {}
            let _ = <$t as AmbiguousIfImpl<_>>::some_item;
        };
    };
}

assert_not_impl!(Password: Debug);
assert_not_impl!(Password: std::fmt::Display);
assert_not_impl!(wallet_core::ffi::AccountSecretsBytes: Debug);
assert_not_impl!(wallet_core::ffi::IdentitySecretsBytes: Debug);
assert_not_impl!(wallet_core::ffi::KeyDeriver: Debug);
assert_not_impl!(wallet_core::ffi::WalletBackup: Debug);

/// The same question at run time (autoref specialisation), so a test can show it.
struct Probe<T: ?Sized>(std::marker::PhantomData<T>);
trait NoDebug {
    fn has_debug(&self) -> bool {
        false
    }
}
impl<T: ?Sized> NoDebug for Probe<T> {}
impl<T: ?Sized + Debug> Probe<T> {
    fn has_debug(&self) -> bool {
        true
    }
}
fn probe<T: ?Sized>() -> Probe<T> {
    Probe(std::marker::PhantomData)
}

#[test]
fn password_and_raw_secret_records_have_no_debug() {
    assert!(!probe::<Password>().has_debug());
    assert!(!probe::<wallet_core::ffi::AccountSecretsBytes>().has_debug());
    assert!(!probe::<wallet_core::ffi::IdentitySecretsBytes>().has_debug());
    // The probe can say yes.
    assert!(probe::<String>().has_debug());
    assert!(probe::<Seed>().has_debug());
}

#[test]
fn debug_of_secret_holding_types_shows_no_secret() {
    let s = Secrets::new();
    let needles = s.needles();
    // The needles catch the secrets when they are printed raw.
    for raw in [
        hex::encode(s.seed.as_bytes()),
        format!("{:?}", s.seed.as_bytes()),
        format!("{:?}", s.account.signing_key.as_bytes()),
        hex::encode(s.identity.prf_key.as_bytes()).to_uppercase(),
        PHRASE.to_string(),
        PASSWORD.to_string(),
    ] {
        assert!(needles.iter().any(|(_, n)| raw.contains(n.as_str())));
    }

    let wallet = s.wallet();
    let id = &wallet.value.identities[0];
    let acc = &id.accounts[0];
    let valid = phrase::check(PHRASE);
    let typo = phrase::check(&typo_phrase());
    let PhraseCheck::UnknownWords { unknown, .. } = &typo else {
        panic!("{typo:?}")
    };
    // The hint for the mistyped word is the real word: Debug must not show it either.
    assert!(unknown[0].suggestions.contains(&"sausage"));
    let pw = password(PASSWORD);
    let file = ours::encrypt_with(&wallet, &pw, 1_000, vec![1; 32], [2; 12], &NoProgress).unwrap();
    let opened = format::open(&file, &pw, &OpenOptions::default(), &NoProgress);
    let hd = ConcordiumHdWallet::new(s.seed.clone(), Net::Testnet);
    let xkey = ExtendedKey::derive(s.seed.as_bytes(), &[44, 919, 0, 0]).unwrap();
    let shown: Vec<(&str, String)> = vec![
        ("WalletData", format!("{wallet:?}")),
        ("WalletData {:#?}", format!("{wallet:#?}")),
        ("SecretJson", format!("{:?}", id.private_id_object_data)),
        (
            "SecretJson (accountKeys)",
            format!("{:?}", acc.account_keys),
        ),
        (
            "Option<SecretJson>",
            format!("{:?}", acc.commitments_randomness),
        ),
        ("SecretString", format!("{:?}", acc.encryption_secret_key)),
        ("Seed", format!("{:?}", s.seed)),
        ("Secret32", format!("{:?}", s.account.signing_key)),
        (
            "SecretBytes<80>",
            format!("{:?}", s.account.encryption_secret_key),
        ),
        ("DerivedAccount", format!("{:#?}", s.account)),
        ("IdentitySecrets", format!("{:#?}", s.identity)),
        ("Phrase", format!("{:?}", Phrase::parse(PHRASE).unwrap())),
        ("PhraseCheck::Valid", format!("{valid:#?}")),
        ("PhraseCheck::UnknownWords", format!("{typo:#?}")),
        ("UnknownWord", format!("{:?}", unknown[0])),
        ("Opened", format!("{opened:#?}")),
        ("ConcordiumHdWallet", format!("{hd:?}")),
        ("ExtendedKey", format!("{xkey:?}")),
        (
            "SecretBytes<16>",
            format!("{:?}", SecretBytes::new(*b"0123456789abcdef")),
        ),
    ];
    let mut needles = needles;
    needles.push(("suggested word".into(), "sausage".into()));
    needles.push(("SecretBytes<16> content".into(), "0123456789abcdef".into()));
    needles.push(("SecretBytes<16> bytes".into(), "48, 49, 50".into()));
    for (what, text) in &shown {
        assert_clean(&format!("Debug of {what}"), text, &needles);
    }
    // Secret Debug output says so, rather than printing nothing.
    for (what, text) in &shown[2..9] {
        assert!(text.contains("redacted"), "{what}: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// (c) Zeroize on drop.

fn assert_zeroize_on_drop<T: zeroize::ZeroizeOnDrop>() {}

#[test]
fn key_material_types_are_zeroize_on_drop() {
    assert_zeroize_on_drop::<Seed>();
    assert_zeroize_on_drop::<Secret32>();
    assert_zeroize_on_drop::<SecretBytes<80>>();
    assert_zeroize_on_drop::<zeroize::Zeroizing<Vec<u8>>>(); // what `Password` holds
                                                             // `SecretJson`, `SecretString`, `Phrase`, `Password`, `DerivedAccount`, `IdentitySecrets`,
                                                             // `ExtendedKey` and `ConcordiumHdWallet` wipe through a hand-written `Drop` or through their
                                                             // fields, without the marker trait: the allocator checks below cover them.
}

/// The heap checker of (c): see `tests/common/canary.rs`.
#[global_allocator]
static GLOBAL: CanaryAlloc = CanaryAlloc;

#[test]
fn the_canary_check_sees_unwiped_memory() {
    let canary = leak(b"CANARY-CONTROL-plain-string-0001");
    let n = freed_blocks_holding(&[canary], || {
        let s = String::from_utf8(canary.to_vec()).unwrap();
        drop(s);
    });
    assert_eq!(n, 1, "a plain String is freed with its content");
    // Growth leaves the old block behind: seen too.
    let n = freed_blocks_holding(&[canary], || {
        let mut s = String::with_capacity(canary.len());
        s.push_str(std::str::from_utf8(canary).unwrap());
        s.push_str(&"x".repeat(4096));
        zeroize::Zeroize::zeroize(&mut s);
    });
    assert_eq!(n, 1, "the block left behind by growing");
}

#[test]
fn secret_strings_and_json_are_wiped_on_drop() {
    let canary = leak(b"CANARY-secret-string-77e1c0d3a5");
    let text = std::str::from_utf8(canary).unwrap();
    // Build outside the window, so only the drop is watched.
    let s = SecretString(text.to_string());
    let j = SecretJson(serde_json::json!({
        "signKey": text,
        "nested": [{"a": text}, [text, 1, null]],
    }));
    let plain = serde_json::json!({ "signKey": text });
    assert_eq!(
        freed_blocks_holding(&[canary], || drop(s)),
        0,
        "SecretString"
    );
    assert_eq!(freed_blocks_holding(&[canary], || drop(j)), 0, "SecretJson");
    assert_eq!(
        freed_blocks_holding(&[canary], || drop(plain)),
        1,
        "control: a plain Value"
    );
}

#[test]
fn passwords_are_wiped_on_drop() {
    let canary = leak("CANARY-pässwörd-4f1e9a".as_bytes());
    let text = std::str::from_utf8(canary).unwrap();
    let n = freed_blocks_holding(&[canary], || {
        let p = Password::from_bytes(text.as_bytes()).unwrap();
        let nfkc = p.nfkc_bytes();
        assert!(p.check_length().is_ok());
        drop(nfkc);
        drop(p);
    });
    assert_eq!(n, 0, "Password::from_bytes / nfkc_bytes");
    let owned = text.to_string();
    let n = freed_blocks_holding(&[canary], || drop(Password::from_string(owned)));
    assert_eq!(n, 0, "Password::from_string wipes the string it takes");
}

/// The wallet of (c): secrets that no other test in this binary uses.
fn canary_wallet(secret: &str) -> WalletData {
    let json = format!(
        r#"{{"type":"concordium-mobile-wallet-data","v":1,"environment":"mainnet",
        "value":{{"identities":[{{"name":"I","privateIdObjectData":{{"aci":{{"prfKey":"{secret}"}},"randomness":"{secret}"}},
          "accounts":[{{"name":"A","address":"x","accountKeys":{{"keys":{{"0":{{"keys":{{"0":{{"signKey":"{secret}"}}}}}}}}}},
            "commitmentsRandomness":{{"prfRand":"{secret}"}},"encryptionSecretKey":"{secret}"}}]}}],"recipients":[]}}}}"#
    );
    WalletData::from_json(json.as_bytes()).unwrap()
}

#[test]
fn wallet_data_is_wiped_on_drop_and_export() {
    let canary = leak(b"CANARY-wallet-secret-9b2d44e07c61");
    let secret = std::str::from_utf8(canary).unwrap();
    let w = canary_wallet(secret);
    let w2 = w.clone();
    let w3 = w.clone();
    assert_eq!(freed_blocks_holding(&[canary], || drop(w)), 0, "WalletData");
    let n = freed_blocks_holding(&[canary], || drop(w2.to_json()));
    assert_eq!(n, 0, "WalletData::to_json");
    let pw = password("export password");
    let n = freed_blocks_holding(&[canary], || {
        for format in [BackupFormat::Ours, BackupFormat::Legacy] {
            let options = ExportOptions {
                format,
                iterations: Some(if format == BackupFormat::Ours {
                    600_000
                } else {
                    100_000
                }),
            };
            format::export(&w3, &pw, &options, &NoProgress).unwrap();
        }
    });
    assert_eq!(n, 0, "format::export leaves no plaintext copy");
    drop(w3);
}

#[test]
fn key_material_is_wiped_on_drop() {
    // A phrase no other test uses: entropy 0x9e 0x51 0x3c …
    let entropy: Vec<u8> = (0u8..32).map(|i| 0x9e ^ i.wrapping_mul(37)).collect();
    let p = phrase::phrase_from_entropy(&entropy).unwrap();
    let seed = p.to_seed("");
    let hd = ConcordiumHdWallet::new(seed.clone(), Net::Mainnet);
    let account = hd.account(1, 2, 3, &CommitmentKey::global()).unwrap();
    let identity = hd.identity(1, 2).unwrap();
    let xkey = ExtendedKey::derive(seed.as_bytes(), &[44, 919, 1, 2]).unwrap();
    let seed_c = leak(&seed.as_bytes()[..16]);
    let sign_c = leak(&account.signing_key.as_bytes()[..16]);
    let prf_c = leak(&identity.prf_key.as_bytes()[..16]);
    let xkey_c = leak(&xkey.private_key().as_bytes()[..16]);

    let check = |what: &str, canaries: &[&'static [u8]], drop_it: Box<dyn FnOnce()>| {
        assert_eq!(freed_blocks_holding(canaries, drop_it), 0, "{what}");
    };
    let b = Box::new(seed.clone());
    check("Seed", &[seed_c], Box::new(move || drop(b)));
    let b = Box::new(account.clone());
    check("DerivedAccount", &[sign_c], Box::new(move || drop(b)));
    let b = Box::new(identity.clone());
    check("IdentitySecrets", &[prf_c], Box::new(move || drop(b)));
    let b = Box::new(hd.clone());
    check("ConcordiumHdWallet", &[seed_c], Box::new(move || drop(b)));
    let b = Box::new(xkey.clone());
    check("ExtendedKey", &[xkey_c], Box::new(move || drop(b)));
    // Controls: the same boxes freed without their destructors show the canaries.
    let b = Box::new(seed.clone());
    assert_eq!(freed_blocks_holding(&[seed_c], || free_without_drop(b)), 1);
    let b = Box::new(account.clone());
    assert_eq!(freed_blocks_holding(&[sign_c], || free_without_drop(b)), 1);
    let b = Box::new(identity.clone());
    assert_eq!(freed_blocks_holding(&[prf_c], || free_without_drop(b)), 1);
    let b = Box::new(xkey.clone());
    assert_eq!(freed_blocks_holding(&[xkey_c], || free_without_drop(b)), 1);

    // A phrase: its words are 11-bit indices; the first eight come straight from the entropy.
    let bits = |i: usize| (entropy[i / 8] >> (7 - i % 8)) & 1;
    let indices: Vec<u16> = (0..8)
        .map(|w| (0..11).fold(0u16, |acc, b| (acc << 1) | u16::from(bits(w * 11 + b))))
        .collect();
    let words_c = leak(
        &indices
            .iter()
            .flat_map(|i| i.to_le_bytes())
            .collect::<Vec<u8>>(),
    );
    let b = Box::new(p.clone());
    check("Phrase", &[words_c], Box::new(move || drop(b)));
    let b = Box::new(p.clone());
    assert_eq!(
        freed_blocks_holding(&[words_c], || free_without_drop(b)),
        1,
        "control: a phrase's word indices are where the check looks"
    );
    drop((seed, hd, account, identity, xkey, p));
}

#[test]
fn phrase_handling_leaves_no_unwiped_copy() {
    let entropy: Vec<u8> = (0u8..32).map(|i| 0x3c ^ i.wrapping_mul(59)).collect();
    let p = phrase::phrase_from_entropy(&entropy).unwrap();
    let typed = p.to_zeroizing_string();
    let words: Vec<&str> = typed.split(' ').collect();
    // Three neighbouring words: text that exists only in copies of the phrase.
    let phrase_c = leak(words[3..6].join(" ").as_bytes());
    let typed_upper = zeroize::Zeroizing::new(format!("  {}\t", typed.to_uppercase()));
    let mistyped = format!("{}q", &words[4][..words[4].len() - 1]);
    let typo_phrase = zeroize::Zeroizing::new(typed.replacen(words[4], &mistyped, 1));
    let typo_c = leak(format!("{mistyped} {}", words[5]).as_bytes());
    let seed_hex = p.to_seed("").to_hex();
    let seed_c = leak(&p.to_seed("").as_bytes()[..16]);
    let seed_hex_c = leak(seed_hex[..24].as_bytes());

    let n = freed_blocks_holding(&[phrase_c, seed_c], || {
        let r = phrase::check(&typed_upper);
        assert!(r.is_valid());
        let again = phrase::Phrase::parse(&typed).unwrap();
        let s = again.to_zeroizing_string();
        let seed = again.to_seed("");
        drop((r, again, s, seed));
    });
    assert_eq!(n, 0, "check / parse / to_zeroizing_string / to_seed");
    let n = freed_blocks_holding(&[typo_c, phrase_c], || {
        let r = phrase::check(&typo_phrase);
        assert!(!r.is_valid());
        drop(r);
    });
    assert_eq!(n, 0, "check of a mistyped phrase");
    let bad_hex = zeroize::Zeroizing::new(format!("{}zz", &seed_hex[..126]));
    let n = freed_blocks_holding(&[seed_hex_c, seed_c], || {
        let s = phrase::seed_from_hex(&seed_hex).unwrap();
        drop(s);
        assert!(phrase::seed_from_hex(&bad_hex).is_err());
    });
    assert_eq!(n, 0, "seed_from_hex");
    // Through the FFI: the input bytes are wiped; the returned seed is the app's to wipe.
    let n = freed_blocks_holding(&[phrase_c], || {
        let r = wallet_core::ffi::check_recovery_phrase(typed.as_bytes().to_vec()).unwrap();
        drop(r);
    });
    assert_eq!(n, 0, "ffi::check_recovery_phrase");
}

#[test]
fn import_leaves_no_unwiped_copy_of_the_secrets_or_the_password() {
    let canary = leak(b"CANARY-import-secret-5d8c1e22f0");
    let pw_canary = leak("CANARY-import-pässwort-41".as_bytes());
    let w = canary_wallet(std::str::from_utf8(canary).unwrap());
    let pw_text = std::str::from_utf8(pw_canary).unwrap();
    let pw = password(pw_text);
    let ours_file = ours::encrypt_with(&w, &pw, 1_000, vec![1; 32], [2; 12], &NoProgress).unwrap();
    let legacy_file = legacy::encrypt_with(&w, &pw, 1_000, &[1; 32], [2; 16], &NoProgress).unwrap();
    let plain = zeroize::Zeroizing::new(w.to_json().to_vec());
    for (what, file) in [("ours", &ours_file), ("legacy", &legacy_file)] {
        let n = freed_blocks_holding(&[canary, pw_canary], || {
            let p = Password::from_bytes(pw_text.as_bytes()).unwrap();
            let opened = format::open(file, &p, &OpenOptions::default(), &NoProgress).unwrap();
            assert_eq!(opened.data, w);
        });
        assert_eq!(n, 0, "format::open of {what}");
    }
    let n = freed_blocks_holding(&[canary], || drop(WalletData::from_json(&plain).unwrap()));
    assert_eq!(n, 0, "WalletData::from_json");
    let n = freed_blocks_holding(&[canary, pw_canary], || {
        let b = wallet_core::ffi::open_backup(
            ours_file.clone(),
            pw_text.as_bytes().to_vec(),
            None,
            None,
        )
        .unwrap();
        drop(b);
    });
    assert_eq!(n, 0, "ffi::open_backup");
}

/// Found by this file's allocator check: `WalletData::to_json` reserves a size estimate
/// (`size_hint`: 64 KiB + 64 KiB per identity + 16 KiB per account + 256 bytes per contact) and
/// serialises into a `Zeroizing<Vec<u8>>`. When the JSON is larger, the `Vec` grows, and each
/// reallocation frees the previous buffer (already holding the secrets written so far) without
/// wiping it. An address book whose entries average more than 256 bytes (names, notes, fields
/// the model keeps as they were) is enough; export (`format::export`) goes through `to_json`.
#[test]
fn regression_to_json_growth_leaves_unwiped_copies() {
    let canary = leak(b"CANARY-growth-secret-0a7b3c9d");
    let mut w = canary_wallet(std::str::from_utf8(canary).unwrap());
    for i in 0..1_000 {
        w.value.recipients.push(wallet_core::model::Recipient {
            name: format!("contact {i}"),
            address: "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7".into(),
            extra: [(
                "note".to_string(),
                serde_json::Value::String("n".repeat(600)),
            )]
            .into_iter()
            .collect(),
        });
    }
    let n = freed_blocks_holding(&[canary], || drop(w.to_json()));
    assert_eq!(n, 0, "to_json freed {n} unwiped buffers holding a secret");
}

/// Controls for `tests/wipe_freed_heap.rs`: under a plain allocator, zxcvbn frees unwiped copies
/// of the password it rates and serde_json's scratch buffer keeps unescaped secrets; this is
/// why the shipped builds (`wipe-freed-heap`) and the command line install a wiping allocator,
/// and that test shows the same operations leave nothing under it. Should a dependency start
/// wiping, this control fails: then the note in src/password.rs can go.
#[test]
fn dependencies_free_unwiped_copies_under_a_plain_allocator() {
    let canary = leak(b"CANARY-zxcvbn-pass-77a1");
    let p = password(std::str::from_utf8(canary).unwrap());
    let n = freed_blocks_holding(&[canary], || drop(password::estimate_strength(&p, 600_000)));
    assert!(n > 0, "zxcvbn no longer leaves copies of the password");

    let canary = leak(b"CANARY-serde-scratch-secret-31d9");
    let secret = std::str::from_utf8(canary).unwrap();
    let json = escaped_secret_wallet_json(secret);
    let n = freed_blocks_holding(&[canary], || {
        drop(WalletData::from_json(json.as_bytes()).unwrap())
    });
    assert!(n > 0, "serde_json no longer leaves unescaped copies");
}

/// [`canary_wallet`] made store-importable: testnet, and an identity with an idCredPub.
fn canary_store_wallet(secret: &str) -> WalletData {
    let mut w = canary_wallet(secret);
    w.environment = Some(wallet_core::model::Environment::Testnet);
    // A valid address, so the account is imported, not skipped.
    w.value.identities[0].accounts[0].address = small_wallet().value.identities[0].accounts[0]
        .address
        .clone();
    w.value.identities[0].identity_object = Some(serde_json::json!(
        {"preIdentityObject": {"pubInfoForIp": {"idCredPub": "a1b2"}}}
    ));
    w
}

/// The flows through the bindings: the import flow (file password, storage key, decrypted
/// wallet) and the export flow (storage key, wallet secrets) leave no unwiped copy, whether they
/// finish, are cancelled or are dropped halfway. The export password goes through zxcvbn, whose
/// copies only the wiping allocator covers (see the controls below), so it is not a canary here.
#[test]
fn flows_leave_no_unwiped_copy_of_passwords_keys_or_secrets() {
    use wallet_core::ffi::{ExportFlow, ExportState, ImportFlow, ImportState, Wallet};
    let secret = leak(b"CANARY-flow-secret-3e7f19a2c4");
    let pw_canary = leak(b"CANARY-flow-password-77d0");
    let key = leak(b"CANARY-flow-storage-key-0123456");
    assert_eq!(key.len(), 31);
    let key: &'static [u8] = leak(&[key, b"!"].concat());
    let dir = scratch("flows");
    let w = canary_store_wallet(std::str::from_utf8(secret).unwrap());
    let pw = std::str::from_utf8(pw_canary).unwrap();
    let file =
        ours::encrypt_with(&w, &password(pw), 1_000, vec![1; 32], [2; 12], &NoProgress).unwrap();
    let path = dir.join("wallet.db").to_string_lossy().into_owned();
    let wallet = Wallet::create(path, "testnet".into(), key.to_vec()).unwrap();

    // Dropped on the review screen (file decrypted, key held), then imported to the end.
    for finish in [false, true] {
        let n = freed_blocks_holding(&[secret, pw_canary, key], || {
            let flow = ImportFlow::new(wallet.clone(), file.clone());
            flow.submit_password(pw_canary.to_vec(), None, None)
                .unwrap();
            let s = flow.unlock(key.to_vec()).unwrap();
            let ImportState::Review { summary, .. } = &s else {
                panic!("{s:?}")
            };
            assert_eq!(summary.accounts_added.len(), 1, "{s:?}");
            if finish {
                assert!(matches!(flow.confirm().unwrap(), ImportState::Done { .. }));
            }
            drop(flow);
        });
        assert_eq!(n, 0, "import flow (finished: {finish})");
    }

    let ours_export = || {
        let settings = wallet_core::ffi::ExportSettings {
            format: wallet_core::ffi::ExportFormat::Ours,
            iterations: None,
        };
        ExportFlow::new(wallet.clone(), settings)
    };
    let n = freed_blocks_holding(&[secret, key], || {
        let flow = ours_export();
        flow.unlock(key.to_vec()).unwrap();
        flow.acknowledge().unwrap();
        flow.set_password(b"Vanilla-Otter-91".to_vec(), b"Vanilla-Otter-91".to_vec())
            .unwrap();
        assert!(matches!(
            flow.run(None, None).unwrap(),
            ExportState::Finished { .. }
        ));
        drop(flow);
        // Cancelled on the password screen, with the key held.
        let flow = ours_export();
        flow.unlock(key.to_vec()).unwrap();
        assert!(matches!(flow.cancel(), ExportState::Cancelled));
        drop(flow);
    });
    assert_eq!(n, 0, "export flow");
}
