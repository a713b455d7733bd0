//! The legacy `.concordiumwallet` envelope (AES-256-CBC, no MAC) and its decryption path.
//!
//! The first byte chooses what the rest is:
//! - even: an envelope (JSON bytes), run through `legacy::parse`, `legacy::check_limits` (at a
//!   lowered cap of 2,000 iterations), `legacy::decrypt` and `format::open`; no panic, and no key
//!   derivation above the cap;
//! - odd: a *plaintext*, encrypted here the way Concordium's wallets do (PBKDF2, AES-256-CBC,
//!   PKCS#7) into an envelope, which must then open exactly as `WalletData::from_json` of the
//!   plaintext says (the plaintext is what a wrong password or a hostile writer controls).
#![no_main]

mod capped_kdf;

use std::sync::OnceLock;

use aes::cipher::{block_padding::Pkcs7, BlockModeEncrypt, KeyIvInit};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use capped_kdf::{options, password, CapGuard, MAX_ITERATIONS, PASSWORD};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use wallet_core::format::{self, legacy, FileKind};
use wallet_core::kdf::{pbkdf2_sha256, NoProgress};
use wallet_core::model::WalletData;
use wallet_core::BackupError;

/// The plaintext mode's envelope: one iteration keeps the executions fast.
const PLAIN_ITERATIONS: u32 = 1;
const SALT: [u8; 32] = [0x5a; 32];
const IV: [u8; 16] = [0x1f; 16];

fn envelope_mode(bytes: &[u8]) {
    let pw = password();
    // The whole file through the public entry point.
    let _ = format::open(bytes, &pw, &options(), &CapGuard);
    // And the legacy reader on any JSON, whatever its `encryptionMethod`.
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return;
    };
    let Ok(parsed) = legacy::parse(&value) else {
        return;
    };
    assert!(parsed.ciphertext.len() % 16 == 0 && !parsed.ciphertext.is_empty());
    if legacy::check_limits(&parsed, MAX_ITERATIONS).is_err() {
        return;
    }
    assert!((1..=u64::from(MAX_ITERATIONS)).contains(&parsed.iterations));
    match legacy::decrypt_raw(&parsed, &pw, &CapGuard) {
        Ok(raw) => {
            assert!(raw.len() <= parsed.ciphertext.len());
            let _ = legacy::decrypt(&parsed, &pw, &CapGuard);
        }
        Err(e) => assert_eq!(e, BackupError::WrongPasswordOrDamaged),
    }
}

fn plaintext_mode(plain: &[u8]) {
    static KEY: OnceLock<[u8; 32]> = OnceLock::new();
    let key = KEY.get_or_init(|| {
        *pbkdf2_sha256(PASSWORD.as_bytes(), &SALT, PLAIN_ITERATIONS, &NoProgress).unwrap()
    });
    let ct = cbc::Encryptor::<aes::Aes256>::new(&(*key).into(), &IV.into())
        .encrypt_padded_vec::<Pkcs7>(plain);
    let file = serde_json::json!({
        "metadata": {
            "encryptionMethod": "AES-256",
            "keyDerivationMethod": "PBKDF2WithHmacSHA256",
            "iterations": PLAIN_ITERATIONS,
            "salt": B64.encode(SALT),
            "initializationVector": B64.encode(IV),
        },
        "cipherText": B64.encode(&ct),
    })
    .to_string();
    let parsed = legacy::parse(&serde_json::from_str(&file).unwrap()).unwrap();
    let raw = legacy::decrypt_raw(&parsed, &password(), &NoProgress).unwrap();
    assert_eq!(&raw[..], plain, "CBC did not give the plaintext back");

    let opened = format::open(file.as_bytes(), &password(), &options(), &CapGuard);
    match (WalletData::from_json(plain), opened) {
        (Ok(want), Ok(got)) => {
            assert_eq!(got.data, want);
            assert_eq!(got.kind, FileKind::LegacyMobile);
            assert_eq!(got.iterations, PLAIN_ITERATIONS);
        }
        (Err(BackupError::PayloadInvalid(why)), Err(got)) if why == "it is not JSON" => {
            assert_eq!(got, BackupError::WrongPasswordOrDamaged)
        }
        (Err(want), Err(got)) => assert_eq!(got, want),
        (want, got) => panic!("from_json gave {want:?}, open gave {got:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        envelope_mode(rest);
    } else {
        plaintext_mode(rest);
    }
});
