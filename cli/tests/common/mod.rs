//! Helpers of the command line's tests: the library's shared test helpers (tests/common at the
//! top of the repository) and the `wallet` binary of this package.
#![allow(dead_code)]

#[path = "../../../tests/common/mod.rs"]
mod shared;

use std::path::Path;
use std::process::{Command, Output, Stdio};

pub use shared::*;

/// The `wallet` binary built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_wallet");

/// The `wallet` command line with `args`, none of its environment variables (`WALLET_PASSWORD`,
/// `WALLET_STORE`, `WALLET_STORAGE_PASSPHRASE`) but `envs`, and stdin closed.
pub fn wallet_command(args: &[&str], envs: &[(&str, &str)]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .env_remove("WALLET_PASSWORD")
        .env_remove("WALLET_STORE")
        .env_remove("WALLET_STORAGE_PASSPHRASE")
        .stdin(Stdio::null());
    for (k, v) in envs {
        c.env(k, v);
    }
    c
}

/// Runs `wallet --store STORE ARGS` with the storage passphrase "storage passphrase" and no
/// `LEDGER_TRANSPORT` (see [`wallet_command`]).
pub fn wallet_in(store: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--store", store.to_str().unwrap()];
    all.extend_from_slice(args);
    wallet_command(&all, &[("WALLET_STORAGE_PASSPHRASE", "storage passphrase")])
        .env_remove("LEDGER_TRANSPORT")
        .output()
        .unwrap()
}
