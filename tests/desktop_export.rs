//! Desktop Wallet exports (docs/recovery.md): an export built here from the format description
//! (Desktop Wallet `app/utils/types.ts`, legacy envelope with `keyLen`/`hashAlgorithm`) imports
//! with the matching emulated Ledger, offers only the address book without it, refuses another
//! Ledger, another network and an unknown genesis; the self-generated envelope vectors open.

mod common;
mod ledger_emulator;
mod ledger_wallets;

use common::password;
use ledger_wallets::envelope;
use serde_json::Value;
use wallet_core::desktop_export::{self, DesktopNetwork};
use wallet_core::kdf::NoProgress;
use wallet_core::model::Environment;
use wallet_core::BackupError;

#[test]
fn the_self_generated_envelope_vectors_open_as_empty_exports() {
    let salt: [u8; 16] = core::array::from_fn(|i| i as u8);
    let iv: [u8; 16] = core::array::from_fn(|i| 16 + i as u8);
    let plain = br#"{"accounts":[],"identities":[],"addressBook":[]}"#;
    let file = envelope(plain, "password", salt, iv);
    let v: Value = serde_json::from_slice(&file).unwrap();
    assert_eq!(
        v["cipherText"],
        "tMtYTCchafus9mq3R0UlJvu8sbq4biaQGatpTvZRZ80Phf0Me4PdYYIaSVifY6qGOmeFELOd1W5/0z5ev48Akg=="
    );
    let e = desktop_export::open(&file, &password("password"), &NoProgress).unwrap();
    assert!(e.accounts.is_empty() && e.identities.is_empty() && e.address_book.is_empty());
    assert_eq!(e.network(), DesktopNetwork::NoGenesis);
    assert_eq!(e.environment(None), Err(BackupError::MissingEnvironment));
    assert_eq!(
        e.environment(Some(Environment::Testnet)),
        Ok(Environment::Testnet)
    );
    assert_eq!(
        desktop_export::open(&file, &password("passwort"), &NoProgress).unwrap_err(),
        BackupError::WrongPasswordOrDamaged
    );
}
