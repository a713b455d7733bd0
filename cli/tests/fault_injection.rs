//! Fault injection: the disk fills up in the middle of a write.
//!
//! The `wallet` command line runs with a file-size limit (`RLIMIT_FSIZE`, set between fork and
//! exec, with `SIGXFSZ` ignored so a write past the limit fails with `EFBIG` as on a full disk
//! instead of killing the process). Whatever the command was doing, it must fail with a clear
//! one-line error and leave everything as it was: the old backup file byte for byte and no
//! temporary file next to it; the store intact (`PRAGMA integrity_check`), holding exactly what
//! it held, and able to take the same import once there is room.
#![cfg(unix)]

mod common;

use common::scratch;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use common::stderr;
use common::wallets::{self, account, address, contact, identity};

use wallet_core::format::{self, BackupFormat, ExportOptions};
use wallet_core::kdf::NoProgress;
use wallet_core::model::WalletData;
use wallet_core::store::SqliteStore;

const PASSWORD: &str = "fault-injection password";
const PASSPHRASE: &str = "fault-injection storage passphrase";

/// Runs `wallet` with `args`; with `max_file_bytes`, no file it writes may grow past that size.
fn wallet(args: &[&str], store: &Path, max_file_bytes: Option<u64>) -> Output {
    let envs = [
        ("WALLET_STORE", store.to_str().unwrap()),
        ("WALLET_STORAGE_PASSPHRASE", PASSPHRASE),
        ("WALLET_PASSWORD", PASSWORD),
    ];
    let mut c = common::wallet_command(args, &envs);
    if let Some(limit) = max_file_bytes {
        // SAFETY: between fork and exec only async-signal-safe calls (signal, setrlimit) run.
        unsafe {
            c.pre_exec(move || {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let l = libc::rlimit {
                    rlim_cur: limit as libc::rlim_t,
                    rlim_max: limit as libc::rlim_t,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &l) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    c.output().unwrap()
}

/// A testnet wallet: one identity with `accounts` accounts of realistic size, and `contacts`
/// contacts; `tag` keeps names and addresses apart between wallets.
fn wallet_data(tag: &str, accounts: usize, contacts: usize) -> WalletData {
    let accs: Vec<Value> = (0..accounts)
        .map(|i| {
            let name = format!("{tag} account {i}");
            account(&name, &address(&format!("{tag}-account-{i}")), i as u64 + 1)
        })
        .collect();
    let identity = identity(&format!("{tag} identity"), (tag.len() as u64) << 40, accs);
    let recipients = (0..contacts)
        .map(|i| contact(&format!("{tag} contact {i}"), &format!("{tag}-contact-{i}")))
        .collect();
    wallets::wallet_data("testnet", vec![identity], recipients)
}

/// Writes `data` as a backup in our format.
fn backup_file(dir: &Path, name: &str, data: &WalletData) -> PathBuf {
    let options = ExportOptions {
        format: BackupFormat::Ours,
        iterations: None,
    };
    let bytes = format::export(data, &common::password(PASSWORD), &options, &NoProgress).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn listing(store: &Path) -> Value {
    let o = wallet(&["list", "--json"], store, None);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The size of the largest of `name` and its `-wal`/`-shm` companions in `dir`.
fn largest_file(dir: &Path, name: &str) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(dir.join(format!("{name}{suffix}"))).ok())
        .map(|m| m.len())
        .max()
        .unwrap_or(0)
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The failure is one line, says what happened, and is not a crash.
fn assert_clean_failure(o: &Output, what: &str) {
    let err = stderr(o);
    eprintln!("{what}: exit {:?}: {}", o.status.code(), err.trim_end());
    assert!(
        matches!(o.status.code(), Some(c) if c != 0 && c != 101),
        "{what}: expected a handled failure, got {:?}: {err}",
        o.status
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
    // An I/O problem, not a damaged file or store.
    assert_eq!(o.status.code(), Some(5), "{what}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{what}: {err}");
    let lower = err.to_lowercase();
    assert!(
        lower.contains("too large") || lower.contains("full") || lower.contains("disk"),
        "{what}: the message should say the disk/file limit was hit: {err}"
    );
}

#[test]
fn a_full_disk_during_convert_keeps_the_old_file() {
    let d = scratch("convert");
    let store = d.join("unused.sqlite");
    let input = backup_file(&d, "in.backup", &wallet_data("conv", 300, 50));
    let out = d.join("out.backup");
    std::fs::write(&out, b"the previous backup").unwrap();
    let before = names_in(&d);
    let size = std::fs::metadata(&input).unwrap().len();

    let args = [
        "convert",
        input.to_str().unwrap(),
        "--to",
        "ours",
        "--out",
        out.to_str().unwrap(),
    ];
    let o = wallet(&args, &store, Some(size / 2));
    assert_clean_failure(&o, "convert");
    assert_eq!(std::fs::read(&out).unwrap(), b"the previous backup");
    assert_eq!(names_in(&d), before, "a temporary file was left behind");

    // With room, the same command works.
    let o = wallet(&args, &store, None);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_full_disk_during_import_leaves_the_store_as_it_was() {
    let d = scratch("import");
    let store = d.join("wallet.sqlite");
    let o = wallet(&["init", "--network", "testnet"], &store, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let small = backup_file(&d, "small.backup", &wallet_data("small", 3, 2));
    let o = wallet(&["import", small.to_str().unwrap(), "--yes"], &store, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = listing(&store);
    assert_eq!(before["accounts"].as_u64(), Some(3), "{before}");

    let big = backup_file(&d, "big.backup", &wallet_data("big", 600, 300));
    let big = big.to_str().unwrap();
    // How far the files grow during this import: measured on a copy of the store (the growth
    // depends on the page size and the checkpointing, so the limits below follow it).
    let trial = d.join("trial.sqlite");
    std::fs::copy(&store, &trial).unwrap();
    let o = wallet(&["import", big, "--yes"], &trial, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let grown = largest_file(&d, "trial.sqlite");
    let db_size = std::fs::metadata(&store).unwrap().len();
    assert!(
        grown > db_size + (256 << 10),
        "the import should write a lot: {grown}"
    );
    // Several limits: the write fails early or late in the transaction, in the log or the
    // database file.
    for limit in [
        db_size,
        db_size + (grown - db_size) / 4,
        db_size + (grown - db_size) / 2,
        grown - (64 << 10),
    ] {
        let o = wallet(&["import", big, "--yes"], &store, Some(limit));
        assert_clean_failure(&o, &format!("import with files limited to {limit} bytes"));
        SqliteStore::open(&store)
            .unwrap()
            .integrity_check()
            .unwrap();
        assert_eq!(listing(&store), before, "limit {limit}: the store changed");
    }

    // With room, the same import goes through.
    let o = wallet(&["import", big, "--yes"], &store, None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(listing(&store)["accounts"].as_u64(), Some(603));
    std::fs::remove_dir_all(&d).unwrap();
}
