//! The row codec: how wallet data becomes column values and back. JSON text for the parts this
//! library keeps as they are, sealed bytes for the secrets ([`Sealer`], bound to their table, row
//! key and field), and the typed errors for a value that does not read back.

use serde_json::Value;
use zeroize::Zeroizing;

use crate::model::{Account, SecretJson, SecretString};
use crate::store::seal::{Place, Sealer};
use crate::store::StoreError;

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
