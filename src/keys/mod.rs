//! Concordium key derivation from a BIP39 seed, bit-exact with Concordium's published vectors.
//!
//! - [`slip10`]: SLIP-0010 ed25519 (hardened-only) private key derivation.
//! - [`bls`]: `keygen_bls` and the BLS12-381 arithmetic behind credential ids.
//! - [`concordium`]: the Concordium paths and [`ConcordiumHdWallet`].
//! - [`credential`]: the commitment key, credential ids and `idCredPub`.
//! - [`address`]: account addresses.
//!
//! Secrets are [`SecretBytes`]: wiped on drop, redacted in `Debug`.

pub mod address;
pub mod bls;
pub mod concordium;
pub mod credential;
mod secret;
pub mod slip10;

use thiserror::Error;

pub use address::{validate_address, AccountAddress, ACCOUNT_ADDRESS_VERSION};
pub use bls::{keygen_bls, keygen_bls_deprecated};
pub use concordium::{
    AccountPublic, ConcordiumHdWallet, ContractAddress, DerivedAccount, IdentitySecrets,
};
pub use credential::{
    credential_id_from_prf, id_cred_pub, CommitmentKey, CredentialId, GLOBAL_COMMITMENT_KEY_HEX,
};
pub(crate) use secret::{hex_decode_into, hex_encode, HexError};
pub use secret::{Secret32, SecretBytes, Seed};
pub use slip10::ExtendedKey;

/// What can go wrong while deriving keys. No message contains a key or a seed.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// SLIP-0010 needs a seed of 16 to 64 bytes.
    #[error("The seed is {len} bytes long; key derivation needs 16 to 64 bytes.")]
    SeedLength {
        /// The seed's length in bytes.
        len: usize,
    },
    /// A path index is 2^31 or more, so it cannot be hardened.
    #[error("The derivation index {index} is too large: indices must be below 2147483648 (2^31).")]
    IndexTooLarge {
        /// The index given.
        index: u32,
    },
    /// The commitment key (from the chain's cryptographic parameters) cannot be used.
    #[error("The commitment key is invalid: {0}.")]
    InvalidCommitmentKey(String),
    /// 32 bytes given as a BLS12-381 scalar are not below the group order.
    #[error(
        "The 32-byte secret is not a valid BLS12-381 scalar (it is not below the group order)."
    )]
    NotAScalar,
    /// `prf_key + counter` is zero, so this counter has no credential id (probability ~2^-247).
    #[error("Credential number {counter} of this identity cannot be used (its PRF value is zero); use the next one.")]
    NoCredentialForCounter {
        /// The credential counter.
        counter: u8,
    },
    /// A string is not a Concordium account address.
    #[error("This is not a valid Concordium account address (Base58Check, version 1, 32 bytes).")]
    InvalidAddress,
}
