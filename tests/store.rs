//! The SQLite store: schema and migrations, the file, sealing at rest, the real fixture, a
//! rollback inside SQLite. What every store must do (the reviewed import with the rules of
//! docs/references.md §A.1.3–A.1.4, the storage key, the address book) is tests/store_contract.rs.

mod common;

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde_json::Value;

use common::store_data::*;
use common::*;
use wallet_core::kdf::NoProgress;
use wallet_core::network::Network;
use wallet_core::store::import;
use wallet_core::store::migrations::{self, APPLICATION_ID, SCHEMA_VERSION};
use wallet_core::store::{SqliteStore, StorageKey, StoreError, WalletStore};

const FIXTURE: &str = "cryptox-testnet-export.concordiumwallet";
/// Where [`new_store`] puts the store file in `dir`.
fn store_path(dir: &Path) -> PathBuf {
    dir.join("wallet.db")
}

fn new_store(dir: &Path, network: Network) -> SqliteStore {
    SqliteStore::create(&store_path(dir), network, &key()).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Schema and files

#[test]
fn an_empty_database_is_migrated_to_the_current_schema() {
    let d = scratch("migrate-empty");
    let p = d.join("empty.db");
    let mut conn = Connection::open(&p).unwrap();
    assert_eq!(migrations::user_version(&conn).unwrap(), 0);
    assert_eq!(migrations::migrate(&mut conn).unwrap(), 0);
    assert_eq!(migrations::user_version(&conn).unwrap(), SCHEMA_VERSION);
    assert_eq!(migrations::application_id(&conn).unwrap(), APPLICATION_ID);
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    assert_eq!(
        tables,
        ["account", "contact", "exported_item", "identity", "wallet"]
    );
    // Migrating again is a no-op.
    assert_eq!(migrations::migrate(&mut conn).unwrap(), SCHEMA_VERSION);
    assert_eq!(
        migrations::MIGRATIONS.last().unwrap().version,
        SCHEMA_VERSION
    );
    // A migrated database without a wallet row is not a usable store.
    drop(conn);
    assert!(matches!(
        SqliteStore::open(&p),
        Err(StoreError::NotAStore(_))
    ));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let d = scratch("newer");
    let p = d.join("wallet.db");
    drop(SqliteStore::create(&p, Network::Testnet, &key()).unwrap());
    let conn = Connection::open(&p).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let before = std::fs::read(&p).unwrap();
    assert_eq!(
        SqliteStore::open(&p).unwrap_err(),
        StoreError::NewerSchema {
            found: 99,
            supported: SCHEMA_VERSION
        }
    );
    assert_eq!(std::fs::read(&p).unwrap(), before);
    let msg = StoreError::NewerSchema {
        found: 99,
        supported: 1,
    }
    .to_string();
    assert!(msg.contains("update the app"), "{msg}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn files_that_are_not_stores_are_named() {
    let d = scratch("not-a-store");
    assert_eq!(
        SqliteStore::open(&d.join("missing.db")).unwrap_err(),
        StoreError::NotFound
    );
    let garbage = d.join("garbage.db");
    std::fs::write(&garbage, vec![0x42u8; 8192]).unwrap();
    assert!(matches!(
        SqliteStore::open(&garbage),
        Err(StoreError::NotAStore(_))
    ));
    let empty = d.join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        SqliteStore::open(&empty),
        Err(StoreError::NotAStore(_))
    ));
    let theirs = d.join("theirs.db");
    Connection::open(&theirs)
        .unwrap()
        .execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('hi');")
        .unwrap();
    assert!(matches!(
        SqliteStore::open(&theirs),
        Err(StoreError::NotAStore(_))
    ));
    // `create` never overwrites.
    assert_eq!(
        SqliteStore::create(&theirs, Network::Testnet, &key()).unwrap_err(),
        StoreError::AlreadyExists
    );
    let rows: i64 = Connection::open(&theirs)
        .unwrap()
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
    std::fs::remove_dir_all(&d).unwrap();
}

#[cfg(unix)]
#[test]
fn a_new_store_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let d = scratch("mode");
    let _store = new_store(&d, Network::Testnet);
    let mode = std::fs::metadata(store_path(&d))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    std::fs::remove_dir_all(&d).unwrap();
}

fn page_size(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_new_store_has_16_kib_pages_and_a_4_kib_store_works_as_before() {
    let d = scratch("page-size");
    let p = d.join("wallet.db");
    drop(SqliteStore::create(&p, Network::Testnet, &key()).unwrap());
    assert_eq!(
        page_size(&p),
        i64::from(wallet_core::store::sqlite::PAGE_SIZE)
    );

    // A store as earlier versions created it, with SQLite's default 4 KiB pages.
    let conn = Connection::open(&p).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM; PRAGMA journal_mode = WAL;",
    )
    .unwrap();
    drop(conn);
    assert_eq!(page_size(&p), 4096);
    let store = SqliteStore::open(&p).unwrap();
    let data = ann_with_accounts(30);
    let report = import::import(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(report.accounts_added.len(), 30);
    assert_same_json(
        &value(&store.export_data(&key()).unwrap()),
        &value(&data),
        "",
    );
    store.integrity_check().unwrap();
    drop(store);
    assert_eq!(page_size(&p), 4096, "an existing store keeps its page size");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_store_reopens_with_its_network_and_content() {
    let d = scratch("reopen");
    let p = d.join("wallet.db");
    let store = SqliteStore::create(&p, Network::Stagenet, &key()).unwrap();
    assert!(store.add_contact("Alice", address("A").as_str()).unwrap());
    drop(store);
    let store = SqliteStore::open(&p).unwrap();
    assert_eq!(store.network().unwrap(), Network::Stagenet);
    let s = store.summary().unwrap();
    assert_eq!(s.contact_count(), 1);
    assert_eq!(s.revision, 1);
    store.integrity_check().unwrap();
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Lossless export and the real fixture

#[test]
fn every_field_survives_reopening_the_file() {
    let d = scratch("lossless");
    let store = new_store(&d, Network::Testnet);
    let data = wallet_with_unmodelled_fields();
    import::import(&store, &data, &key(), &no_assumption()).unwrap();
    // After reopening the file (the export before is checked by the contract suite).
    let p = store_path(&d);
    drop(store);
    let store = SqliteStore::open(&p).unwrap();
    assert_eq!(value(&store.export_data(&key()).unwrap()), value(&data));
    std::fs::remove_dir_all(&d).unwrap();
}

/// Compares two JSON values and names the first path where they differ.
fn assert_same_json(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut kx: Vec<_> = x.keys().collect();
            let mut ky: Vec<_> = y.keys().collect();
            kx.sort();
            ky.sort();
            assert_eq!(kx, ky, "different fields at {path}");
            for k in x.keys() {
                assert_same_json(&x[k], &y[k], &format!("{path}/{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "different lengths at {path}");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                assert_same_json(p, q, &format!("{path}/{i}"));
            }
        }
        _ => assert!(a == b, "different values at {path}"),
    }
}

#[test]
fn the_real_fixture_round_trips_through_the_store() {
    let Some(file) = fixture(FIXTURE) else { return };
    let opened = open_with_fixture_password(&file);
    let original = value(&opened.data);
    assert_eq!(opened.data.environment, Some(Network::Testnet));

    let d = scratch("fixture");
    let store = new_store(&d, Network::Testnet);
    let plan = import::preview(&store, &opened.data, &key(), &no_assumption()).unwrap();
    assert_eq!(plan.identities_to_add.len(), 2);
    assert_eq!(plan.accounts_to_add.len(), 5);
    assert_eq!(plan.contacts_to_add.len(), 5);
    assert!(plan.conflicts.is_empty() && plan.skipped.is_empty());
    let report = store.apply(&plan, &opened.data, &key()).unwrap();
    assert_eq!(report, plan.report());

    // Export, import into a second empty wallet, export again: the same plaintext each time.
    let first = store.export_data(&key()).unwrap();
    assert_same_json(&value(&first), &original, "");
    let store2 = SqliteStore::create(&d.join("second.db"), Network::Testnet, &key()).unwrap();
    import::import(&store2, &first, &key(), &no_assumption()).unwrap();
    let second = store2.export_data(&key()).unwrap();
    assert_same_json(&value(&second), &value(&first), "");
    assert_eq!(value(&second), original);

    let s = store.summary().unwrap();
    assert_eq!(
        (s.identity_count(), s.account_count(), s.contact_count()),
        (2, 5, 5)
    );
    let names: Vec<&str> = s.identities.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["My ID", "IDn2"]);
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Secrets at rest and the storage key

fn file_bytes_with_wal(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    for suffix in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        if let Ok(b) = std::fs::read(PathBuf::from(p)) {
            bytes.extend(b);
        }
    }
    bytes
}

#[test]
fn secrets_are_sealed_and_a_wrong_or_missing_key_reads_none() {
    let d = scratch("sealed");
    let store = new_store(&d, Network::Testnet);
    let data = ann_a1_a2_and_bob();
    import::import(&store, &data, &key(), &no_assumption()).unwrap();
    let secrets = secret_strings(&data);
    assert_eq!(secrets.len(), 3 + 2 * 4);

    // The raw file (with its WAL) holds no secret, as hex text or as bytes; names do appear.
    let raw = file_bytes_with_wal(&store_path(&d));
    let contains = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    for s in &secrets {
        assert!(!contains(s.as_bytes()), "a secret is in the file as text");
        let bytes: Vec<u8> = (0..s.len() / 2)
            .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        assert!(!contains(&bytes), "a secret is in the file as bytes");
    }
    assert!(contains(address("a1").as_bytes()) && contains(b"Bob"));

    // A wrong key and the key-free summary: the contract suite (tests/store_contract.rs).
    // A key must have 32 bytes (an app passing an empty key gets a typed error).
    assert_eq!(
        StorageKey::from_bytes(&[]).unwrap_err(),
        StoreError::KeyLength { len: 0 }
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_moved_or_changed_sealed_value_is_damage_not_a_wrong_key() {
    let d = scratch("tamper");
    let store = new_store(&d, Network::Testnet);
    let data = wallet(Some("testnet"), vec![ann_a1_a2()], vec![]);
    import::import(&store, &data, &key(), &no_assumption()).unwrap();
    let p = store_path(&d);
    let raw = Connection::open(&p).unwrap();
    let get = |col: &str, addr: &str| -> Vec<u8> {
        raw.query_row(
            &format!("SELECT {col} FROM account WHERE address = ?1"),
            [addr],
            |r| r.get(0),
        )
        .unwrap()
    };
    let set = |col: &str, addr: &str, v: &[u8]| {
        raw.execute(
            &format!("UPDATE account SET {col} = ?1 WHERE address = ?2"),
            rusqlite::params![v, addr],
        )
        .unwrap();
    };
    let a1_keys = get("keys_sealed", address("a1").as_str());
    let a2_keys = get("keys_sealed", address("a2").as_str());
    let a1_enc = get("encryption_key_sealed", address("a1").as_str());
    let damaged = || {
        matches!(
            store.export_data(&key()),
            Err(StoreError::Damaged(m)) if !m.contains(&address("a1")) && !m.contains(&address("a2"))
        )
    };
    // Copied to another row: refused; put back: fine again.
    set("keys_sealed", address("a2").as_str(), &a1_keys);
    assert!(damaged());
    set("keys_sealed", address("a2").as_str(), &a2_keys);
    store.export_data(&key()).unwrap();
    // Moved to another field of the same row: refused.
    set("encryption_key_sealed", address("a1").as_str(), &a1_keys);
    assert!(damaged());
    set("encryption_key_sealed", address("a1").as_str(), &a1_enc);
    store.export_data(&key()).unwrap();
    // Any flipped byte: refused.
    for i in 0..a1_keys.len() {
        let mut flipped = a1_keys.clone();
        flipped[i] ^= 0x10;
        set("keys_sealed", address("a1").as_str(), &flipped);
        assert!(damaged(), "byte {i}");
    }
    set("keys_sealed", address("a1").as_str(), &a1_keys);
    store.export_data(&key()).unwrap();
    // A renamed natural key (the address the secret was sealed for): refused.
    raw.execute(
        &format!(
            "UPDATE account SET address = '{}' WHERE address = '{}'",
            address("zz"),
            address("a1")
        ),
        [],
    )
    .unwrap();
    assert!(damaged());
    raw.execute(
        &format!(
            "UPDATE account SET address = '{}' WHERE address = '{}'",
            address("a1"),
            address("zz")
        ),
        [],
    )
    .unwrap();
    assert_eq!(value(&store.export_data(&key()).unwrap()), value(&data));
    // A changed key check: every key is now "wrong" (that is what the check is for).
    raw.execute("UPDATE wallet SET key_check = zeroblob(32)", [])
        .unwrap();
    assert_eq!(
        store.export_data(&key()).unwrap_err(),
        StoreError::WrongStorageKey
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_passphrase_store_keeps_its_salt_and_tells_a_wrong_passphrase() {
    let d = scratch("passphrase");
    let p = d.join("wallet.db");
    let (store, key1) = SqliteStore::create_with_passphrase(
        &p,
        Network::Testnet,
        &password("correct horse"),
        &NoProgress,
    )
    .unwrap();
    let salt = store.passphrase_salt().unwrap().unwrap();
    assert_eq!(salt.len(), 32);
    store.add_contact("Bob", address("bob").as_str()).unwrap();
    import::import(&store, &small_wallet(), &key1, &no_assumption()).unwrap();
    drop(store);

    let store = SqliteStore::open(&p).unwrap();
    let key2 = store
        .unlock_with_passphrase(&password("correct horse"), &NoProgress)
        .unwrap();
    let key3 = StorageKey::from_passphrase(&password("correct horse"), &salt).unwrap();
    assert_eq!(
        value(&store.export_data(&key2).unwrap()),
        value(&store.export_data(&key3).unwrap())
    );
    assert_eq!(
        store
            .unlock_with_passphrase(&password("wrong horse"), &NoProgress)
            .unwrap_err(),
        StoreError::WrongStorageKey
    );
    assert!(matches!(
        SqliteStore::create_with_passphrase(
            &d.join("short.db"),
            Network::Testnet,
            &password("12345"),
            &NoProgress
        ),
        Err(StoreError::Backup(
            wallet_core::BackupError::PasswordTooShort { .. }
        ))
    ));
    // A store locked with an app's key has no passphrase.
    let app = SqliteStore::create(&d.join("app.db"), Network::Testnet, &key()).unwrap();
    assert_eq!(app.passphrase_salt().unwrap(), None);
    assert_eq!(
        app.unlock_with_passphrase(&password("correct horse"), &NoProgress)
            .unwrap_err(),
        StoreError::NoPassphrase
    );
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// All or nothing (what every store must do is in tests/store_contract.rs)

#[test]
fn a_constraint_violation_halfway_through_apply_rolls_everything_back() {
    let d = scratch("rollback");
    let store = new_store(&d, Network::Testnet);
    store
        .add_contact("Carol", address("carol").as_str())
        .unwrap();
    let data = ann_with_accounts(20);
    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    // An injected failure halfway: the contract suite (tests/store_contract.rs). A real constraint violation halfway (another writer slipped a row in without going through
    // the store): rolled back as well.
    let raw = Connection::open(store_path(&d)).unwrap();
    raw.execute(
        &format!(
            "INSERT INTO contact (name, address) VALUES ('Bob', '{}')",
            address("bob")
        ),
        [],
    )
    .unwrap();
    let before = dump(&store_path(&d));
    let err = store.apply(&plan, &data, &key()).unwrap_err();
    assert!(
        matches!(&err, StoreError::Database(m) if m.contains("UNIQUE")),
        "{err:?}"
    );
    assert_eq!(dump(&store_path(&d)), before);
    raw.execute("DELETE FROM contact WHERE name = 'Bob'", [])
        .unwrap();
    // Nothing is stuck: the same plan applies afterwards.
    let report = store.apply(&plan, &data, &key()).unwrap();
    assert_eq!(report.accounts_added.len(), 20);
    store.integrity_check().unwrap();
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Paths

#[test]
fn a_directory_is_not_taken_for_a_missing_or_existing_store() {
    let d = scratch("store-is-dir");
    assert_eq!(SqliteStore::open(&d).unwrap_err(), StoreError::IsADirectory);
    assert_eq!(
        SqliteStore::create(&d, Network::Testnet, &key()).unwrap_err(),
        StoreError::IsADirectory
    );
    std::fs::remove_dir_all(&d).unwrap();
}
