//! The wallet data a backup carries: Concordium's `concordium-mobile-wallet-data` v1 schema
//! (docs/references.md §A.1.3).
//!
//! The model is **lossless**: every object keeps the fields it does not model in `extra`, and the
//! large Concordium structures (identity objects, credentials, provider info) are kept as JSON
//! values, so a file read and written again carries the same JSON content. Secret parts (private
//! identity data, account keys, commitment randomness, the shielded-balance key) are held in
//! [`SecretJson`] / [`SecretString`], which are wiped on drop and never printed by `Debug`.
//!
//! Known limit: serde and serde_json keep short-lived internal buffers while parsing (for example
//! for `#[serde(flatten)]`), and those are freed without being wiped. The decrypted plaintext
//! buffer and every secret in the model are wiped.

mod contact;
mod identity;
mod secret;

pub use contact::Recipient;
pub use identity::{Account, Identity};
pub use secret::{SecretJson, SecretString};

use secret::wipe;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::BackupError;
use crate::json_shape;
use crate::network::Network;

/// The `type` of a Concordium mobile wallet export.
pub const MOBILE_WALLET_TYPE: &str = "concordium-mobile-wallet-data";
/// The schema version (`v`) this library reads and writes.
pub const MOBILE_WALLET_VERSION: u64 = 1;

/// A whole wallet export: the plaintext inside every mobile backup file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WalletData {
    /// Always [`MOBILE_WALLET_TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Always [`MOBILE_WALLET_VERSION`].
    pub v: u64,
    /// The network; absent in files written before May 2021.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Network>,
    /// Identities (with their accounts) and the address book.
    pub value: WalletContents,
    /// Top-level fields this library does not model, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `value` object: identities and the address book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WalletContents {
    /// The identities, each with its accounts.
    pub identities: Vec<Identity>,
    /// The address book (Concordium calls it recipients).
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// Fields this library does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Counts the bytes written to it, keeping none.
struct ByteCounter(usize);

impl std::io::Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The [`BackupError::PayloadInvalid`] text for decrypted bytes that are not JSON at all (the legacy
/// reader takes it as a sign of a wrong password).
pub(crate) const NOT_JSON: &str = "it is not JSON";

/// Says where and how `bytes` (JSON that the typed parse refused) departs from the schema, without
/// a value: serde's own message quotes the value, which can be a key. Only runs on failure.
fn describe_invalid(bytes: &[u8], fallback: &serde_path_to_error::Path) -> String {
    let Ok(mut doc) = serde_json::from_slice::<Value>(bytes) else {
        return NOT_JSON.into();
    };
    let text = match json_shape::find_shape_problem(&doc) {
        Some(problem) => problem.to_string(),
        // The schema walk and serde should agree (a fuzz target checks); if they ever do not,
        // serde's path still names the place.
        None => format!("`{fallback}` does not have the expected shape"),
    };
    wipe(&mut doc);
    text
}

/// What a decrypted JSON document is, told from its top-level shape.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "type")]
    kind: Option<Value>,
    v: Option<Value>,
    identities: Option<serde::de::IgnoredAny>,
    accounts: Option<serde::de::IgnoredAny>,
    #[serde(rename = "addressBook")]
    address_book: Option<serde::de::IgnoredAny>,
    contents: Option<serde::de::IgnoredAny>,
}

impl WalletData {
    /// An empty wallet for a network.
    pub fn empty(environment: Network) -> Self {
        Self {
            kind: MOBILE_WALLET_TYPE.into(),
            v: MOBILE_WALLET_VERSION,
            environment: Some(environment),
            value: WalletContents::default(),
            extra: Map::new(),
        }
    }

    /// Parses decrypted backup content, telling apart the Concordium documents that are not
    /// mobile wallet exports (desktop exports, client backups, key exports).
    pub fn from_json(bytes: &[u8]) -> Result<Self, BackupError> {
        // Before anything reads a value: which of two equal keys wins differs between readers.
        if let Some(dup) = json_shape::find_duplicate_key(bytes) {
            return Err(BackupError::PayloadInvalid(dup.to_string()));
        }
        let probe: Probe = match serde_json::from_slice(bytes) {
            Ok(p) => p,
            Err(e) if e.is_syntax() || e.is_eof() => {
                return Err(BackupError::PayloadInvalid(NOT_JSON.into()))
            }
            Err(_) => {
                return Err(BackupError::NotAWalletBackup(
                    "JSON that is not an object".into(),
                ))
            }
        };
        match probe.kind.as_ref().and_then(Value::as_str) {
            Some(MOBILE_WALLET_TYPE) => {}
            Some("concordium-browser-wallet-account") => {
                return Err(BackupError::NotAWalletBackup(
                    "a single account's key export from the Concordium browser wallet".into(),
                ))
            }
            Some("concordium-browser-wallet-verifiable-credentials") => {
                return Err(BackupError::NotAWalletBackup(
                    "a verifiable-credentials backup from the Concordium browser wallet".into(),
                ))
            }
            Some("encrypted" | "unencrypted") if probe.contents.is_some() => {
                return Err(BackupError::NotAWalletBackup(
                    "a concordium-client configuration backup".into(),
                ))
            }
            None if probe.identities.is_some()
                && probe.accounts.is_some()
                && probe.address_book.is_some() =>
            {
                return Err(BackupError::DesktopWalletExport)
            }
            _ => {
                return Err(BackupError::NotAWalletBackup(
                    "JSON data of an unknown kind".into(),
                ))
            }
        }
        match probe.v.as_ref().map(Value::as_u64) {
            Some(Some(MOBILE_WALLET_VERSION)) => {}
            // Version 1 is the first the wallets wrote: a smaller one is damage, not news.
            Some(Some(found)) if found < MOBILE_WALLET_VERSION => {
                return Err(BackupError::PayloadInvalid(format!(
                    "its version `v` is {found}, but version {MOBILE_WALLET_VERSION} is the \
                     first there is (the data is damaged)"
                )))
            }
            Some(Some(found)) => {
                return Err(BackupError::UnsupportedVersion {
                    what: "wallet data".into(),
                    found,
                    supported: MOBILE_WALLET_VERSION,
                })
            }
            Some(None) => {
                return Err(BackupError::PayloadInvalid(
                    "its version `v` is not a whole number".into(),
                ))
            }
            None => {
                return Err(BackupError::PayloadInvalid(
                    "the wallet data has no version number `v`".into(),
                ))
            }
        }
        let mut de = serde_json::Deserializer::from_slice(bytes);
        serde_path_to_error::deserialize(&mut de)
            .map_err(|e| BackupError::PayloadInvalid(describe_invalid(bytes, e.path())))
    }

    /// Serialises to compact JSON in a buffer that is wiped on drop.
    ///
    /// The exact length is measured first (serialising into a byte counter), so the buffer is
    /// allocated once and never reallocated: a reallocation would free a copy of the secrets
    /// without wiping it.
    pub fn to_json(&self) -> zeroize::Zeroizing<Vec<u8>> {
        let mut counter = ByteCounter(0);
        // Writing to a counter or a Vec cannot fail, and every map key in the model is a string.
        serde_json::to_writer(&mut counter, self).expect("wallet data serialises");
        let mut out = zeroize::Zeroizing::new(Vec::with_capacity(counter.0));
        serde_json::to_writer(&mut *out, self).expect("wallet data serialises");
        debug_assert_eq!(out.len(), counter.0);
        out
    }

    /// The number of accounts over all identities.
    pub fn account_count(&self) -> usize {
        self.value.identities.iter().map(|i| i.accounts.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let json = r#"{"type":"concordium-mobile-wallet-data","v":1,"environment":"staging",
            "future":{"x":[1,2]},
            "value":{"identities":[{"name":"A","nextAccountNumber":1,"privateIdObjectData":{"p":"s"},
              "accounts":[{"name":"a","address":"addr","accountKeys":{"k":"s"},"encryptionSecretKey":"e",
                "credential":{"v":0},"newField":true}],"idField":"x"}],
             "recipients":[{"name":"n","address":"x","note":"hi"}],"valField":3}}"#;
        let w = WalletData::from_json(json.as_bytes()).unwrap();
        assert_eq!(w.environment, Some(Network::Stagenet));
        let back: Value = serde_json::from_slice(&w.to_json()).unwrap();
        let orig: Value = serde_json::from_str(json).unwrap();
        assert_eq!(back, orig);
    }

    #[test]
    fn old_files_without_environment_or_randomness_parse() {
        let json = r#"{"type":"concordium-mobile-wallet-data","v":1,"value":{"identities":[],"recipients":[]}}"#;
        let w = WalletData::from_json(json.as_bytes()).unwrap();
        assert_eq!(w.environment, None);
        assert_eq!(&w.to_json()[..], json.as_bytes());
    }

    #[test]
    fn other_documents_are_named() {
        let desktop = br#"{"accounts":[],"identities":[],"addressBook":[]}"#;
        assert_eq!(
            WalletData::from_json(desktop),
            Err(BackupError::DesktopWalletExport)
        );
        let client = br#"{"type":"unencrypted","contents":{}}"#;
        assert!(matches!(
            WalletData::from_json(client),
            Err(BackupError::NotAWalletBackup(s)) if s.contains("concordium-client")
        ));
        let v2 = br#"{"type":"concordium-mobile-wallet-data","v":2,"value":{}}"#;
        assert_eq!(
            WalletData::from_json(v2),
            Err(BackupError::UnsupportedVersion {
                what: "wallet data".into(),
                found: 2,
                supported: 1
            })
        );
        assert!(matches!(
            WalletData::from_json(b"\x00garbage"),
            Err(BackupError::PayloadInvalid(_))
        ));
        assert!(matches!(
            WalletData::from_json(b"[1,2]"),
            Err(BackupError::NotAWalletBackup(_))
        ));
    }

    #[test]
    fn secrets_are_hidden_from_debug() {
        let json = r#"{"type":"concordium-mobile-wallet-data","v":1,"value":{"identities":[{"name":"A",
            "privateIdObjectData":{"prfKey":"SECRETPRF"},"accounts":[{"name":"a","address":"x",
            "accountKeys":{"signKey":"SECRETSIGN"},"encryptionSecretKey":"SECRETENC"}]}]}}"#;
        let w = WalletData::from_json(json.as_bytes()).unwrap();
        let dbg = format!("{w:?}");
        assert!(!dbg.contains("SECRET"), "{dbg}");
    }

    fn payload_error(json: &str) -> String {
        match WalletData::from_json(json.as_bytes()) {
            Err(BackupError::PayloadInvalid(m)) => m,
            other => panic!("expected PayloadInvalid, got {other:?}"),
        }
    }

    const KEY: &str = "d1e2a3d4b5e6e7f8c9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2";

    #[test]
    fn a_list_stored_as_text_is_named_by_place_and_shape_without_its_value() {
        // The accounts array written as a JSON string, holding a signing key.
        let inner = format!(
            r#"[{{"name":"a","address":"x","accountKeys":{{"signKey":"{KEY}"}},"encryptionSecretKey":"{KEY}"}}]"#
        );
        let json = format!(
            r#"{{"type":"concordium-mobile-wallet-data","v":1,"value":{{"identities":[{{"name":"A",
            "privateIdObjectData":{{}},"accounts":{}}}]}}}}"#,
            serde_json::to_string(&inner).unwrap()
        );
        let m = payload_error(&json);
        assert_eq!(
            m,
            "`value.identities[0].accounts` must be a list, but it is text"
        );
        assert!(!m.contains(&KEY[..8]));
        let shown = BackupError::PayloadInvalid(m).to_string();
        assert!(shown.len() < 200, "{shown}");
    }

    #[test]
    fn shape_errors_name_the_field_and_the_expected_shape() {
        let wrap = |identity: &str| {
            format!(
                r#"{{"type":"concordium-mobile-wallet-data","v":1,"value":{{"identities":[{identity}]}}}}"#
            )
        };
        assert_eq!(
            payload_error(&wrap(r#"{"privateIdObjectData":{}}"#)),
            "`value.identities[0]` has no `name` (text is expected)"
        );
        assert_eq!(
            payload_error(&wrap(&format!(
                r#"{{"name":"A","privateIdObjectData":{{}},"nextAccountNumber":"{KEY}"}}"#
            ))),
            "`value.identities[0].nextAccountNumber` must be a whole number from 0 to \
             18446744073709551615, but it is text"
        );
        assert_eq!(
            payload_error(&wrap(&format!(
                r#"{{"name":"A","privateIdObjectData":{{}},"accounts":[{{"name":"a","address":"x",
                "accountKeys":{{}},"encryptionSecretKey":["{KEY}"]}}]}}"#
            ))),
            "`value.identities[0].accounts[0].encryptionSecretKey` must be text, but it is a list"
        );
        assert_eq!(
            payload_error(r#"{"type":"concordium-mobile-wallet-data","v":1}"#),
            "the wallet data has no `value` (an object is expected)"
        );
        assert_eq!(
            payload_error(
                r#"{"type":"concordium-mobile-wallet-data","v":1,"environment":"moonnet","value":{"identities":[]}}"#
            ),
            "`environment` must be one of mainnet, testnet, staging, mock or local, but it is \
             other text"
        );
    }

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        let m = payload_error(
            r#"{"type":"concordium-mobile-wallet-data","v":1,"x":1,"x":2,"value":{"identities":[]}}"#,
        );
        assert_eq!(m, "the key `x` appears twice at the top level");
        let m = payload_error(
            r#"{"type":"concordium-mobile-wallet-data","type":"concordium-mobile-wallet-data","v":1,"value":{"identities":[]}}"#,
        );
        assert_eq!(m, "the key `type` appears twice at the top level");
        let m = payload_error(&format!(
            r#"{{"type":"concordium-mobile-wallet-data","v":1,"value":{{"identities":[{{"name":"A",
            "privateIdObjectData":{{}},"accounts":[{{}},{{"accountKeys":{{"0":{{"signKey":"{KEY}","signKey":"{KEY}"}}}}}}]}}]}}}}"#
        ));
        assert_eq!(
            m,
            "the key `signKey` appears twice in `value.identities[0].accounts[1].accountKeys.0`"
        );
        // Equal keys in different objects are fine.
        let ok = r#"{"type":"concordium-mobile-wallet-data","v":1,"value":{"identities":[],
            "recipients":[{"name":"n","address":"a"},{"name":"n","address":"a"}]}}"#;
        assert!(WalletData::from_json(ok.as_bytes()).is_ok());
    }

    #[test]
    fn a_version_below_the_first_is_damage_not_a_reason_to_update() {
        let m = payload_error(
            r#"{"type":"concordium-mobile-wallet-data","v":0,"value":{"identities":[]}}"#,
        );
        assert!(
            m.contains("version `v` is 0") && !m.contains("update"),
            "{m}"
        );
        let m = payload_error(
            r#"{"type":"concordium-mobile-wallet-data","v":1.5,"value":{"identities":[]}}"#,
        );
        assert_eq!(m, "its version `v` is not a whole number");
    }
}
