//! The `wallet` command line, run as a real process.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_wallet");

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wallet-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn wallet(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("WALLET_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn fixture_path() -> Option<PathBuf> {
    common::fixture("cryptox-testnet-export.concordiumwallet")?;
    Some(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/fixtures/cryptox-testnet-export.concordiumwallet"),
    )
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.to_str().unwrap().to_string()
}

fn json_out(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

#[test]
fn inspect_needs_no_password() {
    let Some(f) = fixture_path() else { return };
    let o = wallet(&["inspect", "--json", f.to_str().unwrap()]);
    assert!(o.status.success());
    let v = json_out(&o);
    assert_eq!(v["kind"], "LegacyMobile");
    assert_eq!(v["iterations"], 100_000);
    assert_eq!(v["weakKeyDerivation"], true);
    let text = wallet(&["inspect", f.to_str().unwrap()]);
    let s = String::from_utf8(text.stdout).unwrap();
    assert!(s.contains("100000 iterations"), "{s}");
}

#[test]
fn verify_reads_passwords_from_file_or_environment() {
    let Some(f) = fixture_path() else { return };
    let d = scratch("verify");
    let pw = write(&d, "pw", "000000\n");
    let o = wallet(&[
        "verify",
        "--json",
        f.to_str().unwrap(),
        "--password-file",
        &pw,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json_out(&o);
    assert_eq!(v["network"], "testnet");
    assert_eq!(v["identities"], 2);
    assert_eq!(v["accounts"], 5);
    assert_eq!(v["addressBook"], 5);

    let o = Command::new(BIN)
        .args(["verify", "--json", f.to_str().unwrap()])
        .env("WALLET_PASSWORD", "000000")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(json_out(&o)["accounts"], 5);
}

#[test]
fn errors_are_one_line_with_a_typed_exit_code() {
    let Some(f) = fixture_path() else { return };
    let d = scratch("errors");
    let bad = write(&d, "bad", "not-the-password");
    let o = wallet(&["verify", f.to_str().unwrap(), "--password-file", &bad]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: The password is wrong"), "{err}");
    assert!(!err.contains("not-the-password"));

    // No password source and no terminal: a usage error, not a hang.
    let o = wallet(&["verify", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));

    // --json errors also come as JSON on stdout.
    let garbage = write(&d, "garbage", "hello");
    let o = wallet(&["inspect", "--json", &garbage]);
    assert_eq!(o.status.code(), Some(4));
    let v = json_out(&o);
    assert_eq!(v["error"]["kind"], "NotABackup");

    let o = wallet(&["inspect", "/nonexistent/file"]);
    assert_eq!(o.status.code(), Some(5));
}

#[test]
fn convert_round_trips_and_keeps_or_changes_the_password() {
    let Some(f) = fixture_path() else { return };
    let d = scratch("convert");
    let pw = write(&d, "pw", "000000");
    let npw = write(&d, "npw", "a much better password\n");
    let ours = d.join("wallet.backup");
    let o = wallet(&[
        "convert",
        "--json",
        f.to_str().unwrap(),
        "--to",
        "ours",
        "--out",
        ours.to_str().unwrap(),
        "--password-file",
        &pw,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json_out(&o);
    assert_eq!(v["verified"], true);
    assert_eq!(v["iterations"], 600_000);
    assert_eq!(v["summary"]["accounts"], 5);

    let legacy = d.join("back.concordiumwallet");
    let o = wallet(&[
        "convert",
        ours.to_str().unwrap(),
        "--to",
        "legacy",
        "--out",
        legacy.to_str().unwrap(),
        "--password-file",
        &pw,
        "--new-password-file",
        &npw,
        "--iterations",
        "150000",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = wallet(&[
        "verify",
        "--json",
        legacy.to_str().unwrap(),
        "--password-file",
        &npw,
    ]);
    assert!(o.status.success());
    assert_eq!(json_out(&o)["iterations"], 150_000);
    assert_eq!(json_out(&o)["accounts"], 5);

    // The network of a backup cannot be changed.
    let o = wallet(&[
        "convert",
        ours.to_str().unwrap(),
        "--to",
        "ours",
        "--out",
        d.join("x").to_str().unwrap(),
        "--password-file",
        &pw,
        "--network",
        "mainnet",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.join("x").exists());
}

#[test]
fn password_check_rates_passwords() {
    let d = scratch("pwcheck");
    let weak = write(&d, "weak", "123456");
    let o = wallet(&["password-check", "--json", "--password-file", &weak]);
    assert!(o.status.success());
    let v = json_out(&o);
    assert_eq!(v["score"], 0);
    assert_eq!(v["meetsMinimum"], true);
    assert!(v["secondsToGuessOneGpu"].as_f64().unwrap() < 1.0);
}
