//! Reading a store: the wallet row, the key-free summary, the whole wallet data with its secrets
//! opened, and the snapshots the backup status compares.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row};

use super::codec::{
    account_row, account_summary_row, contact_row, contact_summary_row, damaged, identity_row,
    identity_summary_row, parse_json, ACCOUNT_SELECT, ACCOUNT_SUMMARY_SELECT, CONTACT_SELECT,
    CONTACT_SUMMARY_SELECT, IDENTITY_SELECT, IDENTITY_SUMMARY_SELECT,
};
use super::db_error::Db;
use super::SqliteStore;
use crate::model::{
    Identity, WalletContents, WalletData, MOBILE_WALLET_TYPE, MOBILE_WALLET_VERSION,
};
use crate::store::seal::{Sealer, StorageKey};
use crate::store::{BackupStatus, ExportSnapshot, StoreError, StoreSummary};

/// The `wallet` row.
pub(super) struct WalletRow {
    pub(super) store_id: Vec<u8>,
    pub(super) key_check: Vec<u8>,
    pub(super) revision: u64,
}

pub(super) fn read_wallet_row(conn: &Connection) -> Result<WalletRow, StoreError> {
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
    .db()?
    .ok_or_else(|| {
        StoreError::NotAStore("it holds no wallet (its creation was interrupted)".into())
    })
}

pub(super) fn unlock(
    conn: &Connection,
    key: &StorageKey,
) -> Result<(Sealer, WalletRow), StoreError> {
    let row = read_wallet_row(conn)?;
    let sealer = Sealer::unlock(key, &row.store_id, &row.key_check)?;
    Ok((sealer, row))
}

/// Runs `sql` (no parameters) and hands each row to `each`, in order.
fn for_each_row(
    conn: &Connection,
    sql: &str,
    mut each: impl FnMut(&Row<'_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(sql).db()?;
    let mut rows = stmt.query([]).db()?;
    while let Some(r) = rows.next().db()? {
        each(r)?;
    }
    Ok(())
}

/// Where in a list the identity with a row id is (accounts name their identity by row id).
fn position(index_of: &HashMap<i64, usize>, identity_id: i64) -> Result<usize, StoreError> {
    index_of
        .get(&identity_id)
        .copied()
        .ok_or_else(|| damaged("an account belongs to no identity"))
}

impl SqliteStore {
    /// The key-free summary, read in `conn`.
    pub(super) fn summary_in(&self, conn: &Connection) -> Result<StoreSummary, StoreError> {
        let row = read_wallet_row(conn)?;
        let mut identities = Vec::new();
        let mut index_of = HashMap::new();
        for_each_row(conn, IDENTITY_SUMMARY_SELECT, |r| {
            let (id, identity) = identity_summary_row(r)?;
            index_of.insert(id, identities.len());
            identities.push(identity);
            Ok(())
        })?;
        for_each_row(conn, ACCOUNT_SUMMARY_SELECT, |r| {
            let (identity_id, account) = account_summary_row(r)?;
            identities[position(&index_of, identity_id)?]
                .accounts
                .push(account);
            Ok(())
        })?;
        let mut contacts = Vec::new();
        for_each_row(conn, CONTACT_SUMMARY_SELECT, |r| {
            contacts.push(contact_summary_row(r)?);
            Ok(())
        })?;
        Ok(StoreSummary {
            network: self.network,
            store_id: row.store_id,
            revision: row.revision,
            identities,
            contacts,
        })
    }

    /// The whole wallet data with its secrets opened, read in `conn`.
    pub(super) fn export_in(
        &self,
        conn: &Connection,
        key: &StorageKey,
    ) -> Result<WalletData, StoreError> {
        let (sealer, _) = unlock(conn, key)?;
        let (extra, value_extra): (String, String) = conn
            .query_row(
                "SELECT extra_json, value_extra_json FROM wallet WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .db()?;
        let mut identities: Vec<Identity> = Vec::new();
        let mut index_of = HashMap::new();
        for_each_row(conn, IDENTITY_SELECT, |r| {
            let (id, identity) = identity_row(&sealer, r)?;
            index_of.insert(id, identities.len());
            identities.push(identity);
            Ok(())
        })?;
        for_each_row(conn, ACCOUNT_SELECT, |r| {
            let (identity_id, account) = account_row(&sealer, r)?;
            identities[position(&index_of, identity_id)?]
                .accounts
                .push(account);
            Ok(())
        })?;
        let mut recipients = Vec::new();
        for_each_row(conn, CONTACT_SELECT, |r| {
            recipients.push(contact_row(r)?);
            Ok(())
        })?;
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
}

/// Reads an [`ExportSnapshot`] with three queries that each give (key, name) rows.
fn snapshot_in(
    conn: &Connection,
    identities: &str,
    accounts: &str,
    contacts: &str,
) -> Result<ExportSnapshot, StoreError> {
    let rows = |sql: &str| -> Result<Vec<(String, String)>, StoreError> {
        let mut out = Vec::new();
        for_each_row(conn, sql, |r| {
            out.push((r.get(0).db()?, r.get(1).db()?));
            Ok(())
        })?;
        Ok(out)
    };
    Ok(ExportSnapshot {
        identities: rows(identities)?.into_iter().map(|(k, _)| k).collect(),
        accounts: rows(accounts)?.into_iter().map(|(k, _)| k).collect(),
        contacts: rows(contacts)?.into_iter().collect(),
    })
}

/// The backup status, read in `conn` (one read transaction, so the export record and the tables
/// describe the same moment).
pub(super) fn backup_status_in(conn: &Connection) -> Result<BackupStatus, StoreError> {
    let now = snapshot_in(
        conn,
        "SELECT id_cred_pub, '' FROM identity",
        "SELECT address, '' FROM account WHERE keys_sealed IS NOT NULL",
        "SELECT address, name FROM contact",
    )?;
    let at: Option<i64> = conn
        .query_row("SELECT last_export_at FROM wallet WHERE id = 1", [], |r| {
            r.get(0)
        })
        .db()?;
    let Some(at) = at else {
        return Ok(BackupStatus::assess(None, &now));
    };
    let then = snapshot_in(
        conn,
        "SELECT key, name FROM exported_item WHERE kind = 'identity'",
        "SELECT key, name FROM exported_item WHERE kind = 'account'",
        "SELECT key, name FROM exported_item WHERE kind = 'contact'",
    )?;
    Ok(BackupStatus::assess(Some((at, &then)), &now))
}
