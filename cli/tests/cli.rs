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
    Some(common::repo_root().join("../shared/fixtures/cryptox-testnet-export.concordiumwallet"))
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

/// docs/references.md §A.4.6 TEST_SEED_1 (a seed, not a phrase).
const TEST_SEED_1: &str = "efa5e27326f8fa0902e647b52449bf335b7b605adc387015ec903f41d95080eb71361cbc7fb78721dcd4f3926a337340aa1406df83332c44c1cdcfe100603860";

#[test]
fn phrase_new_gives_24_valid_words() {
    let o = wallet(&["phrase", "new", "--json"]);
    assert!(o.status.success());
    let v = json_out(&o);
    assert_eq!(v["wordCount"], 24);
    let words: Vec<String> = v["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect();
    let d = scratch("phrase-new");
    let f = write(&d, "phrase", &words.join(" "));
    let o = wallet(&["phrase", "check", "--json", "--phrase-file", &f]);
    assert!(o.status.success());
    assert_eq!(json_out(&o)["is24Words"], true);
    // Two runs never give the same phrase.
    let again = json_out(&wallet(&["phrase", "new", "--json"]));
    assert_ne!(again["words"], v["words"]);
}

#[test]
fn phrase_check_reads_stdin_and_gives_hints_per_word() {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .args(["phrase", "check", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"  ABANDON abandn abandon abandon abandon abandon abandon abandon abandon abandon abandon about\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(4));
    let v = json_out(&o);
    assert_eq!(v["status"], "UnknownWords");
    assert_eq!(v["unknownWords"][0]["position"], 2);
    assert_eq!(v["unknownWords"][0]["suggestions"][0], "abandon");
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        !err.contains("abandn"),
        "the phrase must not be echoed in errors: {err}"
    );

    let d = scratch("phrase-check");
    let bad = write(&d, "bad", &["abandon"; 12].join(" "));
    let v = json_out(&wallet(&[
        "phrase",
        "check",
        "--json",
        "--phrase-file",
        &bad,
    ]));
    assert_eq!(v["status"], "BadChecksum");
    let short = write(&d, "short", &["abandon"; 11].join(" "));
    let v = json_out(&wallet(&[
        "phrase",
        "check",
        "--json",
        "--phrase-file",
        &short,
    ]));
    assert_eq!(v["status"], "WrongWordCount");
}

#[test]
fn keys_prints_published_vectors_and_secrets_only_on_request() {
    let d = scratch("keys");
    let seed = write(&d, "seed", TEST_SEED_1);
    let o = wallet(&[
        "keys",
        "--json",
        "--phrase-file",
        &seed,
        "--network",
        "testnet",
        "--idp",
        "0",
        "--identity",
        "0",
        "--credential",
        "1",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json_out(&o);
    assert_eq!(v["credentialId"], "b317d3fea7de56f8c96f6e72820c5cd502cc0eef8454016ee548913255897c6b52156cc60df965d3efb3f160eff6ced4");
    assert_eq!(
        v["address"],
        "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7"
    );
    assert!(v.get("signKey").is_none());
    assert!(v.get("prfKey").is_none());

    let o = wallet(&[
        "keys",
        "--json",
        "--phrase-file",
        &seed,
        "--network",
        "mainnet",
        "--idp",
        "3",
        "--identity",
        "35",
        "--credential",
        "0",
        "--show-secrets",
    ]);
    let v = json_out(&o);
    assert_eq!(
        v["prfKey"],
        "4409e2e4acffeae641456b5f7406ecf3e1e8bd3472e2df67a9f1e8574f211bc5"
    );
    assert!(v["signKey"].is_string());

    let o = wallet(&[
        "keys",
        "--phrase-file",
        &seed,
        "--network",
        "devnet",
        "--idp",
        "0",
        "--identity",
        "0",
        "--credential",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = wallet(&[
        "keys",
        "--phrase-file",
        &seed,
        "--network",
        "mainnet",
        "--idp",
        "0",
        "--identity",
        "0",
        "--credential",
        "0",
        "--commitment-key",
        "00",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

fn wallet_env(args: &[&str], envs: &[(&str, &str)]) -> Output {
    common::wallet_command(args, envs).output().unwrap()
}

#[test]
fn the_store_cycle_init_import_list_contacts_export() {
    let Some(f) = fixture_path() else { return };
    let f = f.to_str().unwrap();
    let d = scratch("store-cycle");
    let store = d.join("wallet.sqlite");
    let store = store.to_str().unwrap();
    let env = [
        ("WALLET_STORE", store),
        ("WALLET_STORAGE_PASSPHRASE", "storage passphrase"),
        ("WALLET_PASSWORD", "000000"),
    ];
    let o = wallet_env(&["init", "--network", "testnet"], &env);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json_out(&wallet_env(&["list", "--json"], &env));
    assert_eq!(
        (v["identities"].as_u64(), v["accounts"].as_u64()),
        (Some(0), Some(0))
    );

    // Importing needs a confirmation when there is no terminal.
    assert_eq!(wallet_env(&["import", f], &env).status.code(), Some(2));
    let o = wallet_env(&["import", f, "--yes", "--json"], &env);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json_out(&o);
    assert_eq!(r["identitiesAdded"].as_array().unwrap().len(), 2);
    assert_eq!(r["accountsAdded"].as_array().unwrap().len(), 5);
    assert_eq!(r["contactsAdded"].as_array().unwrap().len(), 5);
    let v = json_out(&wallet_env(&["list", "--json"], &env));
    assert_eq!(v["network"], "testnet");
    assert_eq!(
        (
            v["identities"].as_u64(),
            v["accounts"].as_u64(),
            v["addressBook"].as_u64()
        ),
        (Some(2), Some(5), Some(5))
    );

    // The same file again changes nothing.
    let r = json_out(&wallet_env(&["import", f, "--yes", "--json"], &env));
    assert_eq!(r["changes"], 0);
    assert_eq!(r["alreadyPresent"].as_array().unwrap().len(), 12);

    let o = wallet_env(
        &[
            "contacts",
            "add",
            "Alice",
            "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7",
        ],
        &env,
    );
    assert!(o.status.success());
    let out = d.join("export.backup");
    let mut env2 = env.to_vec();
    env2[2] = ("WALLET_PASSWORD", "a new backup password");
    let o = wallet_env(&["export", "--json", "--out", out.to_str().unwrap()], &env2);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json_out(&o)["addressBook"], 6);
    let o = wallet_env(&["verify", "--json", out.to_str().unwrap()], &env2);
    assert_eq!(json_out(&o)["accounts"], 5);

    // A wrong storage passphrase reads no secret.
    let mut bad = env.to_vec();
    bad[1] = ("WALLET_STORAGE_PASSPHRASE", "not the passphrase");
    let o = wallet_env(&["export", "--out", d.join("x").to_str().unwrap()], &bad);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("storage key is wrong"));
    assert!(!d.join("x").exists());

    // A testnet backup cannot go into a mainnet wallet.
    let main_store = d.join("main.sqlite");
    let mut menv = env.to_vec();
    menv[0] = ("WALLET_STORE", main_store.to_str().unwrap());
    assert!(wallet_env(&["init", "--network", "mainnet"], &menv)
        .status
        .success());
    let o = wallet_env(&["import", f, "--yes"], &menv);
    assert_eq!(o.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot be imported into a mainnet wallet"));
}

#[test]
fn verbose_routes_log_records_to_stderr_and_leaves_stdout_as_it_is() {
    let d = scratch("verbose");
    let pw = write(&d, "pw", "correct horse battery staple\n");
    let args = ["--json", "password-check", "--password-file", pw.as_str()];
    let quiet = wallet(&args);
    assert!(quiet.status.success());
    // Without -v no log record reaches stderr.
    assert!(
        quiet.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
    for v in [&["-v"][..], &["-vvv"], &["--verbose", "--verbose"]] {
        let o = wallet(&[v, &args[..]].concat());
        assert!(
            o.status.success(),
            "{v:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(o.stdout, quiet.stdout, "{v:?}");
    }
    // It is a global option: after the subcommand too.
    let o = wallet(&[&args[..], &["-v"]].concat());
    assert!(o.status.success());
    assert_eq!(o.stdout, quiet.stdout);
    let _ = std::fs::remove_dir_all(&d);
}
