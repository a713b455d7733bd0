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

mod apply;
mod codec;
mod db_error;
pub mod migrations;
mod open;
mod read;

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use self::db_error::Db;
use self::read::unlock;
use super::fault::FailAfterWrites;
use super::import::{ImportPlan, ImportReport};
use super::seal::StorageKey;
use super::wallet_store::{check_contact, check_read_only_account};
use super::{BackupStatus, ExportSnapshot, StoreError, StoreState, StoreSummary, WalletStore};
use crate::kdf::KdfObserver;
use crate::model::WalletData;
use crate::network::Network;
use crate::password::Password;

/// The page size of a new store file (see the module documentation for the measurements).
pub const PAGE_SIZE: u32 = 16_384;

/// The size of the write-ahead log at which SQLite checkpoints it into the database (the same as
/// `journal_size_limit`).
const WAL_CHECKPOINT_BYTES: i64 = 4 * 1024 * 1024;

/// The most page cache an import may use, in KiB (see the module documentation).
pub const IMPORT_CACHE_KIB: i64 = 64 * 1024;

/// The wallet store in one SQLite file (see the module documentation for the durability design).
///
/// One connection, behind a mutex: the store can be shared between threads (`Arc<SqliteStore>`),
/// and calls on it run one at a time.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    path: PathBuf,
    network: Network,
    fail_after_writes: FailAfterWrites,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("network", &self.network)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// The salt to derive the key from a passphrase with ([`StorageKey::from_passphrase`]);
    /// `None` when the store was created with an app's key.
    pub fn passphrase_salt(&self) -> Result<Option<Vec<u8>>, StoreError> {
        self.lock()?
            .query_row("SELECT kdf_salt FROM wallet WHERE id = 1", [], |r| r.get(0))
            .db()
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
            .db()?;
        if answer == "ok" {
            Ok(())
        } else {
            Err(StoreError::Damaged(format!(
                "SQLite's integrity check failed ({answer})"
            )))
        }
    }

    /// Testing aid (feature `testing`): makes the next [`WalletStore::apply`] fail after `n` row
    /// writes (`None` turns it off), to show that a failure halfway rolls everything back.
    #[cfg(any(test, feature = "testing"))]
    pub fn fail_apply_after_writes(&self, n: Option<u64>) {
        self.fail_after_writes.set(n);
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        // A panic while holding the lock cannot leave a transaction open (dropping a rusqlite
        // Transaction rolls it back), so the connection is still usable.
        Ok(self.conn.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn write_tx<'c>(conn: &'c mut Connection) -> Result<Transaction<'c>, StoreError> {
        conn.transaction_with_behavior(TransactionBehavior::Immediate)
            .db()
    }

    fn bump_revision(tx: &Transaction<'_>) -> Result<(), StoreError> {
        tx.execute("UPDATE wallet SET revision = revision + 1 WHERE id = 1", [])
            .db()?;
        Ok(())
    }
}

impl WalletStore for SqliteStore {
    fn network(&self) -> Result<Network, StoreError> {
        Ok(self.network)
    }

    fn summary(&self) -> Result<StoreSummary, StoreError> {
        let mut conn = self.lock()?;
        // One read transaction, so the lists describe one revision.
        let tx = conn.transaction().db()?;
        self.summary_in(&tx)
    }

    fn check_key(&self, key: &StorageKey) -> Result<(), StoreError> {
        let conn = self.lock()?;
        unlock(&conn, key).map(|_| ())
    }

    fn add_contact(&self, name: &str, address: &str) -> Result<bool, StoreError> {
        check_contact(name, address)?;
        let mut conn = self.lock()?;
        let tx = Self::write_tx(&mut conn)?;
        let names: Vec<String> = {
            let mut stmt = tx
                .prepare("SELECT name FROM contact WHERE address = ?1")
                .db()?;
            let rows = stmt.query_map([address], |r| r.get(0)).db()?;
            rows.collect::<Result<_, _>>().db()?
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
        .db()?;
        Self::bump_revision(&tx)?;
        tx.commit().db()?;
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
            .db()?;
        if n > 0 {
            Self::bump_revision(&tx)?;
        }
        tx.commit().db()?;
        Ok(n > 0)
    }

    fn add_read_only_account(
        &self,
        id_cred_pub: &str,
        name: &str,
        address: &str,
    ) -> Result<(), StoreError> {
        check_read_only_account(address)?;
        let mut conn = self.lock()?;
        let tx = Self::write_tx(&mut conn)?;
        let id: i64 = tx
            .query_row(
                "SELECT id FROM identity WHERE id_cred_pub = ?1",
                [id_cred_pub],
                |r| r.get(0),
            )
            .optional()
            .db()?
            .ok_or_else(|| StoreError::InvalidInput("the wallet has no such identity".into()))?;
        let exists: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM account WHERE address = ?1)",
                [address],
                |r| r.get(0),
            )
            .db()?;
        if exists {
            return Err(StoreError::AccountExists);
        }
        tx.execute(
            "INSERT INTO account (identity_id, address, name) VALUES (?1, ?2, ?3)",
            params![id, address, name],
        )
        .db()?;
        Self::bump_revision(&tx)?;
        tx.commit().db()
    }

    fn export_data(&self, key: &StorageKey) -> Result<WalletData, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction().db()?;
        self.export_in(&tx, key)
    }

    fn import_state(&self, key: &StorageKey) -> Result<StoreState, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction().db()?;
        let data = self.export_in(&tx, key)?;
        let summary = self.summary_in(&tx)?;
        Ok(StoreState { summary, data })
    }

    fn backup_status(&self) -> Result<BackupStatus, StoreError> {
        let mut conn = self.lock()?;
        // One read transaction: the record and the tables describe the same moment.
        let tx = conn.transaction().db()?;
        read::backup_status_in(&tx)
    }

    fn record_export(&self, snapshot: &ExportSnapshot, at: i64) -> Result<(), StoreError> {
        let mut conn = self.lock()?;
        let tx = Self::write_tx(&mut conn)?;
        tx.execute("DELETE FROM exported_item", []).db()?;
        {
            let mut insert = tx
                .prepare_cached("INSERT INTO exported_item (kind, key, name) VALUES (?1, ?2, ?3)")
                .db()?;
            let rows = (snapshot.identities.iter().map(|k| ("identity", k, "")))
                .chain(snapshot.accounts.iter().map(|k| ("account", k, "")))
                .chain((snapshot.contacts.iter()).map(|(a, n)| ("contact", a, n.as_str())));
            for (kind, key, name) in rows {
                insert.execute(params![kind, key, name]).db()?;
            }
        }
        tx.execute(
            "UPDATE wallet SET last_export_at = ?1 WHERE id = 1",
            params![at],
        )
        .db()?;
        tx.commit().db()
    }

    fn apply(
        &self,
        plan: &ImportPlan,
        data: &WalletData,
        key: &StorageKey,
    ) -> Result<ImportReport, StoreError> {
        let mut conn = self.lock()?;
        let previous_cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0)).db()?;
        conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)
            .db()?;
        let result = (|| {
            let tx = Self::write_tx(&mut conn)?;
            // On any error the transaction is dropped, which rolls it back.
            self.apply_in(&tx, plan, data, key)?;
            tx.commit().db()
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
    use crate::store::import::{self, ImportOptions};

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
        let plan = import::preview(&store, &data, &key, &opts).unwrap();
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
