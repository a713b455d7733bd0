//! [`SqliteStore`]: the wallet store in one embedded SQLite file.
//!
//! **Journal.** The database runs in WAL mode with `synchronous = FULL`. Every write (creating
//! the store, an import, an address-book change) is one transaction, and SQLite guarantees that a
//! transaction is either wholly in the database or not at all after a crash of the process (kill,
//! out-of-memory) or of the machine (power loss), in WAL mode as in rollback-journal mode;
//! `tests/store_crash.rs` kills an importing process at random moments to check it. WAL was
//! chosen because readers (the app's UI listing accounts) do not wait for a long import to finish,
//! and a commit costs one fsync of the log instead of several. `synchronous = FULL` syncs the log
//! at every commit, so an import the app reported as done survives a power loss too (`NORMAL`
//! would only keep the database consistent). The price: until SQLite checkpoints, recent changes
//! live in `PATH-wal` next to the file, so the store is the file together with its `-wal` and
//! `-shm` companions (copy them together, or close the store first: the last connection to close
//! checkpoints and removes them).
//!
//! `journal_size_limit` trims the log back to 4 MiB once a large import is checkpointed.
//! `secure_delete` is on, so removed rows (contacts, replaced sealed values) are overwritten with
//! zeros instead of lingering in free pages. A new store file is created with mode 0600 on Unix
//! (SQLite gives the `-wal` and `-shm` files the same mode).
//!
//! **Import cache.** [`WalletStore::apply`] raises the connection's page cache from SQLite's
//! default 2 MB to [`IMPORT_CACHE_KIB`] for its one transaction and restores it afterwards (also
//! after a failure). Rows are appended in row-id order, but the unique and address indexes of
//! accounts and contacts take their inserts in random key order, and they need about 220 bytes
//! per account and contact (22 MB for 100,000 of each). With the default cache every insert
//! evicted index pages into the log and read them back, so an import of 100,000 accounts and
//! contacts took about 40 µs per entry against 27 µs for 10,000 (benches/store.rs); with 64 MiB
//! both take about 25 µs, while 16 MiB still left 100,000 some 15-20 % slower. The cache is a
//! limit: it holds only pages the import touches (a small import stays small, a 10,000-account
//! one peaks at 45 MiB) and it shrinks back after the import.
//!
//! **Page size.** A new store uses 16 KiB pages ([`PAGE_SIZE`]) instead of SQLite's default
//! 4 KiB. An account row is about 2.1 KB (its credential is 1.2 KB of JSON text, plus three
//! sealed secrets), just over half a 4 KiB page, so each 4 KiB page held one row and stayed half
//! empty: 4.4 KB per account (with one contact), 93 % of it the account table at 47 % use
//! (`dbstat`). A 16 KiB page holds seven such rows: 2.6 KB per account, and an import writes 40 %
//! fewer bytes to the log and again to the database. Stores created with 4 KiB pages keep them
//! (the page size cannot change in WAL mode without rebuilding the file); they work the same.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::migrations::{self, db_err, os_err, SCHEMA_VERSION};
use super::seal::{Place, Sealer, StorageKey, PASSPHRASE_ITERATIONS, STORE_ID_LEN};
use super::{
    AccountSummary, BackupStatus, ContactSummary, ExportSnapshot, IdentitySummary, StoreError,
    StoreState, StoreSummary, WalletStore,
};
use crate::import_plan::{FieldScope, ImportPlan, ImportReport};
use crate::kdf::KdfObserver;
use crate::model::{
    Account, Identity, Recipient, SecretJson, SecretString, WalletContents, WalletData,
    MOBILE_WALLET_TYPE, MOBILE_WALLET_VERSION,
};
use crate::network::Network;
use crate::password::Password;

/// The page size of a new store file (see the module documentation for the measurements).
pub const PAGE_SIZE: u32 = 16_384;

/// The size of the write-ahead log at which SQLite checkpoints it into the database (the same as
/// `journal_size_limit`).
const WAL_CHECKPOINT_BYTES: i64 = 4 * 1024 * 1024;

/// The most page cache an import may use, in KiB (see the module documentation).
pub const IMPORT_CACHE_KIB: i64 = 64 * 1024;

const T_IDENTITY: &str = "identity";
const T_ACCOUNT: &str = "account";
const F_PRIVATE: &str = "privateIdObjectData";
const F_KEYS: &str = "accountKeys";
const F_COMMITMENTS: &str = "commitmentsRandomness";
const F_ENCRYPTION: &str = "encryptionSecretKey";

/// The wallet store in one SQLite file (see the module documentation for the durability design).
///
/// One connection, behind a mutex: the store can be shared between threads (`Arc<SqliteStore>`),
/// and calls on it run one at a time.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    path: PathBuf,
    network: Network,
    fail_after_writes: AtomicU64,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("network", &self.network)
            .finish_non_exhaustive()
    }
}

/// The `wallet` row.
struct WalletRow {
    store_id: Vec<u8>,
    key_check: Vec<u8>,
    revision: u64,
}

fn damaged(what: &str) -> StoreError {
    StoreError::Damaged(what.to_string())
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(Duration::from_secs(5)).map_err(db_err)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(db_err)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Database(format!(
            "SQLite could not switch to WAL mode (it is in {mode} mode)"
        )));
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;
         PRAGMA journal_size_limit = 4194304;",
    )
    .map_err(db_err)?;
    // SQLite checkpoints after 1,000 pages of log by default: 4 MB with 4 KiB pages, but 16 MB
    // with 16 KiB pages, and the log would grow to 16 MB between checkpoints only to be cut back
    // to `journal_size_limit` after each. Counted in bytes, it stays at 4 MiB.
    let page_size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .map_err(db_err)?;
    conn.pragma_update(
        None,
        "wal_autocheckpoint",
        (WAL_CHECKPOINT_BYTES / page_size.max(512)).max(1),
    )
    .map_err(db_err)
}

fn to_i64(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::InvalidInput("a number is too large to store".into()))
}

fn json_text<T: serde::Serialize + ?Sized>(v: &T) -> String {
    // Values and string-keyed maps always serialise.
    serde_json::to_string(v).expect("JSON values serialise")
}

fn parse_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|_| damaged(&format!("a stored {what} is not valid JSON")))
}

fn parse_opt_json<T: serde::de::DeserializeOwned>(
    text: Option<String>,
    what: &str,
) -> Result<Option<T>, StoreError> {
    text.map(|t| parse_json(&t, what)).transpose()
}

/// Serialises a secret JSON value into a buffer that is wiped on drop, in one pass.
///
/// A `Vec` growing by itself would free its old allocation unwiped, so the buffer grows by hand:
/// into a new wiped-on-drop buffer, after which the old one is dropped and wiped. (This replaced
/// a counting pass followed by a writing pass, which doubled the serialisation, the largest cost
/// of sealing an account.)
fn secret_json_bytes(v: &Value) -> Zeroizing<Vec<u8>> {
    struct Wiping(Zeroizing<Vec<u8>>);
    impl std::io::Write for Wiping {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            let buf = &mut self.0;
            if buf.capacity() - buf.len() < b.len() {
                let mut bigger = Zeroizing::new(Vec::with_capacity(
                    (buf.len() + b.len()).max(2 * buf.capacity()),
                ));
                bigger.extend_from_slice(buf);
                *buf = bigger;
            }
            buf.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    // Enough for the usual account keys and commitment randomness (about 200 and 350 bytes).
    let mut out = Wiping(Zeroizing::new(Vec::with_capacity(512)));
    serde_json::to_writer(&mut out, v).expect("JSON values serialise");
    out.0
}

fn open_secret_json(
    sealer: &Sealer,
    place: Place<'_>,
    sealed: &[u8],
) -> Result<SecretJson, StoreError> {
    let plain = sealer.open(place, sealed)?;
    serde_json::from_slice(&plain)
        .map(SecretJson)
        .map_err(|_| damaged(&format!("a sealed {} is not valid JSON", place.field)))
}

fn open_secret_string(
    sealer: &Sealer,
    place: Place<'_>,
    sealed: &[u8],
) -> Result<SecretString, StoreError> {
    let plain = sealer.open(place, sealed)?;
    std::str::from_utf8(&plain)
        .map(|s| SecretString(s.to_string()))
        .map_err(|_| damaged(&format!("a sealed {} is not text", place.field)))
}

fn read_wallet_row(conn: &Connection) -> Result<WalletRow, StoreError> {
    conn.query_row(
        "SELECT store_id, key_check, revision FROM wallet WHERE id = 1",
        [],
        |r| {
            Ok(WalletRow {
                store_id: r.get(0)?,
                key_check: r.get(1)?,
                revision: r.get::<_, i64>(2)? as u64,
            })
        },
    )
    .optional()
    .map_err(db_err)?
    .ok_or_else(|| {
        StoreError::NotAStore("it holds no wallet (its creation was interrupted)".into())
    })
}

fn unlock(conn: &Connection, key: &StorageKey) -> Result<(Sealer, WalletRow), StoreError> {
    let row = read_wallet_row(conn)?;
    let sealer = Sealer::unlock(key, &row.store_id, &row.key_check)?;
    Ok((sealer, row))
}

/// The sealed columns of one account.
struct SealedAccount {
    keys: Vec<u8>,
    commitments: Option<Vec<u8>>,
    encryption: Vec<u8>,
}

fn seal_account(sealer: &Sealer, acc: &Account) -> Result<SealedAccount, StoreError> {
    let place = |field| Place {
        table: T_ACCOUNT,
        key: &acc.address,
        field,
    };
    Ok(SealedAccount {
        keys: sealer.seal(place(F_KEYS), &secret_json_bytes(&acc.account_keys.0))?,
        commitments: acc
            .commitments_randomness
            .as_ref()
            .map(|c| sealer.seal(place(F_COMMITMENTS), &secret_json_bytes(&c.0)))
            .transpose()?,
        encryption: sealer.seal(place(F_ENCRYPTION), acc.encryption_secret_key.0.as_bytes())?,
    })
}

impl SqliteStore {
    /// Creates a new store file for `network`, locked with `key` (an app's key, kept in the
    /// Android Keystore or iOS Keychain). Fails with [`StoreError::AlreadyExists`] when the path
    /// exists.
    pub fn create(path: &Path, network: Network, key: &StorageKey) -> Result<Self, StoreError> {
        Self::create_inner(path, network, key, None)
    }

    /// Creates a new store file for `network`, locked with a passphrase: a random salt is stored,
    /// and the key is derived with [`StorageKey::from_passphrase`]. Returns the store and the key.
    /// The passphrase must follow the backup password rule (at least 6 characters).
    pub fn create_with_passphrase(
        path: &Path,
        network: Network,
        passphrase: &Password,
        observer: &dyn KdfObserver,
    ) -> Result<(Self, StorageKey), StoreError> {
        passphrase.check_length()?;
        let salt = StorageKey::generate_salt()?;
        let key = StorageKey::from_passphrase_with_progress(passphrase, &salt, observer)?;
        let store = Self::create_inner(path, network, &key, Some(&salt))?;
        Ok((store, key))
    }

    fn create_inner(
        path: &Path,
        network: Network,
        key: &StorageKey,
        salt: Option<&[u8]>,
    ) -> Result<Self, StoreError> {
        // Created here, empty, with mode 0600, so SQLite never creates it with a wider mode.
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        if path.is_dir() {
            return Err(StoreError::IsADirectory);
        }
        match opts.open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(StoreError::AlreadyExists)
            }
            Err(e) => return Err(os_err(&e)),
        }
        let result = (|| {
            let mut conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(db_err)?;
            // Only takes effect before the first write, which is why it precedes `configure`.
            conn.pragma_update(None, "page_size", PAGE_SIZE)
                .map_err(db_err)?;
            configure(&conn)?;
            let mut store_id = vec![0u8; STORE_ID_LEN];
            crate::random::fill(&mut store_id)?;
            let key_check = Sealer::key_check(key, &store_id)?;
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db_err)?;
            migrations::migrate_in(&tx)?;
            tx.execute(
                "INSERT INTO wallet (id, network, store_id, key_check, kdf_salt, kdf_iterations)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5)",
                params![
                    network.as_file_str(),
                    store_id,
                    &key_check[..],
                    salt,
                    salt.map(|_| PASSPHRASE_ITERATIONS)
                ],
            )
            .map_err(db_err)?;
            tx.commit().map_err(db_err)?;
            Ok(Self {
                conn: Mutex::new(conn),
                path: path.to_path_buf(),
                network,
                fail_after_writes: AtomicU64::new(u64::MAX),
            })
        })();
        if result.is_err() {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.as_os_str().to_owned();
                p.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(p));
            }
        }
        result
    }

    /// Opens an existing store, migrating its schema to the current version when it is older.
    /// No key is needed to open it.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let meta = std::fs::metadata(path).map_err(|e| os_err(&e))?;
        if meta.is_dir() {
            return Err(StoreError::IsADirectory);
        }
        if !meta.is_file() {
            return Err(StoreError::NotAStore("it is not a regular file".into()));
        }
        // SQLite opens a file it may not write read-only without saying so, and a file it may
        // not read fails with a bare "unable to open": asking the operating system first gives
        // the cause (permissions, a read-only file system) in its own words.
        if let Err(e) = std::fs::File::open(path) {
            return Err(os_err(&e));
        }
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(db_err)?;
        // Refuse newer and foreign files before changing anything (even the journal mode).
        let version = migrations::user_version(&conn)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if migrations::application_id(&conn)? != migrations::APPLICATION_ID {
            return Err(StoreError::NotAStore(
                "it is empty or a database of another kind".into(),
            ));
        }
        configure(&conn)?;
        if version < SCHEMA_VERSION {
            migrations::migrate(&mut conn)?;
        }
        let network: String = conn
            .query_row("SELECT network FROM wallet WHERE id = 1", [], |r| r.get(0))
            .optional()
            .map_err(db_err)?
            .ok_or_else(|| {
                StoreError::NotAStore("it holds no wallet (its creation was interrupted)".into())
            })?;
        let network = Network::from_file_str(&network)
            .ok_or_else(|| damaged("its network name is not one this app writes"))?;
        Ok(Self {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            network,
            fail_after_writes: AtomicU64::new(u64::MAX),
        })
    }

    /// The path the store was opened at.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The salt to derive the key from a passphrase with ([`StorageKey::from_passphrase`]);
    /// `None` when the store was created with an app's key.
    pub fn passphrase_salt(&self) -> Result<Option<Vec<u8>>, StoreError> {
        self.lock()?
            .query_row("SELECT kdf_salt FROM wallet WHERE id = 1", [], |r| r.get(0))
            .map_err(db_err)
    }

    /// Derives the key from a passphrase and checks it: [`StoreError::NoPassphrase`] for a store
    /// locked with an app's key, [`StoreError::WrongStorageKey`] for a wrong passphrase.
    pub fn unlock_with_passphrase(
        &self,
        passphrase: &Password,
        observer: &dyn KdfObserver,
    ) -> Result<StorageKey, StoreError> {
        let salt = self.passphrase_salt()?.ok_or(StoreError::NoPassphrase)?;
        let key = StorageKey::from_passphrase_with_progress(passphrase, &salt, observer)?;
        self.check_key(&key)?;
        Ok(key)
    }

    /// SQLite's own consistency check (`PRAGMA integrity_check`): `Ok` when it answers `ok`,
    /// otherwise [`StoreError::Damaged`] with its first finding.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let answer: String = self
            .lock()?
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(db_err)?;
        if answer == "ok" {
            Ok(())
        } else {
            Err(StoreError::Damaged(format!(
                "SQLite's integrity check failed ({answer})"
            )))
        }
    }

    /// Testing aid: makes the next [`WalletStore::apply`] fail after `n` row writes (`None`
    /// turns it off), to show that a failure halfway rolls everything back.
    #[doc(hidden)]
    pub fn fail_apply_after_writes(&self, n: Option<u64>) {
        self.fail_after_writes
            .store(n.unwrap_or(u64::MAX), Ordering::SeqCst);
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        // A panic while holding the lock cannot leave a transaction open (dropping a rusqlite
        // Transaction rolls it back), so the connection is still usable.
        Ok(self.conn.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn write_tx<'c>(conn: &'c mut Connection) -> Result<Transaction<'c>, StoreError> {
        conn.transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db_err)
    }

    fn bump_revision(tx: &Transaction<'_>) -> Result<(), StoreError> {
        tx.execute("UPDATE wallet SET revision = revision + 1 WHERE id = 1", [])
            .map_err(db_err)?;
        Ok(())
    }

    fn summary_in(&self, conn: &Connection) -> Result<StoreSummary, StoreError> {
        let row = read_wallet_row(conn)?;
        let mut identities = Vec::new();
        let mut index_of = std::collections::HashMap::new();
        let mut stmt = conn
            .prepare("SELECT id, name, id_cred_pub FROM identity ORDER BY id")
            .map_err(db_err)?;
        let mut rows = stmt.query([]).map_err(db_err)?;
        while let Some(r) = rows.next().map_err(db_err)? {
            let id: i64 = r.get(0).map_err(db_err)?;
            index_of.insert(id, identities.len());
            identities.push(IdentitySummary {
                name: r.get(1).map_err(db_err)?,
                id_cred_pub: r.get(2).map_err(db_err)?,
                accounts: Vec::new(),
            });
        }
        let mut stmt = conn
            .prepare(
                "SELECT identity_id, name, address, keys_sealed IS NULL,
                        CASE WHEN keys_sealed IS NULL THEN extra_json END
                 FROM account ORDER BY identity_id, id",
            )
            .map_err(db_err)?;
        let mut rows = stmt.query([]).map_err(db_err)?;
        while let Some(r) = rows.next().map_err(db_err)? {
            let id: i64 = r.get(0).map_err(db_err)?;
            let i = *index_of
                .get(&id)
                .ok_or_else(|| damaged("an account belongs to no identity"))?;
            identities[i].accounts.push(AccountSummary {
                name: r.get(1).map_err(db_err)?,
                address: r.get(2).map_err(db_err)?,
                read_only: r.get(3).map_err(db_err)?,
                ledger_pairing_id: r
                    .get::<_, Option<String>>(4)
                    .map_err(db_err)?
                    .map(|extra| parse_json(&extra, "account"))
                    .transpose()?
                    .and_then(|extra| crate::import_plan::ledger_pairing_id(&extra)),
            });
        }
        let mut contacts = Vec::new();
        let mut stmt = conn
            .prepare("SELECT name, address FROM contact ORDER BY id")
            .map_err(db_err)?;
        let mut rows = stmt.query([]).map_err(db_err)?;
        while let Some(r) = rows.next().map_err(db_err)? {
            contacts.push(ContactSummary {
                name: r.get(0).map_err(db_err)?,
                address: r.get(1).map_err(db_err)?,
            });
        }
        Ok(StoreSummary {
            network: self.network,
            store_id: row.store_id,
            revision: row.revision,
            identities,
            contacts,
        })
    }

    fn export_in(&self, conn: &Connection, key: &StorageKey) -> Result<WalletData, StoreError> {
        let (sealer, _) = unlock(conn, key)?;
        let (extra, value_extra): (String, String) = conn
            .query_row(
                "SELECT extra_json, value_extra_json FROM wallet WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db_err)?;

        let mut identities: Vec<Identity> = Vec::new();
        let mut index_of = std::collections::HashMap::new();
        let mut stmt = conn
            .prepare(
                "SELECT id, id_cred_pub, name, next_account_number, provider_json, object_json,
                        extra_json, private_sealed
                 FROM identity ORDER BY id",
            )
            .map_err(db_err)?;
        let mut rows = stmt.query([]).map_err(db_err)?;
        while let Some(r) = rows.next().map_err(db_err)? {
            let id: i64 = r.get(0).map_err(db_err)?;
            let icp: String = r.get(1).map_err(db_err)?;
            let next: Option<i64> = r.get(3).map_err(db_err)?;
            let sealed: Vec<u8> = r.get(7).map_err(db_err)?;
            let private = open_secret_json(
                &sealer,
                Place {
                    table: T_IDENTITY,
                    key: &icp,
                    field: F_PRIVATE,
                },
                &sealed,
            )?;
            let ident = Identity {
                name: r.get(2).map_err(db_err)?,
                next_account_number: next
                    .map(|n| u64::try_from(n).map_err(|_| damaged("a negative account number")))
                    .transpose()?,
                identity_provider: parse_opt_json(r.get(4).map_err(db_err)?, "identity provider")?,
                identity_object: parse_opt_json(r.get(5).map_err(db_err)?, "identity object")?,
                private_id_object_data: private,
                accounts: Vec::new(),
                extra: parse_json(&r.get::<_, String>(6).map_err(db_err)?, "identity")?,
            };
            if ident.id_cred_pub() != Some(icp.as_str()) {
                return Err(damaged(
                    "an identity's idCredPub differs from its identity object",
                ));
            }
            index_of.insert(id, identities.len());
            identities.push(ident);
        }

        let mut stmt = conn
            .prepare(
                "SELECT identity_id, address, name, submission_id, revealed_attributes_json,
                        credential_json, extra_json, keys_sealed, commitments_sealed,
                        encryption_key_sealed
                 FROM account WHERE keys_sealed IS NOT NULL ORDER BY identity_id, id",
            )
            .map_err(db_err)?;
        let mut rows = stmt.query([]).map_err(db_err)?;
        while let Some(r) = rows.next().map_err(db_err)? {
            let id: i64 = r.get(0).map_err(db_err)?;
            let address: String = r.get(1).map_err(db_err)?;
            let place = |field| Place {
                table: T_ACCOUNT,
                key: &address,
                field,
            };
            let keys: Vec<u8> = r.get(7).map_err(db_err)?;
            let commitments: Option<Vec<u8>> = r.get(8).map_err(db_err)?;
            let encryption: Vec<u8> = r.get(9).map_err(db_err)?;
            let account_keys = open_secret_json(&sealer, place(F_KEYS), &keys)?;
            let commitments_randomness = commitments
                .map(|c| open_secret_json(&sealer, place(F_COMMITMENTS), &c))
                .transpose()?;
            let encryption_secret_key =
                open_secret_string(&sealer, place(F_ENCRYPTION), &encryption)?;
            let acc = Account {
                name: r.get(2).map_err(db_err)?,
                address: address.clone(),
                submission_id: r.get(3).map_err(db_err)?,
                account_keys,
                commitments_randomness,
                revealed_attributes: parse_opt_json(
                    r.get(4).map_err(db_err)?,
                    "revealed attributes",
                )?,
                credential: parse_opt_json(r.get(5).map_err(db_err)?, "credential")?,
                encryption_secret_key,
                extra: parse_json(&r.get::<_, String>(6).map_err(db_err)?, "account")?,
            };
            let i = *index_of
                .get(&id)
                .ok_or_else(|| damaged("an account belongs to no identity"))?;
            identities[i].accounts.push(acc);
        }

        let mut recipients = Vec::new();
        let mut stmt = conn
            .prepare("SELECT name, address, extra_json FROM contact ORDER BY id")
            .map_err(db_err)?;
        let mut rows = stmt.query([]).map_err(db_err)?;
        while let Some(r) = rows.next().map_err(db_err)? {
            recipients.push(Recipient {
                name: r.get(0).map_err(db_err)?,
                address: r.get(1).map_err(db_err)?,
                extra: parse_json(&r.get::<_, String>(2).map_err(db_err)?, "contact")?,
            });
        }

        Ok(WalletData {
            kind: MOBILE_WALLET_TYPE.into(),
            v: MOBILE_WALLET_VERSION,
            environment: Some(self.network),
            value: WalletContents {
                identities,
                recipients,
                extra: parse_json(&value_extra, "wallet field")?,
            },
            extra: parse_json(&extra, "wallet field")?,
        })
    }

    fn apply_in(
        &self,
        tx: &Transaction<'_>,
        plan: &ImportPlan,
        data: &WalletData,
        key: &StorageKey,
    ) -> Result<(), StoreError> {
        let (sealer, row) = unlock(tx, key)?;
        if plan.store_id() != row.store_id.as_slice() || plan.wallet_network != self.network {
            return Err(StoreError::PlanMismatch(
                "it was made for another wallet".into(),
            ));
        }
        if plan.base_revision() != row.revision {
            return Err(StoreError::StalePlan);
        }
        let budget = self.fail_after_writes.swap(u64::MAX, Ordering::SeqCst);
        let mut writes = 0u64;
        let mut wrote = || {
            writes += 1;
            if writes > budget {
                return Err(StoreError::Database("injected failure (testing)".into()));
            }
            Ok(())
        };
        let mismatch =
            |what: &str| StoreError::PlanMismatch(format!("{what} is not in the backup"));
        let identity_at = |i: usize, icp: &str| -> Result<&Identity, StoreError> {
            data.value
                .identities
                .get(i)
                .filter(|ident| ident.id_cred_pub() == Some(icp))
                .ok_or_else(|| mismatch("an identity it lists"))
        };

        let mut insert_identity = tx
            .prepare_cached(
                "INSERT INTO identity (id_cred_pub, name, next_account_number, provider_json,
                                       object_json, extra_json, private_sealed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(db_err)?;
        for item in &plan.identities_to_add {
            let ident = identity_at(item.index, &item.id_cred_pub)?;
            let sealed = sealer.seal(
                Place {
                    table: T_IDENTITY,
                    key: &item.id_cred_pub,
                    field: F_PRIVATE,
                },
                &secret_json_bytes(&ident.private_id_object_data.0),
            )?;
            insert_identity
                .execute(params![
                    item.id_cred_pub,
                    ident.name,
                    ident.next_account_number.map(to_i64).transpose()?,
                    ident.identity_provider.as_ref().map(json_text),
                    ident.identity_object.as_ref().map(json_text),
                    json_text(&ident.extra),
                    sealed,
                ])
                .map_err(db_err)?;
            wrote()?;
        }

        let mut identity_id = tx
            .prepare_cached("SELECT id FROM identity WHERE id_cred_pub = ?1")
            .map_err(db_err)?;
        let mut insert_account = tx
            .prepare_cached(
                "INSERT INTO account (identity_id, address, name, submission_id,
                                      revealed_attributes_json, credential_json, extra_json,
                                      keys_sealed, commitments_sealed, encryption_key_sealed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )
            .map_err(db_err)?;
        let mut upgrade_account = tx
            .prepare_cached(
                "UPDATE account SET name = ?3, submission_id = ?4, revealed_attributes_json = ?5,
                        credential_json = ?6, extra_json = ?7, keys_sealed = ?8,
                        commitments_sealed = ?9, encryption_key_sealed = ?10
                 WHERE identity_id = ?1 AND address = ?2 AND keys_sealed IS NULL",
            )
            .map_err(db_err)?;
        let mut last_identity: Option<(String, i64)> = None;
        for (upgrade, item) in plan
            .accounts_to_add
            .iter()
            .map(|i| (false, i))
            .chain(plan.accounts_to_upgrade.iter().map(|i| (true, i)))
        {
            let ident = identity_at(item.identity_index, &item.id_cred_pub)?;
            let acc = ident
                .accounts
                .get(item.index)
                .filter(|a| a.address == item.address)
                .ok_or_else(|| mismatch("an account it lists"))?;
            let ledger_backed = crate::import_plan::is_ledger_backed(acc);
            let storable = crate::import_plan::has_keys(acc) || (ledger_backed && !upgrade);
            if !storable {
                return Err(StoreError::PlanMismatch(
                    "an account it lists has no keys".into(),
                ));
            }
            let id = match &last_identity {
                Some((icp, id)) if *icp == item.id_cred_pub => *id,
                _ => {
                    let id: i64 = identity_id
                        .query_row([&item.id_cred_pub], |r| r.get(0))
                        .optional()
                        .map_err(db_err)?
                        .ok_or_else(|| {
                            StoreError::PlanMismatch(
                                "an account's identity is neither stored nor added".into(),
                            )
                        })?;
                    last_identity = Some((item.id_cred_pub.clone(), id));
                    id
                }
            };
            // A Ledger-backed account has no keys here: stored read-only, its Ledger in extra_json.
            let (keys, commitments, encryption) = if ledger_backed {
                (None, None, None)
            } else {
                let sealed = seal_account(&sealer, acc)?;
                (
                    Some(sealed.keys),
                    sealed.commitments,
                    Some(sealed.encryption),
                )
            };
            let args = params![
                id,
                acc.address,
                acc.name,
                acc.submission_id,
                acc.revealed_attributes.as_ref().map(json_text),
                acc.credential.as_ref().map(json_text),
                json_text(&acc.extra),
                keys,
                commitments,
                encryption,
            ];
            if upgrade {
                if upgrade_account.execute(args).map_err(db_err)? != 1 {
                    return Err(StoreError::StalePlan);
                }
            } else {
                insert_account.execute(args).map_err(db_err)?;
            }
            wrote()?;
        }

        let mut insert_contact = tx
            .prepare_cached("INSERT INTO contact (name, address, extra_json) VALUES (?1, ?2, ?3)")
            .map_err(db_err)?;
        for item in &plan.contacts_to_add {
            let r = data
                .value
                .recipients
                .get(item.index)
                .filter(|r| r.name == item.name && r.address == item.address)
                .ok_or_else(|| mismatch("a contact it lists"))?;
            insert_contact
                .execute(params![r.name, r.address, json_text(&r.extra)])
                .map_err(db_err)?;
            wrote()?;
        }

        if !plan.fields_to_add.is_empty() {
            let (extra, value_extra): (String, String) = tx
                .query_row(
                    "SELECT extra_json, value_extra_json FROM wallet WHERE id = 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(db_err)?;
            let mut extra: Map<String, Value> = parse_json(&extra, "wallet field")?;
            let mut value_extra: Map<String, Value> = parse_json(&value_extra, "wallet field")?;
            for item in &plan.fields_to_add {
                let (source, target) = match item.scope {
                    FieldScope::TopLevel => (&data.extra, &mut extra),
                    FieldScope::Value => (&data.value.extra, &mut value_extra),
                };
                let v = source
                    .get(&item.name)
                    .ok_or_else(|| mismatch("a field it lists"))?;
                if target.insert(item.name.clone(), v.clone()).is_some() {
                    return Err(StoreError::StalePlan);
                }
                wrote()?;
            }
            tx.execute(
                "UPDATE wallet SET extra_json = ?1, value_extra_json = ?2 WHERE id = 1",
                params![json_text(&extra), json_text(&value_extra)],
            )
            .map_err(db_err)?;
        }

        if plan.changes() > 0 {
            Self::bump_revision(tx)?;
        }
        Ok(())
    }
}

/// Reads an [`ExportSnapshot`] with three queries that each give (key, name) rows.
fn snapshot_in(
    conn: &Connection,
    identities: &str,
    accounts: &str,
    contacts: &str,
) -> Result<ExportSnapshot, StoreError> {
    let rows = |sql: &str| -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = conn.prepare(sql).map_err(db_err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    };
    Ok(ExportSnapshot {
        identities: rows(identities)?.into_iter().map(|(k, _)| k).collect(),
        accounts: rows(accounts)?.into_iter().map(|(k, _)| k).collect(),
        contacts: rows(contacts)?.into_iter().collect(),
    })
}

impl WalletStore for SqliteStore {
    fn network(&self) -> Result<Network, StoreError> {
        Ok(self.network)
    }

    fn summary(&self) -> Result<StoreSummary, StoreError> {
        let mut conn = self.lock()?;
        // One read transaction, so the lists describe one revision.
        let tx = conn.transaction().map_err(db_err)?;
        self.summary_in(&tx)
    }

    fn check_key(&self, key: &StorageKey) -> Result<(), StoreError> {
        let conn = self.lock()?;
        unlock(&conn, key).map(|_| ())
    }

    fn add_contact(&self, name: &str, address: &str) -> Result<bool, StoreError> {
        if name.trim().is_empty() || address.trim().is_empty() {
            return Err(StoreError::InvalidInput(
                "a contact needs a name and an address".into(),
            ));
        }
        crate::keys::validate_address(address).map_err(|_| StoreError::InvalidAddress)?;
        let mut conn = self.lock()?;
        let tx = Self::write_tx(&mut conn)?;
        let names: Vec<String> = {
            let mut stmt = tx
                .prepare("SELECT name FROM contact WHERE address = ?1")
                .map_err(db_err)?;
            let rows = stmt.query_map([address], |r| r.get(0)).map_err(db_err)?;
            rows.collect::<Result<_, _>>().map_err(db_err)?
        };
        if names.iter().any(|n| n == name) {
            return Ok(false);
        }
        if !names.is_empty() {
            return Err(StoreError::AddressHasOtherName);
        }
        tx.execute(
            "INSERT INTO contact (name, address) VALUES (?1, ?2)",
            params![name, address],
        )
        .map_err(db_err)?;
        Self::bump_revision(&tx)?;
        tx.commit().map_err(db_err)?;
        Ok(true)
    }

    fn remove_contact(&self, name: &str, address: &str) -> Result<bool, StoreError> {
        let mut conn = self.lock()?;
        let tx = Self::write_tx(&mut conn)?;
        let n = tx
            .execute(
                "DELETE FROM contact WHERE name = ?1 AND address = ?2",
                params![name, address],
            )
            .map_err(db_err)?;
        if n > 0 {
            Self::bump_revision(&tx)?;
        }
        tx.commit().map_err(db_err)?;
        Ok(n > 0)
    }

    fn add_read_only_account(
        &self,
        id_cred_pub: &str,
        name: &str,
        address: &str,
    ) -> Result<(), StoreError> {
        if address.trim().is_empty() {
            return Err(StoreError::InvalidInput(
                "an account needs an address".into(),
            ));
        }
        let mut conn = self.lock()?;
        let tx = Self::write_tx(&mut conn)?;
        let id: i64 = tx
            .query_row(
                "SELECT id FROM identity WHERE id_cred_pub = ?1",
                [id_cred_pub],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_err)?
            .ok_or_else(|| StoreError::InvalidInput("the wallet has no such identity".into()))?;
        let exists: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM account WHERE address = ?1)",
                [address],
                |r| r.get(0),
            )
            .map_err(db_err)?;
        if exists {
            return Err(StoreError::AccountExists);
        }
        tx.execute(
            "INSERT INTO account (identity_id, address, name) VALUES (?1, ?2, ?3)",
            params![id, address, name],
        )
        .map_err(db_err)?;
        Self::bump_revision(&tx)?;
        tx.commit().map_err(db_err)
    }

    fn export_data(&self, key: &StorageKey) -> Result<WalletData, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction().map_err(db_err)?;
        self.export_in(&tx, key)
    }

    fn import_state(&self, key: &StorageKey) -> Result<StoreState, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction().map_err(db_err)?;
        let data = self.export_in(&tx, key)?;
        let summary = self.summary_in(&tx)?;
        Ok(StoreState { summary, data })
    }

    fn backup_status(&self) -> Result<BackupStatus, StoreError> {
        let mut conn = self.lock()?;
        // One read transaction: the record and the tables describe the same moment.
        let tx = conn.transaction().map_err(db_err)?;
        let now = snapshot_in(
            &tx,
            "SELECT id_cred_pub, '' FROM identity",
            "SELECT address, '' FROM account WHERE keys_sealed IS NOT NULL",
            "SELECT address, name FROM contact",
        )?;
        let at: Option<i64> = tx
            .query_row("SELECT last_export_at FROM wallet WHERE id = 1", [], |r| {
                r.get(0)
            })
            .map_err(db_err)?;
        let Some(at) = at else {
            return Ok(BackupStatus::assess(None, &now));
        };
        let then = snapshot_in(
            &tx,
            "SELECT key, name FROM exported_item WHERE kind = 'identity'",
            "SELECT key, name FROM exported_item WHERE kind = 'account'",
            "SELECT key, name FROM exported_item WHERE kind = 'contact'",
        )?;
        Ok(BackupStatus::assess(Some((at, &then)), &now))
    }

    fn record_export(&self, snapshot: &ExportSnapshot, at: i64) -> Result<(), StoreError> {
        let mut conn = self.lock()?;
        let tx = Self::write_tx(&mut conn)?;
        tx.execute("DELETE FROM exported_item", [])
            .map_err(db_err)?;
        {
            let mut insert = tx
                .prepare_cached("INSERT INTO exported_item (kind, key, name) VALUES (?1, ?2, ?3)")
                .map_err(db_err)?;
            let rows = (snapshot.identities.iter().map(|k| ("identity", k, "")))
                .chain(snapshot.accounts.iter().map(|k| ("account", k, "")))
                .chain((snapshot.contacts.iter()).map(|(a, n)| ("contact", a, n.as_str())));
            for (kind, key, name) in rows {
                insert.execute(params![kind, key, name]).map_err(db_err)?;
            }
        }
        tx.execute(
            "UPDATE wallet SET last_export_at = ?1 WHERE id = 1",
            params![at],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)
    }

    fn apply(
        &self,
        plan: &ImportPlan,
        data: &WalletData,
        key: &StorageKey,
    ) -> Result<ImportReport, StoreError> {
        let mut conn = self.lock()?;
        let previous_cache: i64 = conn
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .map_err(db_err)?;
        conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)
            .map_err(db_err)?;
        let result = (|| {
            let tx = Self::write_tx(&mut conn)?;
            // On any error the transaction is dropped, which rolls it back.
            self.apply_in(&tx, plan, data, key)?;
            tx.commit().map_err(db_err)
        })();
        // Shrinking the cache frees the pages above the old limit. Setting it cannot fail in
        // practice, and if it did the import's outcome would still be `result`.
        let _ = conn.pragma_update(None, "cache_size", previous_cache);
        result?;
        Ok(plan.report())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import_plan::{self, ImportOptions};

    fn cache_size(store: &SqliteStore) -> i64 {
        store
            .lock()
            .unwrap()
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn an_import_enlarges_the_page_cache_only_while_it_runs() {
        let dir =
            std::env::temp_dir().join(format!("wallet-core-sqlite-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let key = StorageKey::from_bytes(&[3u8; 32]).unwrap();
        let store = SqliteStore::create(&dir.join("w.db"), Network::Testnet, &key).unwrap();
        let before = cache_size(&store);
        assert_ne!(before, -IMPORT_CACHE_KIB);
        // The log is checkpointed at 4 MiB, whatever the page size.
        let checkpoint_pages: i64 = store
            .lock()
            .unwrap()
            .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            checkpoint_pages * i64::from(PAGE_SIZE),
            WAL_CHECKPOINT_BYTES
        );
        let account = |i: usize| {
            serde_json::json!({
                "name": format!("A{i}"),
                "address": crate::keys::AccountAddress([i as u8; 32]).to_base58(),
                "submissionId": "",
                "accountKeys": {"keys": {"0": {"keys": {"0": {"signKey": "aa", "verifyKey": "bb"}}, "threshold": 1}}, "threshold": 1},
                "revealedAttributes": {}, "credential": {"v": 0},
                "encryptionSecretKey": format!("{i:04}"),
            })
        };
        let data = WalletData::from_json(
            serde_json::json!({"type": "concordium-mobile-wallet-data", "v": 1,
                "environment": "testnet", "value": {"identities": [{
                    "name": "Ann", "nextAccountNumber": 3,
                    "identityObject": {"preIdentityObject": {"pubInfoForIp": {"idCredPub": "icp"}}},
                    "privateIdObjectData": {"randomness": "cc"},
                    "accounts": [account(0), account(1), account(2)]}],
                "recipients": [{"name": "Bob",
                    "address": crate::keys::AccountAddress([0xbb; 32]).to_base58()}]}})
            .to_string()
            .as_bytes(),
        )
        .unwrap();
        let opts = ImportOptions::default();
        // A failed apply (rolled back) restores the cache as well.
        let plan = import_plan::preview(&store, &data, &key, &opts).unwrap();
        store.fail_apply_after_writes(Some(2));
        assert!(store.apply(&plan, &data, &key).is_err());
        assert_eq!(cache_size(&store), before);
        let report = store.apply(&plan, &data, &key).unwrap();
        assert_eq!(report.accounts_added.len(), 3);
        assert_eq!(cache_size(&store), before);
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
