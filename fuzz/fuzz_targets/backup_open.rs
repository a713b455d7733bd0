//! Arbitrary bytes as a backup file: `format::inspect` and `format::open` must never panic, the
//! key derivation must never run above the (lowered) iteration cap, a file is opened only when it
//! is a valid file, and what opens survives a re-export.
//!
//! The password is the one of the committed seeds (and of docs/backup-format.md's worked
//! example), so the fuzzer reaches the decryption path; the cap is lowered to 2,000 iterations so
//! it is not stuck in PBKDF2 (the seeds use 1,000).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use wallet_core::format::{self, ours, FileKind, OpenOptions};
use wallet_core::kdf::{KdfObserver, NoProgress};
use wallet_core::password::Password;

const PASSWORD: &str = "correct horse café";
const MAX_ITERATIONS: u32 = 2_000;

/// Fails the run when a key derivation above the cap starts.
struct CapGuard;

impl KdfObserver for CapGuard {
    fn on_progress(&self, _done: u32, total: u32) {
        assert!(
            total <= MAX_ITERATIONS,
            "a {total}-iteration derivation ran"
        );
    }
    fn is_cancelled(&self) -> bool {
        false
    }
}

fuzz_target!(|data: &[u8]| {
    let password = Password::from_bytes(PASSWORD.as_bytes()).unwrap();
    let options = OpenOptions {
        max_iterations: MAX_ITERATIONS,
        ..OpenOptions::default()
    };
    let inspected = format::inspect(data);
    let opened = format::open(data, &password, &options, &CapGuard);
    for message in [
        inspected.as_ref().err().map(|e| format!("{e} {e:?}")),
        opened.as_ref().err().map(|e| format!("{e} {e:?}")),
    ]
    .into_iter()
    .flatten()
    {
        assert!(!message.contains(PASSWORD), "an error shows the password");
    }
    let opened = match opened {
        Ok(o) => o,
        Err(_) => return,
    };
    // Opened, so it is a valid file: inspect agrees on what it is.
    let info = inspected.expect("open accepted a file that inspect refuses");
    assert_eq!(info.kind, opened.kind);
    assert_eq!(info.iterations, u64::from(opened.iterations));
    assert!(opened.iterations <= MAX_ITERATIONS);
    assert!(info.within_limits);
    if opened.kind == FileKind::Ours {
        assert_eq!(info.intact, Some(true));
        assert_eq!(info.environment, opened.data.environment);
        // Re-exported with the file's own parameters, it opens to the same wallet.
        let envelope: Value = serde_json::from_slice(data).unwrap();
        let parsed = ours::parse(data, &envelope).unwrap();
        let nonce: [u8; ours::NONCE_LEN] = parsed.metadata.nonce[..].try_into().unwrap();
        let again = ours::encrypt_with(
            &opened.data,
            &password,
            opened.iterations,
            parsed.metadata.salt.clone(),
            nonce,
            &NoProgress,
        )
        .expect("an opened wallet re-exports");
        let reopened = format::open(&again, &password, &options, &NoProgress)
            .expect("a re-exported wallet opens");
        assert_eq!(reopened.data, opened.data);
    }
});
