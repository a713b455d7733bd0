//! Backup formats end to end: the real legacy fixture, known-answer vectors, round trips and the
//! tamper matrix of docs/references.md §D.1.

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::Value;

use common::*;
use wallet_core::format::{self, legacy, ours, BackupFormat, ExportOptions, FileKind, OpenOptions};
use wallet_core::kdf::{pbkdf2_sha256, CancelFlag, KdfObserver, NoProgress};
use wallet_core::model::{Environment, WalletData};
use wallet_core::BackupError;

const FIXTURE: &str = "cryptox-testnet-export.concordiumwallet";

fn open(bytes: &[u8], pw: &str) -> Result<format::Opened, BackupError> {
    open_observed(bytes, pw, &NoProgress)
}

/// [`open`], telling `observer` about the key derivation.
fn open_observed(
    bytes: &[u8],
    pw: &str,
    observer: &dyn KdfObserver,
) -> Result<format::Opened, BackupError> {
    format::open(bytes, &password(pw), &OpenOptions::default(), observer)
}

/// Exports with the format's default cost.
fn export(d: &WalletData, pw: &str, format: BackupFormat) -> Result<Vec<u8>, BackupError> {
    let options = ExportOptions {
        format,
        iterations: None,
    };
    format::export(d, &password(pw), &options, &NoProgress)
}

/// A file of ours with a low iteration count, so the tamper matrix runs fast.
fn small_file(iterations: u32) -> Vec<u8> {
    ours::encrypt_with(
        &small_wallet(),
        &password("correct horse"),
        iterations,
        vec![7u8; 32],
        [9u8; 12],
        &NoProgress,
    )
    .unwrap()
}

#[test]
fn legacy_fixture_imports_with_every_field() {
    let Some(file) = fixture(FIXTURE) else { return };
    let info = format::inspect(&file).unwrap();
    assert_eq!(info.kind, FileKind::LegacyMobile);
    assert_eq!(info.iterations, 100_000);
    assert_eq!(info.salt_len, 32);

    let opened = open_with_fixture_password(&file);
    let d = &opened.data;
    assert_eq!(opened.kind, FileKind::LegacyMobile);
    assert_eq!(d.environment, Some(Environment::Testnet));
    assert_eq!(d.value.identities.len(), 2);
    assert_eq!(d.account_count(), 5);
    assert_eq!(d.value.recipients.len(), 5);
    let names: Vec<(&str, usize)> = d
        .value
        .identities
        .iter()
        .map(|i| (i.name.as_str(), i.accounts.len()))
        .collect();
    assert_eq!(names, [("My ID", 2), ("IDn2", 3)]);
    assert!(d
        .value
        .identities
        .iter()
        .flat_map(|i| &i.accounts)
        .all(|a| a.commitments_randomness.is_none()));

    // Every field preserved: the model writes back exactly the JSON content it read.
    let parsed = legacy::parse(&serde_json::from_slice(&file).unwrap()).unwrap();
    let raw = legacy::decrypt_raw(&parsed, &password("000000"), &NoProgress).unwrap();
    let original: Value = serde_json::from_slice(&raw).unwrap();
    let written: Value = serde_json::from_slice(&d.to_json()).unwrap();
    assert_eq!(written, original);
}

#[test]
fn legacy_fixture_converts_both_ways_without_loss() {
    let Some(file) = fixture(FIXTURE) else { return };
    let d = open(&file, "000000").unwrap().data;
    for fmt in [BackupFormat::Ours, BackupFormat::Legacy] {
        let out = export(&d, "a new password", fmt).unwrap();
        let back = open(&out, "a new password").unwrap();
        assert_eq!(back.data, d, "{fmt:?}");
    }
}

#[test]
fn legacy_export_matches_what_concordium_wallets_read() {
    let d = small_wallet();
    let out = export(&d, "secret!", BackupFormat::Legacy).unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    let m = &v["metadata"];
    assert_eq!(m["encryptionMethod"], "AES-256");
    assert_eq!(m["keyDerivationMethod"], "PBKDF2WithHmacSHA256");
    assert_eq!(m["iterations"], 100_000);
    assert_eq!(B64.decode(m["salt"].as_str().unwrap()).unwrap().len(), 32);
    assert_eq!(
        B64.decode(m["initializationVector"].as_str().unwrap())
            .unwrap()
            .len(),
        16
    );
    assert!(!String::from_utf8(out.clone()).unwrap().contains('\n'));
    // The published CBC decryption (independent of our writer) recovers the schema.
    let parsed = legacy::parse(&v).unwrap();
    let raw = legacy::decrypt_raw(&parsed, &password("secret!"), &NoProgress).unwrap();
    let inner: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(inner["type"], "concordium-mobile-wallet-data");
    assert_eq!(inner["v"], 1);
    assert_eq!(inner["environment"], "testnet");
}

/// docs/references.md §A.6: self-generated Desktop Wallet vectors (16-byte salt, keyLen and
/// hashAlgorithm present).
#[test]
fn desktop_export_vectors_are_recognised() {
    let cases = [
        (
            10_000,
            "eb6c81535592203c092b158f8d3909672362a6f5dbd00d9828044cbaa8b252e9",
            "tMtYTCchafus9mq3R0UlJvu8sbq4biaQGatpTvZRZ80Phf0Me4PdYYIaSVifY6qGOmeFELOd1W5/0z5ev48Akg==",
        ),
        (
            100_000,
            "a29fea0fed85c5b8610c2e5697ea41b5587139e58a388e0c7b7ced30d4e6d8df",
            "GZkVVDVXVaUTYS5go23NObvbSGlQ5ooIScXUNIDGbvXR03s42GXgVcfEpRKMUjrTV8QSUXck52xKX6pnPhBvaw==",
        ),
    ];
    for (iterations, key_hex, ct) in cases {
        let salt: Vec<u8> = (0u8..16).collect();
        let key = pbkdf2_sha256(b"password", &salt, iterations, &NoProgress).unwrap();
        assert_eq!(hex::encode(&key[..]), key_hex);
        let file = serde_json::json!({
            "cipherText": ct,
            "metadata": {
                "keyLen": 32, "iterations": iterations, "salt": "AAECAwQFBgcICQoLDA0ODw==",
                "initializationVector": "EBESExQVFhcYGRobHB0eHw==", "encryptionMethod": "AES-256",
                "keyDerivationMethod": "PBKDF2WithHmacSHA256", "hashAlgorithm": "sha256"
            }
        })
        .to_string();
        let info = format::inspect(file.as_bytes()).unwrap();
        assert_eq!(info.kind, FileKind::LegacyDesktop);
        let parsed = legacy::parse(&serde_json::from_str(&file).unwrap()).unwrap();
        let raw = legacy::decrypt_raw(&parsed, &password("password"), &NoProgress).unwrap();
        assert_eq!(
            &raw[..],
            br#"{"accounts":[],"identities":[],"addressBook":[]}"#
        );
        let err = open(file.as_bytes(), "password").unwrap_err();
        assert_eq!(err, BackupError::DesktopWalletExport);
        assert!(err.to_string().contains("Ledger"));
    }
}

#[test]
fn our_format_round_trips_and_tells_wrong_password_from_damage() {
    let d = small_wallet();
    let file = export(&d, "correct horse", BackupFormat::Ours).unwrap();
    let info = format::inspect(&file).unwrap();
    assert_eq!(info.kind, FileKind::Ours);
    assert_eq!(info.format_version, Some(1));
    assert_eq!(info.iterations, 600_000);
    assert_eq!(info.environment, Some(Environment::Testnet));
    assert_eq!(info.intact, Some(true));
    assert!(!info.weak_key_derivation);

    let back = open(&file, "correct horse").unwrap();
    assert_eq!(back.data, d);
    assert_eq!(back.iterations, 600_000);
    assert_eq!(
        open(&file, "wrong horse").unwrap_err(),
        BackupError::WrongPassword
    );
    // Same password, damaged ciphertext (checksum recomputed, so only GCM can notice).
    let forged = reseal(&file, |v| {
        let mut ct = B64.decode(v["cipherText"].as_str().unwrap()).unwrap();
        ct[10] ^= 0x01;
        v["cipherText"] = Value::String(B64.encode(ct));
    });
    assert!(matches!(
        open(&forged, "correct horse"),
        Err(BackupError::Damaged(_))
    ));
}

#[test]
fn flipping_any_byte_is_caught_before_key_derivation() {
    let file = small_file(1_000);
    assert!(open(&file, "correct horse").is_ok());
    for i in 0..file.len() {
        let mut f = file.clone();
        f[i] ^= 0x01;
        let obs = CountingObserver::default();
        let r = open_observed(&f, "correct horse", &obs);
        match r {
            Ok(_) => panic!("flip at {i} was accepted"),
            Err(BackupError::WrongPassword) => panic!("flip at {i} read as a wrong password"),
            Err(_) => {}
        }
        assert_eq!(obs.calls.get(), 0, "flip at {i} reached the key derivation");
    }
}

#[test]
fn truncation_and_trailing_garbage_are_rejected() {
    let file = small_file(1_000);
    for len in 0..file.len() {
        let r = open(&file[..len], "correct horse");
        assert!(r.is_err(), "truncation to {len} bytes was accepted");
    }
    for tail in [&b" "[..], b"\n", b"x", b"{}"] {
        let mut f = file.clone();
        f.extend_from_slice(tail);
        assert!(
            matches!(open(&f, "correct horse"), Err(BackupError::Damaged(_))),
            "trailing {tail:?} accepted"
        );
    }
}

#[test]
fn forged_metadata_fails_with_the_right_error() {
    let file = small_file(1_000);
    let pw = "correct horse";
    // Key check edited: indistinguishable from a wrong password, by design.
    let f = reseal(&file, |v| {
        v["metadata"]["keyCheck"] = Value::String(B64.encode([0u8; 16]))
    });
    assert_eq!(open(&f, pw).unwrap_err(), BackupError::WrongPassword);
    // Network edited: the metadata is associated data, so GCM rejects it.
    let f = reseal(&file, |v| {
        v["metadata"]["environment"] = Value::String("mainnet".into())
    });
    assert!(matches!(open(&f, pw), Err(BackupError::Damaged(_))));
    // Another salt gives another key: the key check fails.
    let f = reseal(&file, |v| {
        v["metadata"]["salt"] = Value::String(B64.encode([8u8; 32]))
    });
    assert_eq!(open(&f, pw).unwrap_err(), BackupError::WrongPassword);
    // Another nonce: GCM fails.
    let f = reseal(&file, |v| {
        v["metadata"]["nonce"] = Value::String(B64.encode([1u8; 12]))
    });
    assert!(matches!(open(&f, pw), Err(BackupError::Damaged(_))));
    // Iterations raised: the key check fails (after a derivation at the new cost).
    let f = reseal(&file, |v| v["metadata"]["iterations"] = 1_001.into());
    assert_eq!(open(&f, pw).unwrap_err(), BackupError::WrongPassword);
    // Future version.
    let f = reseal(&file, |v| v["metadata"]["version"] = 2.into());
    assert_eq!(
        open(&f, pw).unwrap_err(),
        BackupError::UnsupportedVersion {
            what: "backup format".into(),
            found: 2,
            supported: 1
        }
    );
    // Salt of a length we do not accept.
    let f = reseal(&file, |v| {
        v["metadata"]["salt"] = Value::String(B64.encode([8u8; 8]))
    });
    assert!(matches!(
        open(&f, pw),
        Err(BackupError::ParamsOutOfRange(_))
    ));
    // Nonce of the wrong length.
    let f = reseal(&file, |v| {
        v["metadata"]["nonce"] = Value::String(B64.encode([8u8; 16]))
    });
    assert!(matches!(
        open(&f, pw),
        Err(BackupError::ParamsOutOfRange(_))
    ));
}

#[test]
fn iteration_cap_is_enforced_before_any_derivation() {
    let file = small_file(1_000);
    for n in [10_000_001u64, u64::from(u32::MAX), 1u64 << 40] {
        let f = reseal(&file, |v| v["metadata"]["iterations"] = n.into());
        let obs = CountingObserver::default();
        let r = open_observed(&f, "correct horse", &obs);
        assert!(
            matches!(r, Err(BackupError::ParamsOutOfRange(_))),
            "{n}: {r:?}"
        );
        assert_eq!(obs.calls.get(), 0);
    }
    let low = reseal(&file, |v| v["metadata"]["iterations"] = 999.into());
    assert!(matches!(
        open(&low, "correct horse"),
        Err(BackupError::ParamsOutOfRange(_))
    ));
    // The same cap for legacy files.
    let legacy = serde_json::json!({
        "metadata": {"encryptionMethod": "AES-256", "keyDerivationMethod": "PBKDF2WithHmacSHA256",
            "iterations": 20_000_000, "salt": "AAAA", "initializationVector": "EBESExQVFhcYGRobHB0eHw=="},
        "cipherText": "tMtYTCchafus9mq3R0UlJg=="
    })
    .to_string();
    let obs = CountingObserver::default();
    let r = open_observed(legacy.as_bytes(), "whatever", &obs);
    assert!(matches!(r, Err(BackupError::ParamsOutOfRange(_))));
    assert_eq!(obs.calls.get(), 0);
}

#[test]
fn size_cap_is_enforced_before_parsing() {
    let file = small_file(1_000);
    let opts = OpenOptions {
        max_file_bytes: file.len() as u64 - 1,
        ..OpenOptions::default()
    };
    let r = format::open(&file, &password("correct horse"), &opts, &NoProgress);
    assert!(matches!(r, Err(BackupError::FileTooLarge { .. })));
    let huge = vec![b' '; (format::MAX_FILE_BYTES + 1) as usize];
    assert!(matches!(
        open(&huge, "x"),
        Err(BackupError::FileTooLarge { .. })
    ));
}

/// `d` as a legacy file under `pw` at 1,000 iterations (fixed salt and IV).
fn small_legacy_file(d: &WalletData, pw: &str) -> Vec<u8> {
    legacy::encrypt_with(d, &password(pw), 1_000, &[3u8; 32], [4u8; 16], &NoProgress).unwrap()
}

#[test]
fn legacy_files_survive_every_flip_and_truncation_without_panic() {
    let d = small_wallet();
    let file = small_legacy_file(&d, "secret!");
    assert_eq!(open(&file, "secret!").unwrap().data, d);
    let mut accepted = 0;
    for i in 0..file.len() {
        let mut f = file.clone();
        f[i] ^= 0x01;
        if open(&f, "secret!").is_ok() {
            accepted += 1;
        }
    }
    for len in 0..file.len() {
        assert!(open(&file[..len], "secret!").is_err());
    }
    // Without a MAC a few flips (e.g. in a name inside the first block, through the IV) can go
    // unnoticed: that is why our format exists. They must stay rare.
    assert!(accepted < file.len() / 20, "{accepted} flips accepted");
}

#[test]
fn non_backups_get_clear_errors() {
    let cases: [(&[u8], &str); 6] = [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n", "not a JSON backup envelope"),
        (b"hello", "not a JSON backup envelope"),
        (br#"{"a":1}"#, "no `metadata`"),
        (br#"[]"#, "no `metadata`"),
        (
            br#"{"type":"concordium-mobile-wallet-data","v":1,"value":{"identities":[]}}"#,
            "unencrypted",
        ),
    ];
    for (bytes, needle) in cases {
        match open(bytes, "password") {
            Err(BackupError::NotABackup(m)) => assert!(m.contains(needle), "{m}"),
            other => panic!("{bytes:?}: {other:?}"),
        }
    }
    // Browser-wallet Web3ID backups use a GCM envelope without our marker.
    let web3id = br#"{"metadata":{"keyLen":32,"iterations":10000,"encryptionMethod":"AES-256-GCM","salt":"AAAA","initializationVector":"AAAA","hashAlgorithm":"sha256","keyDerivationMethod":"PBKDF2WithHmacSHA256"},"cipherText":"AAAA"}"#;
    assert!(matches!(
        open(web3id, "password"),
        Err(BackupError::UnsupportedEncryption(m)) if m.contains("browser wallet")
    ));
}

#[test]
fn export_refuses_what_it_must_not_write() {
    let d = small_wallet();
    let e = export(&d, "12345", BackupFormat::Ours);
    assert_eq!(e.unwrap_err(), BackupError::PasswordTooShort { min: 6 });
    // Too weak, and too many.
    for iterations in [100_000, 10_000_001] {
        let options = ExportOptions {
            format: BackupFormat::Ours,
            iterations: Some(iterations),
        };
        assert!(
            matches!(
                format::export(&d, &password("123456"), &options, &NoProgress),
                Err(BackupError::InvalidParameters(_))
            ),
            "{iterations} iterations"
        );
    }
    let mut no_env = d.clone();
    no_env.environment = None;
    let legacy = ExportOptions {
        format: BackupFormat::Legacy,
        iterations: None,
    };
    assert_eq!(
        format::export(&no_env, &password("123456"), &legacy, &NoProgress).unwrap_err(),
        BackupError::MissingEnvironment
    );
    // Ours can carry a wallet without a network ("unknown"), and restores it as such.
    let f = export(&no_env, "123456", BackupFormat::Ours).unwrap();
    assert_eq!(format::inspect(&f).unwrap().environment, None);
    assert_eq!(open(&f, "123456").unwrap().data.environment, None);
}

#[test]
fn every_network_round_trips_in_the_metadata() {
    for env in [
        Environment::Mainnet,
        Environment::Testnet,
        Environment::Stagenet,
        Environment::Mock,
        Environment::Local,
    ] {
        let d = WalletData::empty(env);
        let f = ours::encrypt_with(
            &d,
            &password("123456"),
            1_000,
            vec![1; 16],
            [2; 12],
            &NoProgress,
        )
        .unwrap();
        assert_eq!(format::inspect(&f).unwrap().environment, Some(env));
        assert_eq!(open(&f, "123456").unwrap().data, d);
    }
}

struct CancelAfter(CancelFlag, std::cell::Cell<u32>);
impl KdfObserver for CancelAfter {
    fn on_progress(&self, _d: u32, _t: u32) {
        self.1.set(self.1.get() + 1);
        if self.1.get() == 2 {
            self.0.cancel();
        }
    }
    fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

#[test]
fn opening_and_exporting_can_be_cancelled() {
    let d = small_wallet();
    let file = export(&d, "123456", BackupFormat::Ours).unwrap();
    let obs = CancelAfter(CancelFlag::new(), Default::default());
    let r = open_observed(&file, "123456", &obs);
    assert_eq!(r.unwrap_err(), BackupError::Cancelled);
    assert_eq!(obs.1.get(), 2);
    let obs = CancelAfter(CancelFlag::new(), Default::default());
    let r = format::export(&d, &password("123456"), &ExportOptions::default(), &obs);
    assert_eq!(r.unwrap_err(), BackupError::Cancelled);
}

#[test]
fn passwords_are_normalised_in_our_format_only() {
    let d = small_wallet();
    let composed = "pässwörd";
    let decomposed = "pa\u{308}sswo\u{308}rd";
    let f = ours::encrypt_with(
        &d,
        &password(composed),
        1_000,
        vec![5; 32],
        [6; 12],
        &NoProgress,
    )
    .unwrap();
    assert!(open(&f, decomposed).is_ok());
    // The legacy format feeds raw UTF-8 to PBKDF2, as Concordium's wallets do.
    let f = legacy::encrypt_with(
        &d,
        &password(composed),
        1_000,
        &[5; 32],
        [6; 16],
        &NoProgress,
    )
    .unwrap();
    assert!(open(&f, composed).is_ok());
    assert!(open(&f, decomposed).is_err());
}

/// A legacy envelope (over a ciphertext that never gets decrypted) with `iterations` as given.
fn legacy_with_iterations(iterations: &str) -> Vec<u8> {
    format!(
        r#"{{"metadata":{{"encryptionMethod":"AES-256","keyDerivationMethod":"PBKDF2WithHmacSHA256",
        "iterations":{iterations},"salt":"AAAA","initializationVector":"EBESExQVFhcYGRobHB0eHw=="}},
        "cipherText":"tMtYTCchafus9mq3R0UlJg=="}}"#
    )
    .into_bytes()
}

#[test]
fn iteration_counts_that_are_not_whole_numbers_in_range_say_so() {
    let obs = CountingObserver::default();
    let open_legacy = |it: &str| open_observed(&legacy_with_iterations(it), "whatever", &obs);
    for (it, want_range) in [
        ("-1", true),
        ("18446744073709551616", true),
        ("1e30", true),
        ("1e9", false),
        ("100000.0", false),
        ("100000.5", false),
    ] {
        let r = open_legacy(it);
        match (&r, want_range) {
            (Err(BackupError::ParamsOutOfRange(m)), true) => {
                assert!(m.contains("iteration count"), "{it}: {m}")
            }
            (Err(BackupError::Damaged(m)), false) => {
                assert!(m.contains("not a whole number"), "{it}: {m}")
            }
            _ => panic!("{it}: {r:?}"),
        }
        assert!(!format!("{r:?}").contains("missing"), "{it}: {r:?}");
    }
    match open_legacy(r#""100000""#) {
        Err(BackupError::Damaged(m)) => assert!(m.contains("not a number"), "{m}"),
        r => panic!("{r:?}"),
    }
    assert_eq!(obs.calls.get(), 0);
    // Ours: an iteration count that is not a whole number is damage, with the same words.
    let file = small_file(1_000);
    for it in [Value::from(-1), Value::from(1e9), Value::from(100000.0)] {
        let f = reseal(&file, |v| v["metadata"]["iterations"] = it.clone());
        match open(&f, "correct horse") {
            Err(BackupError::Damaged(m)) => assert!(m.contains("iteration count"), "{it}: {m}"),
            r => panic!("{it}: {r:?}"),
        }
    }
}

#[test]
fn a_format_version_below_the_first_is_damage_not_a_reason_to_update() {
    let file = small_file(1_000);
    let f = reseal(&file, |v| v["metadata"]["version"] = 0.into());
    match open(&f, "correct horse") {
        Err(BackupError::Damaged(m)) => assert!(m.contains("version 0"), "{m}"),
        r => panic!("{r:?}"),
    }
    assert!(!format::inspect(&f)
        .unwrap_err()
        .to_string()
        .contains("update"));
}

#[test]
fn a_byte_order_mark_before_a_legacy_file_is_accepted_and_named_for_ours() {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let d = small_wallet();
    let legacy_file = small_legacy_file(&d, "correct horse");
    let with_bom = [BOM, &legacy_file[..]].concat();
    assert_eq!(open(&with_bom, "correct horse").unwrap().data, d);
    assert_eq!(
        format::inspect(&with_bom).unwrap().kind,
        FileKind::LegacyMobile
    );
    // Ours must be byte-for-byte canonical: refused, but as an edited file, not "not a backup".
    let ours_bom = [BOM, &small_file(1_000)[..]].concat();
    match open(&ours_bom, "correct horse") {
        Err(BackupError::Damaged(m)) => assert!(m.contains("byte-order mark"), "{m}"),
        r => panic!("{r:?}"),
    }
    assert!(matches!(
        format::inspect(&ours_bom),
        Err(BackupError::Damaged(_))
    ));
}
