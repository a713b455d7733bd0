//! The FFI layer called from Rust: the messages Kotlin and Swift will show, and the byte APIs.

mod common;

use std::sync::{Arc, Mutex};

use common::TEST_SEED_1;
use wallet_core::ffi::*;
use wallet_core::BackupError;

#[test]
fn every_error_keeps_its_human_message() {
    let table: Vec<(BackupError, &str)> = vec![
        (BackupError::PasswordTooShort { min: 6 }, "The password must be at least 6 characters long."),
        (BackupError::PasswordNotText, "The password is not valid text (it must be UTF-8)."),
        (BackupError::WrongPassword, "The password is wrong."),
        (
            BackupError::WrongPasswordOrDamaged,
            "The password is wrong, or the file is damaged (this older format cannot tell the two apart).",
        ),
        (BackupError::Damaged("its checksum does not match its contents".into()), "The backup file is damaged: its checksum does not match its contents."),
        (BackupError::NotABackup("the file is empty".into()), "This is not a wallet backup file: the file is empty."),
        (
            BackupError::UnsupportedVersion { what: "backup format".into(), found: 2, supported: 1 },
            "This backup uses backup format version 2, but this app reads only version 1; update the app.",
        ),
        (BackupError::FileTooLarge { size: 10, max: 5 }, "The file is 10 bytes, more than the 5 bytes a wallet backup may have."),
        (BackupError::Cancelled, "The operation was cancelled."),
    ];
    for (e, msg) in table {
        assert_eq!(e.to_string(), msg);
        let f: WalletError = e.into();
        assert_eq!(f.to_string(), msg);
    }
    let e: WalletError = BackupError::DesktopWalletExport.into();
    assert!(matches!(e, WalletError::DesktopWalletExport(ref m) if m.contains("Ledger")));
}

#[test]
fn ffi_messages_are_capped_whatever_made_them() {
    let long = "s".repeat(10_000);
    for e in [
        WalletError::InvalidParameters(long.clone()),
        WalletError::Store(long.clone()),
        WalletError::LookupFailed(long.clone()),
        WalletError::InvalidAddress(long.clone()),
    ] {
        let m = e.to_string();
        assert_eq!(
            m.chars().count(),
            wallet_core::error::MAX_MESSAGE_CHARS,
            "{e:?}"
        );
        assert!(m.ends_with('…'));
    }
    // A wallet-data problem through the FFI: the place and shape, no value.
    let key = "0123456789abcdef".repeat(4);
    let json = format!(
        r#"{{"type":"concordium-mobile-wallet-data","v":1,"value":{{"identities":[{{"name":"A",
        "privateIdObjectData":{{"prfKey":"{key}"}},"accounts":"[{{\"signKey\":\"{key}\"}}]"}}]}}}}"#
    );
    match WalletBackup::from_wallet_json(json.into_bytes()) {
        Err(WalletError::PayloadInvalid(m)) => {
            assert!(!m.contains(&key[..8]), "{m}");
            assert!(m.contains("value.identities[0].accounts"), "{m}");
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
}

struct Recorder(Mutex<Vec<(u32, u32)>>);
impl ProgressListener for Recorder {
    fn on_progress(&self, done: u32, total: u32) {
        self.0.lock().unwrap().push((done, total));
    }
}

#[test]
fn export_open_and_inspect_through_the_ffi() {
    let json = common::small_wallet().to_json().to_vec();
    let w = WalletBackup::from_wallet_json(json.clone()).unwrap();
    assert_eq!(w.source_kind(), None);
    let rec = Arc::new(Recorder(Mutex::new(vec![])));
    let file = w
        .export(
            b"correct horse".to_vec(),
            ExportSettings {
                format: ExportFormat::Ours,
                iterations: None,
            },
            Some(rec.clone()),
            None,
        )
        .unwrap();
    let calls = rec.0.lock().unwrap().clone();
    assert_eq!(calls.last(), Some(&(600_000, 600_000)));
    assert!(calls.windows(2).all(|p| p[0].0 < p[1].0));

    let info = inspect_backup(file.clone()).unwrap();
    assert_eq!(info.kind, BackupKind::Ours);
    assert_eq!(info.network.as_deref(), Some("testnet"));

    let opened = open_backup(file.clone(), b"correct horse".to_vec(), None, None).unwrap();
    assert_eq!(opened.summary(), w.summary());
    assert_eq!(opened.wallet_json(), json);
    assert_eq!(opened.source_kind(), Some(BackupKind::Ours));
    let s = opened.summary();
    assert_eq!(
        (s.identity_count, s.account_count, s.contact_count),
        (1, 1, 1)
    );
    assert_eq!(s.identities[0].provider_name.as_deref(), Some("Test IP"));

    match open_backup(file, b"wrong".to_vec(), None, None) {
        Err(WalletError::WrongPassword(m)) => assert_eq!(m, "The password is wrong."),
        Err(e) => panic!("{e:?}"),
        Ok(_) => panic!("opened with a wrong password"),
    }
    assert!(matches!(
        open_backup(vec![0xff, 0xfe], b"x".to_vec(), None, None),
        Err(WalletError::NotABackup(_))
    ));
    assert!(matches!(
        open_backup(b"{}".to_vec(), vec![0xff], None, None),
        Err(WalletError::PasswordNotText(_))
    ));
}

#[test]
fn a_cancelled_token_stops_the_export() {
    let w = WalletBackup::from_wallet_json(common::small_wallet().to_json().to_vec()).unwrap();
    let token = CancelToken::new();
    token.cancel();
    let r = w.export(
        b"123456".to_vec(),
        ExportSettings {
            format: ExportFormat::Legacy,
            iterations: None,
        },
        None,
        Some(token),
    );
    assert!(matches!(r, Err(WalletError::Cancelled(_))));
}

#[test]
fn password_check_reports_strength_and_guess_time() {
    let weak = check_password(b"123456".to_vec(), default_iterations()).unwrap();
    assert!(weak.meets_minimum);
    assert_eq!(weak.score, 0);
    assert!(weak.warning.is_some());
    let strong = check_password(
        b"violet-tractor-sings-7-oceans".to_vec(),
        default_iterations(),
    )
    .unwrap();
    assert_eq!(strong.score, 4);
    assert!(
        strong.time_to_guess.contains("centur") || strong.time_to_guess.contains("year"),
        "{}",
        strong.time_to_guess
    );
    assert!(
        !check_password(b"abc".to_vec(), 600_000)
            .unwrap()
            .meets_minimum
    );
    assert_eq!(min_password_length(), 6);
}

#[test]
fn phrases_through_the_ffi() {
    let phrase = generate_recovery_phrase().unwrap();
    let checked = check_recovery_phrase(phrase.clone()).unwrap();
    assert_eq!(checked.status, PhraseStatus::Valid);
    assert!(checked.is_24_words);
    assert_eq!(checked.message, None);
    assert_eq!(seed_from_recovery_phrase(phrase).unwrap().len(), 64);

    let typo = b"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abuot".to_vec();
    let r = check_recovery_phrase(typo).unwrap();
    assert_eq!(r.status, PhraseStatus::UnknownWords);
    assert_eq!(r.unknown_words[0].position, 12);
    assert!(r.unknown_words[0]
        .suggestions
        .contains(&"about".to_string()));
    assert_eq!(
        r.message.as_deref(),
        Some("Word 12 is not in the recovery-phrase word list.")
    );
    assert!(suggest_phrase_words(b"aban".to_vec())
        .unwrap()
        .contains(&"abandon".to_string()));
    assert!(matches!(
        seed_from_recovery_phrase(b"abandon abandon".to_vec()),
        Err(WalletError::InvalidPhrase(_))
    ));
    assert!(matches!(
        seed_from_hex(b"abcd".to_vec()),
        Err(WalletError::InvalidSeed(_))
    ));
}

struct Directory(Vec<String>, Mutex<u32>);
impl AccountDirectory for Directory {
    fn account_exists(&self, _n: Network, _cred: String, address: String) -> LookupAnswer {
        *self.1.lock().unwrap() += 1;
        if self.0.contains(&address) {
            LookupAnswer::Exists
        } else {
            LookupAnswer::Missing
        }
    }
}

#[test]
fn keys_and_restore_through_the_ffi() {
    let seed = seed_from_hex(TEST_SEED_1.as_bytes().to_vec()).unwrap();
    let d = KeyDeriver::new(seed.clone(), Network::Testnet).unwrap();
    let acc = d.account(0, 0, 1, None).unwrap();
    assert_eq!(
        acc.address,
        "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7"
    );
    let m = KeyDeriver::new(seed, Network::Mainnet).unwrap();
    assert_eq!(
        hex::encode(m.identity_secrets(3, 35).unwrap().prf_key),
        "4409e2e4acffeae641456b5f7406ecf3e1e8bd3472e2df67a9f1e8574f211bc5"
    );
    assert_eq!(
        hex::encode(m.account_secrets(0, 55, 7, None).unwrap().signing_key),
        "e4d1693c86eb9438feb9cbc3d561fbd9299e3a8b3a676eb2483b135f8dbf6eb1"
    );
    assert!(matches!(
        KeyDeriver::new(vec![1; 10], Network::Mainnet),
        Err(WalletError::InvalidSeed(_))
    ));
    assert!(matches!(
        d.account(0, 0, 0, Some("00".into())),
        Err(WalletError::KeyDerivation(_))
    ));

    // Accounts 0 and 2 of identity 0 at provider 0 exist.
    let want: Vec<String> = [0u8, 2]
        .iter()
        .map(|&c| d.account(0, 0, c, None).unwrap().address)
        .collect();
    let dir = Arc::new(Directory(want.clone(), Mutex::new(0)));
    let found = d.restore(vec![0], dir.clone(), None).unwrap();
    assert_eq!(found.len(), 1);
    let addrs: Vec<String> = found[0]
        .accounts
        .iter()
        .map(|a| a.address.clone())
        .collect();
    assert_eq!(addrs, want);
    assert_eq!(found[0].next_credential, 3);
    // Identity 0: counters 0..=22 (20 misses after counter 2); identities 1..=20: 20 each.
    assert_eq!(*dir.1.lock().unwrap(), 23 + 20 * 20);

    struct Failing;
    impl AccountDirectory for Failing {
        fn account_exists(&self, _n: Network, _c: String, _a: String) -> LookupAnswer {
            LookupAnswer::Failed {
                reason: "node unreachable".into(),
            }
        }
    }
    match d.restore(vec![0], Arc::new(Failing), None) {
        Err(WalletError::LookupFailed(m)) => assert!(m.contains("node unreachable"), "{m}"),
        other => panic!("{:?}", other.map(|v| v.len())),
    }
}

#[test]
fn the_address_book_refuses_invalid_addresses_with_a_typed_error() {
    let dir = common::scratch("contacts");
    let path = dir.join("w.sqlite").to_string_lossy().into_owned();
    let w = Wallet::create(path, "testnet".into(), vec![7u8; 32]).unwrap();
    for bad in [
        "not base58 !!",
        "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F8",
    ] {
        match w.add_contact("Foo".into(), bad.into()) {
            Err(WalletError::InvalidAddress(m)) => {
                assert!(
                    m.starts_with("This is not a valid Concordium account address"),
                    "{m}"
                )
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert!(w
        .add_contact(
            "Foo".into(),
            "4Rrg8bdCfGKVe7qMgbXS2UfRq8EbCPmdLZqSarXkHjm66Tv6F7".into()
        )
        .unwrap());
    drop(w);
    let _ = std::fs::remove_dir_all(&dir);
}
