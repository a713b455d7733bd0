//! Ledger recovery (legacy Desktop Wallet paths and new paths) with the emulated Ledger over real
//! TCP and the wallet-proxy on loopback; `keygen_bls_deprecated` cross-checked against an
//! independent Python implementation (tests/data/keygen_bls.py). `wallet ledger recover` is tested
//! in cli/tests/ledger_recovery.rs.

mod common;
mod ledger_emulator;
mod ledger_wallets;
mod wallet_proxy_server;

use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

use common::scratch;
use ledger_emulator::{
    Approval, EmulatedDevice, EmulatorServer, Generation, Screen, SPECULOS_PHRASE,
};
use ledger_wallets::{legacy_accounts, raw};
use wallet_core::ffi;
use wallet_core::keys::{keygen_bls, keygen_bls_deprecated, CommitmentKey, ConcordiumHdWallet};
use wallet_core::ledger::{Ledger, SpeculosTransport};
use wallet_core::network::Network;
use wallet_core::phrase::Phrase;
use wallet_core::recovery::ledger::{
    ledger_wallet_data, recover_legacy, recover_new_paths, LedgerKeys, LedgerRecovery,
    LedgerRecoveryError,
};
use wallet_core::recovery::wallet_proxy::WalletProxy;
use wallet_core::recovery::{LookupError, NoScanObserver, RecoveryError};
use wallet_core::store::import::{self, ImportOptions};
use wallet_core::store::{SqliteStore, StorageKey, WalletStore};
use wallet_proxy_server::{Behaviour, ProxyServer, ProxyState};

/// The proxy knows the emulated Ledger's legacy accounts ([`legacy_accounts`]); returns it with
/// those a scan must find.
fn legacy_state() -> (ProxyState, HashSet<String>) {
    let (accounts, found) = legacy_accounts();
    (ProxyState::serving(accounts, vec![0]), found)
}

/// Identity 0: 25 (v1 finds); 1: 50 (v1 then v0, which finds); 2, 3: 50 each; 4: 25; 5, 6, 7: 50.
const LEGACY_LOOKUPS: u64 = 25 + 50 + 2 * 50 + 25 + 3 * 50;

/// The addresses of every account a recovery found.
fn found_addresses(r: &LedgerRecovery) -> HashSet<String> {
    r.identities
        .iter()
        .flat_map(|i| i.accounts.iter().map(|a| a.address.to_base58()))
        .collect()
}

/// A wallet-proxy that knows the legacy accounts of [`legacy_state`], an emulated Ledger 5.7.0
/// with the Speculos phrase, and the addresses a recovery must find.
fn legacy_proxy_and_device() -> (ProxyServer, EmulatorServer, HashSet<String>) {
    let (state, want) = legacy_state();
    let proxy_server = ProxyServer::start(state, 0).unwrap();
    let device = EmulatorServer::start(EmulatedDevice::speculos(Generation::V5_7_0), 0).unwrap();
    (proxy_server, device, want)
}

fn key() -> StorageKey {
    StorageKey::from_bytes(&[9u8; 32]).unwrap()
}

#[test]
fn keygen_bls_deprecated_agrees_with_an_independent_python_implementation() {
    let inputs: Vec<Vec<u8>> = vec![
        vec![0u8; 32],
        (0u8..32).collect(),
        raw(&[1105, 0, 0, 0, 0, 1]).to_hex().as_bytes().to_vec(),
        b"5c41850234122e15f08f4d9c8732f33a25b79142cafd3b41b86f64118c23be8a".to_vec(),
    ];
    let mut stdin = String::new();
    for i in &inputs {
        stdin.push_str(&format!(
            "standard {}\ndeprecated {}\n",
            hex::encode(i),
            hex::encode(i)
        ));
    }
    let mut child = match Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/keygen_bls.py"
        ))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) if std::env::var_os("CI").is_none() => {
            println!("SKIPPED: python3 is not available ({e})");
            return;
        }
        Err(e) => panic!("python3: {e}"),
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), inputs.len() * 2);
    for (i, ikm) in inputs.iter().enumerate() {
        // The standard variant is pinned by Concordium's published vectors (tests/phrase_keys.rs),
        // so agreement here shows the Python HKDF is right; the deprecated one then differs only
        // in the two documented places.
        assert_eq!(*keygen_bls(ikm, b"").to_hex(), lines[2 * i], "standard {i}");
        assert_eq!(
            *keygen_bls_deprecated(ikm, b"").to_hex(),
            lines[2 * i + 1],
            "deprecated {i}"
        );
        assert_ne!(lines[2 * i], lines[2 * i + 1]);
    }
    // One value pinned from the Python script, so the check holds where Python is missing.
    assert_eq!(
        *keygen_bls_deprecated(&[0u8; 32], b"").to_hex(),
        "61f3a9bc750d01b194e6c0f4b28cf87262e90651bc21fc5592108237260827be"
    );
}

fn legacy_recovery(
    generation: Generation,
    proxy: &WalletProxy,
) -> (
    Result<wallet_core::recovery::ledger::LedgerRecovery, LedgerRecoveryError>,
    usize,
) {
    let server = EmulatorServer::start(EmulatedDevice::speculos(generation), 0).unwrap();
    let mut ledger = Ledger::new(SpeculosTransport::connect(&server.address_string()).unwrap());
    let r = recover_legacy(
        &mut ledger,
        Network::Testnet,
        3,
        &CommitmentKey::global(),
        proxy,
        &NoScanObserver,
    );
    let exports = server
        .device
        .instructions()
        .iter()
        .filter(|(cla, ins)| *cla == 0xE0 && *ins == 0x05)
        .count();
    (r, exports)
}

#[test]
fn legacy_ledger_recovery_finds_exactly_the_seeded_accounts_and_stores_them_ledger_backed() {
    let (state, want) = legacy_state();
    let proxy_server = ProxyServer::start(state, 0).unwrap();
    let proxy = WalletProxy::new(&proxy_server.url()).unwrap();
    for generation in [Generation::V5_1_3, Generation::V5_7_0] {
        let before = proxy_server.lookup_count();
        let (r, exports) = legacy_recovery(generation, &proxy);
        let r = r.unwrap();
        assert_eq!(proxy_server.lookup_count() - before, LEGACY_LOOKUPS);
        assert_eq!(exports, 8, "one approval per identity index 0..=7");
        assert_eq!(found_addresses(&r), want);
        let versions: Vec<(u32, LedgerKeys)> =
            r.identities.iter().map(|i| (i.index, i.keys)).collect();
        assert_eq!(
            versions,
            [
                (0, LedgerKeys::LegacyV1),
                (1, LedgerKeys::LegacyV0),
                (4, LedgerKeys::LegacyV1)
            ]
        );
    }

    // Into the store: Ledger-backed, no keys; again: nothing new.
    let d = scratch("legacy");
    let store = SqliteStore::create(&d.join("w.sqlite"), Network::Testnet, &key()).unwrap();
    let (r, _) = legacy_recovery(Generation::V5_7_0, &proxy);
    let r = r.unwrap();
    let data = ledger_wallet_data(&r, Network::Testnet);
    let report = import::import(&store, &data, &key(), &ImportOptions::default()).unwrap();
    assert_eq!(report.accounts_added.len(), 4);
    assert_eq!(report.identities_added.len(), 3);
    let s = store.summary().unwrap();
    assert_eq!(s.identities[0].name, "Recovered: Index 0");
    for a in s.identities.iter().flat_map(|i| &i.accounts) {
        assert!(a.read_only);
        assert_eq!(a.ledger_pairing_id.as_deref(), Some(r.pairing_id.as_str()));
    }
    let again = import::import(&store, &data, &key(), &ImportOptions::default()).unwrap();
    assert_eq!(again.changes(), 0, "{again:?}");
    assert_eq!(store.summary().unwrap(), s);

    // A failing proxy stops the scan with an error.
    proxy_server.set_behaviour(Behaviour::FailFrom(proxy_server.lookup_count() + 10));
    let (r, _) = legacy_recovery(Generation::V5_7_0, &proxy);
    assert!(matches!(
        r,
        Err(LedgerRecoveryError::Recovery(RecoveryError::Lookup(
            LookupError::Failed(_)
        )))
    ));
}

#[test]
fn new_path_ledger_recovery_uses_the_seed_wallet_gap_rules() {
    let p = Phrase::parse(SPECULOS_PHRASE).unwrap();
    let w = ConcordiumHdWallet::new(p.to_seed(""), Network::Testnet);
    let addr = |n, c| {
        w.account(0, n, c, &CommitmentKey::global())
            .unwrap()
            .public
            .address
            .to_base58()
    };
    let want: HashSet<String> = [addr(0, 0), addr(0, 2)].into_iter().collect();
    let proxy_server = ProxyServer::start(
        ProxyState {
            accounts: want.clone(),
            unfinalized: HashSet::new(),
            providers: vec![0],
            behaviour: Behaviour::Normal,
        },
        0,
    )
    .unwrap();
    let proxy = WalletProxy::new(&proxy_server.url()).unwrap();
    let recover = |ledger: &mut Ledger<SpeculosTransport>| {
        let key = CommitmentKey::global();
        recover_new_paths(
            ledger,
            Network::Testnet,
            &[0],
            &key,
            &proxy,
            &NoScanObserver,
        )
    };
    let server = EmulatorServer::start(EmulatedDevice::speculos(Generation::V5_7_0), 0).unwrap();
    let mut ledger = Ledger::new(SpeculosTransport::connect(&server.address_string()).unwrap());
    let r = recover(&mut ledger).unwrap();
    assert_eq!(found_addresses(&r), want);
    // Identity 0: counters 0..=22 (hit at 2, then 20 misses); identities 1..=20: 20 each.
    assert_eq!(proxy_server.lookup_count(), 23 + 20 * 20);
    // The identity's idCredPub is the seed wallet's.
    let data = ledger_wallet_data(&r, Network::Testnet);
    let icp = wallet_core::keys::id_cred_pub(
        &w.identity(0, 0).unwrap().id_cred_sec,
        &CommitmentKey::global(),
    )
    .unwrap();
    assert_eq!(
        data.value.identities[0].id_cred_pub(),
        Some(hex::encode(icp).as_str())
    );

    // 5.1.3 cannot export Testnet new-path keys: a clear "not supported", nothing scanned.
    let old = EmulatorServer::start(EmulatedDevice::speculos(Generation::V5_1_3), 0).unwrap();
    let mut ledger = Ledger::new(SpeculosTransport::connect(&old.address_string()).unwrap());
    let before = proxy_server.lookup_count();
    let e = recover(&mut ledger).unwrap_err();
    assert!(matches!(e, LedgerRecoveryError::Ledger(_)), "{e}");
    assert_eq!(proxy_server.lookup_count(), before);
}

/// The app's lookup for the bindings, here over the library's own wallet-proxy client (real HTTP
/// to the loopback server).
struct ProxyDirectory(WalletProxy);

impl ffi::AccountDirectory for ProxyDirectory {
    fn account_exists(
        &self,
        network: ffi::Network,
        credential_id_hex: String,
        address: String,
    ) -> ffi::LookupAnswer {
        use wallet_core::recovery::AccountLookup;
        let mut id = [0u8; 48];
        hex::decode_to_slice(&credential_id_hex, &mut id).unwrap();
        let cred_id = wallet_core::keys::CredentialId(id);
        assert_eq!(cred_id.account_address().to_base58(), address);
        match self
            .0
            .account_exists(network, &cred_id, &cred_id.account_address())
        {
            Ok(true) => ffi::LookupAnswer::Exists,
            Ok(false) => ffi::LookupAnswer::Missing,
            Err(e) => ffi::LookupAnswer::Failed {
                reason: e.to_string(),
            },
        }
    }
}

/// Records the scan's progress and cancels once `cancel_at` credentials were looked up.
struct Progress {
    calls: std::sync::Mutex<Vec<ffi::RestoreProgress>>,
    cancel_at: Option<(u32, Arc<ffi::CancelToken>)>,
}

impl ffi::RestoreListener for Progress {
    fn on_restore_progress(&self, progress: ffi::RestoreProgress) {
        self.calls.lock().unwrap().push(progress);
        if let Some((n, token)) = &self.cancel_at {
            if progress.credentials_scanned == *n {
                token.cancel();
            }
        }
    }
}

fn added_keys(lines: &[ffi::ImportLine]) -> HashSet<String> {
    lines.iter().filter_map(|l| l.key.clone()).collect()
}

#[test]
fn ledger_recovery_through_the_wallet_object_previews_then_applies_without_asking_again() {
    let (proxy_server, device, want) = legacy_proxy_and_device();
    let d = scratch("ffi");
    let k = [9u8; 32];
    let w = ffi::Wallet::create(
        d.join("w.sqlite").to_str().unwrap().into(),
        ffi::Network::Testnet,
        k.to_vec(),
    )
    .unwrap();
    let bridge = ffi::LedgerBridge::speculos(device.address_string()).unwrap();
    let directory: Arc<dyn ffi::AccountDirectory> = Arc::new(ProxyDirectory(
        WalletProxy::new(&proxy_server.url()).unwrap(),
    ));
    let legacy = ffi::LedgerRecoveryPaths::Legacy {
        max_empty_identities: ffi::default_max_empty_identities(),
    };
    let preview_legacy = |w: &ffi::Wallet| {
        w.preview_ledger_recovery(
            bridge.clone(),
            k.to_vec(),
            legacy.clone(),
            directory.clone(),
            None,
            None,
        )
    };
    let exports = || {
        device
            .device
            .instructions()
            .iter()
            .filter(|(cla, ins)| *cla == 0xE0 && *ins == 0x05)
            .count()
    };
    let progress = Arc::new(Progress {
        calls: Default::default(),
        cancel_at: None,
    });
    let pending = w
        .preview_ledger_recovery(
            bridge.clone(),
            k.to_vec(),
            legacy.clone(),
            directory.clone(),
            Some(progress.clone()),
            None,
        )
        .unwrap();
    let preview = pending.summary();
    assert_eq!(added_keys(&preview.accounts_added), want);
    assert_eq!(
        preview
            .identities_added
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>(),
        [
            "Recovered: Index 0",
            "Recovered: Index 1",
            "Recovered: Index 4"
        ]
    );
    assert_eq!(proxy_server.lookup_count(), LEGACY_LOOKUPS);
    assert_eq!(
        progress.calls.lock().unwrap().last().copied(),
        Some(ffi::RestoreProgress {
            identities_scanned: 8,
            credentials_scanned: LEGACY_LOOKUPS as u32,
            accounts_found: 4,
        })
    );
    assert_eq!(
        w.overview().unwrap().account_count,
        0,
        "a preview changes nothing"
    );

    // Applying asks neither the device nor the proxy again.
    let (exported, looked_up) = (exports(), proxy_server.lookup_count());
    let report = w.apply_pending_import(pending.clone(), k.to_vec()).unwrap();
    assert_eq!(report, preview);
    assert_eq!(
        (exports(), proxy_server.lookup_count()),
        (exported, looked_up)
    );
    let overview = w.overview().unwrap();
    let pairing = bridge.pairing_id().unwrap().public_key_hex;
    let accounts: Vec<&ffi::StoredAccount> = overview
        .identities
        .iter()
        .flat_map(|i| &i.accounts)
        .collect();
    assert_eq!(
        accounts
            .iter()
            .map(|a| a.address.clone())
            .collect::<HashSet<_>>(),
        want
    );
    assert!(accounts
        .iter()
        .all(|a| a.read_only && a.ledger_pairing_id.as_deref() == Some(pairing.as_str())));

    // Applying the same preview again: the wallet changed since, so it is stale.
    assert!(matches!(
        w.apply_pending_import(pending, k.to_vec()),
        Err(ffi::WalletError::StaleImport(_))
    ));
    // Recovering again adds nothing.
    let again = preview_legacy(&w).unwrap();
    common::assert_nothing_new(&w, again, &k, &overview);

    // A preview made before the wallet changed is refused, changing nothing.
    let fresh = ffi::Wallet::create(
        d.join("fresh.sqlite").to_str().unwrap().into(),
        ffi::Network::Testnet,
        k.to_vec(),
    )
    .unwrap();
    let pending = preview_legacy(&fresh).unwrap();
    let bob = want.iter().next().unwrap().clone();
    assert!(fresh.add_contact("Bob".into(), bob).unwrap());
    assert!(matches!(
        fresh.apply_pending_import(pending, k.to_vec()),
        Err(ffi::WalletError::StaleImport(_))
    ));
    // A preview of another wallet is refused too.
    assert!(matches!(
        fresh.apply_pending_import(preview_legacy(&w).unwrap(), k.to_vec()),
        Err(ffi::WalletError::StaleImport(_))
    ));
    assert_eq!(fresh.overview().unwrap().account_count, 0);

    // Cancelled mid-scan, or a failing proxy: an error, and nothing changed.
    let token = ffi::CancelToken::new();
    let before = proxy_server.lookup_count();
    let cancelling = Arc::new(Progress {
        calls: Default::default(),
        cancel_at: Some((10, token.clone())),
    });
    let e = fresh
        .preview_ledger_recovery(
            bridge.clone(),
            k.to_vec(),
            legacy.clone(),
            directory.clone(),
            Some(cancelling),
            Some(token),
        )
        .err()
        .unwrap();
    assert!(matches!(e, ffi::WalletError::Cancelled(_)), "{e}");
    assert_eq!(
        proxy_server.lookup_count() - before,
        10,
        "no lookup after the cancel"
    );
    proxy_server.set_behaviour(Behaviour::FailFrom(proxy_server.lookup_count() + 30));
    let e = preview_legacy(&fresh).err().unwrap();
    assert!(matches!(e, ffi::WalletError::LookupFailed(_)), "{e}");
    assert_eq!(fresh.overview().unwrap().account_count, 0);
    proxy_server.set_behaviour(Behaviour::Normal);

    // Bad requests are refused before the device is asked.
    let exported = exports();
    for paths in [
        ffi::LedgerRecoveryPaths::Legacy {
            max_empty_identities: 0,
        },
        ffi::LedgerRecoveryPaths::NewPaths {
            identity_providers: vec![],
        },
    ] {
        let e = fresh
            .preview_ledger_recovery(
                bridge.clone(),
                k.to_vec(),
                paths,
                directory.clone(),
                None,
                None,
            )
            .err()
            .unwrap();
        assert!(matches!(e, ffi::WalletError::InvalidParameters(_)), "{e}");
    }
    let e = fresh
        .preview_ledger_recovery(
            bridge.clone(),
            vec![1; 32],
            ffi::LedgerRecoveryPaths::NewPaths {
                identity_providers: vec![0],
            },
            directory.clone(),
            None,
            None,
        )
        .err()
        .unwrap();
    assert!(matches!(e, ffi::WalletError::WrongStorageKey(_)), "{e}");
    assert_eq!(exports(), exported);

    // App 5.1.3 cannot export testnet new-path keys: LedgerUnsupported, naming the release. The app
    // can tell beforehand.
    let old = EmulatorServer::start(EmulatedDevice::speculos(Generation::V5_1_3), 0).unwrap();
    let old_bridge = ffi::LedgerBridge::speculos(old.address_string()).unwrap();
    let supported = |b: &ffi::LedgerBridge, n| b.supports_new_path_recovery(n).unwrap();
    assert!(!supported(&old_bridge, ffi::Network::Testnet));
    assert!(supported(&old_bridge, ffi::Network::Mainnet));
    assert!(supported(&bridge, ffi::Network::Testnet));
    assert!(supported(&bridge, ffi::Network::Mainnet));
    let e = fresh
        .preview_ledger_recovery(
            old_bridge,
            k.to_vec(),
            ffi::LedgerRecoveryPaths::NewPaths {
                identity_providers: vec![0],
            },
            directory,
            None,
            None,
        )
        .err()
        .unwrap();
    assert!(
        matches!(e, ffi::WalletError::LedgerUnsupported(ref m) if m.contains("5.1.3")),
        "{e}"
    );
}

/// A Ledger that is locked, on the dashboard, or whose person rejects: a recovery through the
/// `Wallet` object fails with the typed kind an app can act on, and the store is unchanged.
#[test]
fn ledger_recovery_through_the_wallet_object_types_locked_dashboard_and_rejected() {
    let (state, _) = legacy_state();
    let proxy_server = ProxyServer::start(state, 0).unwrap();
    let directory: Arc<dyn ffi::AccountDirectory> = Arc::new(ProxyDirectory(
        WalletProxy::new(&proxy_server.url()).unwrap(),
    ));
    let d = scratch("ffi-ledger-kinds");
    let k = [9u8; 32];
    let w = ffi::Wallet::create(
        d.join("w.sqlite").to_str().unwrap().into(),
        ffi::Network::Testnet,
        k.to_vec(),
    )
    .unwrap();
    let before = w.overview().unwrap();
    let fail = |device: EmulatedDevice| {
        let server = EmulatorServer::start(device, 0).unwrap();
        let bridge = ffi::LedgerBridge::speculos(server.address_string()).unwrap();
        let e = w
            .preview_ledger_recovery(
                bridge,
                k.to_vec(),
                ffi::LedgerRecoveryPaths::Legacy {
                    max_empty_identities: ffi::default_max_empty_identities(),
                },
                directory.clone(),
                None,
                None,
            )
            .err()
            .unwrap();
        assert_eq!(w.overview().unwrap(), before, "{e}: the store is unchanged");
        e
    };
    let device = |screen, approval| {
        let mut device = EmulatedDevice::speculos(Generation::V5_7_0);
        device.screen = screen;
        device.approval = approval;
        device
    };

    let e = fail(device(Screen::Locked, Approval::Approve));
    assert!(
        matches!(e, ffi::WalletError::LedgerLocked(ref m) if m.contains("locked")),
        "{e}"
    );
    let e = fail(device(Screen::Dashboard, Approval::Approve));
    assert!(
        matches!(e, ffi::WalletError::LedgerAppNotOpen(ref m) if m.contains("dashboard")),
        "{e}"
    );
    let e = fail(device(Screen::App, Approval::Reject));
    assert!(
        matches!(e, ffi::WalletError::LedgerRejected(ref m) if m.contains("rejected")),
        "{e}"
    );
    assert_eq!(proxy_server.lookup_count(), 0, "no lookup without keys");
    assert_eq!(w.overview().unwrap().account_count, 0);
}

/// The accounts the Kotlin and Swift tests seed their loopback proxy with (tests/data/bindings),
/// kept equal to [`legacy_state`]; `WRITE_BINDINGS_DATA=1` rewrites the file.
#[test]
fn the_bindings_test_ledger_accounts_are_the_ones_seeded_here() {
    let (state, found) = legacy_state();
    let mut found: Vec<String> = found.into_iter().collect();
    found.sort();
    let mut beyond: Vec<String> = state
        .accounts
        .iter()
        .filter(|a| !found.contains(a))
        .cloned()
        .collect();
    beyond.sort();
    let built = serde_json::to_string_pretty(&serde_json::json!({
        "emulatorPhrase": SPECULOS_PHRASE,
        "legacyFound": found,
        "legacyBeyondGap": beyond,
        "legacyLookups": LEGACY_LOOKUPS,
        "legacyIdentitiesScanned": 8,
    }))
    .unwrap()
        + "\n";
    common::check_bindings_data("ledger-legacy-accounts.json", built.as_bytes());
}
