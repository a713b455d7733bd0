//! Known answers of our format: the worked example of docs/backup-format.md, reproduced byte
//! for byte (also by scripts/reference_reader.py), so the format can never drift.

use wallet_core::format::{self, ours, OpenOptions};
use wallet_core::kdf::NoProgress;
use wallet_core::model::WalletData;
use wallet_core::network::Network;
use wallet_core::password::Password;

/// The worked example of docs/backup-format.md §15 (also read by scripts/test-reference-reader).
const KAT_FILE: &str = include_str!("data/worked-example.backup");

#[test]
fn spec_worked_example_is_reproduced() {
    let data = WalletData::empty(Network::Testnet);
    let pw = Password::from_bytes("correct horse café".as_bytes()).unwrap();
    let salt: Vec<u8> = (0u8..32).collect();
    let nonce: [u8; 12] = core::array::from_fn(|i| 0x20 + i as u8);
    let out = ours::encrypt_with(&data, &pw, 1000, salt.clone(), nonce, &NoProgress).unwrap();
    assert_eq!(std::str::from_utf8(&out).unwrap(), KAT_FILE);
    // Decomposed é gives the same file (NFKC).
    let pw2 = Password::from_bytes("correct horse cafe\u{301}".as_bytes()).unwrap();
    assert_eq!(
        ours::encrypt_with(&data, &pw2, 1000, salt, nonce, &NoProgress).unwrap(),
        out
    );
    let opened = format::open(
        KAT_FILE.as_bytes(),
        &pw,
        &OpenOptions::default(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(opened.data, data);
    assert_eq!(opened.iterations, 1000);
}

#[test]
fn legacy_writer_key_order() {
    let data = WalletData::empty(Network::Testnet);
    let pw = Password::from_bytes(b"password").unwrap();
    let out =
        format::legacy::encrypt_with(&data, &pw, 1000, &[0u8; 32], [0u8; 16], &NoProgress).unwrap();
    let s = String::from_utf8(out).unwrap();
    assert!(s.starts_with(r#"{"metadata":{"encryptionMethod":"AES-256","keyDerivationMethod":"PBKDF2WithHmacSHA256","iterations":1000,"salt":"#));
}

#[test]
fn accidental_damage_to_a_length_reads_as_damage() {
    // Four Base64 characters missing from the nonce: the checksum no longer matches, and that is
    // what is reported (not the nonce length).
    let damaged = KAT_FILE.replace(r#""nonce":"ICEiIyQlJicoKSor""#, r#""nonce":"ICEiIyQlJico""#);
    let pw = Password::from_bytes("correct horse café".as_bytes()).unwrap();
    let r = format::open(
        damaged.as_bytes(),
        &pw,
        &OpenOptions::default(),
        &NoProgress,
    );
    assert!(
        matches!(r, Err(wallet_core::BackupError::Damaged(ref m)) if m.contains("checksum")),
        "{r:?}"
    );
}
