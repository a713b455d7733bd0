//! The `wallet` command line against hostile and careless input: outputs that would destroy the
//! wallet or replace special files, endless inputs, names that redraw the terminal, password files
//! from Windows editors, store problems that are I/O and not damage, concurrent imports, and
//! paths of the wrong kind. Every command runs as a real process.
#![cfg(unix)]

mod common;

use common::scratch;

use std::io::Write;
use std::os::unix::fs::{symlink, FileTypeExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::{json, Value};

use common::{json_out, run_wallet as wallet, stderr, stdout, wallet_command as command};

use wallet_core::format::{self, BackupFormat, ExportOptions, OpenOptions};
use wallet_core::kdf::NoProgress;
use wallet_core::model::WalletData;

const PASSPHRASE: &str = "hostile-input storage passphrase";
const PASSWORD: &str = "hostile-input backup password";

/// The exit code, with the output in the panic message when it is not `code`.
fn assert_exit(o: &Output, code: i32, what: &str) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "{what}: {:?}\nstdout: {}\nstderr: {}",
        o.status,
        stdout(o),
        stderr(o)
    );
}

/// A valid mainnet/testnet account address (Base58Check, version 1) made from `n`.
fn address(n: u32) -> String {
    let mut payload = [0x5au8; 32];
    payload[..4].copy_from_slice(&n.to_be_bytes());
    bs58::encode(payload).with_check_version(1).into_string()
}

/// A testnet wallet: one identity named `identity` (told apart by `tag`) with the given accounts,
/// and the given contacts.
fn wallet_data(
    tag: u32,
    identity: &str,
    accounts: &[(&str, String)],
    contacts: &[(&str, String)],
) -> WalletData {
    let accs: Vec<Value> = accounts
        .iter()
        .map(|(name, addr)| {
            json!({
                "name": name, "address": addr, "submissionId": "",
                "accountKeys": {"keys": {"0": {"keys": {"0": {"signKey": "44", "verifyKey": "55"}}, "threshold": 1}}, "threshold": 1},
                "commitmentsRandomness": {"idCredSecRand": "66", "prfRand": "77"},
                "revealedAttributes": {}, "credential": {"v": 0, "value": {}},
                "encryptionSecretKey": "aa",
            })
        })
        .collect();
    let w = json!({"type": "concordium-mobile-wallet-data", "v": 1, "environment": "testnet",
    "value": {
        "identities": [{
            "name": identity,
            "nextAccountNumber": accounts.len(),
            "identityProvider": {"ipInfo": {"ipIdentity": 0, "ipDescription": {"name": "Test IP", "url": "", "description": ""}}, "arsInfos": {}, "metadata": {}},
            "identityObject": {"preIdentityObject": {"pubInfoForIp": {"idCredPub": format!("{tag:08x}")}}},
            "privateIdObjectData": {"aci": {"prfKey": "22"}, "randomness": "33"},
            "accounts": accs,
        }],
        "recipients": contacts.iter().map(|(n, a)| json!({"name": n, "address": a})).collect::<Vec<_>>(),
    }});
    WalletData::from_json(w.to_string().as_bytes()).unwrap()
}

/// Writes `data` as a backup in our format under `password`, through the library's export.
fn backup_file(path: &Path, data: &WalletData, password: &str) {
    let bytes = format::export(
        data,
        &common::password(password),
        &ExportOptions {
            format: BackupFormat::Ours,
            iterations: None,
        },
        &NoProgress,
    )
    .unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn simple_backup(dir: &Path, name: &str, tag: u32) -> PathBuf {
    let p = dir.join(name);
    let data = wallet_data(
        tag,
        &format!("identity {tag}"),
        &[("main", address(tag * 100))],
        &[("friend", address(tag * 100 + 1))],
    );
    backup_file(&p, &data, PASSWORD);
    p
}

/// A new testnet store at `dir/wallet.sqlite`; returns its path.
fn new_store(dir: &Path) -> PathBuf {
    let store = dir.join("wallet.sqlite");
    let o = wallet(
        &[
            "--store",
            store.to_str().unwrap(),
            "init",
            "--network",
            "testnet",
        ],
        &[("WALLET_STORAGE_PASSPHRASE", PASSPHRASE)],
    );
    assert_exit(&o, 0, "init");
    store
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---------------------------------------------------------------------------------------------
// 1. --out onto the store or the input

#[test]
fn out_never_resolves_to_the_store_or_the_input() {
    let d = scratch("out-store");
    let store = new_store(&d);
    let backup = simple_backup(&d, "in.backup", 1);
    let o = wallet(
        &["--store", s(&store), "import", s(&backup), "--yes"],
        &[
            ("WALLET_STORAGE_PASSPHRASE", PASSPHRASE),
            ("WALLET_PASSWORD", PASSWORD),
        ],
    );
    assert_exit(&o, 0, "import");
    let listing = |store: &Path| {
        let o = wallet(&["--store", s(store), "list", "--json"], &[]);
        assert_exit(&o, 0, "list");
        json_out(&o)
    };
    let before = listing(&store);
    let store_bytes = std::fs::read(&store).unwrap();

    // Links and other spellings of the store and its companions.
    let other = d.join("elsewhere");
    std::fs::create_dir(&other).unwrap();
    symlink(&store, other.join("link-to-store")).unwrap();
    symlink(format!("{}-wal", s(&store)), other.join("link-to-wal")).unwrap();
    std::fs::hard_link(&store, other.join("hard-link")).unwrap();
    let dotted = other.join("../wallet.sqlite");
    let outs = [
        store.clone(),
        PathBuf::from(format!("{}-wal", s(&store))),
        PathBuf::from(format!("{}-shm", s(&store))),
        PathBuf::from(format!("{}-journal", s(&store))),
        other.join("link-to-store"),
        other.join("link-to-wal"),
        other.join("hard-link"),
        dotted,
    ];
    for out in &outs {
        // A wrong passphrase: a check after the key derivation would say "wrong" (exit 3); no
        // passphrase at all: a check after the prompt would ask for one.
        for env in [
            vec![
                ("WALLET_STORAGE_PASSPHRASE", "not the passphrase"),
                ("WALLET_PASSWORD", PASSWORD),
            ],
            vec![],
        ] {
            let o = wallet(
                &["--store", s(&store), "export", "--json", "--out", s(out)],
                &env,
            );
            assert_exit(&o, 2, &format!("export --out {}", out.display()));
            assert!(
                stderr(&o).contains("the wallet store"),
                "{}: {}",
                out.display(),
                stderr(&o)
            );
            assert_eq!(json_out(&o)["error"]["kind"], "Usage");
        }
        // Convert protects the store too.
        let o = wallet(
            &[
                "--store",
                s(&store),
                "convert",
                s(&backup),
                "--to",
                "ours",
                "--out",
                s(out),
            ],
            &[("WALLET_PASSWORD", PASSWORD)],
        );
        assert_exit(&o, 2, &format!("convert --out {}", out.display()));
    }
    assert_eq!(std::fs::read(&store).unwrap(), store_bytes);
    assert_eq!(listing(&store), before);

    // Convert onto its input, however it is spelled, before any password is asked for.
    symlink(&backup, other.join("link-to-input")).unwrap();
    let backup_bytes = std::fs::read(&backup).unwrap();
    for out in [backup.clone(), other.join("link-to-input")] {
        let o = wallet(
            &["convert", s(&backup), "--to", "legacy", "--out", s(&out)],
            &[],
        );
        assert_exit(&o, 2, "convert onto its input");
        assert!(stderr(&o).contains("input file"), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read(&backup).unwrap(), backup_bytes);
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// 2. --out onto special files and symlinks

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(s(p)).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[test]
fn out_never_replaces_a_special_file_and_writes_through_a_symlink() {
    let d = scratch("out-special");
    let store = new_store(&d);
    let backup = simple_backup(&d, "in.backup", 2);
    let env = [
        ("WALLET_STORAGE_PASSPHRASE", PASSPHRASE),
        ("WALLET_PASSWORD", PASSWORD),
    ];
    let fifo = d.join("fifo");
    mkfifo(&fifo);
    let socket = d.join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let mut specials = vec![fifo.clone(), socket.clone()];
    // A device node of our own (the null device), where we may make one (root): the path a
    // careless `--out /dev/full` would replace, without touching the system's.
    let dev = d.join("device");
    let c = std::ffi::CString::new(s(&dev)).unwrap();
    // SAFETY: a valid NUL-terminated path; makedev(1, 3) is the null device.
    if unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o600, libc::makedev(1, 3)) } == 0 {
        specials.push(dev.clone());
    }
    symlink("fifo", d.join("link-to-fifo")).unwrap();
    specials.push(d.join("link-to-fifo"));
    for out in &specials {
        let o = wallet(&["--store", s(&store), "export", "--out", s(out)], &env);
        assert_exit(&o, 2, &format!("export --out {}", out.display()));
        assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
        let o = wallet(
            &["convert", s(&backup), "--to", "ours", "--out", s(out)],
            &env,
        );
        assert_exit(&o, 2, &format!("convert --out {}", out.display()));
    }
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(std::fs::metadata(&socket).unwrap().file_type().is_socket());
    if specials.contains(&dev) {
        assert!(std::fs::metadata(&dev)
            .unwrap()
            .file_type()
            .is_char_device());
    }

    // A symlink is followed: its target gets the backup, the link stays a link.
    let real = d.join("backups");
    std::fs::create_dir(&real).unwrap();
    std::fs::write(real.join("latest.backup"), b"old backup").unwrap();
    symlink("backups/latest.backup", d.join("latest")).unwrap();
    for (i, args) in [
        vec!["--store", s(&store), "export", "--out"],
        vec!["convert", s(&backup), "--to", "ours", "--out"],
    ]
    .into_iter()
    .enumerate()
    {
        let out = d.join("latest");
        let mut args = args.clone();
        args.push(s(&out));
        let o = wallet(&args, &env);
        assert_exit(&o, 0, &format!("write through a symlink ({i})"));
        assert!(std::fs::symlink_metadata(&out)
            .unwrap()
            .file_type()
            .is_symlink());
        let written = std::fs::read(real.join("latest.backup")).unwrap();
        let opened = format::open(
            &written,
            &common::password(PASSWORD),
            &OpenOptions::default(),
            &NoProgress,
        )
        .unwrap();
        assert_eq!(opened.data.environment.unwrap().to_string(), "testnet");
        let names: Vec<String> = std::fs::read_dir(&real)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["latest.backup"], "a temporary file was left");
    }
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// 12. a long --out name; a directory as the store

#[test]
fn a_240_character_out_name_works() {
    let d = scratch("long-name");
    let backup = simple_backup(&d, "in.backup", 3);
    let out = d.join(format!("{}.backup", "w".repeat(233)));
    assert_eq!(out.file_name().unwrap().len(), 240);
    let o = wallet(
        &["convert", s(&backup), "--to", "ours", "--out", s(&out)],
        &[("WALLET_PASSWORD", PASSWORD)],
    );
    assert_exit(&o, 0, "convert to a 240-character name");
    assert!(out.is_file());
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_directory_as_the_store_is_named_as_such() {
    let d = scratch("store-dir");
    let env = [("WALLET_STORAGE_PASSPHRASE", PASSPHRASE)];
    for args in [
        vec!["--store", s(&d), "list"],
        vec!["--store", s(&d), "init", "--network", "testnet"],
        vec!["--store", s(&d), "contacts", "add", "A", "x"],
    ] {
        let o = wallet(&args, &env);
        assert_exit(&o, 2, &args.join(" "));
        let err = stderr(&o);
        assert!(err.contains("is a directory"), "{err}");
        assert!(
            !err.contains("wallet init") && !err.contains("already exists"),
            "{err}"
        );
    }
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// 4. endless inputs

/// Runs `cmd` with its address space limited to 1 GiB, so a reader without a cap dies of
/// allocation failure (instead of taking the machine's memory) and the test fails.
fn bounded(mut cmd: Command) -> Command {
    // SAFETY: between fork and exec only setrlimit, which is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            let l = libc::rlimit {
                rlim_cur: 1 << 30,
                rlim_max: 1 << 30,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &l) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd
}

/// Feeds `path` (a FIFO) or a child's stdin with bytes until the reader goes away.
fn endless_writer(mut w: impl Write + Send + 'static) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let chunk = [b'a'; 65536];
        while w.write_all(&chunk).is_ok() {}
    })
}

fn assert_capped(o: &Output, cap: &str, what: &str) {
    assert_exit(o, 4, what);
    let err = stderr(o);
    assert!(
        err.contains(cap),
        "{what}: the message should name the cap {cap}: {err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{what}: {err}");
}

#[test]
fn every_input_is_read_with_a_cap() {
    let d = scratch("caps");
    let store = new_store(&d);
    let backup = simple_backup(&d, "in.backup", 4);
    let pw = d.join("pw");
    std::fs::write(&pw, PASSWORD).unwrap();
    let env = [
        ("WALLET_STORAGE_PASSPHRASE", PASSPHRASE),
        ("WALLET_PASSWORD", PASSWORD),
    ];
    let backup_cap = "67108864 bytes";
    let text_cap = "65536 bytes";
    let out = d.join("out.backup");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["inspect", "/dev/zero"], backup_cap),
        (vec!["verify", "/dev/zero"], backup_cap),
        (
            vec!["--store", s(&store), "import", "/dev/zero", "--yes"],
            backup_cap,
        ),
        (
            vec!["convert", "/dev/zero", "--to", "ours", "--out", s(&out)],
            backup_cap,
        ),
        (
            vec!["verify", s(&backup), "--password-file", "/dev/zero"],
            text_cap,
        ),
        (
            vec!["password-check", "--password-file", "/dev/zero"],
            text_cap,
        ),
        (
            vec!["phrase", "check", "--phrase-file", "/dev/zero"],
            text_cap,
        ),
        (
            "keys --phrase-file /dev/zero --network testnet --idp 0 --identity 0 --credential 0"
                .split(' ')
                .collect(),
            text_cap,
        ),
    ];
    for (args, cap) in &cases {
        let o = bounded(command(args, &env)).output().unwrap();
        assert_capped(&o, cap, &args.join(" "));
    }

    // A FIFO whose writer never stops.
    let fifo = d.join("fifo");
    mkfifo(&fifo);
    for args in [
        vec!["inspect", s(&fifo)],
        vec!["verify", s(&backup), "--password-file", s(&fifo)],
    ] {
        let child = bounded(command(&args, &env))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Opening a FIFO for writing waits for the reader.
        let feeder = endless_writer(std::fs::OpenOptions::new().write(true).open(&fifo).unwrap());
        let o = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        let cap = if args[0] == "inspect" {
            backup_cap
        } else {
            text_cap
        };
        assert_capped(&o, cap, &args.join(" "));
    }

    // `phrase check` on an endless stdin.
    let mut child: Child = bounded(command(&["phrase", "check"], &[]))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let feeder = endless_writer(child.stdin.take().unwrap());
    let o = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert_capped(&o, text_cap, "phrase check on an endless stdin");
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// 5. names that would drive the terminal

/// Characters that must never reach a terminal raw.
const HOSTILE: [char; 12] = [
    '\u{1b}', '\r', '\0', '\u{7}', '\u{7f}', '\u{9b}', '\u{202e}', '\u{202a}', '\u{2066}',
    '\u{2069}', '\u{200f}', '\u{feff}',
];

fn assert_no_raw_hostile(text: &str, what: &str) {
    for c in HOSTILE {
        assert!(
            !text.contains(c),
            "{what}: raw U+{:04X} in the output:\n{text:?}",
            c as u32
        );
    }
}

#[test]
fn names_with_control_and_bidi_characters_are_shown_escaped() {
    let d = scratch("names");
    let identity = "Savings\u{1b}[2J\u{1b}[H\rTrusted\u{7}\0";
    let account = "main\u{202e}exe.txt\u{202c}\u{9b}31m";
    let contact = "Bob\u{2066}\u{200f}\u{feff}\u{7f}\u{2069}";
    let data = wallet_data(
        5,
        identity,
        &[(account, address(500))],
        &[(contact, address(501))],
    );
    let backup = d.join("names.backup");
    backup_file(&backup, &data, PASSWORD);
    let store = new_store(&d);
    let env = [
        ("WALLET_STORAGE_PASSPHRASE", PASSPHRASE),
        ("WALLET_PASSWORD", PASSWORD),
    ];

    // Human output: escaped and visible.
    let o = wallet(&["verify", s(&backup)], &env);
    assert_exit(&o, 0, "verify");
    let text = stdout(&o);
    assert_no_raw_hostile(&text, "verify");
    assert!(
        text.contains(r"Savings\u{1b}[2J\u{1b}[H\u{d}Trusted\u{7}\u{0}"),
        "{text}"
    );
    assert!(
        text.contains(r"main\u{202e}exe.txt\u{202c}\u{9b}31m"),
        "{text}"
    );

    let o = wallet(&["--store", s(&store), "import", s(&backup), "--yes"], &env);
    assert_exit(&o, 0, "import");
    assert_no_raw_hostile(&stdout(&o), "import");
    assert!(stdout(&o).contains(r"Bob\u{2066}\u{200f}\u{feff}\u{7f}\u{2069}"));
    let o = wallet(&["--store", s(&store), "list"], &env);
    assert_exit(&o, 0, "list");
    assert_no_raw_hostile(&stdout(&o), "list");
    assert!(stdout(&o).contains(r"Bob\u{2066}"), "{}", stdout(&o));

    // JSON output: JSON escapes, and the names exactly as in the file.
    for args in [
        vec!["verify", "--json", s(&backup)],
        vec!["--store", s(&store), "list", "--json"],
    ] {
        let o = wallet(&args, &env);
        assert_exit(&o, 0, &args.join(" "));
        assert_no_raw_hostile(&stdout(&o), &args.join(" "));
        let v = json_out(&o);
        let ident = &v["identityList"][0];
        assert_eq!(ident["name"], identity);
        assert_eq!(ident["accounts"][0]["name"], account);
    }
    let v = json_out(&wallet(&["--store", s(&store), "list", "--json"], &env));
    assert_eq!(v["contacts"][0]["name"], contact);

    // The store keeps the names exactly: a backup made from it holds them byte for byte.
    let out = d.join("out.backup");
    let o = wallet(&["--store", s(&store), "export", "--out", s(&out)], &env);
    assert_exit(&o, 0, "export");
    let opened = format::open(
        &std::fs::read(&out).unwrap(),
        &common::password(PASSWORD),
        &OpenOptions::default(),
        &NoProgress,
    )
    .unwrap();
    let ids = &opened.data.value.identities;
    assert_eq!(ids[0].name, identity);
    assert_eq!(ids[0].accounts[0].name, account);
    assert_eq!(opened.data.value.recipients[0].name, contact);
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// 7. a password file with a byte-order mark

#[test]
fn a_password_file_with_a_byte_order_mark_holds_the_password() {
    let d = scratch("bom");
    let backup = simple_backup(&d, "in.backup", 6);
    let pw = d.join("pw.txt");
    std::fs::write(&pw, format!("\u{feff}{PASSWORD}\r\n")).unwrap();
    let o = wallet(
        &["verify", "--json", s(&backup), "--password-file", s(&pw)],
        &[],
    );
    assert_exit(&o, 0, "verify with a BOM in the password file");
    let bom_password = format!("\u{feff}{PASSWORD}");
    let o = wallet(
        &["verify", "--json", s(&backup)],
        &[("WALLET_PASSWORD", &bom_password)],
    );
    assert_exit(&o, 0, "verify with a BOM in WALLET_PASSWORD");

    // And a backup written with such a file opens with the password as typed.
    let out = d.join("out.backup");
    let o = wallet(
        &[
            "convert",
            s(&backup),
            "--to",
            "ours",
            "--out",
            s(&out),
            "--password-file",
            s(&pw),
            "--new-password-file",
            s(&pw),
        ],
        &[],
    );
    assert_exit(&o, 0, "convert");
    assert!(format::open(
        &std::fs::read(&out).unwrap(),
        &common::password(PASSWORD),
        &OpenOptions::default(),
        &NoProgress,
    )
    .is_ok());
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// 10. store I/O problems; iterations out of range

#[test]
fn iterations_out_of_range_are_a_usage_error_before_any_key_derivation() {
    let d = scratch("iterations");
    let store = new_store(&d);
    let backup = simple_backup(&d, "in.backup", 7);
    let out = d.join("out.backup");
    for (args, env) in [
        // A wrong passphrase: checked after the derivation it would be exit 3.
        (
            vec![
                "--store",
                s(&store),
                "export",
                "--out",
                s(&out),
                "--iterations",
                "5",
            ],
            vec![("WALLET_STORAGE_PASSPHRASE", "wrong passphrase")],
        ),
        (
            vec![
                "--store",
                s(&store),
                "export",
                "--legacy",
                "--out",
                s(&out),
                "--iterations",
                "99999",
            ],
            vec![("WALLET_STORAGE_PASSPHRASE", "wrong passphrase")],
        ),
        (
            vec![
                "--store",
                s(&store),
                "export",
                "--out",
                s(&out),
                "--iterations",
                "4000000000",
            ],
            vec![],
        ),
        // A wrong password: checked after opening it would be exit 3.
        (
            vec![
                "convert",
                s(&backup),
                "--to",
                "ours",
                "--out",
                s(&out),
                "--iterations",
                "5",
            ],
            vec![("WALLET_PASSWORD", "wrong password")],
        ),
    ] {
        let o = wallet(&args, &env);
        assert_exit(&o, 2, &args.join(" "));
        assert!(stderr(&o).contains("iterations"), "{}", stderr(&o));
    }
    assert!(!out.exists());
    std::fs::remove_dir_all(&d).unwrap();
}

/// Runs `cmd` as an unprivileged user when the test runs as root (root ignores file
/// permissions, so a read-only or unreadable store would not be one); `dir` is handed to that
/// user first.
fn unprivileged(mut cmd: Command, dir: &Path) -> Command {
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } != 0 {
        return cmd;
    }
    const NOBODY: u32 = 65534;
    for entry in walk(dir) {
        std::os::unix::fs::lchown(&entry, Some(NOBODY), Some(NOBODY)).unwrap();
    }
    // SAFETY: between fork and exec only setgroups, setgid and setuid, which are
    // async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setgroups(0, std::ptr::null()) != 0
                || libc::setgid(NOBODY) != 0
                || libc::setuid(NOBODY) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = vec![dir.to_path_buf()];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(walk(&p));
        } else {
            v.push(p);
        }
    }
    v
}

fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn assert_io_error(o: &Output, words: &str, what: &str) {
    assert_exit(o, 5, what);
    let err = stderr(o);
    assert!(err.contains(words), "{what}: {err}");
    assert!(
        !err.contains("damaged") && !err.contains("wallet init"),
        "{what}: {err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{what}: {err}");
}

#[test]
fn store_problems_of_the_file_system_are_io_errors_with_their_cause() {
    let d = scratch("store-io");
    // The unprivileged user must be able to reach the directory.
    chmod(&d, 0o755);
    let store = new_store(&d);
    let contact = address(800);
    let add = |store: &Path| {
        command(
            &["--store", s(store), "contacts", "add", "Zoe", &contact],
            &[],
        )
    };
    let list = |store: &Path| command(&["--store", s(store), "list"], &[]);

    // A read-only store file: it lists, but cannot be changed.
    chmod(&store, 0o400);
    let o = unprivileged(list(&store), &d).output().unwrap();
    assert_exit(&o, 0, "list a read-only store");
    let o = unprivileged(add(&store), &d).output().unwrap();
    assert_io_error(&o, "read-only", "add a contact to a read-only store");

    // A store the user may not read at all.
    chmod(&store, 0o000);
    let o = unprivileged(list(&store), &d).output().unwrap();
    assert_io_error(&o, "permission denied", "list an unreadable store");
    chmod(&store, 0o600);

    // A read-only directory: SQLite cannot make its -wal and -shm files next to the store.
    chmod(&d, 0o555);
    let o = unprivileged(add(&store), &d).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(5),
        "read-only directory: {}",
        stderr(&o)
    );
    chmod(&d, 0o755);
    // SQLite gave the -wal and -shm files it made for the read-only store that store's mode.
    for suffix in ["-wal", "-shm"] {
        let companion = PathBuf::from(format!("{}{suffix}", s(&store)));
        if companion.exists() {
            chmod(&companion, 0o600);
        }
    }
    let o = unprivileged(add(&store), &d).output().unwrap();
    assert_exit(&o, 0, "add once the directory is writable again");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_store_locked_by_another_writer_is_an_io_error() {
    let d = scratch("store-busy");
    let store = new_store(&d);
    let conn = rusqlite::Connection::open(&store).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; UPDATE wallet SET revision = revision WHERE id = 1;")
        .unwrap();
    let add = || {
        let zoe = address(900);
        wallet(&["--store", s(&store), "contacts", "add", "Zoe", &zoe], &[])
    };
    // The command waits for the lock (SQLite's busy timeout), then gives up.
    let o = add();
    assert_io_error(
        &o,
        "locked",
        "add a contact while another writer holds the store",
    );
    conn.execute_batch("ROLLBACK").unwrap();
    drop(conn);
    let o = add();
    assert_exit(&o, 0, "add once the writer is gone");
    std::fs::remove_dir_all(&d).unwrap();
}

// ---------------------------------------------------------------------------------------------
// 11. concurrent imports

#[test]
fn concurrent_imports_with_yes_all_go_through() {
    let d = scratch("concurrent");
    let store = new_store(&d);
    let env = [
        ("WALLET_STORAGE_PASSPHRASE", PASSPHRASE),
        ("WALLET_PASSWORD", PASSWORD),
    ];
    // Three rounds of three imports at once, each of a different backup.
    let mut expected = 0;
    for round in 0..3u32 {
        let files: Vec<PathBuf> = (0..3u32)
            .map(|i| simple_backup(&d, &format!("b{round}-{i}.backup"), 10 + round * 3 + i))
            .collect();
        let children: Vec<Child> = files
            .iter()
            .map(|f| {
                command(
                    &["--store", s(&store), "import", s(f), "--yes", "--json"],
                    &env,
                )
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
            })
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            assert_exit(&o, 0, &format!("concurrent import, round {round}"));
            assert_eq!(json_out(&o)["accountsAdded"].as_array().unwrap().len(), 1);
        }
        expected += 3;
        let o = wallet(&["--store", s(&store), "list", "--json"], &[]);
        let v = json_out(&o);
        assert_eq!(v["accounts"], expected);
        assert_eq!(v["addressBook"], expected);
    }
    std::fs::remove_dir_all(&d).unwrap();
}

/// Unmounts a file system mounted for a test, also when the test fails.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let c = std::ffi::CString::new(s(&self.0)).unwrap();
        // SAFETY: a valid NUL-terminated path.
        unsafe { libc::umount2(c.as_ptr(), libc::MNT_DETACH) };
    }
}

/// A 2 MiB tmpfs on `dir`, where this process may mount one (root with CAP_SYS_ADMIN, as in
/// CI); `None` (the test says SKIPPED) elsewhere.
fn small_file_system(dir: &Path) -> Option<Mounted> {
    let target = std::ffi::CString::new(s(dir)).unwrap();
    let fs = std::ffi::CString::new("tmpfs").unwrap();
    let data = std::ffi::CString::new("size=2m,mode=0755").unwrap();
    // SAFETY: valid NUL-terminated strings; a new tmpfs on our own scratch directory.
    let r = unsafe {
        libc::mount(
            fs.as_ptr(),
            target.as_ptr(),
            fs.as_ptr(),
            0,
            data.as_ptr().cast(),
        )
    };
    if r != 0 {
        eprintln!(
            "SKIPPED: cannot mount a small tmpfs here ({}); the full-disk test needs root",
            std::io::Error::last_os_error()
        );
        return None;
    }
    Some(Mounted(dir.to_path_buf()))
}

#[test]
fn a_full_disk_is_an_io_error_and_the_store_works_once_there_is_room() {
    let d = scratch("disk-full");
    let Some(mounted) = small_file_system(&d) else {
        std::fs::remove_dir_all(&d).unwrap();
        return;
    };
    let store = new_store(&d);
    let add = |name: &str, n: u32| {
        wallet(
            &["--store", s(&store), "contacts", "add", name, &address(n)],
            &[],
        )
    };
    // Another reader keeps the store open (as an app's UI would), so SQLite's shared-memory
    // index exists and the command needs room only for its log.
    let reader = rusqlite::Connection::open(&store).unwrap();
    let n: i64 = reader
        .query_row("SELECT count(*) FROM contact", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    let filler = d.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let chunk = vec![0u8; 65536];
    while f.write_all(&chunk).is_ok() {}
    drop(f);
    let o = add("Zoe", 1000);
    assert_io_error(&o, "the disk is full", "add a contact on a full disk");
    drop(reader);

    std::fs::remove_file(&filler).unwrap();
    let o = add("Zoe", 1000);
    assert_exit(&o, 0, "add once there is room");
    let o = wallet(&["--store", s(&store), "list", "--json"], &[]);
    assert_eq!(json_out(&o)["addressBook"], 1);
    drop(mounted);
    std::fs::remove_dir_all(&d).unwrap();
}

/// A pseudo-terminal: the child's stdin, stdout and stderr are its terminal side, the test reads
/// and types on the other.
struct Pty {
    master: std::fs::File,
    seen: String,
}

impl Pty {
    fn spawn(mut cmd: Command) -> (Self, Child) {
        use std::os::fd::FromRawFd;
        let (mut master, mut slave) = (0, 0);
        // SAFETY: out-pointers to two ints; no name, default termios and window size.
        let r = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(r, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: both descriptors were just opened and are owned here.
        let (master, slave) = unsafe {
            (
                std::fs::File::from_raw_fd(master),
                std::fs::File::from_raw_fd(slave),
            )
        };
        let child = cmd
            .stdin(slave.try_clone().unwrap())
            .stdout(slave.try_clone().unwrap())
            .stderr(slave)
            .spawn()
            .unwrap();
        // `cmd` holds the parent's copies of the terminal side; the pty reports the end only
        // once they are closed.
        drop(cmd);
        (
            Self {
                master,
                seen: String::new(),
            },
            child,
        )
    }

    /// Reads until `text` has appeared `times` times in all the output so far.
    fn wait_for(&mut self, text: &str, times: usize) {
        use std::io::Read;
        let mut buf = [0u8; 4096];
        while self.seen.matches(text).count() < times {
            match self.master.read(&mut buf) {
                Ok(n) if n > 0 => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                _ => panic!("the terminal closed before {text:?}:\n{}", self.seen),
            }
        }
    }

    fn type_line(&mut self, line: &str) {
        self.master
            .write_all(format!("{line}\n").as_bytes())
            .unwrap();
    }
}

#[test]
fn an_interactive_import_shows_the_new_preview_when_the_wallet_changed_meanwhile() {
    let d = scratch("interactive");
    let store = new_store(&d);
    let env = [
        ("WALLET_STORAGE_PASSPHRASE", PASSPHRASE),
        ("WALLET_PASSWORD", PASSWORD),
    ];
    let first = simple_backup(&d, "first.backup", 40);
    let second = simple_backup(&d, "second.backup", 41);
    let (mut pty, child) = Pty::spawn(command(&["--store", s(&store), "import", s(&first)], &env));
    pty.wait_for("Import? [y/N] ", 1);
    assert!(pty.seen.contains("Review your import"), "{}", pty.seen);
    // While the person reads the preview, another import changes the wallet.
    let o = wallet(&["--store", s(&store), "import", s(&second), "--yes"], &env);
    assert_exit(&o, 0, "the other import");
    pty.type_line("y");
    pty.wait_for("Import? [y/N] ", 2);
    assert!(
        pty.seen
            .contains("The wallet changed while you were reviewing"),
        "{}",
        pty.seen
    );
    pty.type_line("y");
    pty.wait_for("change(s) made", 1);
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{:?}\n{}", o.status, pty.seen);
    let v = json_out(&wallet(&["--store", s(&store), "list", "--json"], &[]));
    assert_eq!(v["accounts"], 2);
    assert_eq!(v["addressBook"], 2);
    std::fs::remove_dir_all(&d).unwrap();
}
