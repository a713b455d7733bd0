//! Reading a store: the wallet row, the key-free summary, the whole wallet data with its secrets
//! opened, and the snapshots the backup status compares.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::codec::{
    damaged, open_secret_json, open_secret_string, parse_json, parse_opt_json, F_COMMITMENTS,
    F_ENCRYPTION, F_KEYS, F_PRIVATE, T_ACCOUNT, T_IDENTITY,
};
use super::db_error::Db;
use super::SqliteStore;
use crate::model::{
    Account, Identity, Recipient, WalletContents, WalletData, MOBILE_WALLET_TYPE,
    MOBILE_WALLET_VERSION,
};
use crate::store::import::ledger_pairing_id;
use crate::store::seal::{Place, Sealer, StorageKey};
use crate::store::{
    AccountSummary, BackupStatus, ContactSummary, ExportSnapshot, IdentitySummary, StoreError,
    StoreSummary,
};

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

impl SqliteStore {
    pub(super) fn summary_in(&self, conn: &Connection) -> Result<StoreSummary, StoreError> {
        let row = read_wallet_row(conn)?;
        let mut identities = Vec::new();
        let mut index_of = HashMap::new();
        let mut stmt = conn
            .prepare("SELECT id, name, id_cred_pub FROM identity ORDER BY id")
            .db()?;
        let mut rows = stmt.query([]).db()?;
        while let Some(r) = rows.next().db()? {
            let id: i64 = r.get(0).db()?;
            index_of.insert(id, identities.len());
            identities.push(IdentitySummary {
                name: r.get(1).db()?,
                id_cred_pub: r.get(2).db()?,
                accounts: Vec::new(),
            });
        }
        let mut stmt = conn
            .prepare(
                "SELECT identity_id, name, address, keys_sealed IS NULL,
                        CASE WHEN keys_sealed IS NULL THEN extra_json END
                 FROM account ORDER BY identity_id, id",
            )
            .db()?;
        let mut rows = stmt.query([]).db()?;
        while let Some(r) = rows.next().db()? {
            let id: i64 = r.get(0).db()?;
            let i = *index_of
                .get(&id)
                .ok_or_else(|| damaged("an account belongs to no identity"))?;
            identities[i].accounts.push(AccountSummary {
                name: r.get(1).db()?,
                address: r.get(2).db()?,
                read_only: r.get(3).db()?,
                ledger_pairing_id: r
                    .get::<_, Option<String>>(4)
                    .db()?
                    .map(|extra| parse_json(&extra, "account"))
                    .transpose()?
                    .and_then(|extra| ledger_pairing_id(&extra)),
            });
        }
        let mut contacts = Vec::new();
        let mut stmt = conn
            .prepare("SELECT name, address FROM contact ORDER BY id")
            .db()?;
        let mut rows = stmt.query([]).db()?;
        while let Some(r) = rows.next().db()? {
            contacts.push(ContactSummary {
                name: r.get(0).db()?,
                address: r.get(1).db()?,
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
        let mut stmt = conn
            .prepare(
                "SELECT id, id_cred_pub, name, next_account_number, provider_json, object_json,
                        extra_json, private_sealed
                 FROM identity ORDER BY id",
            )
            .db()?;
        let mut rows = stmt.query([]).db()?;
        while let Some(r) = rows.next().db()? {
            let id: i64 = r.get(0).db()?;
            let icp: String = r.get(1).db()?;
            let next: Option<i64> = r.get(3).db()?;
            let sealed: Vec<u8> = r.get(7).db()?;
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
                name: r.get(2).db()?,
                next_account_number: next
                    .map(|n| u64::try_from(n).map_err(|_| damaged("a negative account number")))
                    .transpose()?,
                identity_provider: parse_opt_json(r.get(4).db()?, "identity provider")?,
                identity_object: parse_opt_json(r.get(5).db()?, "identity object")?,
                private_id_object_data: private,
                accounts: Vec::new(),
                extra: parse_json(&r.get::<_, String>(6).db()?, "identity")?,
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
            .db()?;
        let mut rows = stmt.query([]).db()?;
        while let Some(r) = rows.next().db()? {
            let id: i64 = r.get(0).db()?;
            let address: String = r.get(1).db()?;
            let place = |field| Place {
                table: T_ACCOUNT,
                key: &address,
                field,
            };
            let keys: Vec<u8> = r.get(7).db()?;
            let commitments: Option<Vec<u8>> = r.get(8).db()?;
            let encryption: Vec<u8> = r.get(9).db()?;
            let account_keys = open_secret_json(&sealer, place(F_KEYS), &keys)?;
            let commitments_randomness = commitments
                .map(|c| open_secret_json(&sealer, place(F_COMMITMENTS), &c))
                .transpose()?;
            let encryption_secret_key =
                open_secret_string(&sealer, place(F_ENCRYPTION), &encryption)?;
            let acc = Account {
                name: r.get(2).db()?,
                address: address.clone(),
                submission_id: r.get(3).db()?,
                account_keys,
                commitments_randomness,
                revealed_attributes: parse_opt_json(r.get(4).db()?, "revealed attributes")?,
                credential: parse_opt_json(r.get(5).db()?, "credential")?,
                encryption_secret_key,
                extra: parse_json(&r.get::<_, String>(6).db()?, "account")?,
            };
            let i = *index_of
                .get(&id)
                .ok_or_else(|| damaged("an account belongs to no identity"))?;
            identities[i].accounts.push(acc);
        }

        let mut recipients = Vec::new();
        let mut stmt = conn
            .prepare("SELECT name, address, extra_json FROM contact ORDER BY id")
            .db()?;
        let mut rows = stmt.query([]).db()?;
        while let Some(r) = rows.next().db()? {
            recipients.push(Recipient {
                name: r.get(0).db()?,
                address: r.get(1).db()?,
                extra: parse_json(&r.get::<_, String>(2).db()?, "contact")?,
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
}

/// Reads an [`ExportSnapshot`] with three queries that each give (key, name) rows.
fn snapshot_in(
    conn: &Connection,
    identities: &str,
    accounts: &str,
    contacts: &str,
) -> Result<ExportSnapshot, StoreError> {
    let rows = |sql: &str| -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = conn.prepare(sql).db()?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).db()?;
        rows.collect::<Result<_, _>>().db()
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
