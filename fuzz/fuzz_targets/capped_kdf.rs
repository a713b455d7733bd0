//! What the backup targets share: the password of the committed seeds (and of
//! docs/backup-format.md's worked example), so that the fuzzer reaches the decryption path, and
//! a key-derivation cap of 2,000 iterations, so that it is not stuck in PBKDF2 (the seeds use
//! 1,000), with an observer that fails the run when a derivation above the cap starts.
#![allow(dead_code)]

use wallet_core::format::OpenOptions;
use wallet_core::kdf::KdfObserver;
use wallet_core::password::Password;

pub const PASSWORD: &str = "correct horse café";
pub const MAX_ITERATIONS: u32 = 2_000;

/// Fails the run when a key derivation above the cap starts.
pub struct CapGuard;

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

/// [`PASSWORD`] as a `Password`.
pub fn password() -> Password {
    Password::from_bytes(PASSWORD.as_bytes()).unwrap()
}

/// Open options with the lowered cap.
pub fn options() -> OpenOptions {
    OpenOptions {
        max_iterations: MAX_ITERATIONS,
        ..OpenOptions::default()
    }
}
