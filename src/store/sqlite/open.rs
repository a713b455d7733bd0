//! Creating and opening a store file, and the connection settings every connection gets
//! (journal mode, durability, checkpoints: see the [module documentation](super)).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use super::codec::damaged;
use super::db_error::{os_err, Db};
use super::migrations::{self, SCHEMA_VERSION};
use super::{SqliteStore, PAGE_SIZE, WAL_CHECKPOINT_BYTES};
use crate::kdf::KdfObserver;
use crate::network::Network;
use crate::password::Password;
use crate::store::fault::FailAfterWrites;
use crate::store::seal::{Sealer, StorageKey, PASSPHRASE_ITERATIONS, STORE_ID_LEN};
use crate::store::StoreError;

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(Duration::from_secs(5)).db()?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .db()?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Database(format!(
            "SQLite could not switch to WAL mode (it is in {mode} mode)"
        )));
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;
         PRAGMA journal_size_limit = 4194304;",
    )
    .db()?;
    // SQLite checkpoints after 1,000 pages of log by default: 4 MB with 4 KiB pages, but 16 MB
    // with 16 KiB pages, and the log would grow to 16 MB between checkpoints only to be cut back
    // to `journal_size_limit` after each. Counted in bytes, it stays at 4 MiB.
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).db()?;
    conn.pragma_update(
        None,
        "wal_autocheckpoint",
        (WAL_CHECKPOINT_BYTES / page_size.max(512)).max(1),
    )
    .db()
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
        create_private_file(path)?;
        let result = Self::initialise(path, network, key, salt);
        if result.is_err() {
            // Nothing half-created stays behind.
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.as_os_str().to_owned();
                p.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(p));
            }
        }
        result
    }

    /// Writes the schema and the `wallet` row into the new, empty file at `path`.
    fn initialise(
        path: &Path,
        network: Network,
        key: &StorageKey,
        salt: Option<&[u8]>,
    ) -> Result<Self, StoreError> {
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .db()?;
        // Only takes effect before the first write, which is why it precedes `configure`.
        conn.pragma_update(None, "page_size", PAGE_SIZE).db()?;
        configure(&conn)?;
        let mut store_id = vec![0u8; STORE_ID_LEN];
        crate::random::fill(&mut store_id)?;
        let key_check = Sealer::key_check(key, &store_id)?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
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
        .db()?;
        tx.commit().db()?;
        Ok(Self {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            network,
            fail_after_writes: FailAfterWrites::new(),
        })
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
        .db()?;
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
            .db()?
            .ok_or_else(|| {
                StoreError::NotAStore("it holds no wallet (its creation was interrupted)".into())
            })?;
        let network = Network::from_file_str(&network)
            .ok_or_else(|| damaged("its network name is not one this app writes"))?;
        Ok(Self {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            network,
            fail_after_writes: FailAfterWrites::new(),
        })
    }
}

/// Creates the store file, empty, with mode 0600 on Unix, so SQLite never creates it with a wider
/// mode ([`StoreError::AlreadyExists`] when something is at the path).
fn create_private_file(path: &Path) -> Result<(), StoreError> {
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
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(StoreError::AlreadyExists),
        Err(e) => Err(os_err(&e)),
    }
}
