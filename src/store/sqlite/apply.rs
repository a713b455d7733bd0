//! Applying an import plan inside one write transaction: identities, then accounts (added and
//! upgraded), then contacts, then unmodelled fields, and the revision bumped once. The caller
//! commits; any error drops the transaction, which rolls everything back.

use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::{Map, Value};

use super::codec::{
    json_text, parse_json, seal_account, secret_json_bytes, to_i64, F_PRIVATE, T_IDENTITY,
};
use super::db_error::Db;
use super::read::unlock;
use super::SqliteStore;
use crate::model::WalletData;
use crate::store::fault::WriteCounter;
use crate::store::import::{check_base, AccountWrite, FieldScope, ImportPlan, Writes};
use crate::store::seal::{Place, Sealer, StorageKey};
use crate::store::StoreError;

impl SqliteStore {
    /// Writes `plan` for `data` in `tx`, after checking that it was made for this store at its
    /// current revision.
    pub(super) fn apply_in(
        &self,
        tx: &Transaction<'_>,
        plan: &ImportPlan,
        data: &WalletData,
        key: &StorageKey,
    ) -> Result<(), StoreError> {
        let (sealer, row) = unlock(tx, key)?;
        check_base(plan, &row.store_id, self.network, row.revision)?;
        let mut counter = self.fail_after_writes.counter();
        let writes = Writes::resolve(plan, data)?;
        insert_identities(tx, &sealer, &writes, &mut counter)?;
        write_accounts(tx, &sealer, &writes.accounts, &mut counter)?;
        insert_contacts(tx, &writes, &mut counter)?;
        add_fields(tx, &writes, &mut counter)?;
        if plan.changes() > 0 {
            Self::bump_revision(tx)?;
        }
        Ok(())
    }
}

fn insert_identities(
    tx: &Transaction<'_>,
    sealer: &Sealer,
    writes: &Writes<'_>,
    counter: &mut WriteCounter,
) -> Result<(), StoreError> {
    let mut insert_identity = tx
        .prepare_cached(
            "INSERT INTO identity (id_cred_pub, name, next_account_number, provider_json,
                                   object_json, extra_json, private_sealed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .db()?;
    for (item, ident) in &writes.identities {
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
            .db()?;
        counter.wrote()?;
    }
    Ok(())
}

fn write_accounts(
    tx: &Transaction<'_>,
    sealer: &Sealer,
    accounts: &[AccountWrite<'_>],
    counter: &mut WriteCounter,
) -> Result<(), StoreError> {
    let mut identity_id = tx
        .prepare_cached("SELECT id FROM identity WHERE id_cred_pub = ?1")
        .db()?;
    let mut insert_account = tx
        .prepare_cached(
            "INSERT INTO account (identity_id, address, name, submission_id,
                                  revealed_attributes_json, credential_json, extra_json,
                                  keys_sealed, commitments_sealed, encryption_key_sealed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .db()?;
    let mut upgrade_account = tx
        .prepare_cached(
            "UPDATE account SET name = ?3, submission_id = ?4, revealed_attributes_json = ?5,
                    credential_json = ?6, extra_json = ?7, keys_sealed = ?8,
                    commitments_sealed = ?9, encryption_key_sealed = ?10
             WHERE identity_id = ?1 AND address = ?2 AND keys_sealed IS NULL",
        )
        .db()?;
    // Accounts come identity by identity, so the last identity's row id is usually the one.
    let mut last_identity: Option<(&str, i64)> = None;
    for write in accounts {
        let id = match last_identity {
            Some((icp, id)) if icp == write.id_cred_pub => id,
            _ => {
                let id: i64 = identity_id
                    .query_row([write.id_cred_pub], |r| r.get(0))
                    .optional()
                    .db()?
                    .ok_or_else(|| {
                        StoreError::PlanMismatch(
                            "an account's identity is neither stored nor added".into(),
                        )
                    })?;
                last_identity = Some((write.id_cred_pub, id));
                id
            }
        };
        let acc = write.account;
        // A Ledger-backed account has no keys here: stored read-only, its Ledger in extra_json.
        let sealed = (!write.ledger_backed)
            .then(|| seal_account(sealer, acc))
            .transpose()?;
        let args = params![
            id,
            acc.address,
            acc.name,
            acc.submission_id,
            acc.revealed_attributes.as_ref().map(json_text),
            acc.credential.as_ref().map(json_text),
            json_text(&acc.extra),
            sealed.as_ref().map(|s| &s.keys),
            sealed.as_ref().and_then(|s| s.commitments.as_ref()),
            sealed.as_ref().map(|s| &s.encryption),
        ];
        if write.upgrade {
            if upgrade_account.execute(args).db()? != 1 {
                return Err(StoreError::StalePlan);
            }
        } else {
            insert_account.execute(args).db()?;
        }
        counter.wrote()?;
    }
    Ok(())
}

fn insert_contacts(
    tx: &Transaction<'_>,
    writes: &Writes<'_>,
    counter: &mut WriteCounter,
) -> Result<(), StoreError> {
    let mut insert_contact = tx
        .prepare_cached("INSERT INTO contact (name, address, extra_json) VALUES (?1, ?2, ?3)")
        .db()?;
    for r in &writes.contacts {
        insert_contact
            .execute(params![r.name, r.address, json_text(&r.extra)])
            .db()?;
        counter.wrote()?;
    }
    Ok(())
}

fn add_fields(
    tx: &Transaction<'_>,
    writes: &Writes<'_>,
    counter: &mut WriteCounter,
) -> Result<(), StoreError> {
    if writes.fields.is_empty() {
        return Ok(());
    }
    let (extra, value_extra): (String, String) = tx
        .query_row(
            "SELECT extra_json, value_extra_json FROM wallet WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .db()?;
    let mut extra: Map<String, Value> = parse_json(&extra, "wallet field")?;
    let mut value_extra: Map<String, Value> = parse_json(&value_extra, "wallet field")?;
    for field in &writes.fields {
        let target = match field.scope {
            FieldScope::TopLevel => &mut extra,
            FieldScope::Value => &mut value_extra,
        };
        if target
            .insert(field.name.to_string(), field.value.clone())
            .is_some()
        {
            return Err(StoreError::StalePlan);
        }
        counter.wrote()?;
    }
    tx.execute(
        "UPDATE wallet SET extra_json = ?1, value_extra_json = ?2 WHERE id = 1",
        params![json_text(&extra), json_text(&value_extra)],
    )
    .db()?;
    Ok(())
}
