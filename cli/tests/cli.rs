//! The `wallet` command line, run as a real process.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::*;

fn wallet(args: &[&str]) -> Output {
    run_wallet(args, &[])
}

fn fixture_path() -> Option<PathBuf> {
    common::fixture("cryptox-testnet-export.concordiumwallet")?;
    Some(common::repo_root().join("../shared/fixtures/cryptox-testnet-export.concordiumwallet"))
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
    let pw = write_file(&d, "pw", "000000\n");
    let o = wallet(&[
        "verify",
        "--json",
        f.to_str().unwrap(),
        "--password-file",
        &pw,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(v["network"], "testnet");
    assert_eq!(v["identities"], 2);
    assert_eq!(v["accounts"], 5);
    assert_eq!(v["addressBook"], 5);

    let o = run_wallet(
        &["verify", "--json", f.to_str().unwrap()],
        &[("WALLET_PASSWORD", "000000")],
    );
    assert!(o.status.success());
    assert_eq!(json_out(&o)["accounts"], 5);
}

#[test]
fn errors_are_one_line_with_a_typed_exit_code() {
    let Some(f) = fixture_path() else { return };
    let d = scratch("errors");
    let bad = write_file(&d, "bad", "not-the-password");
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
    let garbage = write_file(&d, "garbage", "hello");
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
    let pw = write_file(&d, "pw", "000000");
    let npw = write_file(&d, "npw", "a much better password\n");
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
    assert!(o.status.success(), "{}", stderr(&o));
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
    assert!(o.status.success(), "{}", stderr(&o));
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
    let weak = write_file(&d, "weak", "123456");
    let o = wallet(&["password-check", "--json", "--password-file", &weak]);
    assert!(o.status.success());
    let v = json_out(&o);
    assert_eq!(v["score"], 0);
    assert_eq!(v["meetsMinimum"], true);
    assert!(v["secondsToGuessOneGpu"].as_f64().unwrap() < 1.0);
}

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
    let f = write_file(&d, "phrase", words.join(" "));
    let o = wallet(&["phrase", "check", "--json", "--phrase-file", &f]);
    assert!(o.status.success());
    assert_eq!(json_out(&o)["is24Words"], true);
    // Two runs never give the same phrase.
    let again = json_out(&wallet(&["phrase", "new", "--json"]));
    assert_ne!(again["words"], v["words"]);
}

#[test]
fn phrase_check_reads_stdin_and_gives_hints_per_word() {
    let o = run_wallet_with_input(
        &["phrase", "check", "--json"],
        &[],
        "  ABANDON abandn abandon abandon abandon abandon abandon abandon abandon abandon abandon about\n",
    );
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
    let bad = write_file(&d, "bad", ["abandon"; 12].join(" "));
    let v = json_out(&wallet(&[
        "phrase",
        "check",
        "--json",
        "--phrase-file",
        &bad,
    ]));
    assert_eq!(v["status"], "BadChecksum");
    let short = write_file(&d, "short", ["abandon"; 11].join(" "));
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
    let seed = write_file(&d, "seed", TEST_SEED_1);
    let o = wallet(&with_account(
        &["keys", "--json", "--phrase-file", &seed],
        "testnet",
        ["0", "0", "1"],
    ));
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(v["credentialId"], "b317d3fea7de56f8c96f6e72820c5cd502cc0eef8454016ee548913255897c6b52156cc60df965d3efb3f160eff6ced4");
    assert_eq!(
        v["address"],
        "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7"
    );
    assert!(v.get("signKey").is_none());
    assert!(v.get("prfKey").is_none());

    let o = wallet(&with_account(
        &["keys", "--json", "--phrase-file", &seed, "--show-secrets"],
        "mainnet",
        ["3", "35", "0"],
    ));
    let v = json_out(&o);
    assert_eq!(
        v["prfKey"],
        "4409e2e4acffeae641456b5f7406ecf3e1e8bd3472e2df67a9f1e8574f211bc5"
    );
    assert!(v["signKey"].is_string());

    let o = wallet(&with_account(
        &["keys", "--phrase-file", &seed],
        "devnet",
        ["0", "0", "0"],
    ));
    assert_eq!(o.status.code(), Some(2));
    let o = wallet(&with_account(
        &["keys", "--phrase-file", &seed, "--commitment-key", "00"],
        "mainnet",
        ["0", "0", "0"],
    ));
    assert_eq!(o.status.code(), Some(2));
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
    let o = run_wallet(&["init", "--network", "testnet"], &env);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json_out(&run_wallet(&["list", "--json"], &env));
    assert_eq!(
        (v["identities"].as_u64(), v["accounts"].as_u64()),
        (Some(0), Some(0))
    );

    // Importing needs a confirmation when there is no terminal.
    assert_eq!(run_wallet(&["import", f], &env).status.code(), Some(2));
    let o = run_wallet(&["import", f, "--yes", "--json"], &env);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = json_out(&o);
    assert_eq!(r["identitiesAdded"].as_array().unwrap().len(), 2);
    assert_eq!(r["accountsAdded"].as_array().unwrap().len(), 5);
    assert_eq!(r["contactsAdded"].as_array().unwrap().len(), 5);
    let v = json_out(&run_wallet(&["list", "--json"], &env));
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
    let r = json_out(&run_wallet(&["import", f, "--yes", "--json"], &env));
    assert_eq!(r["changes"], 0);
    assert_eq!(r["alreadyPresent"].as_array().unwrap().len(), 12);

    let o = run_wallet(
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
    let o = run_wallet(&["export", "--json", "--out", out.to_str().unwrap()], &env2);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json_out(&o)["addressBook"], 6);
    let o = run_wallet(&["verify", "--json", out.to_str().unwrap()], &env2);
    assert_eq!(json_out(&o)["accounts"], 5);

    // A wrong storage passphrase reads no secret.
    let mut bad = env.to_vec();
    bad[1] = ("WALLET_STORAGE_PASSPHRASE", "not the passphrase");
    let o = run_wallet(&["export", "--out", d.join("x").to_str().unwrap()], &bad);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("storage key is wrong"));
    assert!(!d.join("x").exists());

    // A testnet backup cannot go into a mainnet wallet.
    let main_store = d.join("main.sqlite");
    let mut menv = env.to_vec();
    menv[0] = ("WALLET_STORE", main_store.to_str().unwrap());
    assert!(run_wallet(&["init", "--network", "mainnet"], &menv)
        .status
        .success());
    let o = run_wallet(&["import", f, "--yes"], &menv);
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("cannot be imported into a mainnet wallet"));
}

#[test]
fn verbose_routes_log_records_to_stderr_and_leaves_stdout_as_it_is() {
    let d = scratch("verbose");
    let pw = write_file(&d, "pw", "correct horse battery staple\n");
    let args = ["--json", "password-check", "--password-file", pw.as_str()];
    let quiet = wallet(&args);
    assert!(quiet.status.success());
    // Without -v no log record reaches stderr.
    assert!(quiet.stderr.is_empty(), "{}", stderr(&quiet));
    for v in [&["-v"][..], &["-vvv"], &["--verbose", "--verbose"]] {
        let o = wallet(&[v, &args[..]].concat());
        assert!(o.status.success(), "{v:?}: {}", stderr(&o));
        assert_eq!(o.stdout, quiet.stdout, "{v:?}");
    }
    // It is a global option: after the subcommand too.
    let o = wallet(&[&args[..], &["-v"]].concat());
    assert!(o.status.success());
    assert_eq!(o.stdout, quiet.stdout);
    let _ = std::fs::remove_dir_all(&d);
}
