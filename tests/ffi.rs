//! The FFI layer called from Rust: the messages Kotlin and Swift will show, and the byte APIs.

mod common;

use std::sync::{Arc, Mutex};

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
