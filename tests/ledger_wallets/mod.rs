//! The emulated Ledger's wallet (tests/ledger_emulator, [`SPECULOS_PHRASE`]) as the Desktop
//! Wallet exports it and as the wallet-proxy knows it: for the library's tests of Desktop Wallet
//! exports and Ledger recovery, and the command line's (cli/tests).
#![allow(dead_code)]

use std::collections::HashSet;

use aes::cipher::{block_padding::Pkcs7, BlockModeEncrypt, KeyIvInit};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{json, Value};

use crate::ledger_emulator::SPECULOS_PHRASE;
use wallet_core::kdf::{pbkdf2_sha256, NoProgress};
use wallet_core::keys::{
    credential_id_from_prf, id_cred_pub, CommitmentKey, ExtendedKey, Secret32,
};
use wallet_core::phrase::Phrase;
use wallet_core::recovery::ledger::{legacy_identity_keys, LedgerKeys};

/// The seed of the emulated Ledger's phrase.
pub fn seed() -> Vec<u8> {
    Phrase::parse(SPECULOS_PHRASE)
        .unwrap()
        .to_seed("")
        .as_bytes()
        .to_vec()
}

/// The raw key seed at a legacy path, as the device exports it with P2 01.
pub fn raw(nodes: &[u32]) -> Secret32 {
    ExtendedKey::derive(&seed(), nodes)
        .unwrap()
        .private_key()
        .clone()
}

/// The address of legacy identity `identity`, credential `c`, with keys of `version`.
pub fn legacy_address(identity: u32, c: u8, keys: LedgerKeys) -> String {
    let prf_seed = raw(&[1105, 0, 0, 0, identity, 1]);
    let id_seed = raw(&[1105, 0, 0, 0, identity, 0]);
    let (prf, _) = legacy_identity_keys(&prf_seed, &id_seed, keys);
    credential_id_from_prf(&prf, c, &CommitmentKey::global())
        .unwrap()
        .account_address()
        .to_base58()
}

/// The legacy accounts the wallet-proxy knows (all) and those a scan must find (found).
///
/// Found: identity 0 (version 1) credentials 0 and 3; identity 1 (version 0) credential 24, the
/// last one looked at; identity 4 (version 1) credential 0, after two empty identities.
/// Not found: identity 1 credential 25 (beyond 0..=24), identity 8 (after 5, 6, 7: three empty).
pub fn legacy_accounts() -> (HashSet<String>, HashSet<String>) {
    use LedgerKeys::*;
    let found: HashSet<String> = [
        legacy_address(0, 0, LegacyV1),
        legacy_address(0, 3, LegacyV1),
        legacy_address(1, 24, LegacyV0),
        legacy_address(4, 0, LegacyV1),
    ]
    .into_iter()
    .collect();
    let mut accounts = found.clone();
    accounts.insert(legacy_address(1, 25, LegacyV0));
    accounts.insert(legacy_address(8, 0, LegacyV1));
    (accounts, found)
}

/// The emulated Ledger's pairing identifier (its public key at m/1105'/0').
pub fn pairing_id() -> String {
    hex::encode(
        ExtendedKey::derive(&seed(), &[1105, 0])
            .unwrap()
            .public_key(),
    )
}

/// (idCredPub, credential id of counter `c`) of Ledger identity `n` with keys of `version`.
pub fn ledger_identity(n: u32, keys: LedgerKeys, c: u8) -> (String, String) {
    let (prf, ics) = legacy_identity_keys(
        &raw(&[1105, 0, 0, 0, n, 1]),
        &raw(&[1105, 0, 0, 0, n, 0]),
        keys,
    );
    let ck = CommitmentKey::global();
    (
        hex::encode(id_cred_pub(&ics, &ck).unwrap()),
        credential_id_from_prf(&prf, c, &ck).unwrap().to_hex(),
    )
}

/// The account address of a credential id given in hex.
pub fn address_of(cred_id_hex: &str) -> String {
    let mut b = [0u8; 48];
    hex::decode_to_slice(cred_id_hex, &mut b).unwrap();
    wallet_core::keys::CredentialId(b)
        .account_address()
        .to_base58()
}

/// The plaintext of an export as the Desktop Wallet writes it (§A.2.2 of the format notes):
/// identity 0 (version 1) with accounts "Main" (credential 0) and "Second" (credential 1), identity
/// 1 (version 0) with "Old" (credential 2), and "Tampered" whose credential id is not the Ledger's.
pub fn desktop_plaintext(genesis: &str) -> Value {
    let (icp0, c00) = ledger_identity(0, LedgerKeys::LegacyV1, 0);
    let (_, c01) = ledger_identity(0, LedgerKeys::LegacyV1, 1);
    let (icp1, c12) = ledger_identity(1, LedgerKeys::LegacyV0, 2);
    let (_, wrong) = ledger_identity(5, LedgerKeys::LegacyV1, 3);
    let object = |icp: &str| {
        json!({"v": 0, "value": {"preIdentityObject": {"pubInfoForIp": {"idCredPub": icp}},
               "attributeList": {"chosenAttributes": {}}}})
        .to_string()
    };
    let provider = json!({"ipInfo": {"ipIdentity": 0, "ipDescription": {"name": "Notabene"}},
                          "arsInfos": {}, "metadata": {}})
    .to_string();
    let account = |name: &str, address: &str, identity: i64| {
        json!({"name": name, "address": address, "identityId": identity, "status": "confirmed",
               "signatureThreshold": 1, "transactionFilter": {}, "isInitial": false})
    };
    let credential = |address: &str, number: u32, identity: i64, cred_id: &str| {
        json!({"accountAddress": address, "credentialIndex": 0, "credentialNumber": number,
               "identityId": identity, "walletId": 1, "credId": cred_id,
               "policy": "{\"validTo\":\"202712\",\"createdAt\":\"202412\",\"revealedAttributes\":{}}"})
    };
    let tampered_address = address_of(&ledger_identity(0, LedgerKeys::LegacyV1, 3).1);
    json!({
        "accounts": [
            account("Main", &address_of(&c00), 1),
            account("Second", &address_of(&c01), 1),
            account("Old", &address_of(&c12), 2),
            account("Tampered", &tampered_address, 1),
        ],
        "identities": [
            {"id": 1, "identityNumber": 0, "name": "Alice", "status": "confirmed",
             "codeUri": "", "identityProvider": provider, "identityObject": object(&icp0),
             "randomness": "00", "walletId": 1, "version": 1},
            {"id": 2, "identityNumber": 1, "name": "Alice (2021)", "status": "confirmed",
             "codeUri": "", "identityProvider": provider, "identityObject": object(&icp1),
             "randomness": "00", "walletId": 1, "version": 0},
        ],
        "addressBook": [
            {"name": "Bob", "address": address_of(&ledger_identity(9, LedgerKeys::LegacyV1, 0).1),
             "note": "a friend", "readOnly": false},
        ],
        "credentials": [
            credential(&address_of(&c00), 0, 1, &c00),
            credential(&address_of(&c01), 1, 1, &c01),
            credential(&address_of(&c12), 2, 2, &c12),
            credential(&tampered_address, 3, 1, &wrong),
        ],
        "externalCredentials": [],
        "wallets": [{"id": 1, "identifier": pairing_id(), "type": "ledgernanos"}],
        "genesis": {"id": 1, "genesisBlock": genesis},
    })
}

/// The Desktop Wallet's envelope (§A.2.1): AES-256-CBC, PBKDF2-HMAC-SHA256, 10000 iterations,
/// 16-byte salt, with `keyLen` and `hashAlgorithm`.
pub fn envelope(plain: &[u8], pw: &str, salt: [u8; 16], iv: [u8; 16]) -> Vec<u8> {
    let key = pbkdf2_sha256(pw.as_bytes(), &salt, 10_000, &NoProgress).unwrap();
    let mut buf = vec![0u8; plain.len() + 16];
    buf[..plain.len()].copy_from_slice(plain);
    let ct = cbc::Encryptor::<aes::Aes256>::new(&(*key).into(), &iv.into())
        .encrypt_padded::<Pkcs7>(&mut buf, plain.len())
        .unwrap()
        .to_vec();
    serde_json::to_vec(&json!({
        "cipherText": B64.encode(ct),
        "metadata": {"keyLen": 32, "iterations": 10000, "salt": B64.encode(salt),
                     "initializationVector": B64.encode(iv), "encryptionMethod": "AES-256",
                     "keyDerivationMethod": "PBKDF2WithHmacSHA256", "hashAlgorithm": "sha256"},
    }))
    .unwrap()
}
