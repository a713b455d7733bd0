//! The PBKDF2 workload both KDF benchmarks time (benches/kdf.rs and bench-ref/, which include
//! this file with `#[path]`): PBKDF2-HMAC-SHA256("password", "salt", iterations), a 32-byte key,
//! through our derivation and through RustCrypto `pbkdf2`, with the inputs behind `black_box`.
#![allow(dead_code)]

use std::hint::black_box;

use wallet_core::kdf::KdfObserver;

pub const PASSWORD: &[u8] = b"password";
pub const SALT: &[u8] = b"salt";

/// One of our derivations: `pbkdf2_sha256`, or its portable loop `pbkdf2_sha256_portable`.
pub type OurKdf = fn(
    &[u8],
    &[u8],
    u32,
    &dyn KdfObserver,
) -> Result<zeroize::Zeroizing<[u8; 32]>, wallet_core::BackupError>;

/// The workload through our derivation `f`, telling `observer` its progress.
pub fn ours(f: OurKdf, iterations: u32, observer: &dyn KdfObserver) -> [u8; 32] {
    let key = f(
        black_box(PASSWORD),
        black_box(SALT),
        black_box(iterations),
        black_box(observer),
    )
    .expect("our KDF failed");
    black_box(*key)
}

/// The workload through RustCrypto `pbkdf2::pbkdf2_hmac::<sha2::Sha256>`.
pub fn rustcrypto(iterations: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
        black_box(PASSWORD),
        black_box(SALT),
        black_box(iterations),
        &mut out,
    );
    black_box(out)
}
