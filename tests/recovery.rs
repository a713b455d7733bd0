//! Recovery without a backup file, against a real HTTP wallet-proxy on loopback
//! (tests/wallet_proxy_server): the wallet-proxy lookup, the seed-phrase restore into the store
//! (gap rules, idempotence, cancel and proxy failures change nothing); `wallet restore` is tested in
//! cli/tests/recovery.rs.

mod common;
mod wallet_proxy_server;

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use common::*;
use wallet_core::keys::{id_cred_pub, CommitmentKey, Secret32};
use wallet_core::network::Network;
use wallet_core::recovery::wallet_data::phrase_wallet_data;
use wallet_core::recovery::wallet_proxy::WalletProxy;
use wallet_core::recovery::{
    restore_with, AccountLookup, LookupError, NoScanObserver, RecoveryError, ScanObserver,
    ScanProgress,
};
use wallet_core::store::import::{self, ImportOptions};
use wallet_core::store::{SqliteStore, StorageKey, WalletStore};
use wallet_proxy_server::abandon::{address, hd_wallet, seeded_state, FOUND};
use wallet_proxy_server::{Behaviour, ProxyServer};

/// Lookups the scan must make: idp 0: identity 0 → 26 (0..=25), 1 → 20, 2 → 21, 3..=22 → 20
/// each; idp 3: identity 0 → 40 (0..=39), 1..=20 → 20 each.
const EXPECTED_LOOKUPS: u64 = 26 + 20 + 21 + 20 * 20 + 40 + 20 * 20;

fn store_key() -> StorageKey {
    StorageKey::from_bytes(&[7u8; 32]).unwrap()
}

fn restore_into(
    store: &SqliteStore,
    proxy: &WalletProxy,
    observer: &dyn ScanObserver,
) -> Result<import::ImportReport, String> {
    let w = hd_wallet();
    let providers = proxy.identity_providers().map_err(|e| e.to_string())?;
    let ck = CommitmentKey::global();
    let restored = restore_with(&w, &providers, &ck, proxy, None, observer)
        .map_err(|e: RecoveryError| e.to_string())?;
    let data = phrase_wallet_data(&restored, Network::Testnet, &ck).unwrap();
    import::import(store, &data, &store_key(), &ImportOptions::default()).map_err(|e| e.to_string())
}

#[test]
fn id_cred_pub_is_g_to_the_id_cred_sec_as_in_the_real_cryptox_export() {
    let Some(bytes) = fixture("cryptox-testnet-export.concordiumwallet") else {
        return;
    };
    let opened = open_with_fixture_password(&bytes);
    let ids = &opened.data.value.identities;
    assert_eq!(ids.len(), 2);
    for ident in ids {
        let sec_hex = ident
            .private_id_object_data
            .0
            .pointer("/aci/credentialHolderInformation/idCredSecret")
            .and_then(|v| v.as_str())
            .unwrap();
        let mut sec = [0u8; 32];
        hex::decode_to_slice(sec_hex, &mut sec).unwrap();
        let icp = id_cred_pub(&Secret32::new(sec), &CommitmentKey::global()).unwrap();
        assert_eq!(Some(hex::encode(icp).as_str()), ident.id_cred_pub());
    }
}

#[test]
fn the_proxy_lookup_reads_real_http_answers() {
    let w = hd_wallet();
    let server = ProxyServer::start(seeded_state(), 0).unwrap();
    let proxy = WalletProxy::new(&server.url()).unwrap();
    assert_eq!(proxy.identity_providers().unwrap(), vec![0, 3]);
    let exists = |i, n, c| {
        let acc = w.account(i, n, c, &CommitmentKey::global()).unwrap();
        proxy.account_exists(Network::Testnet, &acc.public.cred_id, &acc.public.address)
    };
    assert_eq!(exists(0, 0, 0), Ok(true));
    assert_eq!(exists(0, 0, 2), Ok(false), "404");
    assert_eq!(
        exists(0, 1, 0),
        Ok(false),
        "200 with a null finalizedBalance"
    );
    server.set_behaviour(Behaviour::FailFrom(0));
    assert!(matches!(exists(0, 0, 0), Err(LookupError::Failed(m)) if m.contains("500")));
    server.set_behaviour(Behaviour::GarbageFrom(0));
    assert!(matches!(exists(0, 0, 0), Err(LookupError::Failed(m)) if m.contains("not JSON")));
    // A proxy slower than the client's timeout is a failure, not "no account".
    server.set_behaviour(Behaviour::Slow(Duration::from_millis(1500)));
    let impatient = WalletProxy::with_timeout(&server.url(), Duration::from_millis(200)).unwrap();
    let acc = w.account(0, 0, 0, &CommitmentKey::global()).unwrap();
    assert!(matches!(
        impatient.account_exists(Network::Testnet, &acc.public.cred_id, &acc.public.address),
        Err(LookupError::Failed(_))
    ));
    // Nobody listening.
    drop(server);
    let gone = WalletProxy::new("http://127.0.0.1:1").unwrap();
    assert!(matches!(
        gone.account_exists(Network::Testnet, &acc.public.cred_id, &acc.public.address),
        Err(LookupError::Failed(_))
    ));
}

#[test]
fn a_phrase_restore_finds_exactly_the_seeded_accounts_and_imports_them_once() {
    let w = hd_wallet();
    let server = ProxyServer::start(seeded_state(), 0).unwrap();
    let proxy = WalletProxy::new(&server.url()).unwrap();
    let d = scratch("phrase");
    let store = SqliteStore::create(&d.join("w.sqlite"), Network::Testnet, &store_key()).unwrap();

    struct Last(AtomicU32, AtomicU32);
    impl ScanObserver for Last {
        fn progress(&self, p: &ScanProgress) {
            self.0.store(p.identities_scanned, Ordering::SeqCst);
            self.1.store(p.credentials_scanned, Ordering::SeqCst);
        }
    }
    let seen = Last(AtomicU32::new(0), AtomicU32::new(0));
    let report = restore_into(&store, &proxy, &seen).unwrap();
    assert_eq!(server.lookup_count(), EXPECTED_LOOKUPS);
    assert_eq!(u64::from(seen.1.load(Ordering::SeqCst)), EXPECTED_LOOKUPS);
    // idp 0: identities 0..=22; idp 3: 0..=20.
    assert_eq!(seen.0.load(Ordering::SeqCst), 23 + 21);

    let want: HashSet<String> = FOUND
        .iter()
        .map(|&(i, n, c)| address(&w, i, n, c))
        .collect();
    let added: HashSet<String> = report
        .accounts_added
        .iter()
        .map(|a| a.address.clone())
        .collect();
    assert_eq!(added, want);
    assert_eq!(report.identities_added.len(), 3);
    let summary = store.summary().unwrap();
    assert_eq!(summary.account_count(), 5);
    assert!(summary
        .identities
        .iter()
        .all(|i| i.accounts.iter().all(|a| !a.read_only)));
    // The stored keys are the derived ones, sealed like imported ones.
    let stored = store.export_data(&store_key()).unwrap();
    let acc = &stored.value.identities[0].accounts[0];
    let derived = w.account(0, 0, 0, &CommitmentKey::global()).unwrap();
    assert_eq!(
        acc.account_keys
            .0
            .pointer("/keys/0/keys/0/signKey")
            .unwrap(),
        derived.signing_key.to_hex().as_str()
    );
    assert_eq!(
        stored.value.identities[0].id_cred_pub().unwrap(),
        hex::encode(
            id_cred_pub(
                &w.identity(0, 0).unwrap().id_cred_sec,
                &CommitmentKey::global()
            )
            .unwrap()
        )
    );

    // Again: nothing new.
    let revision = store.summary().unwrap().revision;
    let again = restore_into(&store, &proxy, &NoScanObserver).unwrap();
    assert_eq!(again.changes(), 0, "{again:?}");
    assert_eq!(store.summary().unwrap().revision, revision);
}

#[test]
fn a_failing_or_cancelled_scan_changes_nothing() {
    let server = ProxyServer::start(seeded_state(), 0).unwrap();
    let proxy = WalletProxy::new(&server.url()).unwrap();
    let d = scratch("fail");
    let store = SqliteStore::create(&d.join("w.sqlite"), Network::Testnet, &store_key()).unwrap();
    let before = store.summary().unwrap();

    for b in [Behaviour::FailFrom(30), Behaviour::GarbageFrom(3)] {
        server.set_behaviour(b);
        let e = restore_into(&store, &proxy, &NoScanObserver).unwrap_err();
        assert!(e.contains("lookup failed"), "{e}");
        assert_eq!(store.summary().unwrap(), before);
    }

    server.set_behaviour(Behaviour::Normal);
    struct Cancelling(AtomicU32);
    impl ScanObserver for Cancelling {
        fn progress(&self, p: &ScanProgress) {
            self.0.store(p.credentials_scanned, Ordering::SeqCst);
        }
        fn cancelled(&self) -> bool {
            self.0.load(Ordering::SeqCst) >= 50
        }
    }
    let start = server.lookup_count();
    let e = restore_into(&store, &proxy, &Cancelling(AtomicU32::new(0))).unwrap_err();
    assert!(e.contains("cancelled"), "{e}");
    assert_eq!(
        server.lookup_count() - start,
        50,
        "the scan stopped at once"
    );
    assert_eq!(store.summary().unwrap(), before);
}
