//! Helpers of the command line's tests: the library's shared test helpers (tests/common at the
//! top of the repository), whose `wallet_command` runs this package's `wallet` binary.
#![allow(dead_code)]

#[path = "../../../tests/common/mod.rs"]
mod shared;

pub use shared::*;
