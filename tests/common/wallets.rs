//! Generated wallets in Concordium's mobile schema, of any size, with deterministic secrets: for
//! the store tests (crash safety, fault injection) and the store benchmark, which includes this
//! file with `#[path]` (so it depends on nothing else under `tests/common/`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wallet_core::keys::AccountAddress;
use wallet_core::model::WalletData;

/// `len` deterministic hex digits for `seed` (splitmix64): test secrets and ids.
pub fn hex(seed: u64, len: usize) -> String {
    let mut x = seed;
    let mut out = String::with_capacity(len + 16);
    while out.len() < len {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        out.push_str(&format!("{:016x}", z ^ (z >> 31)));
    }
    out.truncate(len);
    out
}

/// A valid account address (Base58Check, version byte 1) made from a label: SHA-256 of the label
/// as its 32 bytes, so each label has its own address and tests can still say `address("a1")`.
/// (Import skips invalid addresses.)
pub fn address(label: &str) -> String {
    AccountAddress(Sha256::digest(label.as_bytes()).into()).to_base58()
}

/// An account as the mobile wallet exports it: keys, commitment randomness, a shielded-balance
/// key and a credential of about 1 KB of JSON, as in real backups. `seed` picks its secrets
/// (`seed * 16 + 1` to `seed * 16 + 11`, so that consecutive seeds share none).
pub fn account(name: &str, address: &str, seed: u64) -> Value {
    let s = seed * 16;
    json!({
        "name": name,
        "address": address,
        "submissionId": hex(s + 1, 64),
        "accountKeys": {"keys": {"0": {"keys": {"0": {"signKey": hex(s + 2, 64), "verifyKey": hex(s + 3, 64)}}, "threshold": 1}}, "threshold": 1},
        "commitmentsRandomness": {"idCredSecRand": hex(s + 4, 64), "prfRand": hex(s + 5, 64), "credCounterRand": hex(s + 6, 64), "maxAccountsRand": hex(s + 7, 64), "attributesRand": {}},
        "revealedAttributes": {},
        "credential": {"v": 0, "value": {"credential": {"type": "normal", "contents": {
            "credId": hex(s + 8, 96), "ipIdentity": 0, "revocationThreshold": 1,
            "credentialPublicKeys": {"keys": {"0": {"schemeId": "Ed25519", "verifyKey": hex(s + 3, 64)}}, "threshold": 1},
            "policy": {"createdAt": "202501", "validTo": "202701", "revealedAttributes": {}},
            "arData": {"1": {"encIdCredPubShare": hex(s + 9, 192)}},
            "proofs": hex(s + 10, 480)}}, "messageExpiry": 1}},
        "encryptionSecretKey": hex(s + 11, 160),
    })
}

/// An identity holding `accounts`; `seed` picks its secrets (`seed` to `seed + 4`: give each
/// identity of a wallet its own, far from the accounts' seeds, e.g. `k << 40`).
pub fn identity(name: &str, seed: u64, accounts: Vec<Value>) -> Value {
    json!({
        "name": name,
        "nextAccountNumber": accounts.len(),
        "identityProvider": {"ipInfo": {"ipIdentity": 0, "ipDescription": {"name": "Test IP", "url": "", "description": ""}}, "arsInfos": {}, "metadata": {}},
        "identityObject": {"preIdentityObject": {"pubInfoForIp": {"idCredPub": hex(seed, 96)}}, "attributeList": {"chosenAttributes": {}}, "signature": hex(seed + 1, 96)},
        "privateIdObjectData": {"aci": {"credentialHolderInformation": {"idCredSecret": hex(seed + 2, 64)}, "prfKey": hex(seed + 3, 64)}, "randomness": hex(seed + 4, 64)},
        "accounts": accounts,
    })
}

/// An address-book entry named `name` at [`address`]`(label)`.
pub fn contact(name: &str, label: &str) -> Value {
    json!({"name": name, "address": address(label)})
}

/// A wallet of `network` ("mainnet" or "testnet") with these identities and contacts.
pub fn wallet_data(network: &str, identities: Vec<Value>, recipients: Vec<Value>) -> WalletData {
    let w = json!({"type": "concordium-mobile-wallet-data", "v": 1, "environment": network,
        "value": {"identities": identities, "recipients": recipients}});
    WalletData::from_json(w.to_string().as_bytes()).expect("valid wallet data")
}

/// Removes a SQLite store and its companion files (log, shared memory, rollback journal).
pub fn remove_store(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}
