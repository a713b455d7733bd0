//! The wallet store end to end: schema and migrations, sealing at rest and the storage key,
//! lossless export, and import as a reviewed merge (the rules of docs/references.md §A.1.3–A.1.4).

mod common;

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde_json::{json, Value};

use common::*;
use wallet_core::format::{self, OpenOptions};
use wallet_core::kdf::NoProgress;
use wallet_core::model::{Environment, WalletData};
use wallet_core::store::import::{
    self, AccountItem, Conflict, ContactItem, FieldItem, FieldScope, IdentityItem, ImportOptions,
    ItemKind, Present, SkipReason, Skipped,
};
use wallet_core::store::migrations::{self, APPLICATION_ID, SCHEMA_VERSION};
use wallet_core::store::{SqliteStore, StorageKey, StoreError, WalletStore};

const FIXTURE: &str = "cryptox-testnet-export.concordiumwallet";
const KEY: [u8; 32] = [0x5a; 32];

fn key() -> StorageKey {
    StorageKey::from_bytes(&KEY).unwrap()
}

fn wrong_key() -> StorageKey {
    StorageKey::from_bytes(&[0xa5; 32]).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wallet-core-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Where [`new_store`] puts the store file in `dir`.
fn store_path(dir: &Path) -> PathBuf {
    dir.join("wallet.db")
}

fn new_store(dir: &Path, network: Environment) -> SqliteStore {
    SqliteStore::create(&store_path(dir), network, &key()).unwrap()
}

fn value(d: &WalletData) -> Value {
    serde_json::from_slice(&d.to_json()).unwrap()
}

fn no_assumption() -> ImportOptions {
    ImportOptions::default()
}

/// Every row of every table, in a comparable form (read through a second connection).
fn dump(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let conn = Connection::open(path).unwrap();
    ["wallet", "identity", "account", "contact"]
        .iter()
        .map(|t| {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {t} ORDER BY id"))
                .unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            r.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            (t.to_string(), rows)
        })
        .collect()
}

/// A deterministic hex string (test secrets and ids).
fn hex_of(seed: &str, len: usize) -> String {
    use sha2::{Digest, Sha256};
    let mut out = String::new();
    let mut i = 0u32;
    while out.len() < len {
        let d = Sha256::digest(format!("{seed}/{i}").as_bytes());
        out.extend(d.iter().map(|b| format!("{b:02x}")));
        i += 1;
    }
    out.truncate(len);
    out
}

fn identity_json(name: &str, icp: Option<&str>, accounts: Vec<Value>) -> Value {
    let mut object =
        json!({"attributeList": {"chosenAttributes": {"firstName": name}}, "signature": "00"});
    if let Some(icp) = icp {
        object["preIdentityObject"] = json!({"pubInfoForIp": {"idCredPub": icp}});
    }
    json!({
        "name": name,
        "nextAccountNumber": accounts.len(),
        "identityProvider": {"ipInfo": {"ipIdentity": 0, "ipDescription": {"name": "Test IP"}}},
        "identityObject": object,
        "privateIdObjectData": {"aci": {"credentialHolderInformation": {"idCredSecret": hex_of(&format!("{name}ics"), 64)}, "prfKey": hex_of(&format!("{name}prf"), 64)}, "randomness": hex_of(&format!("{name}r"), 64)},
        "accounts": accounts,
    })
}

fn account_json(name: &str, address: &str) -> Value {
    json!({
        "name": name,
        "address": address,
        "submissionId": "",
        "accountKeys": {"keys": {"0": {"keys": {"0": {"signKey": hex_of(&format!("{address}sign"), 64), "verifyKey": hex_of(&format!("{address}verify"), 64)}}, "threshold": 1}}, "threshold": 1},
        "commitmentsRandomness": {"idCredSecRand": hex_of(&format!("{address}c"), 64), "attributesRand": {}},
        "revealedAttributes": {},
        "credential": {"v": 0, "value": {"credential": {"type": "normal"}}},
        "encryptionSecretKey": hex_of(&format!("{address}enc"), 160),
    })
}

fn wallet(env: Option<&str>, identities: Vec<Value>, recipients: Vec<Value>) -> WalletData {
    let mut w = json!({"type": "concordium-mobile-wallet-data", "v": 1,
        "value": {"identities": identities, "recipients": recipients}});
    if let Some(e) = env {
        w["environment"] = json!(e);
    }
    WalletData::from_json(w.to_string().as_bytes()).unwrap()
}

/// A testnet wallet: identity "Ann" with `n` accounts (A0…, addr-0…) and the contact Bob.
fn ann_with_accounts(n: usize) -> WalletData {
    let accounts: Vec<Value> = (0..n)
        .map(|i| account_json(&format!("A{i}"), &address(&i.to_string())))
        .collect();
    wallet(
        Some("testnet"),
        vec![identity_json("Ann", Some("icp-ann"), accounts)],
        vec![contact("Bob", address("bob").as_str())],
    )
}

fn contact(name: &str, address: &str) -> Value {
    json!({"name": name, "address": address})
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
    drop(SqliteStore::create(&p, Environment::Testnet, &key()).unwrap());
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
        SqliteStore::create(&theirs, Environment::Testnet, &key()).unwrap_err(),
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
    let _store = new_store(&d, Environment::Testnet);
    let mode = std::fs::metadata(&store_path(&d))
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
    drop(SqliteStore::create(&p, Environment::Testnet, &key()).unwrap());
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
    let store = SqliteStore::create(&p, Environment::Stagenet, &key()).unwrap();
    assert!(store.add_contact("Alice", address("A").as_str()).unwrap());
    drop(store);
    let store = SqliteStore::open(&p).unwrap();
    assert_eq!(store.network().unwrap(), Environment::Stagenet);
    let s = store.summary().unwrap();
    assert_eq!(s.contact_count(), 1);
    assert_eq!(s.revision, 1);
    store.integrity_check().unwrap();
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Lossless export and the real fixture

#[test]
fn every_field_survives_import_and_export() {
    let d = scratch("lossless");
    let store = new_store(&d, Environment::Testnet);
    let mut data = small_wallet();
    // Unmodelled fields at every level, and JSON of every type.
    data.extra
        .insert("future".into(), json!({"x": [1, 2.5, null, true]}));
    data.value.extra.insert("valField".into(), json!(3));
    data.value.identities[0]
        .extra
        .insert("idField".into(), json!("x"));
    data.value.identities[0].accounts[0]
        .extra
        .insert("newField".into(), json!([{"deep": {"er": -1}}]));
    data.value.recipients[0]
        .extra
        .insert("note".into(), json!("hi"));
    let report = import::import(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(report.identities_added.len(), 1);
    assert_eq!(report.accounts_added.len(), 1);
    assert_eq!(report.contacts_added.len(), 1);
    assert_eq!(report.fields_added.len(), 2);
    let back = store.export_data(&key()).unwrap();
    assert_eq!(value(&back), value(&data));
    // And after reopening the file.
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
    let opened = format::open(
        &file,
        &password("000000"),
        &OpenOptions::default(),
        &NoProgress,
    )
    .unwrap();
    let original = value(&opened.data);
    assert_eq!(opened.data.environment, Some(Environment::Testnet));

    let d = scratch("fixture");
    let store = new_store(&d, Environment::Testnet);
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
    let store2 = SqliteStore::create(&d.join("second.db"), Environment::Testnet, &key()).unwrap();
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

fn secret_strings(data: &WalletData) -> Vec<String> {
    let mut out = Vec::new();
    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) if s.len() >= 16 => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            Value::Object(m) => m.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    for i in &data.value.identities {
        strings(&i.private_id_object_data.0, &mut out);
        for a in &i.accounts {
            strings(&a.account_keys.0, &mut out);
            if let Some(c) = &a.commitments_randomness {
                strings(&c.0, &mut out);
            }
            out.push(a.encryption_secret_key.0.clone());
        }
    }
    out
}

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
    let store = new_store(&d, Environment::Testnet);
    let data = wallet(
        Some("testnet"),
        vec![identity_json(
            "Ann",
            Some("icp-ann"),
            vec![
                account_json("A1", address("a1").as_str()),
                account_json("A2", address("a2").as_str()),
            ],
        )],
        vec![contact("Bob", address("bob").as_str())],
    );
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

    // A wrong key: every secret-reading call refuses with the typed error.
    assert_eq!(
        store.check_key(&wrong_key()),
        Err(StoreError::WrongStorageKey)
    );
    assert_eq!(
        store.export_data(&wrong_key()).unwrap_err(),
        StoreError::WrongStorageKey
    );
    assert_eq!(
        import::preview(&store, &data, &wrong_key(), &no_assumption()).unwrap_err(),
        StoreError::WrongStorageKey
    );
    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(
        store.apply(&plan, &data, &wrong_key()).unwrap_err(),
        StoreError::WrongStorageKey
    );

    // No key: the summary lists names and addresses, and nothing secret.
    let summary = store.summary().unwrap();
    let shown = format!("{summary:?}");
    assert!(shown.contains(&address("a2")) && shown.contains("Ann"));
    for s in &secrets {
        assert!(!shown.contains(s.as_str()));
    }
    // Error messages carry no secret either.
    assert!(!StoreError::WrongStorageKey.to_string().contains("5a5a"));

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
    let store = new_store(&d, Environment::Testnet);
    let data = wallet(
        Some("testnet"),
        vec![identity_json(
            "Ann",
            Some("icp-ann"),
            vec![
                account_json("A1", address("a1").as_str()),
                account_json("A2", address("a2").as_str()),
            ],
        )],
        vec![],
    );
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
        Environment::Testnet,
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
            Environment::Testnet,
            &password("12345"),
            &NoProgress
        ),
        Err(StoreError::Backup(
            wallet_core::BackupError::PasswordTooShort { .. }
        ))
    ));
    // A store locked with an app's key has no passphrase.
    let app = SqliteStore::create(&d.join("app.db"), Environment::Testnet, &key()).unwrap();
    assert_eq!(app.passphrase_salt().unwrap(), None);
    assert_eq!(
        app.unlock_with_passphrase(&password("correct horse"), &NoProgress)
            .unwrap_err(),
        StoreError::NoPassphrase
    );
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Networks

#[test]
fn networks_follow_the_wallets_rules() {
    let d = scratch("networks");
    let main = SqliteStore::create(&d.join("main.db"), Environment::Mainnet, &key()).unwrap();
    let test = SqliteStore::create(&d.join("test.db"), Environment::Testnet, &key()).unwrap();
    let stage = SqliteStore::create(&d.join("stage.db"), Environment::Stagenet, &key()).unwrap();
    let file = |env: Option<&str>| {
        wallet(
            env,
            vec![identity_json(
                "I",
                Some("icp"),
                vec![account_json("a", &address(""))],
            )],
            vec![],
        )
    };

    let err = import::preview(&main, &file(Some("testnet")), &key(), &no_assumption()).unwrap_err();
    assert_eq!(
        err,
        StoreError::NetworkMismatch {
            wallet: Environment::Mainnet,
            file: Environment::Testnet
        }
    );
    let msg = err.to_string();
    assert!(msg.contains("testnet") && msg.contains("mainnet"), "{msg}");
    assert_eq!(
        import::preview(&test, &file(Some("mainnet")), &key(), &no_assumption()).unwrap_err(),
        StoreError::NetworkMismatch {
            wallet: Environment::Testnet,
            file: Environment::Mainnet
        }
    );
    assert!(import::preview(&main, &file(Some("mainnet")), &key(), &no_assumption()).is_ok());
    // CryptoX: staging and testnet files go into any non-mainnet wallet.
    for store in [&test, &stage] {
        for env in ["testnet", "staging"] {
            let plan = import::preview(store, &file(Some(env)), &key(), &no_assumption()).unwrap();
            assert_eq!(plan.accounts_to_add.len(), 1);
        }
    }
    // No network in the file: refused, unless the caller names one.
    assert_eq!(
        import::preview(&test, &file(None), &key(), &no_assumption()).unwrap_err(),
        StoreError::UnknownNetwork
    );
    assert!(StoreError::UnknownNetwork
        .to_string()
        .contains("network of this backup is unknown"));
    let assume = |e| ImportOptions {
        assume_network: Some(e),
    };
    let plan = import::preview(&test, &file(None), &key(), &assume(Environment::Testnet)).unwrap();
    assert!(plan.network_assumed);
    assert_eq!(plan.file_network, Environment::Testnet);
    assert_eq!(
        import::preview(&main, &file(None), &key(), &assume(Environment::Testnet)).unwrap_err(),
        StoreError::NetworkMismatch {
            wallet: Environment::Mainnet,
            file: Environment::Testnet
        }
    );
    // The export names the wallet's network.
    import::import(&stage, &file(Some("testnet")), &key(), &no_assumption()).unwrap();
    assert_eq!(
        stage.export_data(&key()).unwrap().environment,
        Some(Environment::Stagenet)
    );
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// The merge

#[test]
fn the_report_equals_the_preview_and_a_second_import_changes_nothing() {
    let d = scratch("idempotent");
    let store = new_store(&d, Environment::Testnet);
    store
        .add_contact("Carol", address("carol").as_str())
        .unwrap();
    let data = wallet(
        Some("testnet"),
        vec![
            identity_json(
                "Ann",
                Some("icp-ann"),
                vec![
                    account_json("A1", address("a1").as_str()),
                    account_json("A2", address("a2").as_str()),
                ],
            ),
            identity_json(
                "Ben",
                Some("icp-ben"),
                vec![account_json("B1", address("b1").as_str())],
            ),
        ],
        vec![
            contact("Bob", address("bob").as_str()),
            contact("Carol", address("carol").as_str()),
        ],
    );
    let preview = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    let report = import::import(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(report, preview.report());
    assert_eq!(report.changes(), 2 + 3 + 1);
    assert_eq!(
        report.already_present,
        [Present::Contact(ContactItem {
            index: 1,
            name: "Carol".into(),
            address: address("carol").as_str().into()
        })]
    );

    let before = dump(&store_path(&d));
    let again = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(again.changes(), 0);
    assert!(again.identities_to_add.is_empty());
    assert!(again.accounts_to_add.is_empty());
    assert!(again.contacts_to_add.is_empty());
    assert!(again.conflicts.is_empty());
    assert_eq!(again.already_present.len(), 2 + 3 + 2);
    let report2 = store.apply(&again, &data, &key()).unwrap();
    assert_eq!(report2.changes(), 0);
    assert_eq!(report2, again.report());
    assert_eq!(dump(&store_path(&d)), before, "the database changed");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn duplicates_conflicts_upgrades_and_skips_follow_the_rules() {
    let d = scratch("merge");
    let store = new_store(&d, Environment::Testnet);
    // The wallet: Ann with A1 and A2, Ben with B1, a read-only account A3 of Ann (found by a
    // scan), a read-only account X1 of Ben, contacts Carol and Dave.
    let existing = wallet(
        Some("testnet"),
        vec![
            identity_json(
                "Ann",
                Some("icp-ann"),
                vec![
                    account_json("A1", address("a1").as_str()),
                    account_json("A2", address("a2").as_str()),
                ],
            ),
            identity_json(
                "Ben",
                Some("icp-ben"),
                vec![account_json("B1", address("b1").as_str())],
            ),
        ],
        vec![
            contact("Carol", address("carol").as_str()),
            json!({"name": "Dave", "address": address("dave").as_str(), "note": "old"}),
        ],
    );
    import::import(&store, &existing, &key(), &no_assumption()).unwrap();
    store
        .add_read_only_account("icp-ann", "Found 3", address("a3").as_str())
        .unwrap();
    store
        .add_read_only_account("icp-ben", "Found X", address("x1").as_str())
        .unwrap();
    assert_eq!(
        store.add_read_only_account("icp-ann", "again", address("a1").as_str()),
        Err(StoreError::AccountExists)
    );
    let s = store.summary().unwrap();
    assert!(s.identities[0].accounts[2].read_only);

    // The backup.
    let mut renamed_a2 = account_json("A2 renamed", address("a2").as_str());
    renamed_a2["accountKeys"] = account_json("A2", address("a2").as_str())["accountKeys"].clone();
    let mut ann = identity_json(
        "Ann",
        Some("icp-ann"),
        vec![
            account_json("A1", address("a1").as_str()), // same: present
            renamed_a2,                                 // other name: conflict
            account_json("A3", address("a3").as_str()), // read-only in the wallet: upgrade
            account_json("A4", address("a4").as_str()), // new: add
            account_json("B1", address("b1").as_str()), // Ben's account in the wallet: conflict
            account_json("X1", address("x1").as_str()), // read-only of Ben: conflict, not upgraded
            account_json("A4 again", address("a4").as_str()), // duplicate in the file: skipped
        ],
    );
    ann["nextAccountNumber"] = json!(2); // same as stored: identity present
    let mut keyless = account_json("NoKeys", address("nokeys").as_str());
    keyless["accountKeys"] = json!({});
    let mut ben_changed = identity_json(
        "Benjamin",
        Some("icp-ben"),
        vec![account_json("B2", address("b2").as_str())],
    );
    ben_changed["nextAccountNumber"] = json!(1);
    let data = wallet(
        Some("testnet"),
        vec![
            ann,
            ben_changed, // conflict, B2 added
            identity_json(
                "Cy",
                Some("icp-cy"),
                vec![keyless, account_json("C1", address("c1").as_str())],
            ),
            identity_json(
                "Old",
                None,
                vec![account_json("O1", address("o1").as_str())],
            ), // skipped
            identity_json(
                "Cy copy",
                Some("icp-cy"),
                vec![account_json("C2", address("c2").as_str())],
            ),
        ],
        vec![
            contact("Carol", address("carol").as_str()),    // present
            contact("Caroline", address("carol").as_str()), // same address, other name: conflict
            contact("Eve", address("eve").as_str()),        // add
            contact("Eve", address("eve").as_str()),        // duplicate in file
            contact("Evelyn", address("eve").as_str()),     // conflicts with the planned Eve
            json!({"name": "Dave", "address": address("dave").as_str(), "note": "new"}), // details differ
        ],
    );

    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    let acc = |ii: usize, i: usize, name: &str, addr: &str, icp: &str| AccountItem {
        identity_index: ii,
        index: i,
        name: name.into(),
        address: addr.into(),
        id_cred_pub: icp.into(),
    };
    let con = |i: usize, name: &str, addr: &str| ContactItem {
        index: i,
        name: name.into(),
        address: addr.into(),
    };
    assert_eq!(
        plan.identities_to_add,
        [IdentityItem {
            index: 2,
            name: "Cy".into(),
            id_cred_pub: "icp-cy".into()
        }]
    );
    assert_eq!(
        plan.accounts_to_add,
        [
            acc(0, 3, "A4", address("a4").as_str(), "icp-ann"),
            acc(1, 0, "B2", address("b2").as_str(), "icp-ben"),
            acc(2, 1, "C1", address("c1").as_str(), "icp-cy"),
            acc(4, 0, "C2", address("c2").as_str(), "icp-cy"),
        ]
    );
    assert_eq!(
        plan.accounts_to_upgrade,
        [acc(0, 2, "A3", address("a3").as_str(), "icp-ann")]
    );
    assert_eq!(
        plan.contacts_to_add,
        [con(2, "Eve", address("eve").as_str())]
    );
    assert!(plan.fields_to_add.is_empty());
    assert_eq!(
        plan.already_present,
        [
            Present::Identity(IdentityItem {
                index: 0,
                name: "Ann".into(),
                id_cred_pub: "icp-ann".into()
            }),
            Present::Account(acc(0, 0, "A1", address("a1").as_str(), "icp-ann")),
            Present::Contact(con(0, "Carol", address("carol").as_str())),
        ]
    );
    assert_eq!(
        plan.conflicts,
        [
            Conflict::AccountDiffers {
                item: acc(0, 1, "A2 renamed", address("a2").as_str(), "icp-ann"),
                name_in_wallet: "A2".into()
            },
            Conflict::AccountOfOtherIdentity {
                item: acc(0, 4, "B1", address("b1").as_str(), "icp-ann"),
                name_in_wallet: "B1".into(),
                id_cred_pub_in_wallet: "icp-ben".into()
            },
            Conflict::AccountOfOtherIdentity {
                item: acc(0, 5, "X1", address("x1").as_str(), "icp-ann"),
                name_in_wallet: "Found X".into(),
                id_cred_pub_in_wallet: "icp-ben".into()
            },
            Conflict::IdentityDiffers {
                item: IdentityItem {
                    index: 1,
                    name: "Benjamin".into(),
                    id_cred_pub: "icp-ben".into()
                },
                name_in_wallet: "Ben".into()
            },
            Conflict::ContactNameDiffers {
                item: con(1, "Caroline", address("carol").as_str()),
                name_in_wallet: "Carol".into()
            },
            Conflict::ContactNameDiffers {
                item: con(4, "Evelyn", address("eve").as_str()),
                name_in_wallet: "Eve".into()
            },
            Conflict::ContactDetailsDiffer {
                item: con(5, "Dave", address("dave").as_str())
            },
        ]
    );
    let skip = |kind, name: &str, key: Option<&str>, reason| Skipped {
        kind,
        name: name.into(),
        key: key.map(Into::into),
        reason,
    };
    assert_eq!(
        plan.skipped,
        [
            skip(
                ItemKind::Account,
                "A4 again",
                Some(address("a4").as_str()),
                SkipReason::DuplicateInFile
            ),
            skip(
                ItemKind::Account,
                "NoKeys",
                Some(address("nokeys").as_str()),
                SkipReason::KeysMissing
            ),
            skip(ItemKind::Identity, "Old", None, SkipReason::NoIdCredPub),
            skip(
                ItemKind::Account,
                "O1",
                Some(address("o1").as_str()),
                SkipReason::IdentitySkipped
            ),
            skip(
                ItemKind::Identity,
                "Cy copy",
                Some("icp-cy"),
                SkipReason::DuplicateInFile
            ),
            skip(
                ItemKind::Contact,
                "Eve",
                Some(address("eve").as_str()),
                SkipReason::DuplicateInFile
            ),
        ]
    );
    assert_eq!(
        SkipReason::KeysMissing.to_string(),
        "the account's keys are missing"
    );

    let before = store.export_data(&key()).unwrap();
    let report = store.apply(&plan, &data, &key()).unwrap();
    assert_eq!(report, plan.report());
    assert_eq!(report.changes(), 1 + 4 + 1 + 1);

    // Conflicts were not overwritten; the upgrade got the backup's keys and data.
    let after = store.export_data(&key()).unwrap();
    let account = |w: &WalletData, addr: &str| {
        w.value
            .identities
            .iter()
            .flat_map(|i| i.accounts.iter())
            .find(|a| a.address == addr)
            .cloned()
    };
    assert_eq!(
        account(&after, address("a2").as_str()),
        account(&before, address("a2").as_str())
    );
    assert_eq!(account(&after, address("a2").as_str()).unwrap().name, "A2");
    assert_eq!(
        account(&before, address("a3").as_str()),
        None,
        "read-only is not exported"
    );
    assert_eq!(
        account(&after, address("a3").as_str()).unwrap(),
        data.value.identities[0].accounts[2]
    );
    assert_eq!(after.value.identities[1].name, "Ben");
    assert_eq!(after.value.identities[1].accounts.len(), 2);
    let s = store.summary().unwrap();
    let ann = &s.identities[0];
    let flags: Vec<(&str, bool)> = ann
        .accounts
        .iter()
        .map(|a| (a.address.as_str(), a.read_only))
        .collect();
    assert_eq!(
        flags,
        [
            (address("a1").as_str(), false),
            (address("a2").as_str(), false),
            (address("a3").as_str(), false),
            (address("a4").as_str(), false)
        ]
    );
    assert!(s.identities[1].accounts[1].read_only, "X1 stays read-only");
    let dave = after
        .value
        .recipients
        .iter()
        .find(|r| r.name == "Dave")
        .unwrap();
    assert_eq!(dave.extra["note"], json!("old"));
    let names: Vec<&str> = s.contacts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Carol", "Dave", "Eve"]);

    // The same backup again: nothing left to do.
    let again = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(again.changes(), 0);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn unmodelled_wallet_fields_are_added_or_reported() {
    let d = scratch("fields");
    let store = new_store(&d, Environment::Testnet);
    let mut data = wallet(Some("testnet"), vec![], vec![]);
    data.extra.insert("a".into(), json!(1));
    data.value.extra.insert("b".into(), json!([1]));
    import::import(&store, &data, &key(), &no_assumption()).unwrap();
    data.extra.insert("a".into(), json!(2));
    data.value.extra.insert("c".into(), json!("new"));
    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(
        plan.conflicts,
        [Conflict::FieldDiffers(FieldItem {
            scope: FieldScope::TopLevel,
            name: "a".into()
        })]
    );
    assert_eq!(
        plan.fields_to_add,
        [FieldItem {
            scope: FieldScope::Value,
            name: "c".into()
        }]
    );
    store.apply(&plan, &data, &key()).unwrap();
    let out = store.export_data(&key()).unwrap();
    assert_eq!(out.extra["a"], json!(1));
    assert_eq!(out.value.extra["b"], json!([1]));
    assert_eq!(out.value.extra["c"], json!("new"));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_plan_is_applied_only_to_the_store_and_revision_it_was_made_for() {
    let d = scratch("stale");
    let store = new_store(&d, Environment::Testnet);
    let other = SqliteStore::create(&d.join("other.db"), Environment::Testnet, &key()).unwrap();
    let data = small_wallet();
    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    assert!(matches!(
        other.apply(&plan, &data, &key()),
        Err(StoreError::PlanMismatch(_))
    ));
    // A plan applied with other data than it was made for.
    let mut renamed = data.clone();
    renamed.value.recipients[0].name = "Someone else".into();
    assert!(matches!(
        store.apply(&plan, &renamed, &key()),
        Err(StoreError::PlanMismatch(_))
    ));
    store.add_contact("Zed", address("zed").as_str()).unwrap();
    assert_eq!(
        store.apply(&plan, &data, &key()).unwrap_err(),
        StoreError::StalePlan
    );
    assert_eq!(store.summary().unwrap().account_count(), 0);
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// All or nothing

#[test]
fn a_failure_halfway_through_apply_rolls_everything_back() {
    let d = scratch("rollback");
    let store = new_store(&d, Environment::Testnet);
    store
        .add_contact("Carol", address("carol").as_str())
        .unwrap();
    let data = ann_with_accounts(20);
    let before = dump(&store_path(&d));
    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    for n in [0, 1, 10, 21] {
        store.fail_apply_after_writes(Some(n));
        assert!(matches!(
            store.apply(&plan, &data, &key()),
            Err(StoreError::Database(_))
        ));
        assert_eq!(
            dump(&store_path(&d)),
            before,
            "a failed apply left changes (after {n})"
        );
    }
    // A real constraint violation halfway (another writer slipped a row in without going through
    // the store): rolled back as well.
    let raw = Connection::open(&store_path(&d)).unwrap();
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
// Address book

#[test]
fn contacts_are_added_and_removed_without_a_key() {
    let d = scratch("contacts");
    let store = new_store(&d, Environment::Testnet);
    assert!(store.add_contact("Bob", address("bob").as_str()).unwrap());
    assert!(!store.add_contact("Bob", address("bob").as_str()).unwrap());
    assert_eq!(
        store.add_contact("Robert", address("bob").as_str()),
        Err(StoreError::AddressHasOtherName)
    );
    assert!(matches!(
        store.add_contact("", address("x").as_str()),
        Err(StoreError::InvalidInput(_))
    ));
    assert!(store.add_contact("Bob", address("bob-2").as_str()).unwrap());
    assert!(store
        .remove_contact("Bob", address("bob").as_str())
        .unwrap());
    assert!(!store
        .remove_contact("Bob", address("bob").as_str())
        .unwrap());
    let s = store.summary().unwrap();
    assert_eq!(s.contacts.len(), 1);
    assert_eq!(s.contacts[0].address, address("bob-2").as_str());
    assert_eq!(s.revision, 3);
    assert_eq!(
        store.export_data(&key()).unwrap().value.recipients[0].name,
        "Bob"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_store_is_shared_between_threads() {
    let d = scratch("threads");
    let store = std::sync::Arc::new(new_store(&d, Environment::Testnet));
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let s = store.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    s.add_contact(&format!("c{t}-{i}"), &address(&format!("{t}-{i}")))
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let s = store.summary().unwrap();
    assert_eq!(s.contact_count(), 100);
    assert_eq!(s.revision, 100);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_directory_is_not_taken_for_a_missing_or_existing_store() {
    let d = scratch("store-is-dir");
    assert_eq!(SqliteStore::open(&d).unwrap_err(), StoreError::IsADirectory);
    assert_eq!(
        SqliteStore::create(&d, Environment::Testnet, &key()).unwrap_err(),
        StoreError::IsADirectory
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn accounts_and_contacts_with_invalid_addresses_are_skipped_with_the_reason() {
    let d = scratch("invalid-addresses");
    let store = new_store(&d, Environment::Testnet);
    let valid = address("good");
    // A checksum error: the last character of a valid address changed.
    let mut typo = address("typo");
    let last = typo.pop().unwrap();
    typo.push(if last == '2' { '3' } else { '2' });
    let data = wallet(
        Some("testnet"),
        vec![identity_json(
            "Ann",
            Some("icp-ann"),
            vec![
                account_json("Bad", "not-an-address!!"),
                account_json("Good", &valid),
            ],
        )],
        vec![
            contact("Empty", ""),
            contact("Typo", &typo),
            contact("Spaced", &format!(" {valid}")),
            contact("Fine", &address("fine")),
        ],
    );
    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    let skipped: Vec<(ItemKind, &str, SkipReason)> = plan
        .skipped
        .iter()
        .map(|s| (s.kind, s.name.as_str(), s.reason))
        .collect();
    assert_eq!(
        skipped,
        [
            (ItemKind::Account, "Bad", SkipReason::InvalidAddress),
            (ItemKind::Contact, "Empty", SkipReason::InvalidAddress),
            (ItemKind::Contact, "Typo", SkipReason::InvalidAddress),
            (ItemKind::Contact, "Spaced", SkipReason::InvalidAddress),
        ]
    );
    assert_eq!(
        SkipReason::InvalidAddress.to_string(),
        "its address is not a valid Concordium account address"
    );
    let names: Vec<&str> = plan
        .accounts_to_add
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["Good"]);
    let names: Vec<&str> = plan
        .contacts_to_add
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["Fine"]);
    let report = import::import(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(report.skipped, plan.skipped);
    let s = store.summary().unwrap();
    assert_eq!(s.account_count(), 1);
    assert_eq!(s.contact_count(), 1);
}

#[test]
fn the_address_book_takes_only_valid_addresses() {
    let d = scratch("contact-addresses");
    let store = new_store(&d, Environment::Testnet);
    let mut typo = address("x");
    let last = typo.pop().unwrap();
    typo.push(if last == '2' { '3' } else { '2' });
    for bad in ["not base58 !!", typo.as_str(), "4Rrg8bdCfGKVe7qMgbXS2Uf"] {
        assert_eq!(
            store.add_contact("Foo", bad),
            Err(StoreError::InvalidAddress),
            "{bad}"
        );
    }
    assert!(StoreError::InvalidAddress
        .to_string()
        .contains("not a valid Concordium account address"));
    assert_eq!(store.summary().unwrap().contact_count(), 0);
    assert!(store.add_contact("Foo", &address("x")).unwrap());
}
