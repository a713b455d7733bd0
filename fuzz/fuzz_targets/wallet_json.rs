//! Arbitrary bytes as decrypted wallet data: `WalletData::from_json` never panics, and what it
//! accepts survives `to_json` → `from_json` as an equal value, with a stable serialisation. What it
//! refuses as invalid data is described by the schema walk of `json_shape` (which names the place
//! without quoting a value), never by the fallback that means the walk and serde disagree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::json_shape;
use wallet_core::model::{WalletData, MOBILE_WALLET_TYPE, MOBILE_WALLET_VERSION};
use wallet_core::BackupError;

/// A document that gets past the type and version checks, so only the typed parse can refuse it.
fn is_current_mobile_wallet(doc: &serde_json::Value) -> bool {
    doc.get("type").and_then(|t| t.as_str()) == Some(MOBILE_WALLET_TYPE)
        && doc.get("v").and_then(|v| v.as_u64()) == Some(MOBILE_WALLET_VERSION)
}

fuzz_target!(|data: &[u8]| {
    let wallet = match WalletData::from_json(data) {
        Ok(w) => w,
        Err(BackupError::PayloadInvalid(m)) => {
            // Asked of the walk itself, not read from the message: a key name in the input can
            // spell out any text, including the fallback's wording.
            if let (None, Ok(doc)) = (
                json_shape::find_duplicate_key(data),
                serde_json::from_slice::<serde_json::Value>(data),
            ) {
                if is_current_mobile_wallet(&doc) {
                    assert!(
                        json_shape::find_shape_problem(&doc).is_some(),
                        "the schema walk found nothing serde refused: {m}"
                    );
                }
            }
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
