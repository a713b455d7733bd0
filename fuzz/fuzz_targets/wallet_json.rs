//! Arbitrary bytes as decrypted wallet data: `WalletData::from_json` never panics, and what it
//! accepts survives `to_json` → `from_json` as an equal value, with a stable serialisation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::model::WalletData;

fuzz_target!(|data: &[u8]| {
    let Ok(wallet) = WalletData::from_json(data) else {
        return;
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
