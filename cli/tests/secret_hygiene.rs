//! Secret hygiene of the `wallet` command line: no password, recovery phrase, seed or private key
//! reaches its stdout or stderr, for every command, failing ones included, in text and JSON and
//! with the library's log records on stderr (`-vvv`). The secrets and the search are the
//! library's (tests/hygiene at the top of the repository).

mod common;
#[path = "../../tests/hygiene/mod.rs"]
mod hygiene;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::password;
use hygiene::*;
use wallet_core::format::{legacy, ours};
use wallet_core::kdf::NoProgress;

fn scratch(name: &str) -> PathBuf {
    common::scratch_dir("wallet-hygiene", name)
}

fn put(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.to_str().unwrap().to_string()
}

fn run(args: &[&str], stdin: Option<&str>, env_password: Option<&str>) -> Output {
    let mut cmd = Command::new(common::BIN);
    cmd.args(args).env_remove("WALLET_PASSWORD");
    if let Some(p) = env_password {
        cmd.env("WALLET_PASSWORD", p);
    }
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
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
    let ours_path = put(&d, "ours.backup", &ours_file);
    let legacy_path = put(&d, "legacy.concordiumwallet", &legacy_file);
    let damaged_path = put(&d, "damaged.backup", &damaged);
    let pw_file = put(&d, "pw", format!("{PASSWORD}\n"));
    let wrong_file = put(&d, "wrong", format!("{WRONG_PASSWORD}\n"));
    let new_file = put(&d, "new", format!("{NEW_PASSWORD}\n"));
    let phrase_file = put(&d, "phrase", format!("{PHRASE}\n"));
    let typo_file = put(&d, "typo", typo_phrase());
    let seed_file = put(&d, "seed", secrets.seed.to_hex().as_bytes());
    let out1 = d.join("out1.backup");
    let out2 = d.join("out2.concordiumwallet");
    let (out1, out2) = (out1.to_str().unwrap(), out2.to_str().unwrap());

    // (arguments, stdin, WALLET_PASSWORD, must succeed)
    type Case<'a> = (Vec<&'a str>, Option<String>, Option<&'a str>, bool);
    let cases: Vec<Case<'_>> = vec![
        (vec!["inspect", &ours_path], None, None, true),
        (vec!["inspect", &legacy_path], None, None, true),
        (vec!["inspect", &damaged_path], None, None, false),
        (
            vec!["verify", &ours_path, "--password-file", &pw_file],
            None,
            None,
            true,
        ),
        (
            vec!["verify", &legacy_path, "--password-file", &pw_file],
            None,
            None,
            true,
        ),
        (vec!["verify", &ours_path], None, Some(PASSWORD), true),
        (
            vec!["verify", &ours_path, "--password-file", &wrong_file],
            None,
            None,
            false,
        ),
        (
            vec!["verify", &legacy_path, "--password-file", &wrong_file],
            None,
            None,
            false,
        ),
        (
            vec!["verify", &ours_path],
            None,
            Some(WRONG_PASSWORD),
            false,
        ),
        (
            vec!["verify", &damaged_path, "--password-file", &pw_file],
            None,
            None,
            false,
        ),
        (vec!["verify", &ours_path], None, None, false),
        (
            vec![
                "convert",
                &ours_path,
                "--to",
                "legacy",
                "--out",
                out2,
                "--password-file",
                &pw_file,
            ],
            None,
            None,
            true,
        ),
        (
            vec![
                "convert",
                &legacy_path,
                "--to",
                "ours",
                "--out",
                out1,
                "--password-file",
                &pw_file,
                "--new-password-file",
                &new_file,
            ],
            None,
            None,
            true,
        ),
        (
            vec![
                "convert",
                &ours_path,
                "--to",
                "ours",
                "--out",
                out1,
                "--password-file",
                &wrong_file,
            ],
            None,
            None,
            false,
        ),
        (
            vec![
                "convert",
                &ours_path,
                "--to",
                "ours",
                "--out",
                out1,
                "--password-file",
                &pw_file,
                "--iterations",
                "5",
            ],
            None,
            None,
            false,
        ),
        (
            vec!["password-check", "--password-file", &pw_file],
            None,
            None,
            true,
        ),
        (vec!["password-check"], None, Some(PASSWORD), true),
        (
            vec!["phrase", "check", "--phrase-file", &phrase_file],
            None,
            None,
            true,
        ),
        (
            vec!["phrase", "check", "--phrase-file", &typo_file],
            None,
            None,
            false,
        ),
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
        (
            vec![
                "keys",
                "--phrase-file",
                &phrase_file,
                "--network",
                "testnet",
                "--idp",
                "0",
                "--identity",
                "0",
                "--credential",
                "0",
            ],
            None,
            None,
            true,
        ),
        (
            vec![
                "keys",
                "--phrase-file",
                &seed_file,
                "--network",
                "testnet",
                "--idp",
                "0",
                "--identity",
                "0",
                "--credential",
                "0",
            ],
            None,
            None,
            true,
        ),
        (
            vec![
                "keys",
                "--phrase-file",
                &typo_file,
                "--network",
                "testnet",
                "--idp",
                "0",
                "--identity",
                "0",
                "--credential",
                "0",
            ],
            None,
            None,
            false,
        ),
        (
            vec![
                "keys",
                "--phrase-file",
                &phrase_file,
                "--network",
                "nonet",
                "--idp",
                "0",
                "--identity",
                "0",
                "--credential",
                "0",
            ],
            None,
            None,
            false,
        ),
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
                String::from_utf8_lossy(&o.stderr)
            );
            assert_clean(
                &format!("{what} stdout"),
                &String::from_utf8_lossy(&o.stdout),
                &needles,
            );
            assert_clean(
                &format!("{what} stderr"),
                &String::from_utf8_lossy(&o.stderr),
                &needles,
            );
            runs += 1;
        }
    }
    assert_eq!(runs, cases.len() * 3);

    // The search is not vacuous: `keys --show-secrets` prints exactly what was searched for
    // (and still neither the phrase, the seed nor a password).
    let o = run(
        &[
            "keys",
            "--phrase-file",
            &phrase_file,
            "--network",
            "testnet",
            "--idp",
            "0",
            "--identity",
            "0",
            "--credential",
            "0",
            "--show-secrets",
        ],
        None,
        None,
    );
    assert!(o.status.success());
    let shown = String::from_utf8_lossy(&o.stdout);
    for (name, bytes) in secrets.key_bytes().into_iter().skip(1) {
        assert!(
            shown.contains(&hex(&bytes)),
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
