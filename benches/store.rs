//! Wallet store benchmark: import into an empty store and export from it, at growing sizes.
//!
//! Run with `cargo bench --bench store` (the bench profile inherits the shipped release profile).
//! For each size N the wallet has N accounts (spread over identities of at most 1,000 accounts,
//! each with a credential of about 1 KB of JSON, keys, commitment randomness and shielded-balance
//! key, as in real backups) and N address-book entries. Measured, each on a fresh store file:
//!
//! - **import**: `import::import` into an empty store (preview + one-transaction apply,
//!   sealing every secret);
//! - **re-import preview**: previewing the same data again (everything already present; this
//!   decrypts the whole store to compare);
//! - **export**: `WalletStore::export_data` (unsealing every secret);
//! - **summary**: `WalletStore::summary` (no key, no secret);
//!
//! with wall time and the peak heap growth during the call, from a counting global allocator
//! (the data being imported is allocated before the measurement starts and not counted), and for
//! the import also SQLite's own peak memory (its page cache is allocated by SQLite's allocator,
//! not through Rust's, so the heap figure leaves it out). The
//! storage key is an app key, so no key derivation is inside those figures; the passphrase key
//! derivation (PBKDF2, 600,000 iterations) is timed once on its own. There are no timed
//! assertions. The database file and its write-ahead log are measured while the store is open
//! (the log keeps the size of the import until the next write or close trims it to 4 MiB);
//! `file_N_bytes_per_account` is the database file divided by N (an account and a contact each).
//!
//! On the 2-core development machine the default sizes take about 40 s after the build, 30 s of
//! it for N = 100,000 (about 1 GiB of heap at the peak, and about 850 MB of disk).
//!
//! Environment variables:
//! - `STORE_BENCH_SIZES` (default `1000,10000,100000`): the sizes N.
//! - `STORE_BENCH_DIR` (default the system temp dir): where the store files go.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use wallet_core::model::WalletData;
use wallet_core::network::Network;
use wallet_core::password::Password;
use wallet_core::store::import::{self, ImportOptions};
use wallet_core::store::{SqliteStore, StorageKey, WalletStore};

// The generated wallets of the store tests (tests/store_crash.rs, tests/fault_injection.rs).
#[path = "../tests/common/wallets.rs"]
mod wallets;
use wallets::{account, address, contact, identity, remove_store, wallet_data};

/// Counts live heap bytes and their peak.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f`, returning its result, its wall time and the peak heap growth above the start.
fn measure<T>(f: impl FnOnce() -> T) -> (T, Duration, usize) {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let start = Instant::now();
    let out = f();
    let time = start.elapsed();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    (out, time, peak)
}

/// A wallet with `n` accounts and `n` contacts.
fn wallet(n: usize) -> WalletData {
    let per_identity = 1_000;
    let identities: Vec<Value> = (0..n.div_ceil(per_identity))
        .map(|k| {
            let accounts = (k * per_identity..((k + 1) * per_identity).min(n))
                .map(|i| {
                    account(
                        &format!("Account {i}"),
                        &address(&format!("account-{i}")),
                        i as u64,
                    )
                })
                .collect();
            identity(&format!("Identity {k}"), (k as u64 + 1) << 40, accounts)
        })
        .collect();
    let recipients = (0..n)
        .map(|i| contact(&format!("Contact {i}"), &format!("contact-{i}")))
        .collect();
    wallet_data("mainnet", identities, recipients)
}

/// The size of the database file and of its write-ahead log.
fn file_sizes(path: &Path) -> (u64, u64) {
    let size = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        std::fs::metadata(PathBuf::from(p)).map_or(0, |m| m.len())
    };
    (size(""), size("-wal"))
}

struct Row {
    n: usize,
    import: (Duration, usize),
    sqlite_import: i64,
    preview_again: (Duration, usize),
    export: (Duration, usize),
    summary: (Duration, usize),
    db_bytes: u64,
    closed_db_bytes: u64,
    wal_bytes: u64,
}

fn mib(b: usize) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("STORE_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let dir = std::env::var("STORE_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir())
        .join(format!("wallet-core-store-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench directory");
    let total = Instant::now();

    // The key derivation, on its own.
    let salt = StorageKey::generate_salt().unwrap();
    let pw = Password::from_bytes(b"correct horse battery staple").unwrap();
    let (_, kdf_time, _) = measure(|| StorageKey::from_passphrase(&pw, &salt).unwrap());

    let key = StorageKey::from_bytes(&[7u8; 32]).unwrap();
    let mut rows = Vec::new();
    for &n in &sizes {
        let data = wallet(n);
        let path = dir.join(format!("store-{n}.db"));
        remove_store(&path);
        let store = SqliteStore::create(&path, Network::Mainnet, &key).unwrap();
        let opts = ImportOptions::default();
        // SAFETY: plain reads of SQLite's memory statistics (resetting the high-water mark).
        unsafe { rusqlite::ffi::sqlite3_memory_highwater(1) };
        let (report, t_import, m_import) =
            measure(|| import::import(&store, &data, &key, &opts).unwrap());
        // SAFETY: as above.
        let sqlite_import = unsafe { rusqlite::ffi::sqlite3_memory_highwater(0) };
        assert_eq!(report.accounts_added.len(), n, "the import is incomplete");
        drop(report);
        let (plan, t_again, m_again) =
            measure(|| import::preview(&store, &data, &key, &opts).unwrap());
        assert_eq!(plan.changes(), 0);
        drop(plan);
        let (out, t_export, m_export) = measure(|| store.export_data(&key).unwrap());
        assert_eq!(out.account_count(), n);
        drop(out);
        let (summary, t_summary, m_summary) = measure(|| store.summary().unwrap());
        assert_eq!(summary.contact_count(), n);
        drop(summary);
        let (db_bytes, wal_bytes) = file_sizes(&path);
        // Closing the last connection checkpoints the log into the database file: its size then
        // is the store's real size (a small import may still sit entirely in the log above).
        drop(store);
        let (closed_db_bytes, _) = file_sizes(&path);
        drop(data);
        remove_store(&path);
        let row = Row {
            n,
            import: (t_import, m_import),
            sqlite_import,
            preview_again: (t_again, m_again),
            export: (t_export, m_export),
            summary: (t_summary, m_summary),
            db_bytes,
            closed_db_bytes,
            wal_bytes,
        };
        eprintln!(
            "N = {n}: import {:.3} s, export {:.3} s",
            row.import.0.as_secs_f64(),
            row.export.0.as_secs_f64()
        );
        rows.push(row);
    }
    let _ = std::fs::remove_dir_all(&dir);

    println!();
    println!("Wallet store, N accounts + N contacts, app key (no key derivation inside):");
    println!(
        "| {:>7} | {:>9} | {:>9} | {:>10} | {:>10} | {:>9} | {:>9} | {:>10} | {:>8} | {:>8} |",
        "N",
        "import s",
        "peak MiB",
        "re-prev s",
        "peak MiB",
        "export s",
        "peak MiB",
        "summary ms",
        "db MiB",
        "wal MiB"
    );
    println!(
        "|{:-<9}|{:-<11}|{:-<11}|{:-<12}|{:-<12}|{:-<11}|{:-<11}|{:-<12}|{:-<10}|{:-<10}|",
        "", "", "", "", "", "", "", "", "", ""
    );
    for r in &rows {
        println!(
            "| {:>7} | {:>9.3} | {:>9.1} | {:>10.3} | {:>10.1} | {:>9.3} | {:>9.1} | {:>10.1} | {:>8.1} | {:>8.1} |",
            r.n,
            r.import.0.as_secs_f64(),
            mib(r.import.1),
            r.preview_again.0.as_secs_f64(),
            mib(r.preview_again.1),
            r.export.0.as_secs_f64(),
            mib(r.export.1),
            r.summary.0.as_secs_f64() * 1e3,
            r.db_bytes as f64 / (1024.0 * 1024.0),
            r.wal_bytes as f64 / (1024.0 * 1024.0),
        );
    }
    println!();
    println!("kdf_passphrase_600k_s: {:.3}", kdf_time.as_secs_f64());
    for r in &rows {
        let n = r.n;
        println!("import_{n}_s: {:.3}", r.import.0.as_secs_f64());
        println!("import_{n}_peak_mib: {:.1}", mib(r.import.1));
        println!(
            "import_{n}_sqlite_peak_mib: {:.1}",
            mib(usize::try_from(r.sqlite_import).unwrap_or(0))
        );
        println!(
            "import_{n}_us_per_entry: {:.2}",
            r.import.0.as_secs_f64() * 1e6 / (2 * n) as f64
        );
        println!(
            "reimport_preview_{n}_s: {:.3}",
            r.preview_again.0.as_secs_f64()
        );
        println!(
            "reimport_preview_{n}_peak_mib: {:.1}",
            mib(r.preview_again.1)
        );
        println!("export_{n}_s: {:.3}", r.export.0.as_secs_f64());
        println!("export_{n}_peak_mib: {:.1}", mib(r.export.1));
        println!(
            "export_{n}_us_per_entry: {:.2}",
            r.export.0.as_secs_f64() * 1e6 / (2 * n) as f64
        );
        println!("summary_{n}_ms: {:.1}", r.summary.0.as_secs_f64() * 1e3);
        println!("summary_{n}_peak_mib: {:.1}", mib(r.summary.1));
        println!("file_{n}_mib: {:.1}", r.db_bytes as f64 / (1024.0 * 1024.0));
        println!(
            "file_{n}_bytes_per_account: {:.0}",
            r.closed_db_bytes as f64 / n as f64
        );
        println!("wal_{n}_mib: {:.1}", r.wal_bytes as f64 / (1024.0 * 1024.0));
    }
    for w in rows.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let f = b.n as f64 / a.n as f64;
        println!(
            "growth_{}_to_{}: entries x{f:.0}, import time x{:.1}, import peak x{:.1}, export time x{:.1}, export peak x{:.1}",
            a.n,
            b.n,
            b.import.0.as_secs_f64() / a.import.0.as_secs_f64(),
            b.import.1 as f64 / a.import.1.max(1) as f64,
            b.export.0.as_secs_f64() / a.export.0.as_secs_f64(),
            b.export.1 as f64 / a.export.1.max(1) as f64,
        );
    }
    println!("bench_total_s: {:.1}", total.elapsed().as_secs_f64());
}
