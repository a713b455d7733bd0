//! The wiping allocator (`wipe-freed-heap` feature, and the `wallet` command line) closes the gaps
//! that destructors cannot: copies made inside dependencies. This test binary installs the same
//! allocator, `zeroizing_alloc::ZeroAlloc`, around the canary checker of `tests/common/canary.rs`,
//! so the checker sees exactly what would reach the system allocator. The controls in
//! `tests/secret_hygiene.rs` (plain allocator) show the same operations *do* free unwiped copies
//! there, so a zero here is the allocator's doing.

// These checks install their own global allocator; with the library's `wipe-freed-heap` feature
// the library installs one already (and wipes everything, so the controls would not hold).
#![cfg(not(feature = "wipe-freed-heap"))]

mod common;

use common::canary::{escaped_secret_wallet_json, freed_blocks_holding, leak, CanaryAlloc};
use wallet_core::model::WalletData;
use wallet_core::password::{self, Password};

#[global_allocator]
static GLOBAL: zeroizing_alloc::ZeroAlloc<CanaryAlloc> = zeroizing_alloc::ZeroAlloc(CanaryAlloc);

#[test]
fn strength_estimate_leaves_no_copy_of_the_password() {
    let canary = leak(b"CANARY-wipe-zxcvbn-pass-5c2e");
    let p = Password::from_bytes(canary).unwrap();
    let n = freed_blocks_holding(&[canary], || drop(password::estimate_strength(&p, 600_000)));
    assert_eq!(n, 0, "{n} freed blocks still held the password");
}

#[test]
fn parsing_wallet_json_leaves_no_copy_of_a_secret() {
    let canary = leak(b"CANARY-wipe-serde-secret-a81f3");
    let secret = std::str::from_utf8(canary).unwrap();
    let json = escaped_secret_wallet_json(secret);
    let n = freed_blocks_holding(&[canary], || {
        let w = WalletData::from_json(json.as_bytes()).unwrap();
        drop(w);
    });
    assert_eq!(n, 0, "{n} freed blocks still held the secret");
}
