//! Arbitrary bytes as decrypted wallet data: `WalletData::from_json` never panics, and what it
//! accepts survives `to_json` → `from_json` as an equal value, with a stable serialisation. What it
//! refuses as invalid data is described by the schema walk of `json_shape` (which names the place
//! without quoting a value), never by the fallback that means the walk and serde disagree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::model::WalletData;
use wallet_core::BackupError;

fuzz_target!(|data: &[u8]| {
    let wallet = match WalletData::from_json(data) {
        Ok(w) => w,
        Err(BackupError::PayloadInvalid(m)) => {
            assert!(
                !m.contains("does not have the expected shape"),
                "the schema walk found nothing serde refused: {m}"
            );
            return;
        }
        Err(_) => return,
    };
    let json = wallet.to_json();
    let back = WalletData::from_json(&json).expect("to_json wrote what from_json refuses");
    assert_eq!(back, wallet, "to_json → from_json changed the wallet");
    assert_eq!(
        &back.to_json()[..],
        &json[..],
        "serialising the same wallet twice differs"
    );
    let _ = format!("{wallet:?}");
    let _ = wallet.account_count();
});
