//! Arbitrary bytes as a backup file: `format::inspect` and `format::open` must never panic, the
//! key derivation must never run above the (lowered) iteration cap, a file is opened only when it
//! is a valid file, and what opens survives a re-export.
//!
//! The password and the lowered iteration cap are those of `capped_kdf`.
#![no_main]

mod capped_kdf;

use capped_kdf::{options, password, CapGuard, MAX_ITERATIONS, PASSWORD};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use wallet_core::format::{self, ours, FileKind};
use wallet_core::kdf::NoProgress;

fuzz_target!(|data: &[u8]| {
    let password = password();
    let options = options();
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
