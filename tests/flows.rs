//! The export and import flows screen by screen (src/flow/), on a real SQLite store: every
//! transition, every error path, wiping, and the backup reminder.

mod common;

use std::cell::Cell;
use std::path::Path;

use serde_json::Value;

use common::*;
use wallet_core::flow::{ExportFlow, ExportState, ImportFlow, ImportState, Problem, ProblemKind};
use wallet_core::format::{self, ours, BackupFormat, ExportOptions, FileKind, OpenOptions};
use wallet_core::kdf::{KdfObserver, NoProgress};
use wallet_core::model::WalletData;
use wallet_core::network::Network;
use wallet_core::store::import::{self, ImportOptions};
use wallet_core::store::{
    BackupDue, BackupStatus, ExportSnapshot, SqliteStore, StorageKey, WalletStore,
};

const FIXTURE: &str = "cryptox-testnet-export.concordiumwallet";
const KEY: [u8; 32] = [0x5a; 32];
const WRONG_KEY: [u8; 32] = [0xa5; 32];
const STRONG: &[u8] = b"Vanilla-Otter-Harbour-91";
/// An address no test wallet holds.
const ANN: &str = "3ZFGxLtnUUSJGW2WqjMh1DDjxyq5rnytCwkSqxFTpsWSFdQnNn";
/// Low-cost files for the import tests (imports accept 1,000 iterations and up).
const FAST: u32 = 1_000;

fn new_store(dir: &Path) -> SqliteStore {
    SqliteStore::create(
        &dir.join("wallet.db"),
        Network::Testnet,
        &StorageKey::from_bytes(&KEY).unwrap(),
    )
    .unwrap()
}

/// A store holding [`small_wallet`] (1 identity, 1 account, 1 contact).
fn filled_store(dir: &Path) -> SqliteStore {
    let store = new_store(dir);
    let key = StorageKey::from_bytes(&KEY).unwrap();
    import::import(&store, &small_wallet(), &key, &ImportOptions::default()).unwrap();
    store
}

fn ours_file(data: &WalletData, pw: &str) -> Vec<u8> {
    ours_file_at(data, pw, FAST)
}

fn ours_file_at(data: &WalletData, pw: &str, iterations: u32) -> Vec<u8> {
    ours::encrypt_with(
        data,
        &password(pw),
        iterations,
        vec![7u8; 32],
        [9u8; 12],
        &NoProgress,
    )
    .unwrap()
}

/// The English text of a screen, as the bindings give it.
fn text(state: &impl TextOf) -> String {
    state.text_of()
}

trait TextOf {
    fn text_of(&self) -> String;
}

impl TextOf for ExportState {
    fn text_of(&self) -> String {
        wallet_core::ffi::ExportState::from(self).text()
    }
}

impl TextOf for ImportState {
    fn text_of(&self) -> String {
        wallet_core::ffi::ImportState::from(self).text()
    }
}

fn kind(p: &Option<Problem>) -> Option<ProblemKind> {
    p.as_ref().map(|p| p.kind.clone())
}

/// Cancels at the first progress report (mid key derivation).
#[derive(Default)]
struct CancelMidway {
    progress: Cell<u32>,
}

impl KdfObserver for CancelMidway {
    fn on_progress(&self, _: u32, _: u32) {
        self.progress.set(self.progress.get() + 1);
    }
    fn is_cancelled(&self) -> bool {
        self.progress.get() > 0
    }
}

/// Unlock, information, password screens of an export, up to `ReadyToExport`.
/// (identities, accounts, contacts) added since the last saved export.
fn added(s: &BackupStatus) -> (u32, u32, u32) {
    let c = &s.changes;
    (c.identities.added, c.accounts.added, c.contacts.added)
}

fn export_ready(store: &SqliteStore) -> ExportFlow {
    let mut flow = ExportFlow::new(ExportOptions::default());
    flow.unlock(store, &KEY).unwrap();
    flow.acknowledge().unwrap();
    flow.set_password(STRONG, STRONG).unwrap();
    assert!(matches!(flow.state(), ExportState::ReadyToExport { .. }));
    flow
}

#[test]
fn export_end_to_end_with_every_password_problem() {
    let dir = scratch("export");
    let store = filled_store(&dir);
    let mut flow = ExportFlow::new(ExportOptions::default());
    assert_eq!(flow.state(), &ExportState::Unlock { problem: None });
    assert!(!text(flow.state()).is_empty());

    // Steps out of order are refused, not half-done.
    let e = flow.acknowledge().unwrap_err();
    assert_eq!((e.action, e.screen), ("continuing", "unlock"));
    assert!(flow.set_password(STRONG, STRONG).is_err());
    assert!(flow.run(&store, &NoProgress, 0).is_err());
    assert!(flow.file_bytes().is_err());
    assert!(flow.confirm_saved(&store, 0).is_err());

    // A wrong key and a key of the wrong length fail before the password screen.
    let s = flow.unlock(&store, &WRONG_KEY).unwrap().clone();
    let ExportState::Unlock { problem } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(kind(problem), Some(ProblemKind::WrongStorageKey));
    assert_eq!(
        text(&s),
        "The storage key is wrong: it does not unlock this wallet."
    );
    let s = flow.unlock(&store, &[1, 2, 3]).unwrap().clone();
    let ExportState::Unlock { problem } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(kind(problem), Some(ProblemKind::StorageKeyInvalid));
    assert!(!flow.holds_secrets());

    let s = flow.unlock(&store, &KEY).unwrap().clone();
    let ExportState::Information { contents, warning } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(
        (
            contents.identities,
            contents.accounts,
            contents.read_only_accounts,
            contents.contacts
        ),
        (1, 1, 0, 1)
    );
    assert!(warning.contains("move the funds"));
    assert!(text(&s).starts_with("The backup will hold 1 identity, 1 account and 1 contact."));
    assert!(flow.holds_secrets(), "the key is kept for run");

    assert_eq!(
        flow.acknowledge().unwrap(),
        &ExportState::ChoosePassword { feedback: None }
    );
    // Too short (5 characters, even typed twice).
    let s = flow
        .set_password("fünf5".as_bytes(), "fünf5".as_bytes())
        .unwrap()
        .clone();
    let ExportState::ChoosePassword { feedback: Some(f) } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(
        kind(&f.problem),
        Some(ProblemKind::PasswordTooShort { min: 6 })
    );
    assert_eq!(text(&s), "The password must be at least 6 characters long.");
    // Mismatched.
    let s = flow
        .set_password(STRONG, b"Vanilla-Otter-Harbour-92")
        .unwrap()
        .clone();
    let ExportState::ChoosePassword { feedback: Some(f) } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(kind(&f.problem), Some(ProblemKind::PasswordsDiffer));
    // Not text.
    let s = flow.set_password(&[0xff; 8], &[0xff; 8]).unwrap().clone();
    let ExportState::ChoosePassword { feedback: Some(f) } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(kind(&f.problem), Some(ProblemKind::PasswordNotText));
    // Weak: accepted, with the guess-time warning.
    let s = flow.set_password(b"password", b"password").unwrap().clone();
    let ExportState::ReadyToExport { feedback } = &s else {
        panic!("{s:?}")
    };
    assert!(feedback.weak && feedback.problem.is_none());
    let warning = feedback.weak_warning.as_deref().unwrap();
    assert!(warning.contains(&feedback.time_to_guess), "{warning}");
    assert_eq!(feedback.strength.as_ref().unwrap().iterations, 600_000);
    assert_eq!(text(&s), warning);
    // Back to the password screen (the password is dropped), then a strong one.
    assert_eq!(
        flow.back().unwrap(),
        &ExportState::ChoosePassword { feedback: None }
    );
    let s = flow.set_password(STRONG, STRONG).unwrap().clone();
    let ExportState::ReadyToExport { feedback } = &s else {
        panic!("{s:?}")
    };
    assert!(!feedback.weak && feedback.weak_warning.is_none());

    let before = store.summary().unwrap();
    let now = 1_735_689_600; // 2025-01-01T00:00:00Z
    let s = flow.run(&store, &NoProgress, now).unwrap().clone();
    let ExportState::Finished { file } = &s else {
        panic!("{s:?}")
    };
    assert!(
        !flow.holds_secrets(),
        "key and password are wiped once the file exists"
    );
    assert_eq!(file.file_name, "concordium-backup-20250101.wallet-backup");
    assert_eq!(file.file_type.mime_type, "application/octet-stream");
    assert_eq!(file.file_type.uti, "com.concordium.wallet-backup");
    assert_eq!(
        (
            file.contents.identities,
            file.contents.accounts,
            file.contents.contacts
        ),
        (1, 1, 1)
    );
    let bytes = flow.file_bytes().unwrap().to_vec();
    assert_eq!(file.size, bytes.len() as u64);
    let opened = format::open(
        &bytes,
        &password(std::str::from_utf8(STRONG).unwrap()),
        &OpenOptions::default(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(opened.kind, FileKind::Ours);
    assert_eq!(opened.data.value.identities.len(), 1);
    assert_eq!(
        store.summary().unwrap(),
        before,
        "an export changes nothing"
    );

    // Not yet saved: no record.
    assert_eq!(store.backup_status().unwrap().due, BackupDue::NeverExported);
    let s = flow.confirm_saved(&store, now + 5).unwrap().clone();
    assert!(matches!(s, ExportState::Saved { at, .. } if at == now + 5));
    let status = store.backup_status().unwrap();
    assert_eq!(status.due, BackupDue::UpToDate);
    assert_eq!(status.last_export_at, Some(now + 5));
    // Again: nothing changes; the bytes can still be shared.
    assert_eq!(flow.confirm_saved(&store, now + 99).unwrap(), &s);
    assert_eq!(store.backup_status().unwrap().last_export_at, Some(now + 5));
    assert_eq!(flow.file_bytes().unwrap(), &bytes[..]);
    // Closing keeps the verdict and drops the file.
    assert_eq!(flow.cancel(), &s);
    assert!(flow.file_bytes().is_err());
}

#[test]
fn export_cancelled_mid_key_derivation_changes_nothing_and_wipes() {
    let dir = scratch("export-cancel");
    let store = filled_store(&dir);
    let mut flow = export_ready(&store);
    assert!(flow.holds_secrets());
    let observer = CancelMidway::default();
    assert_eq!(
        flow.run(&store, &observer, 0).unwrap(),
        &ExportState::Cancelled
    );
    assert!(
        observer.progress.get() > 0,
        "it was cancelled during the derivation"
    );
    assert!(!flow.holds_secrets());
    assert!(flow.file_bytes().is_err());
    assert!(flow.confirm_saved(&store, 0).is_err());
    assert_eq!(store.backup_status().unwrap().due, BackupDue::NeverExported);
    assert!(
        flow.run(&store, &NoProgress, 0).is_err(),
        "a cancelled flow stays cancelled"
    );
}

#[test]
fn export_cancel_between_screens_wipes() {
    let dir = scratch("export-cancel-screen");
    let store = filled_store(&dir);
    let mut flow = export_ready(&store);
    assert_eq!(flow.cancel(), &ExportState::Cancelled);
    assert!(!flow.holds_secrets());
    assert_eq!(store.backup_status().unwrap().last_export_at, None);
}

#[test]
fn export_in_the_legacy_format_is_named_and_typed_for_it() {
    let dir = scratch("export-legacy");
    let store = filled_store(&dir);
    let mut flow = ExportFlow::new(ExportOptions {
        format: BackupFormat::Legacy,
        iterations: None,
    });
    flow.unlock(&store, &KEY).unwrap();
    flow.acknowledge().unwrap();
    let s = flow.set_password(STRONG, STRONG).unwrap().clone();
    let ExportState::ReadyToExport { feedback } = s else {
        panic!()
    };
    assert_eq!(feedback.strength.unwrap().iterations, 100_000);
    let ExportState::Finished { file } = flow.run(&store, &NoProgress, 0).unwrap().clone() else {
        panic!()
    };
    assert_eq!(
        file.file_name,
        "concordium-backup-19700101.concordiumwallet"
    );
    assert_eq!(file.file_type.uti, "com.concordium.id.concordiumwallet");
    let info = format::inspect(flow.file_bytes().unwrap()).unwrap();
    assert_eq!(info.kind, FileKind::LegacyMobile);
}

/// Import screens up to the review, for a file opening with `pw`.
fn import_to_review(store: &SqliteStore, file: Vec<u8>, pw: &[u8]) -> ImportFlow {
    let mut flow = ImportFlow::new(store, file);
    assert!(
        matches!(flow.state(), ImportState::EnterPassword { .. }),
        "{:?}",
        flow.state()
    );
    flow.submit_password(pw, &NoProgress).unwrap();
    assert_eq!(flow.state(), &ImportState::Unlock { problem: None });
    flow.unlock(store, &KEY).unwrap();
    flow
}

#[test]
fn import_the_real_fixture_wrong_password_then_right_then_again() {
    let Some(file) = fixture(FIXTURE) else { return };
    let dir = scratch("import-fixture");
    let store = new_store(&dir);
    let mut flow = ImportFlow::new(&store, file.clone());
    let ImportState::EnterPassword {
        file: facts,
        problem: None,
        failed_attempts: 0,
    } = flow.state().clone()
    else {
        panic!("{:?}", flow.state())
    };
    assert_eq!(facts.kind, FileKind::LegacyMobile);
    assert_eq!(facts.network, None, "the legacy envelope does not show it");
    assert_eq!(text(flow.state()), "Enter the password of this backup.");

    // A wrong password: again, without picking the file again. The legacy format cannot tell a
    // wrong password from damage, and says so.
    for attempt in 1..=2 {
        let s = flow
            .submit_password(b"111111", &NoProgress)
            .unwrap()
            .clone();
        let ImportState::EnterPassword {
            problem,
            failed_attempts,
            ..
        } = &s
        else {
            panic!("{s:?}")
        };
        assert_eq!(*failed_attempts, attempt);
        assert_eq!(kind(problem), Some(ProblemKind::WrongPasswordOrDamaged));
    }
    assert!(
        flow.holds_secrets(),
        "the file is kept for the next attempt"
    );
    assert!(flow.confirm(&store).is_err());

    let s = flow
        .submit_password(FIXTURE_PASSWORD, &NoProgress)
        .unwrap()
        .clone();
    assert_eq!(s, ImportState::Unlock { problem: None });
    let s = flow.unlock(&store, &WRONG_KEY).unwrap().clone();
    assert!(
        matches!(&s, ImportState::Unlock { problem } if kind(problem) == Some(ProblemKind::WrongStorageKey))
    );
    let s = flow.unlock(&store, &KEY).unwrap().clone();
    let ImportState::Review {
        outcome: review,
        problem: None,
    } = &s
    else {
        panic!("{s:?}")
    };
    assert_eq!(review.report.identities_added.len(), 2);
    assert_eq!(review.report.accounts_added.len(), 5);
    assert_eq!(review.report.contacts_added.len(), 5);
    assert_eq!(
        text(&s),
        "Review your import: it adds 2 identities, 5 accounts and 5 contacts."
    );
    assert_eq!(
        store.summary().unwrap().account_count(),
        0,
        "a review changes nothing"
    );

    let done = flow.confirm(&store).unwrap().clone();
    let ImportState::Done { outcome } = &done else {
        panic!("{done:?}")
    };
    assert_eq!(outcome, review, "the report is the review");
    assert!(
        !flow.holds_secrets(),
        "file, wallet and key are wiped after the report"
    );
    let s = store.summary().unwrap();
    assert_eq!(
        (s.identity_count(), s.account_count(), s.contact_count()),
        (2, 5, 5)
    );
    assert_eq!(flow.cancel(), &done, "a finished import stays finished");

    // The same file again: nothing new.
    let mut again = import_to_review(&store, file, FIXTURE_PASSWORD);
    let ImportState::Review { outcome, .. } = again.state().clone() else {
        panic!()
    };
    assert_eq!(outcome.report.changes(), 0);
    assert_eq!(outcome.report.already_present.len(), 12);
    assert!(text(again.state()).contains("adds nothing"));
    let revision = store.summary().unwrap().revision;
    assert!(
        matches!(again.confirm(&store).unwrap(), ImportState::Done { outcome } if outcome.report.changes() == 0)
    );
    assert_eq!(store.summary().unwrap().revision, revision);
}

#[test]
fn files_that_cannot_be_imported_are_refused_before_any_password() {
    let dir = scratch("import-refused");
    let store = new_store(&dir);
    let refused = |file: &[u8]| -> ProblemKind {
        let flow = ImportFlow::new(&store, file.to_vec());
        assert!(!flow.holds_secrets());
        match flow.state() {
            ImportState::Rejected { problem } => problem.kind.clone(),
            s => panic!("{s:?}"),
        }
    };
    let desktop = br#"{"cipherText":"tMtYTCchafus9mq3R0UlJvu8sbq4biaQGatpTvZRZ80Phf0Me4PdYYIaSVifY6qGOmeFELOd1W5/0z5ev48Akg==","metadata":{"keyLen":32,"iterations":10000,"salt":"AAECAwQFBgcICQoLDA0ODw==","initializationVector":"EBESExQVFhcYGRobHB0eHw==","encryptionMethod":"AES-256","keyDerivationMethod":"PBKDF2WithHmacSHA256","hashAlgorithm":"sha256"}}"#;
    assert_eq!(refused(desktop), ProblemKind::DesktopWalletExport);
    let flow = ImportFlow::new(&store, desktop.to_vec());
    assert!(text(flow.state()).contains("Desktop Wallet"));
    assert_eq!(refused(b"%PDF-1.7 not a backup"), ProblemKind::NotABackup);
    assert_eq!(refused(b""), ProblemKind::NotABackup);

    let file = ours_file(&small_wallet(), "correct horse");
    let future = reseal(&file, |v| v["metadata"]["version"] = 2.into());
    assert_eq!(
        refused(&future),
        ProblemKind::UnsupportedVersion {
            found: 2,
            supported: 1
        }
    );
    // Accidental damage: the checksum catches it before the key derivation.
    let mut damaged = file.clone();
    let i = damaged.len() / 2;
    damaged[i] ^= 0x01;
    assert_eq!(refused(&damaged), ProblemKind::Damaged);
    // Too costly to open.
    let costly = reseal(&file, |v| {
        v["metadata"]["iterations"] = 20_000_000u64.into()
    });
    assert_eq!(refused(&costly), ProblemKind::ParamsOutOfRange);
    // Larger than any backup, refused by its size alone.
    let mut huge = file.clone();
    huge.resize(64 * 1024 * 1024 + 1, b' ');
    assert_eq!(
        refused(&huge),
        ProblemKind::FileTooLarge {
            size: 64 * 1024 * 1024 + 1,
            max: 64 * 1024 * 1024
        }
    );
    // Another network, shown by our format without a password.
    let mut mainnet = small_wallet();
    mainnet.environment = Some(Network::Mainnet);
    assert_eq!(
        refused(&ours_file(&mainnet, "correct horse")),
        ProblemKind::NetworkMismatch {
            wallet: Network::Testnet,
            file: Network::Mainnet
        }
    );
}

#[test]
fn a_wrong_password_is_told_apart_from_a_damaged_file() {
    let dir = scratch("import-damaged");
    let store = new_store(&dir);
    let file = ours_file(&small_wallet(), "correct horse");

    let mut flow = ImportFlow::new(&store, file.clone());
    let s = flow
        .submit_password(b"wrong horse", &NoProgress)
        .unwrap()
        .clone();
    assert!(
        matches!(&s, ImportState::EnterPassword { problem, failed_attempts: 1, .. }
        if kind(problem) == Some(ProblemKind::WrongPassword))
    );
    assert_eq!(text(&s), "The password is wrong.");

    // Deliberately changed ciphertext with a recomputed checksum: only the decryption notices,
    // with the right password, and calls it damage.
    let tampered = reseal(&file, |v| {
        let c = v["cipherText"].as_str().unwrap();
        let flipped = if c.starts_with('A') { "B" } else { "A" };
        v["cipherText"] = Value::String(format!("{flipped}{}", &c[1..]));
    });
    let mut flow = ImportFlow::new(&store, tampered);
    assert!(matches!(flow.state(), ImportState::EnterPassword { .. }));
    let s = flow
        .submit_password(b"correct horse", &NoProgress)
        .unwrap()
        .clone();
    assert!(
        matches!(&s, ImportState::Rejected { problem } if problem.kind == ProblemKind::Damaged),
        "{s:?}"
    );
    assert!(!flow.holds_secrets());
    assert!(flow.submit_password(b"correct horse", &NoProgress).is_err());
}

#[test]
fn import_cancelled_mid_key_derivation_changes_nothing_and_wipes() {
    let dir = scratch("import-cancel");
    let store = new_store(&dir);
    let before = store.summary().unwrap();
    // Progress is reported every 8,192 iterations, so this file's derivation reports some.
    let file = ours_file_at(&small_wallet(), "correct horse", 100_000);
    let mut flow = ImportFlow::new(&store, file);
    let observer = CancelMidway::default();
    let s = flow
        .submit_password(b"correct horse", &observer)
        .unwrap()
        .clone();
    assert_eq!(s, ImportState::Cancelled);
    assert!(observer.progress.get() > 0);
    assert!(!flow.holds_secrets());
    assert_eq!(store.summary().unwrap(), before);
    assert_eq!(
        text(&s),
        "The import was cancelled; the wallet is unchanged."
    );

    // Cancel on the review screen: nothing is written, everything is wiped.
    let mut flow = import_to_review(
        &store,
        ours_file(&small_wallet(), "pw-123456"),
        b"pw-123456",
    );
    assert!(flow.holds_secrets());
    assert_eq!(flow.cancel(), &ImportState::Cancelled);
    assert!(!flow.holds_secrets());
    assert!(flow.confirm(&store).is_err());
    assert_eq!(store.summary().unwrap(), before);
}

#[test]
fn a_file_without_a_network_asks_for_one() {
    let dir = scratch("import-network");
    let store = new_store(&dir);
    let mut old = small_wallet();
    old.environment = None;
    let mut flow = ImportFlow::new(&store, ours_file(&old, "correct horse"));
    let s = flow
        .submit_password(b"correct horse", &NoProgress)
        .unwrap()
        .clone();
    let ImportState::ChooseNetwork {
        wallet_network,
        choices,
    } = &s
    else {
        panic!("{s:?}")
    };
    assert_eq!(*wallet_network, Network::Testnet);
    assert_eq!(choices, &[Network::Testnet, Network::Stagenet]);
    assert!(flow.choose_network(Network::Mainnet).is_err());
    assert_eq!(
        flow.choose_network(Network::Stagenet).unwrap(),
        &ImportState::Unlock { problem: None }
    );
    let s = flow.unlock(&store, &KEY).unwrap().clone();
    let ImportState::Review { outcome, .. } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(outcome.file_network, Network::Stagenet);
    assert!(outcome.network_assumed);
    assert!(matches!(
        flow.confirm(&store).unwrap(),
        ImportState::Done { .. }
    ));
}

#[test]
fn a_wallet_changed_during_the_review_gets_a_new_review() {
    let dir = scratch("import-stale");
    let store = new_store(&dir);
    let mut flow = import_to_review(
        &store,
        ours_file(&small_wallet(), "pw-123456"),
        b"pw-123456",
    );
    let ImportState::Review { outcome: first, .. } = flow.state().clone() else {
        panic!()
    };
    assert_eq!(first.report.contacts_added.len(), 1);
    // Meanwhile, the same contact is added by hand.
    let bob = &small_wallet().value.recipients[0];
    store.add_contact(&bob.name, &bob.address).unwrap();
    let s = flow.confirm(&store).unwrap().clone();
    let ImportState::Review { outcome, problem } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(kind(problem), Some(ProblemKind::WalletChanged));
    assert!(outcome.report.contacts_added.is_empty());
    assert_eq!(outcome.report.accounts_added.len(), 1);
    let ImportState::Done { outcome: done } = flow.confirm(&store).unwrap().clone() else {
        panic!()
    };
    assert_eq!(&done, outcome);
}

#[test]
fn backup_reminder_counts_changes_since_the_last_saved_export() {
    let dir = scratch("backup-due");
    let store = new_store(&dir);
    let key = StorageKey::from_bytes(&KEY).unwrap();
    let s = store.backup_status().unwrap();
    assert_eq!(
        (s.due, s.last_export_at),
        (BackupDue::NothingToBackUp, None)
    );
    store.add_contact("Ann", ANN).unwrap();
    let s = store.backup_status().unwrap();
    assert_eq!(
        s.due,
        BackupDue::NothingToBackUp,
        "an address book alone moves no funds"
    );
    assert_eq!(s.changes.contacts.added, 1);

    import::import(&store, &small_wallet(), &key, &ImportOptions::default()).unwrap();
    let s = store.backup_status().unwrap();
    assert_eq!(s.due, BackupDue::NeverExported);
    assert!(s.due.is_due());
    assert_eq!(added(&s), (1, 1, 2));

    // Export and save through the flow.
    let mut flow = export_ready(&store);
    flow.run(&store, &NoProgress, 1_000).unwrap();
    flow.confirm_saved(&store, 1_000).unwrap();
    let s = store.backup_status().unwrap();
    assert_eq!(
        (s.due, s.last_export_at),
        (BackupDue::UpToDate, Some(1_000))
    );
    assert!(s.changes.is_none());

    // A contact added, then removed again: no change in the end.
    store
        .add_contact("Cy", "3Y1RLgi5pW3x96xZ7CiDiKsTL9huU92qn6mfxpebwmtkeku8ry")
        .unwrap();
    let s = store.backup_status().unwrap();
    assert_eq!(s.due, BackupDue::ChangedSinceExport);
    assert_eq!(
        (s.changes.contacts.added, s.changes.contacts.removed),
        (1, 0)
    );
    store
        .remove_contact("Cy", "3Y1RLgi5pW3x96xZ7CiDiKsTL9huU92qn6mfxpebwmtkeku8ry")
        .unwrap();
    assert_eq!(store.backup_status().unwrap().due, BackupDue::UpToDate);
    // A contact that was in the backup removed.
    store.remove_contact("Ann", ANN).unwrap();
    let s = store.backup_status().unwrap();
    assert_eq!(
        (s.due, s.changes.contacts.removed),
        (BackupDue::ChangedSinceExport, 1)
    );

    // An import adds identities and accounts.
    if let Some(file) = fixture(FIXTURE) {
        let mut flow = import_to_review(&store, file, FIXTURE_PASSWORD);
        flow.confirm(&store).unwrap();
        let s = store.backup_status().unwrap();
        assert_eq!(added(&s), (2, 5, 5));
    }
    // A new saved export resets the count; a cancelled one does not.
    let mut cancelled = export_ready(&store);
    cancelled.run(&store, &NoProgress, 2_000).unwrap();
    drop(cancelled);
    assert_eq!(store.backup_status().unwrap().last_export_at, Some(1_000));
    let mut flow = export_ready(&store);
    flow.run(&store, &NoProgress, 3_000).unwrap();
    flow.confirm_saved(&store, 3_000).unwrap();
    let s = store.backup_status().unwrap();
    assert_eq!(
        (s.due, s.last_export_at),
        (BackupDue::UpToDate, Some(3_000))
    );

    // The record survives reopening the store.
    drop(store);
    let store = SqliteStore::open(&dir.join("wallet.db")).unwrap();
    assert_eq!(store.backup_status().unwrap().due, BackupDue::UpToDate);
}

#[test]
fn the_snapshot_is_what_the_file_held_not_what_the_wallet_holds_at_confirmation() {
    let dir = scratch("snapshot");
    let store = filled_store(&dir);
    let mut flow = export_ready(&store);
    flow.run(&store, &NoProgress, 10).unwrap();
    // Added after the file was written, before the person confirmed the save.
    store
        .add_contact("Late", "3Y1RLgi5pW3x96xZ7CiDiKsTL9huU92qn6mfxpebwmtkeku8ry")
        .unwrap();
    flow.confirm_saved(&store, 20).unwrap();
    let s = store.backup_status().unwrap();
    assert_eq!(s.due, BackupDue::ChangedSinceExport);
    assert_eq!(s.changes.contacts.added, 1);
    assert_eq!(
        ExportSnapshot::of(&small_wallet()).contacts.len(),
        1,
        "the snapshot keys contacts by address and name"
    );
}

#[test]
fn a_version_1_store_is_migrated_and_has_never_been_exported() {
    let dir = scratch("migrate-v1");
    let path = dir.join("wallet.db");
    drop(filled_store(&dir));
    {
        // Take the file back to schema version 1, as an older app left it.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE exported_item; ALTER TABLE wallet DROP COLUMN last_export_at;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let s = store.backup_status().unwrap();
    assert_eq!((s.due, s.last_export_at), (BackupDue::NeverExported, None));
    let mut flow = export_ready(&store);
    flow.run(&store, &NoProgress, 5).unwrap();
    flow.confirm_saved(&store, 5).unwrap();
    assert_eq!(store.backup_status().unwrap().due, BackupDue::UpToDate);
}
