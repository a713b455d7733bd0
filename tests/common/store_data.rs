//! Wallet data and stores for the store tests (tests/store.rs, tests/store_contract.rs): the
//! storage keys, generated identities, accounts and contacts, and a comparable dump of a store
//! file.

use std::path::Path;

use rusqlite::Connection;
use serde_json::{json, Value};
use wallet_core::model::WalletData;
use wallet_core::store::import::ImportOptions;
use wallet_core::store::StorageKey;

use super::address;

pub const KEY: [u8; 32] = [0x5a; 32];

pub fn key() -> StorageKey {
    StorageKey::from_bytes(&KEY).unwrap()
}

pub fn wrong_key() -> StorageKey {
    StorageKey::from_bytes(&[0xa5; 32]).unwrap()
}

pub fn value(d: &WalletData) -> Value {
    serde_json::from_slice(&d.to_json()).unwrap()
}

pub fn no_assumption() -> ImportOptions {
    ImportOptions::default()
}

/// Every row of every table, in a comparable form (read through a second connection).
pub fn dump(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let conn = Connection::open(path).unwrap();
    ["wallet", "identity", "account", "contact"]
        .iter()
        .map(|t| {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {t} ORDER BY id"))
                .unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            r.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            (t.to_string(), rows)
        })
        .collect()
}

/// A deterministic hex string (test secrets and ids).
pub fn hex_of(seed: &str, len: usize) -> String {
    use sha2::{Digest, Sha256};
    let mut out = String::new();
    let mut i = 0u32;
    while out.len() < len {
        let d = Sha256::digest(format!("{seed}/{i}").as_bytes());
        out.extend(d.iter().map(|b| format!("{b:02x}")));
        i += 1;
    }
    out.truncate(len);
    out
}

pub fn identity_json(name: &str, icp: Option<&str>, accounts: Vec<Value>) -> Value {
    let mut object =
        json!({"attributeList": {"chosenAttributes": {"firstName": name}}, "signature": "00"});
    if let Some(icp) = icp {
        object["preIdentityObject"] = json!({"pubInfoForIp": {"idCredPub": icp}});
    }
    json!({
        "name": name,
        "nextAccountNumber": accounts.len(),
        "identityProvider": {"ipInfo": {"ipIdentity": 0, "ipDescription": {"name": "Test IP"}}},
        "identityObject": object,
        "privateIdObjectData": {"aci": {"credentialHolderInformation": {"idCredSecret": hex_of(&format!("{name}ics"), 64)}, "prfKey": hex_of(&format!("{name}prf"), 64)}, "randomness": hex_of(&format!("{name}r"), 64)},
        "accounts": accounts,
    })
}

pub fn account_json(name: &str, address: &str) -> Value {
    json!({
        "name": name,
        "address": address,
        "submissionId": "",
        "accountKeys": {"keys": {"0": {"keys": {"0": {"signKey": hex_of(&format!("{address}sign"), 64), "verifyKey": hex_of(&format!("{address}verify"), 64)}}, "threshold": 1}}, "threshold": 1},
        "commitmentsRandomness": {"idCredSecRand": hex_of(&format!("{address}c"), 64), "attributesRand": {}},
        "revealedAttributes": {},
        "credential": {"v": 0, "value": {"credential": {"type": "normal"}}},
        "encryptionSecretKey": hex_of(&format!("{address}enc"), 160),
    })
}

pub fn wallet(env: Option<&str>, identities: Vec<Value>, recipients: Vec<Value>) -> WalletData {
    let mut w = json!({"type": "concordium-mobile-wallet-data", "v": 1,
        "value": {"identities": identities, "recipients": recipients}});
    if let Some(e) = env {
        w["environment"] = json!(e);
    }
    WalletData::from_json(w.to_string().as_bytes()).unwrap()
}

/// A testnet wallet: identity "Ann" with `n` accounts (A0…, addr-0…) and the contact Bob.
pub fn ann_with_accounts(n: usize) -> WalletData {
    let accounts: Vec<Value> = (0..n)
        .map(|i| account_json(&format!("A{i}"), &address(&i.to_string())))
        .collect();
    wallet(
        Some("testnet"),
        vec![identity_json("Ann", Some("icp-ann"), accounts)],
        vec![contact("Bob", address("bob").as_str())],
    )
}

pub fn contact(name: &str, address: &str) -> Value {
    json!({"name": name, "address": address})
}

/// [`super::small_wallet`] with unmodelled fields at every level, and JSON of every type.
pub fn wallet_with_unmodelled_fields() -> WalletData {
    let mut data = super::small_wallet();
    data.extra
        .insert("future".into(), json!({"x": [1, 2.5, null, true]}));
    data.value.extra.insert("valField".into(), json!(3));
    data.value.identities[0]
        .extra
        .insert("idField".into(), json!("x"));
    data.value.identities[0].accounts[0]
        .extra
        .insert("newField".into(), json!([{"deep": {"er": -1}}]));
    data.value.recipients[0]
        .extra
        .insert("note".into(), json!("hi"));
    data
}

/// A testnet wallet: identity "Ann" with the accounts A1 and A2, and the contact Bob.
pub fn ann_a1_a2_and_bob() -> WalletData {
    wallet(
        Some("testnet"),
        vec![ann_a1_a2()],
        vec![contact("Bob", address("bob").as_str())],
    )
}

/// Every secret string of at least 16 characters in `data` (private identity data, account keys,
/// commitment randomness, encryption keys).
pub fn secret_strings(data: &WalletData) -> Vec<String> {
    let mut out = Vec::new();
    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) if s.len() >= 16 => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            Value::Object(m) => m.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    for i in &data.value.identities {
        strings(&i.private_id_object_data.0, &mut out);
        for a in &i.accounts {
            strings(&a.account_keys.0, &mut out);
            if let Some(c) = &a.commitments_randomness {
                strings(&c.0, &mut out);
            }
            out.push(a.encryption_secret_key.0.clone());
        }
    }
    out
}

/// The identity "Ann" (idCredPub `icp-ann`) with the accounts A1 and A2.
pub fn ann_a1_a2() -> Value {
    identity_json(
        "Ann",
        Some("icp-ann"),
        vec![
            account_json("A1", address("a1").as_str()),
            account_json("A2", address("a2").as_str()),
        ],
    )
}

/// The identity "Ben" (idCredPub `icp-ben`) with the account B1.
pub fn ben_b1() -> Value {
    identity_json(
        "Ben",
        Some("icp-ben"),
        vec![account_json("B1", address("b1").as_str())],
    )
}
