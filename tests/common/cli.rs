//! Running the `wallet` command line as a real process, and reading what it printed. The binary
//! belongs to the cli/ package, so only its tests (cli/tests) can run it; the library's tests use
//! the readers and file helpers.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The storage passphrase of the stores the command-line tests create.
pub const STORAGE_PASSPHRASE: &str = "storage passphrase";

/// The `wallet` command line with `args`, none of its environment variables (`WALLET_PASSWORD`,
/// `WALLET_STORE`, `WALLET_STORAGE_PASSPHRASE`, `LEDGER_TRANSPORT`) but `envs`, and stdin
/// closed.
pub fn wallet_command(args: &[&str], envs: &[(&str, &str)]) -> Command {
    // Set when this module is compiled into a test of cli/, which owns the binary.
    let Some(bin) = option_env!("CARGO_BIN_EXE_wallet") else {
        panic!("the `wallet` binary is built for the tests of cli/ (cli/tests) only");
    };
    let mut c = Command::new(bin);
    c.args(args)
        .env_remove("WALLET_PASSWORD")
        .env_remove("WALLET_STORE")
        .env_remove("WALLET_STORAGE_PASSPHRASE")
        .env_remove("LEDGER_TRANSPORT")
        .stdin(Stdio::null());
    for (k, v) in envs {
        c.env(k, v);
    }
    c
}

/// Runs [`wallet_command`] to the end.
pub fn run_wallet(args: &[&str], envs: &[(&str, &str)]) -> Output {
    wallet_command(args, envs).output().unwrap()
}

/// Runs [`wallet_command`] to the end with `input` on its stdin.
pub fn run_wallet_with_input(args: &[&str], envs: &[(&str, &str)], input: &str) -> Output {
    use std::io::Write;
    let mut child = wallet_command(args, envs)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Runs `wallet --store <store> args` to the end, with [`STORAGE_PASSPHRASE`].
pub fn run_in_store(store: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--store", store.to_str().unwrap()];
    all.extend_from_slice(args);
    run_wallet(&all, &[("WALLET_STORAGE_PASSPHRASE", STORAGE_PASSPHRASE)])
}

/// What the command wrote to stdout, as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What the command wrote to stderr, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Stdout as JSON; a panic that shows both streams when it is not.
pub fn json_out(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            stdout(o),
            stderr(o)
        )
    })
}

/// Writes `content` to `dir/name` and returns the path as a string, for an argument.
pub fn write_file(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.to_str().unwrap().to_string()
}

/// `args` followed by the account options of `wallet keys` and `wallet ledger`:
/// `--network <network> --idp <idp> --identity <identity> --credential <credential>`.
pub fn with_account<'a>(
    args: &[&'a str],
    network: &'a str,
    [idp, identity, credential]: [&'a str; 3],
) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend([
        "--network",
        network,
        "--idp",
        idp,
        "--identity",
        identity,
        "--credential",
        credential,
    ]);
    all
}

/// Creates the store `store` for `network` with `wallet init` (through [`run_in_store`]).
pub fn init_store(store: &Path, network: &str) {
    let o = run_in_store(store, &["init", "--network", network]);
    assert!(o.status.success(), "wallet init: {}", stderr(&o));
}

/// `args` followed by the legacy account options of `wallet ledger`:
/// `--legacy --identity <identity> --credential <credential>`.
pub fn with_legacy_account<'a>(
    args: &[&'a str],
    [identity, credential]: [&'a str; 2],
) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend([
        "--legacy",
        "--identity",
        identity,
        "--credential",
        credential,
    ]);
    all
}
