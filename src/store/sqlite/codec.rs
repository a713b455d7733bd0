//! The row codec: how wallet data becomes column values and back. JSON text for the parts this
//! library keeps as they are, sealed bytes for the secrets ([`Sealer`], bound to their table, row
//! key and field), and the typed errors for a value that does not read back.

use rusqlite::Row;
use serde_json::Value;
use zeroize::Zeroizing;

use super::db_error::Db;
use crate::model::{Account, Identity, Recipient, SecretJson, SecretString};
use crate::store::import::ledger_pairing_id;
use crate::store::seal::{Place, Sealer};
use crate::store::{AccountSummary, ContactSummary, IdentitySummary, StoreError};

pub(super) const T_IDENTITY: &str = "identity";
pub(super) const T_ACCOUNT: &str = "account";
pub(super) const F_PRIVATE: &str = "privateIdObjectData";
pub(super) const F_KEYS: &str = "accountKeys";
pub(super) const F_COMMITMENTS: &str = "commitmentsRandomness";
pub(super) const F_ENCRYPTION: &str = "encryptionSecretKey";

pub(super) fn damaged(what: &str) -> StoreError {
    StoreError::Damaged(what.to_string())
}

pub(super) fn to_i64(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::InvalidInput("a number is too large to store".into()))
}

pub(super) fn json_text<T: serde::Serialize + ?Sized>(v: &T) -> String {
    // Values and string-keyed maps always serialise.
    serde_json::to_string(v).expect("JSON values serialise")
}

pub(super) fn parse_json<T: serde::de::DeserializeOwned>(
    text: &str,
    what: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|_| damaged(&format!("a stored {what} is not valid JSON")))
}

pub(super) fn parse_opt_json<T: serde::de::DeserializeOwned>(
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
pub(super) fn secret_json_bytes(v: &Value) -> Zeroizing<Vec<u8>> {
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

pub(super) fn open_secret_json(
    sealer: &Sealer,
    place: Place<'_>,
    sealed: &[u8],
) -> Result<SecretJson, StoreError> {
    let plain = sealer.open(place, sealed)?;
    serde_json::from_slice(&plain)
        .map(SecretJson)
        .map_err(|_| damaged(&format!("a sealed {} is not valid JSON", place.field)))
}

pub(super) fn open_secret_string(
    sealer: &Sealer,
    place: Place<'_>,
    sealed: &[u8],
) -> Result<SecretString, StoreError> {
    let plain = sealer.open(place, sealed)?;
    std::str::from_utf8(&plain)
        .map(|s| SecretString(s.to_string()))
        .map_err(|_| damaged(&format!("a sealed {} is not text", place.field)))
}

/// The sealed columns of one account.
pub(super) struct SealedAccount {
    pub(super) keys: Vec<u8>,
    pub(super) commitments: Option<Vec<u8>>,
    pub(super) encryption: Vec<u8>,
}

pub(super) fn seal_account(sealer: &Sealer, acc: &Account) -> Result<SealedAccount, StoreError> {
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

// Each SELECT below goes with the decoder after it, which reads its columns by position.

/// Identities as listed without a key, in the order stored.
pub(super) const IDENTITY_SUMMARY_SELECT: &str =
    "SELECT id, name, id_cred_pub FROM identity ORDER BY id";

/// One row of [`IDENTITY_SUMMARY_SELECT`]: the row id and the summary.
pub(super) fn identity_summary_row(r: &Row<'_>) -> Result<(i64, IdentitySummary), StoreError> {
    Ok((
        r.get(0).db()?,
        IdentitySummary {
            name: r.get(1).db()?,
            id_cred_pub: r.get(2).db()?,
            accounts: Vec::new(),
        },
    ))
}

/// Accounts as listed without a key (read-only ones included, with the `ledger` field of those),
/// identity by identity.
pub(super) const ACCOUNT_SUMMARY_SELECT: &str =
    "SELECT identity_id, name, address, keys_sealed IS NULL,
            CASE WHEN keys_sealed IS NULL THEN extra_json END
     FROM account ORDER BY identity_id, id";

/// One row of [`ACCOUNT_SUMMARY_SELECT`]: the identity's row id and the summary.
pub(super) fn account_summary_row(r: &Row<'_>) -> Result<(i64, AccountSummary), StoreError> {
    let read_only_extra: Option<String> = r.get(4).db()?;
    Ok((
        r.get(0).db()?,
        AccountSummary {
            name: r.get(1).db()?,
            address: r.get(2).db()?,
            read_only: r.get(3).db()?,
            ledger_pairing_id: read_only_extra
                .map(|extra| parse_json(&extra, "account"))
                .transpose()?
                .and_then(|extra| ledger_pairing_id(&extra)),
        },
    ))
}

/// The address book without details, in the order stored.
pub(super) const CONTACT_SUMMARY_SELECT: &str = "SELECT name, address FROM contact ORDER BY id";

/// One row of [`CONTACT_SUMMARY_SELECT`].
pub(super) fn contact_summary_row(r: &Row<'_>) -> Result<ContactSummary, StoreError> {
    Ok(ContactSummary {
        name: r.get(0).db()?,
        address: r.get(1).db()?,
    })
}

/// Identities with their sealed private data, in the order stored.
pub(super) const IDENTITY_SELECT: &str =
    "SELECT id, id_cred_pub, name, next_account_number, provider_json, object_json,
            extra_json, private_sealed
     FROM identity ORDER BY id";

/// One row of [`IDENTITY_SELECT`], its secret opened: the row id and the identity (without
/// accounts).
pub(super) fn identity_row(sealer: &Sealer, r: &Row<'_>) -> Result<(i64, Identity), StoreError> {
    let icp: String = r.get(1).db()?;
    let next: Option<i64> = r.get(3).db()?;
    let sealed: Vec<u8> = r.get(7).db()?;
    let place = Place {
        table: T_IDENTITY,
        key: &icp,
        field: F_PRIVATE,
    };
    let ident = Identity {
        name: r.get(2).db()?,
        next_account_number: next
            .map(|n| u64::try_from(n).map_err(|_| damaged("a negative account number")))
            .transpose()?,
        identity_provider: parse_opt_json(r.get(4).db()?, "identity provider")?,
        identity_object: parse_opt_json(r.get(5).db()?, "identity object")?,
        private_id_object_data: open_secret_json(sealer, place, &sealed)?,
        accounts: Vec::new(),
        extra: parse_json(&r.get::<_, String>(6).db()?, "identity")?,
    };
    if ident.id_cred_pub() != Some(icp.as_str()) {
        return Err(damaged(
            "an identity's idCredPub differs from its identity object",
        ));
    }
    Ok((r.get(0).db()?, ident))
}

/// Accounts with keys (read-only ones have nothing to export), identity by identity.
pub(super) const ACCOUNT_SELECT: &str =
    "SELECT identity_id, address, name, submission_id, revealed_attributes_json,
            credential_json, extra_json, keys_sealed, commitments_sealed, encryption_key_sealed
     FROM account WHERE keys_sealed IS NOT NULL ORDER BY identity_id, id";

/// One row of [`ACCOUNT_SELECT`], its secrets opened: the identity's row id and the account.
pub(super) fn account_row(sealer: &Sealer, r: &Row<'_>) -> Result<(i64, Account), StoreError> {
    let address: String = r.get(1).db()?;
    let place = |field| Place {
        table: T_ACCOUNT,
        key: &address,
        field,
    };
    let keys: Vec<u8> = r.get(7).db()?;
    let commitments: Option<Vec<u8>> = r.get(8).db()?;
    let encryption: Vec<u8> = r.get(9).db()?;
    let account_keys = open_secret_json(sealer, place(F_KEYS), &keys)?;
    let commitments_randomness = commitments
        .map(|c| open_secret_json(sealer, place(F_COMMITMENTS), &c))
        .transpose()?;
    let encryption_secret_key = open_secret_string(sealer, place(F_ENCRYPTION), &encryption)?;
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
    Ok((r.get(0).db()?, acc))
}

/// The address book with details, in the order stored.
pub(super) const CONTACT_SELECT: &str = "SELECT name, address, extra_json FROM contact ORDER BY id";

/// One row of [`CONTACT_SELECT`].
pub(super) fn contact_row(r: &Row<'_>) -> Result<Recipient, StoreError> {
    Ok(Recipient {
        name: r.get(0).db()?,
        address: r.get(1).db()?,
        extra: parse_json(&r.get::<_, String>(2).db()?, "contact")?,
    })
}
