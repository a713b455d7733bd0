//! Crash safety of the wallet store.
//!
//! `a_killed_import_leaves_the_store_before_or_after` re-runs this test binary as a child (the
//! `crash_child` test, selected by the environment variable [`CHILD_ENV`]) that imports large
//! wallets into a store one after another, each import one transaction. The parent kills the
//! child with SIGKILL at a random moment, reopens the store and checks that SQLite finds it intact
//! and that it holds exactly the first k imports for some k: the state before or after each
//! import, never one in between. The store runs in WAL mode with `synchronous = FULL` (see
//! `src/store/sqlite/mod.rs` for why).
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use common::wallets::{account, address, contact, identity, remove_store, wallet_data};

use wallet_core::model::WalletData;
use wallet_core::network::Network;
use wallet_core::store::import::{self, ImportOptions};
use wallet_core::store::{SqliteStore, StorageKey, WalletStore};

/// Set in the child: the path of the store to import into.
const CHILD_ENV: &str = "WALLET_CORE_STORE_CRASH_CHILD";
/// How many wallets the child imports, one after another.
const BATCHES: usize = 5;
/// Accounts per imported wallet.
const ACCOUNTS: usize = 600;
/// Contacts per imported wallet.
const CONTACTS: usize = 300;
/// How many times the parent kills a child.
const RUNS: usize = 30;

fn key() -> StorageKey {
    StorageKey::from_bytes(&[0x42; 32]).unwrap()
}

/// The contacts every store starts with.
fn base_contacts() -> Vec<Value> {
    (0..3)
        .map(|i| contact(&format!("Friend {i}"), &format!("friend-{i}")))
        .collect()
}

/// The k-th wallet the child imports: one identity with [`ACCOUNTS`] accounts and [`CONTACTS`]
/// contacts, with credentials of realistic size.
fn batch_identity(k: usize) -> Value {
    let accounts: Vec<Value> = (0..ACCOUNTS)
        .map(|i| {
            let name = format!("Account {k}.{i}");
            account(
                &name,
                &address(&format!("b{k}-account-{i}")),
                (k * 1_000_000 + i) as u64,
            )
        })
        .collect();
    identity(&format!("Identity {k}"), (k as u64) << 40, accounts)
}

fn batch_contacts(k: usize) -> Vec<Value> {
    (0..CONTACTS)
        .map(|i| contact(&format!("Contact {k}.{i}"), &format!("b{k}-contact-{i}")))
        .collect()
}

fn wallet(identities: Vec<Value>, recipients: Vec<Value>) -> WalletData {
    wallet_data("testnet", identities, recipients)
}

/// What the store holds after the first `k` imports.
fn expected_after(k: usize) -> Value {
    let mut contacts = base_contacts();
    for b in 1..=k {
        contacts.extend(batch_contacts(b));
    }
    let w = wallet((1..=k).map(batch_identity).collect(), contacts);
    serde_json::from_slice(&w.to_json()).unwrap()
}

/// The child: imports the batches one after another, then exits. A no-op in a normal test run.
#[test]
fn crash_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = SqliteStore::open(Path::new(&path)).unwrap();
    for k in 1..=BATCHES {
        let data = wallet(vec![batch_identity(k)], batch_contacts(k));
        let report = import::import(&store, &data, &key(), &ImportOptions::default()).unwrap();
        assert_eq!(report.accounts_added.len(), ACCOUNTS);
    }
}

fn spawn_child(store: &Path) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--test-threads=1", "--nocapture"])
        .env(CHILD_ENV, store)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

fn random_below(n: u64) -> u64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap();
    u64::from_le_bytes(b) % n.max(1)
}

/// Opens the store after the child is gone and returns how many imports it holds, after
/// checking that it is intact and holds exactly those.
fn check_store(path: &Path, expected: &mut [Option<Value>]) -> usize {
    let store = SqliteStore::open(path).unwrap();
    store.integrity_check().unwrap();
    let summary = store.summary().unwrap();
    let k = summary.identity_count();
    assert!(k <= BATCHES);
    assert_eq!(summary.account_count(), k * ACCOUNTS, "a partial import");
    assert_eq!(
        summary.contact_count(),
        3 + k * CONTACTS,
        "a partial import"
    );
    assert_eq!(summary.revision, k as u64);
    let got: Value = serde_json::from_slice(&store.export_data(&key()).unwrap().to_json()).unwrap();
    let want = expected[k].get_or_insert_with(|| expected_after(k));
    assert!(
        got == *want,
        "the store differs from the state after {k} imports"
    );
    k
}

#[test]
fn a_killed_import_leaves_the_store_before_or_after() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let d = common::scratch("crash");
    let template = d.join("template.db");
    {
        let store = SqliteStore::create(&template, Network::Testnet, &key()).unwrap();
        let data = wallet(vec![], base_contacts());
        import::import(&store, &data, &key(), &ImportOptions::default()).unwrap();
        // Contacts only: the revision counts imports from here on.
        let conn = rusqlite::Connection::open(&template).unwrap();
        conn.execute("UPDATE wallet SET revision = 0", []).unwrap();
    }
    // Closing the last connection checkpointed the log into the file, so the file alone is the
    // template.
    assert!(!d.join("template.db-wal").exists());
    let fresh = |name: &str| {
        let p = d.join(name);
        remove_store(&p);
        std::fs::copy(&template, &p).unwrap();
        p
    };

    // Calibration: an uninterrupted child, which also checks the end state.
    let p = fresh("calibration.db");
    let start = Instant::now();
    let status = spawn_child(&p).wait().unwrap();
    let full = start.elapsed();
    assert!(status.success(), "the child failed on its own: {status}");
    let mut expected = vec![None; BATCHES + 1];
    assert_eq!(check_store(&p, &mut expected), BATCHES);
    eprintln!("calibration: {BATCHES} imports in {full:?}");

    let window = (full.as_millis() as u64).max(50);
    let mut seen = vec![0usize; BATCHES + 1];
    let mut killed = 0;
    for run in 0..RUNS {
        let p = fresh(&format!("run-{run}.db"));
        let mut child = spawn_child(&p);
        std::thread::sleep(Duration::from_millis(random_below(window)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        child.wait().unwrap();
        let k = check_store(&p, &mut expected);
        seen[k] += 1;
        remove_store(&p);
    }
    eprintln!("killed {killed} of {RUNS} children; runs ending after k imports: {seen:?}");
    assert!(
        killed > 0,
        "no child was killed; the timing window is wrong"
    );
    std::fs::remove_dir_all(&d).unwrap();
}
