//! SLIP-0010 private key derivation for ed25519.
//!
//! ed25519 allows only hardened children, so every path component here is hardened: indices are
//! given as plain numbers below 2^31 and [`HARDENED`] is added to each. The master key is
//! HMAC-SHA512 with the key `"ed25519 seed"` over a 16- to 64-byte seed; a child is
//! HMAC-SHA512 with the parent's chain code as key over `0x00 ‖ parent key ‖ ser32(index + 2^31)`.
//! The left half of the HMAC is the private key (an ed25519 secret key as is), the right half the
//! chain code. Pinned by the SLIP-0010 test vectors (`satoshilabs/slips: slip-0010.md`) and, through
//! the Concordium paths, by Concordium's vectors.

use ed25519_dalek::SigningKey;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha512;

use super::{KeyError, Secret32};

/// Added to an index to make it hardened.
pub const HARDENED: u32 = 0x8000_0000;

/// The shortest seed SLIP-0010 accepts, in bytes (128 bits).
pub const MIN_SEED_LEN: usize = 16;

/// The longest seed SLIP-0010 accepts, in bytes (512 bits).
pub const MAX_SEED_LEN: usize = 64;

/// The HMAC key of the ed25519 master key.
const CURVE_KEY: &[u8] = b"ed25519 seed";

/// A private key and its chain code at some point of a derivation path. Both are wiped on drop and
/// redacted in `Debug`.
#[derive(Clone, Debug)]
pub struct ExtendedKey {
    private_key: Secret32,
    chain_code: Secret32,
}

impl ExtendedKey {
    /// The master key `m` of `seed` (16 to 64 bytes).
    pub fn master(seed: &[u8]) -> Result<Self, KeyError> {
        if !(MIN_SEED_LEN..=MAX_SEED_LEN).contains(&seed.len()) {
            return Err(KeyError::SeedLength { len: seed.len() });
        }
        Ok(hmac_split(CURVE_KEY, &[seed]))
    }

    /// The hardened child `index'` (so `index` must be below 2^31).
    pub fn child(&self, index: u32) -> Result<Self, KeyError> {
        let hardened = harden(index)?;
        Ok(hmac_split(
            self.chain_code.as_bytes(),
            &[&[0u8], self.private_key.as_bytes(), &hardened.to_be_bytes()],
        ))
    }

    /// The key at `m/path[0]'/path[1]'/…` from `seed`: every component is hardened.
    pub fn derive(seed: &[u8], path: &[u32]) -> Result<Self, KeyError> {
        let mut key = Self::master(seed)?;
        for &index in path {
            key = key.child(index)?;
        }
        Ok(key)
    }

    /// The 32-byte private key (an ed25519 secret key).
    pub fn private_key(&self) -> &Secret32 {
        &self.private_key
    }

    /// The 32-byte chain code.
    pub fn chain_code(&self) -> &Secret32 {
        &self.chain_code
    }

    /// The ed25519 public key of [`ExtendedKey::private_key`] (32 bytes, without the `0x00` prefix
    /// that SLIP-0010's vectors print).
    pub fn public_key(&self) -> [u8; 32] {
        ed25519_public_key(&self.private_key)
    }

    /// The private key alone (a copy; `self`'s key and chain code are wiped when it drops here).
    pub(crate) fn into_private_key(self) -> Secret32 {
        self.private_key.clone()
    }
}

/// The ed25519 public key of a 32-byte ed25519 secret key.
pub(crate) fn ed25519_public_key(secret: &Secret32) -> [u8; 32] {
    // SigningKey wipes its copy on drop (ed25519-dalek's `zeroize` feature).
    SigningKey::from_bytes(secret.as_bytes())
        .verifying_key()
        .to_bytes()
}

/// `index + 2^31`, or an error when `index` is already 2^31 or more.
fn harden(index: u32) -> Result<u32, KeyError> {
    if index >= HARDENED {
        return Err(KeyError::IndexTooLarge { index });
    }
    Ok(index | HARDENED)
}

/// HMAC-SHA512(key, parts…) split into (private key, chain code).
fn hmac_split(key: &[u8], parts: &[&[u8]]) -> ExtendedKey {
    // HMAC accepts keys of every length, so `new_from_slice` cannot fail.
    let mut mac = <Hmac<Sha512> as KeyInit>::new_from_slice(key)
        .expect("HMAC-SHA512 accepts keys of any length");
    for part in parts {
        mac.update(part);
    }
    // `CtOutput` wipes itself on drop (hmac's `zeroize` feature); copy straight into the secrets.
    let tag = mac.finalize();
    let bytes = tag.as_bytes();
    let mut private_key = Secret32::zeroed();
    let mut chain_code = Secret32::zeroed();
    private_key.as_mut_bytes().copy_from_slice(&bytes[..32]);
    chain_code.as_mut_bytes().copy_from_slice(&bytes[32..]);
    ExtendedKey {
        private_key,
        chain_code,
    }
}
