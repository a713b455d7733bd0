//! PBKDF2-HMAC-SHA256 with progress reporting and cancellation.
//!
//! Why this is written here instead of calling the RustCrypto `pbkdf2` crate: the crate offers
//! neither progress nor cancellation, and its generic HMAC layer costs about 20 % of the speed
//! (and up to 2.7x in size-optimised profiles, docs/references.md §F). PBKDF2 with a
//! 32-byte output is one HMAC chain, so the loop below precomputes the inner and outer HMAC pad
//! states once and then runs exactly two SHA-256 compressions per iteration, which is what the C
//! `fastpbkdf2` does: on x86 CPUs with SHA extensions in the fused in-register loop of
//! `x86_sha` (see there why), elsewhere on the `sha2` crate's (ARMv8 SHA2 / software)
//! compression function.
//! Correctness is pinned by RFC 7914 §11 and the Concordium vectors in the tests below, and by a
//! comparison with the RustCrypto crate over many inputs.

use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicBool, Ordering};
use zeroize::{Zeroize, Zeroizing};

use crate::error::BackupError;

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
mod x86_sha;

/// How many iterations run between two progress reports / cancellation checks.
///
/// 8,192 iterations take well under a millisecond on a phone, so cancellation is prompt, while a
/// 600,000-iteration derivation makes only 74 callbacks.
pub const PROGRESS_STEP: u32 = 8192;

/// Receives key-derivation progress and may ask for it to stop.
///
/// Implementations must be cheap: they are called every [`PROGRESS_STEP`] iterations.
pub trait KdfObserver {
    /// `done` of `total` PBKDF2 iterations are complete.
    fn on_progress(&self, done: u32, total: u32);
    /// Returns true when the caller wants the derivation abandoned.
    fn is_cancelled(&self) -> bool;
}

/// An observer that reports nothing and never cancels.
pub struct NoProgress;

impl KdfObserver for NoProgress {
    fn on_progress(&self, _done: u32, _total: u32) {}
    fn is_cancelled(&self) -> bool {
        false
    }
}

/// A cancellation flag that can be shared between threads.
#[derive(Debug, Default)]
pub struct CancelFlag(AtomicBool);

impl CancelFlag {
    /// A flag that is not yet raised.
    pub fn new() -> Self {
        Self(AtomicBool::new(false))
    }
    /// Raises the flag: the running derivation stops at its next check.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    /// True once [`CancelFlag::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// SHA-256 state after absorbing one 64-byte block.
fn state_after(block: &[u8; 64]) -> [u32; 8] {
    let mut state = IV;
    sha2::block_api::compress256(&mut state, std::slice::from_ref(block));
    state
}

/// The PBKDF2 iteration loop: `u ← HMAC(u)`, `acc ^= u`, given the HMAC pad states.
#[derive(Clone, Copy)]
enum Chain {
    /// Two `sha2::block_api::compress256` calls per iteration (ARMv8 SHA2, SHA-NI, or software
    /// SHA-256, as the `sha2` crate detects).
    Portable,
    /// The fused in-register SHA-NI loop of [`x86_sha`].
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    ShaNi(x86_sha::ShaNi),
}

impl Chain {
    fn detect(force_portable: bool) -> Self {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        if !force_portable {
            if let Some(token) = x86_sha::ShaNi::detect() {
                return Chain::ShaNi(token);
            }
        }
        let _ = force_portable;
        Chain::Portable
    }

    fn run(self, inner: &[u32; 8], outer: &[u32; 8], u: &mut [u32; 8], acc: &mut [u32; 8], n: u32) {
        match self {
            Chain::Portable => portable_chain(inner, outer, u, acc, n),
            #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
            Chain::ShaNi(token) => token.chain(inner, outer, u, acc, n),
        }
    }
}

/// [`Chain::Portable`]: the message block after a 64-byte pad is
/// `u ‖ 0x80 ‖ 0… ‖ 768 as a 64-bit big-endian length`; only its first 32 bytes change.
fn portable_chain(
    inner: &[u32; 8],
    outer: &[u32; 8],
    u: &mut [u32; 8],
    acc: &mut [u32; 8],
    n: u32,
) {
    let mut block = Zeroizing::new([0u8; 64]);
    block[32] = 0x80;
    block[62] = 0x03; // 768 = 0x0300
    let mut finish_32 = |state: &[u32; 8], msg: &[u32; 8]| {
        for (chunk, word) in block[..32].chunks_exact_mut(4).zip(msg) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        let mut s = *state;
        sha2::block_api::compress256(&mut s, std::slice::from_ref(&*block));
        s
    };
    for _ in 0..n {
        let mut ih = finish_32(inner, u);
        *u = finish_32(outer, &ih);
        ih.zeroize();
        for (a, b) in acc.iter_mut().zip(u.iter()) {
            *a ^= b;
        }
    }
}

/// Derives a 32-byte key with PBKDF2-HMAC-SHA256.
///
/// `iterations` must be at least 1. The observer is told about progress and may cancel, in
/// which case [`BackupError::Cancelled`] is returned and nothing derived is left in memory.
pub fn pbkdf2_sha256(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    observer: &dyn KdfObserver,
) -> Result<Zeroizing<[u8; 32]>, BackupError> {
    derive(password, salt, iterations, observer, false)
}

/// [`pbkdf2_sha256`] on the portable loop even where the SHA-NI loop is available: lets tests
/// and benchmarks compare the two (feature `testing`). Not part of the supported API.
#[cfg(any(test, feature = "testing"))]
pub fn pbkdf2_sha256_portable(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    observer: &dyn KdfObserver,
) -> Result<Zeroizing<[u8; 32]>, BackupError> {
    derive(password, salt, iterations, observer, true)
}

fn derive(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    observer: &dyn KdfObserver,
    force_portable: bool,
) -> Result<Zeroizing<[u8; 32]>, BackupError> {
    if iterations == 0 {
        return Err(BackupError::InvalidParameters(
            "the key-derivation iteration count must be at least 1".into(),
        ));
    }
    // HMAC key block: keys longer than the block are hashed first (RFC 2104).
    let mut key_block = Zeroizing::new([0u8; 64]);
    if password.len() > 64 {
        let digest = Sha256::digest(password);
        key_block[..32].copy_from_slice(&digest);
    } else {
        key_block[..password.len()].copy_from_slice(password);
    }
    let mut ipad = Zeroizing::new([0u8; 64]);
    let mut opad = Zeroizing::new([0u8; 64]);
    for i in 0..64 {
        ipad[i] = key_block[i] ^ 0x36;
        opad[i] = key_block[i] ^ 0x5c;
    }
    let inner = Zeroizing::new(state_after(&ipad));
    let outer = Zeroizing::new(state_after(&opad));

    // U1 = HMAC(P, S ‖ INT(1)); the salt has arbitrary length, so use the streaming hasher.
    let mut h = Sha256::new();
    h.update(&ipad[..]);
    h.update(salt);
    h.update(1u32.to_be_bytes());
    let mut inner1 = h.finalize();
    let mut h = Sha256::new();
    h.update(&opad[..]);
    h.update(inner1.as_slice());
    let mut u1 = h.finalize();
    inner1.as_mut_slice().zeroize();

    let mut u = Zeroizing::new([0u32; 8]);
    for (word, chunk) in u.iter_mut().zip(u1.chunks_exact(4)) {
        *word = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    u1.as_mut_slice().zeroize();
    let mut acc = Zeroizing::new(*u);

    let chain = Chain::detect(force_portable);
    let mut done = 1u32;
    while done < iterations {
        if observer.is_cancelled() {
            return Err(BackupError::Cancelled);
        }
        let step = PROGRESS_STEP.min(iterations - done);
        chain.run(&inner, &outer, &mut u, &mut acc, step);
        done += step;
        observer.on_progress(done, iterations);
    }
    if iterations == 1 {
        observer.on_progress(1, 1);
    }
    let mut out = Zeroizing::new([0u8; 32]);
    for (chunk, word) in out.chunks_exact_mut(4).zip(acc.iter()) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use std::cell::Cell;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn rfc7914_first_block() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256("passwd", "salt", 1, 64); we derive the first 32 bytes.
        let k = pbkdf2_sha256(b"passwd", b"salt", 1, &NoProgress).unwrap();
        assert_eq!(
            hex(&k[..]),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
        // RFC 7914 §11: ("Password", "NaCl", 80000, 64).
        let k = pbkdf2_sha256(b"Password", b"NaCl", 80000, &NoProgress).unwrap();
        assert_eq!(
            hex(&k[..]),
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
        );
    }

    #[test]
    fn concordium_mobile_vectors() {
        // docs/references.md §A.1.2 (Android/iOS ExportInstrumentedTest / EncryptionServiceTest).
        let b64 = base64::engine::general_purpose::STANDARD;
        let k = pbkdf2_sha256(b"password", b"salt", 100_000, &NoProgress).unwrap();
        assert_eq!(
            b64.encode(&k[..]),
            "A5Si7eMyyaE+uC6bJGMWBMMd+Xi04vD70sVJlE+deaU="
        );
        let salt = b64
            .decode("Lb9ul7JP2FzxZITi+5PebOM0VMZPyl/ogzRUIZBg3zM=")
            .unwrap();
        let k = pbkdf2_sha256(b"password", &salt, 100_000, &NoProgress).unwrap();
        assert_eq!(
            b64.encode(&k[..]),
            "oPYV3DzzpCh25Z52JxnokB3c/3g9uxkjcllPp/RRcD0="
        );
    }

    #[test]
    fn six_hundred_thousand_rounds() {
        // RustCrypto pbkdf2 doc vector, extended to 32 bytes (docs/references.md §F checks the same value).
        let k = pbkdf2_sha256(b"password", b"salt", 600_000, &NoProgress).unwrap();
        assert!(hex(&k[..]).starts_with("669cfe52482116fda1aa2cbe409b2f56c8e45637"));
    }

    #[test]
    fn matches_rustcrypto_on_many_inputs() {
        // Long passwords (hashed key), empty ones, odd salt lengths, small iteration counts.
        for plen in [0usize, 1, 6, 63, 64, 65, 200] {
            for slen in [0usize, 1, 16, 32, 55, 56, 64, 100] {
                for iters in [1u32, 2, 3, 100, 8193] {
                    let p: Vec<u8> = (0..plen).map(|i| (i * 7 + 1) as u8).collect();
                    let s: Vec<u8> = (0..slen).map(|i| (i * 13 + 5) as u8).collect();
                    let mut want = [0u8; 32];
                    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(&p, &s, iters, &mut want);
                    let got = pbkdf2_sha256(&p, &s, iters, &NoProgress).unwrap();
                    assert_eq!(&got[..], &want[..], "plen={plen} slen={slen} iters={iters}");
                }
            }
        }
    }

    #[test]
    fn accelerated_and_portable_loops_agree() {
        // On a SHA-NI machine `pbkdf2_sha256` takes the fused loop; the portable loop must agree
        // bit for bit, across progress-step boundaries too.
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        eprintln!(
            "SHA-NI loop available: {}",
            x86_sha::ShaNi::detect().is_some()
        );
        for iters in [1u32, 2, 8191, 8192, 8193, 16_385, 100_000] {
            for (p, s) in [
                (&b"password"[..], &b"salt"[..]),
                (&[0xffu8; 100][..], &[][..]),
            ] {
                let fast = pbkdf2_sha256(p, s, iters, &NoProgress).unwrap();
                let portable = pbkdf2_sha256_portable(p, s, iters, &NoProgress).unwrap();
                assert_eq!(&fast[..], &portable[..], "iters={iters}");
            }
        }
        let k = pbkdf2_sha256_portable(b"Password", b"NaCl", 80000, &NoProgress).unwrap();
        assert_eq!(
            hex(&k[..]),
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
        );
    }

    struct Recorder {
        calls: Cell<u32>,
        last: Cell<(u32, u32)>,
        cancel_after: u32,
    }
    impl KdfObserver for Recorder {
        fn on_progress(&self, done: u32, total: u32) {
            assert!(done >= self.last.get().0, "progress went backwards");
            self.calls.set(self.calls.get() + 1);
            self.last.set((done, total));
        }
        fn is_cancelled(&self) -> bool {
            self.calls.get() >= self.cancel_after
        }
    }

    #[test]
    fn progress_reaches_total() {
        let r = Recorder {
            calls: Cell::new(0),
            last: Cell::new((0, 0)),
            cancel_after: u32::MAX,
        };
        pbkdf2_sha256(b"pw", b"salt", 100_000, &r).unwrap();
        assert_eq!(r.last.get(), (100_000, 100_000));
        assert_eq!(r.calls.get(), 100_000u32.div_ceil(PROGRESS_STEP));
    }

    #[test]
    fn cancellation_stops_early() {
        let r = Recorder {
            calls: Cell::new(0),
            last: Cell::new((0, 0)),
            cancel_after: 3,
        };
        let err = pbkdf2_sha256(b"pw", b"salt", 1_000_000, &r).unwrap_err();
        assert!(matches!(err, BackupError::Cancelled));
        assert_eq!(r.calls.get(), 3);
        assert!(r.last.get().0 < 1_000_000);
    }

    #[test]
    fn zero_iterations_is_an_error() {
        assert!(matches!(
            pbkdf2_sha256(b"pw", b"salt", 0, &NoProgress),
            Err(BackupError::InvalidParameters(_))
        ));
    }
}
