//! Native core of a Concordium mobile wallet.
//!
//! Encrypted backups (our authenticated AES-256-GCM format and Concordium's legacy
//! `.concordiumwallet` format), the wallet data model, passwords and key derivation. The domain
//! modules know nothing of UniFFI; [`ffi`] maps them to the Kotlin and Swift bindings.

#![warn(missing_docs)]

pub mod atomic_file;
pub mod error;
pub mod ffi;
pub mod format;
pub mod import_plan;
pub mod kdf;
pub mod keys;
pub mod model;
pub mod password;
pub mod phrase;
pub mod random;
pub mod recovery;
pub mod store;

pub use error::BackupError;

uniffi::setup_scaffolding!("wallet_core");
