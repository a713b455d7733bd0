//! The store's schema and its migrations.
//!
//! The schema version lives in SQLite's `PRAGMA user_version`; [`MIGRATIONS`] lists the steps
//! from an empty database on, each applied in the same transaction as the version change, so a
//! database is always exactly at one version. A database at a newer version than this library
//! knows is refused ([`StoreError::NewerSchema`]), never touched. `PRAGMA application_id` marks
//! the file as a wallet store, so another app's database is never migrated by mistake.
//!
//! A new schema version is a new entry at the end of [`MIGRATIONS`]; entries are never edited
//! once released.

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::db_error::Db;
use crate::store::StoreError;

/// `PRAGMA application_id` of a wallet store: "CWST" (Concordium wallet store).
pub const APPLICATION_ID: i32 = 0x4357_5354;

/// One schema step: the SQL that takes a database from `version - 1` to `version`.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The schema version after this step.
    pub version: u32,
    /// What the step does, for people.
    pub description: &'static str,
    /// The statements.
    pub sql: &'static str,
}

/// Every schema step, in order. The last one's version is [`SCHEMA_VERSION`].
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "wallet, identities, accounts, address book",
        sql: SCHEMA_V1,
    },
    Migration {
        version: 2,
        description: "when the wallet was last exported, and what that export held",
        sql: SCHEMA_V2,
    },
];

/// The schema version this library writes.
pub const SCHEMA_VERSION: u32 = 2;

/// Version 1.
///
/// - `wallet`: one row. The network, the store's random id, the key-check value, the passphrase
///   salt and iteration count (NULL when the app supplies the key), a revision counter, and the
///   top-level and `value`-level JSON fields this library does not model.
/// - `identity`: one row per identity, keyed by idCredPub; the provider and identity object and
///   unmodelled fields as JSON text; `privateIdObjectData` sealed.
/// - `account`: one row per account, keyed by address, belonging to an identity; public parts as
///   JSON text; `accountKeys`, `commitmentsRandomness` and `encryptionSecretKey` sealed. An
///   account without keys (`keys_sealed` NULL) is read-only.
/// - `contact`: the address book, unique by (name, address).
///
/// Row ids keep the insertion order, which is the order of export.
const SCHEMA_V1: &str = "
CREATE TABLE wallet (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    network TEXT NOT NULL,
    store_id BLOB NOT NULL,
    key_check BLOB NOT NULL,
    kdf_salt BLOB,
    kdf_iterations INTEGER,
    revision INTEGER NOT NULL DEFAULT 0,
    extra_json TEXT NOT NULL DEFAULT '{}',
    value_extra_json TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE identity (
    id INTEGER PRIMARY KEY,
    id_cred_pub TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    next_account_number INTEGER,
    provider_json TEXT,
    object_json TEXT,
    extra_json TEXT NOT NULL DEFAULT '{}',
    private_sealed BLOB NOT NULL
) STRICT;

CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    identity_id INTEGER NOT NULL REFERENCES identity(id),
    address TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    submission_id TEXT,
    revealed_attributes_json TEXT,
    credential_json TEXT,
    extra_json TEXT NOT NULL DEFAULT '{}',
    keys_sealed BLOB,
    commitments_sealed BLOB,
    encryption_key_sealed BLOB,
    CHECK ((keys_sealed IS NULL) = (encryption_key_sealed IS NULL))
) STRICT;

CREATE INDEX account_by_identity ON account(identity_id, id);

CREATE TABLE contact (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    extra_json TEXT NOT NULL DEFAULT '{}',
    UNIQUE (name, address)
) STRICT;

CREATE INDEX contact_by_address ON contact(address);
";

/// Version 2: the last export, so the app can say when a backup is due.
///
/// - `wallet.last_export_at`: when the person last confirmed that an export was saved or shared,
///   in seconds since the Unix epoch (NULL: never).
/// - `exported_item`: what that export held, by the keys the import matches on: identities by
///   idCredPub (`kind` 'identity', `name` empty), accounts with keys by address ('account'),
///   contacts by address and name ('contact'). What changed since is the difference between these
///   rows and the wallet's tables; no secret is in here.
const SCHEMA_V2: &str = "
ALTER TABLE wallet ADD COLUMN last_export_at INTEGER;

CREATE TABLE exported_item (
    kind TEXT NOT NULL CHECK (kind IN ('identity', 'account', 'contact')),
    key TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, key, name)
) STRICT, WITHOUT ROWID;
";

/// The database's schema version (`PRAGMA user_version`).
pub fn user_version(conn: &Connection) -> Result<u32, StoreError> {
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .db()?;
    u32::try_from(v).map_err(|_| StoreError::NotAStore("its schema version is invalid".into()))
}

/// The database's `PRAGMA application_id`.
pub fn application_id(conn: &Connection) -> Result<i32, StoreError> {
    conn.query_row("PRAGMA application_id", [], |r| r.get(0))
        .db()
}

/// Brings the database to [`SCHEMA_VERSION`] inside `tx` (which the caller commits). Returns the
/// version it found.
pub fn migrate_in(tx: &Transaction<'_>) -> Result<u32, StoreError> {
    migrate_steps(tx, MIGRATIONS)
}

/// Brings an open database to [`SCHEMA_VERSION`] in one transaction of its own: an empty database
/// gets the whole schema. Returns the version it found.
pub fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let found = migrate_in(&tx)?;
    tx.commit().db()?;
    Ok(found)
}

/// Applies the steps of `steps` above the database's version, in order, in `tx`.
///
/// Refuses a database that is newer than the last step, and one whose `application_id` is
/// neither a wallet store's nor unset (another app's database).
pub fn migrate_steps(tx: &Transaction<'_>, steps: &[Migration]) -> Result<u32, StoreError> {
    let latest = steps.last().map_or(0, |m| m.version);
    let found = user_version(tx)?;
    if found > latest {
        return Err(StoreError::NewerSchema {
            found,
            supported: latest,
        });
    }
    let app_id = application_id(tx)?;
    if app_id != APPLICATION_ID {
        let empty: i64 = tx
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .db()?;
        if app_id != 0 || found != 0 || empty != 0 {
            return Err(StoreError::NotAStore(
                "it is a database of another kind".into(),
            ));
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .db()?;
    }
    for step in steps.iter().filter(|m| m.version > found) {
        tx.execute_batch(step.sql).db()?;
        tx.pragma_update(None, "user_version", step.version).db()?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_apply_in_order_from_the_version_found() {
        let steps = [
            Migration {
                version: 1,
                description: "a",
                sql: "CREATE TABLE a (x INTEGER);",
            },
            Migration {
                version: 2,
                description: "b",
                sql: "ALTER TABLE a ADD COLUMN y INTEGER; CREATE TABLE b (z INTEGER);",
            },
        ];
        let mut conn = Connection::open_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        assert_eq!(migrate_steps(&tx, &steps[..1]).unwrap(), 0);
        tx.commit().unwrap();
        assert_eq!(user_version(&conn).unwrap(), 1);
        let tx = conn.transaction().unwrap();
        assert_eq!(migrate_steps(&tx, &steps).unwrap(), 1);
        tx.commit().unwrap();
        assert_eq!(user_version(&conn).unwrap(), 2);
        conn.execute("INSERT INTO a (x, y) VALUES (1, 2)", [])
            .unwrap();
        conn.execute("INSERT INTO b (z) VALUES (3)", []).unwrap();
        // Up to date: nothing runs again.
        let tx = conn.transaction().unwrap();
        assert_eq!(migrate_steps(&tx, &steps).unwrap(), 2);
        tx.commit().unwrap();
        // Older code refuses the newer database.
        let tx = conn.transaction().unwrap();
        assert_eq!(
            migrate_steps(&tx, &steps[..1]).unwrap_err(),
            StoreError::NewerSchema {
                found: 2,
                supported: 1
            }
        );
    }

    #[test]
    fn a_failing_step_leaves_the_version_alone() {
        let steps = [
            Migration {
                version: 1,
                description: "a",
                sql: "CREATE TABLE a (x INTEGER);",
            },
            Migration {
                version: 2,
                description: "broken",
                sql: "CREATE TABLE c (x INTEGER); CREATE TABLE a (x INTEGER);",
            },
        ];
        let mut conn = Connection::open_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        assert!(migrate_steps(&tx, &steps).is_err());
        drop(tx); // rolls back
        assert_eq!(user_version(&conn).unwrap(), 0);
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 0);
    }

    #[test]
    fn another_apps_database_is_not_migrated() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE theirs (x INTEGER);")
            .unwrap();
        assert!(matches!(migrate(&mut conn), Err(StoreError::NotAStore(_))));
    }
}
