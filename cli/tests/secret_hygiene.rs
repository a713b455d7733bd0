//! Secret hygiene of the `wallet` command line: no password, recovery phrase, seed or private key
//! reaches its stdout or stderr, for every command, failing ones included, in text and JSON and
//! with the library's log records on stderr (`-vvv`). The secrets and the search are the
//! library's (tests/hygiene at the top of the repository).

mod common;
#[path = "../../tests/hygiene/mod.rs"]
mod hygiene;
#[path = "../../tests/ledger_emulator/mod.rs"]
mod ledger_emulator;

use std::process::Output;

use common::*;
use hygiene::*;
use wallet_core::format::{legacy, ours};
use wallet_core::kdf::NoProgress;

/// `wallet args`, with `stdin` as its input and `env_password` as `WALLET_PASSWORD`.
fn run(args: &[&str], stdin: Option<&str>, env_password: Option<&str>) -> Output {
    let envs: Vec<(&str, &str)> = env_password
        .map(|p| ("WALLET_PASSWORD", p))
        .into_iter()
        .collect();
    match stdin {
        Some(text) => run_wallet_with_input(args, &envs, text),
        None => run_wallet(args, &envs),
    }
}

/// `wallet keys` for account (idp 0, identity 0, credential 0) of the phrase or seed in `file`.
fn keys_args<'a>(file: &'a str, network: &'a str) -> Vec<&'a str> {
    with_account(&["keys", "--phrase-file", file], network, ["0", "0", "0"])
}

#[test]
fn command_line_output_holds_no_secret() {
    let secrets = Secrets::new();
    let needles = secrets.needles();
    let d = scratch("cli");
    let wallet = secrets.wallet();
    let pw = password(PASSWORD);
    // Files at 1,000 iterations keep the many runs fast; `convert` writes at full cost.
    let ours_file =
        ours::encrypt_with(&wallet, &pw, 1_000, vec![1; 32], [2; 12], &NoProgress).unwrap();
    let legacy_file =
        legacy::encrypt_with(&wallet, &pw, 1_000, &[3; 32], [4; 16], &NoProgress).unwrap();
    let mut damaged = ours_file.clone();
    let mid = damaged.len() / 2;
    damaged[mid] ^= 0x04;
    let ours_path = write_file(&d, "ours.backup", &ours_file);
    let legacy_path = write_file(&d, "legacy.concordiumwallet", &legacy_file);
    let damaged_path = write_file(&d, "damaged.backup", &damaged);
    let pw_file = write_file(&d, "pw", format!("{PASSWORD}\n"));
    let wrong_file = write_file(&d, "wrong", format!("{WRONG_PASSWORD}\n"));
    let new_file = write_file(&d, "new", format!("{NEW_PASSWORD}\n"));
    let phrase_file = write_file(&d, "phrase", format!("{PHRASE}\n"));
    let typo_file = write_file(&d, "typo", typo_phrase());
    let seed_file = write_file(&d, "seed", secrets.seed.to_hex().as_bytes());
    let out1 = d.join("out1.backup");
    let out2 = d.join("out2.concordiumwallet");
    let (out1, out2) = (out1.to_str().unwrap(), out2.to_str().unwrap());

    // (arguments, stdin, WALLET_PASSWORD, must succeed)
    type Case<'a> = (Vec<&'a str>, Option<String>, Option<&'a str>, bool);
    /// A case with neither stdin nor `WALLET_PASSWORD`.
    fn plain(args: Vec<&str>, ok: bool) -> Case<'_> {
        (args, None, None, ok)
    }
    fn verify<'a>(file: &'a str, pw_file: &'a str) -> Vec<&'a str> {
        vec!["verify", file, "--password-file", pw_file]
    }
    /// `convert file --to to --out out --password-file pw_file`, then `more`.
    fn convert<'a>(
        file: &'a str,
        to: &'a str,
        out: &'a str,
        pw_file: &'a str,
        more: &[&'a str],
    ) -> Vec<&'a str> {
        let mut args = vec![
            "convert",
            file,
            "--to",
            to,
            "--out",
            out,
            "--password-file",
            pw_file,
        ];
        args.extend_from_slice(more);
        args
    }
    let cases: Vec<Case<'_>> = vec![
        plain(vec!["inspect", &ours_path], true),
        plain(vec!["inspect", &legacy_path], true),
        plain(vec!["inspect", &damaged_path], false),
        plain(verify(&ours_path, &pw_file), true),
        plain(verify(&legacy_path, &pw_file), true),
        (vec!["verify", &ours_path], None, Some(PASSWORD), true),
        plain(verify(&ours_path, &wrong_file), false),
        plain(verify(&legacy_path, &wrong_file), false),
        (
            vec!["verify", &ours_path],
            None,
            Some(WRONG_PASSWORD),
            false,
        ),
        plain(verify(&damaged_path, &pw_file), false),
        plain(vec!["verify", &ours_path], false),
        plain(convert(&ours_path, "legacy", out2, &pw_file, &[]), true),
        plain(
            convert(
                &legacy_path,
                "ours",
                out1,
                &pw_file,
                &["--new-password-file", &new_file],
            ),
            true,
        ),
        plain(convert(&ours_path, "ours", out1, &wrong_file, &[]), false),
        plain(
            convert(&ours_path, "ours", out1, &pw_file, &["--iterations", "5"]),
            false,
        ),
        plain(vec!["password-check", "--password-file", &pw_file], true),
        (vec!["password-check"], None, Some(PASSWORD), true),
        plain(vec!["phrase", "check", "--phrase-file", &phrase_file], true),
        plain(vec!["phrase", "check", "--phrase-file", &typo_file], false),
        (
            vec!["phrase", "check"],
            Some(PHRASE.to_string()),
            None,
            true,
        ),
        (vec!["phrase", "check"], Some(typo_phrase()), None, false),
        (
            vec!["phrase", "check"],
            Some(PHRASE.replace("title", "legal")),
            None,
            false,
        ),
        plain(keys_args(&phrase_file, "testnet"), true),
        plain(keys_args(&seed_file, "testnet"), true),
        plain(keys_args(&typo_file, "testnet"), false),
        plain(keys_args(&phrase_file, "nonet"), false),
    ];
    let mut runs = 0;
    for (args, stdin, env_pw, ok) in &cases {
        // Text, JSON, and text with every log record of the library on stderr (-vvv).
        for extra in [None, Some("--json"), Some("-vvv")] {
            let mut a = args.clone();
            a.extend(extra);
            let o = run(&a, stdin.as_deref(), *env_pw);
            let what = format!(
                "`wallet {}`",
                a.join(" ").replace(&d.display().to_string(), "…")
            );
            assert_eq!(
                o.status.success(),
                *ok,
                "{what} exit {:?}, stderr {}",
                o.status.code(),
                stderr(&o)
            );
            assert_clean(&format!("{what} stdout"), &stdout(&o), &needles);
            assert_clean(&format!("{what} stderr"), &stderr(&o), &needles);
            runs += 1;
        }
    }
    assert_eq!(runs, cases.len() * 3);

    // The search is not vacuous: `keys --show-secrets` prints exactly what was searched for
    // (and still neither the phrase, the seed nor a password).
    let mut show_secrets = keys_args(&phrase_file, "testnet");
    show_secrets.push("--show-secrets");
    let o = run(&show_secrets, None, None);
    assert!(o.status.success());
    let shown = stdout(&o);
    for (name, bytes) in secrets.key_bytes().into_iter().skip(1) {
        assert!(
            shown.contains(&hex::encode(&bytes)),
            "--show-secrets does not show {name}"
        );
    }
    let not_keys: Vec<(String, String)> = needles
        .iter()
        .filter(|(n, _)| {
            ![
                "signKey",
                "encryptionSecretKey",
                "idCredSec",
                "prfKey",
                "blindingRandomness",
            ]
            .iter()
            .any(|k| n.starts_with(k))
        })
        .cloned()
        .collect();
    assert_clean("`wallet keys --show-secrets`", &shown, &not_keys);
    let _ = std::fs::remove_dir_all(&d);
}
