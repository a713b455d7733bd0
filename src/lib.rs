//! Native core of a Concordium mobile wallet.
//!
//! Encrypted backups (our authenticated AES-256-GCM format and Concordium's legacy
//! `.concordiumwallet` format), the wallet data model, passwords and key derivation. The domain
//! modules know nothing of UniFFI; [`ffi`] maps them to the Kotlin and Swift bindings.

#![warn(missing_docs)]

pub mod atomic_file;
pub mod desktop_export;
pub mod error;
pub mod ffi;
pub mod flow;
pub mod format;
pub mod import_summary;
pub mod input;
pub mod json_shape;
pub mod kdf;
pub mod keys;
pub mod ledger;
pub mod model;
pub mod network;
pub mod password;
pub mod phrase;
pub mod random;
pub mod recovery;
pub mod store;

pub use error::BackupError;

/// With the `wipe-freed-heap` feature (the Android and iOS builds): every heap block the library
/// frees is overwritten with zeros first. Types that hold secrets wipe themselves on drop
/// regardless; this also covers the copies made inside dependencies (zxcvbn, serde) that no
/// destructor of ours reaches. Measured cost: see the README (Secrets).
#[cfg(feature = "wipe-freed-heap")]
#[global_allocator]
static WIPE_FREED_HEAP: zeroizing_alloc::ZeroAlloc<std::alloc::System> =
    zeroizing_alloc::ZeroAlloc(std::alloc::System);

uniffi::setup_scaffolding!("wallet_core");
