//! Sealing secrets at rest: AES-256-GCM under the caller's storage key.
//!
//! The caller supplies a 32-byte [`StorageKey`] with every operation that touches secrets (an app
//! keeps it in the Android Keystore or the iOS Keychain; the command line derives it from a
//! passphrase with [`StorageKey::from_passphrase`]). The store never writes it down. Two keys are
//! derived from it with HKDF-SHA256, salted with the store's random 16-byte id, so the same
//! storage key gives unrelated keys in two stores:
//!
//! - the **sealing key**, for AES-256-GCM;
//! - the **key-check value** (32 bytes), stored in the database, which tells a wrong storage key
//!   ([`StoreError::WrongStorageKey`]) from a damaged record ([`StoreError::Damaged`]).
//!
//! A sealed value is `0x01 ‖ nonce (12 random bytes) ‖ ciphertext ‖ tag (16 bytes)`. Its
//! associated data binds it to its place: a domain string, the store id, the table, the row's
//! natural key (an identity's idCredPub, an account's address) and the field, each
//! length-prefixed. A sealed value copied to another row, field or store fails to open.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::Aes256Gcm;
use hkdf::Hkdf;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::StoreError;
use crate::kdf::{pbkdf2_sha256, KdfObserver, NoProgress};
use crate::password::Password;

/// The length of a storage key.
pub const STORAGE_KEY_LEN: usize = 32;
/// PBKDF2-HMAC-SHA256 iterations for a passphrase-derived storage key (OWASP 2023).
pub const PASSPHRASE_ITERATIONS: u32 = 600_000;
/// The length of the random passphrase salt a store keeps.
pub const PASSPHRASE_SALT_LEN: usize = 32;
/// The length of a store's random id.
pub const STORE_ID_LEN: usize = 16;
/// The length of the key-check value.
pub const KEY_CHECK_LEN: usize = 32;

const SEAL_VERSION: u8 = 1;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const DOMAIN: &[u8] = b"concordium-wallet-core store v1";
const INFO_SEAL: &[u8] = b"concordium-wallet-core store v1 sealing key";
const INFO_CHECK: &[u8] = b"concordium-wallet-core store v1 key check";

/// The 32-byte key that seals a store's secrets, wiped on drop and hidden from `Debug`.
pub struct StorageKey(Zeroizing<[u8; STORAGE_KEY_LEN]>);

impl StorageKey {
    /// Takes a key's bytes (the caller should wipe its own copy). Fails with
    /// [`StoreError::KeyLength`] unless there are exactly 32.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, StoreError> {
        let mut key = Zeroizing::new([0u8; STORAGE_KEY_LEN]);
        if bytes.len() != STORAGE_KEY_LEN {
            return Err(StoreError::KeyLength { len: bytes.len() });
        }
        key.copy_from_slice(bytes);
        Ok(Self(key))
    }

    /// Derives a key from a passphrase and the store's salt
    /// ([`SqliteStore::passphrase_salt`](super::SqliteStore::passphrase_salt)) with
    /// PBKDF2-HMAC-SHA256, [`PASSPHRASE_ITERATIONS`] iterations, over the passphrase's NFKC form
    /// (as backups do).
    pub fn from_passphrase(passphrase: &Password, salt: &[u8]) -> Result<Self, StoreError> {
        Self::from_passphrase_with_progress(passphrase, salt, &NoProgress)
    }

    /// [`StorageKey::from_passphrase`] with progress reports and cancellation.
    pub fn from_passphrase_with_progress(
        passphrase: &Password,
        salt: &[u8],
        observer: &dyn KdfObserver,
    ) -> Result<Self, StoreError> {
        if salt.len() < 16 {
            return Err(StoreError::InvalidInput(
                "a passphrase salt must have at least 16 bytes".into(),
            ));
        }
        let key = pbkdf2_sha256(
            &passphrase.nfkc_bytes(),
            salt,
            PASSPHRASE_ITERATIONS,
            observer,
        )?;
        Ok(Self(key))
    }

    /// A new random passphrase salt.
    pub fn generate_salt() -> Result<[u8; PASSPHRASE_SALT_LEN], StoreError> {
        let mut salt = [0u8; PASSPHRASE_SALT_LEN];
        crate::random::fill(&mut salt)?;
        Ok(salt)
    }
}

impl std::fmt::Debug for StorageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StorageKey([redacted])")
    }
}

/// Where a sealed value lives; all of it goes into the associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    /// The table (`identity`, `account`).
    pub table: &'a str,
    /// The row's natural key (idCredPub, address).
    pub key: &'a str,
    /// The field (`privateIdObjectData`, `accountKeys`, …).
    pub field: &'a str,
}

/// Seals and opens the secrets of one store under one storage key.
pub struct Sealer {
    cipher: Aes256Gcm,
    store_id: Vec<u8>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer([redacted])")
    }
}

struct Derived {
    seal: Zeroizing<[u8; 32]>,
    check: [u8; KEY_CHECK_LEN],
}

fn derive(key: &StorageKey, store_id: &[u8]) -> Result<Derived, StoreError> {
    let hk = Hkdf::<Sha256>::new(Some(store_id), &key.0[..]);
    let mut seal = Zeroizing::new([0u8; 32]);
    let mut check = [0u8; KEY_CHECK_LEN];
    hk.expand(INFO_SEAL, &mut seal[..])
        .and_then(|_| hk.expand(INFO_CHECK, &mut check))
        .map_err(|_| StoreError::InvalidInput("the key expansion failed".into()))?;
    Ok(Derived { seal, check })
}

impl Sealer {
    /// The key-check value a new store keeps for `key`.
    pub fn key_check(key: &StorageKey, store_id: &[u8]) -> Result<[u8; KEY_CHECK_LEN], StoreError> {
        Ok(derive(key, store_id)?.check)
    }

    /// A sealer for the store with this id, after checking `key` against the stored key-check
    /// value ([`StoreError::WrongStorageKey`] when it does not match).
    pub fn unlock(key: &StorageKey, store_id: &[u8], key_check: &[u8]) -> Result<Self, StoreError> {
        let d = derive(key, store_id)?;
        if !bool::from(d.check[..].ct_eq(key_check)) {
            return Err(StoreError::WrongStorageKey);
        }
        Ok(Self {
            cipher: Aes256Gcm::new(&(*d.seal).into()),
            store_id: store_id.to_vec(),
        })
    }

    fn aad(&self, place: Place<'_>) -> Vec<u8> {
        let parts: [&[u8]; 5] = [
            DOMAIN,
            &self.store_id,
            place.table.as_bytes(),
            place.key.as_bytes(),
            place.field.as_bytes(),
        ];
        let mut aad = Vec::with_capacity(parts.iter().map(|p| p.len() + 4).sum());
        for p in parts {
            aad.extend_from_slice(&(p.len() as u32).to_be_bytes());
            aad.extend_from_slice(p);
        }
        aad
    }

    /// Seals `plaintext` for `place` under a fresh random nonce.
    pub fn seal(&self, place: Place<'_>, plaintext: &[u8]) -> Result<Vec<u8>, StoreError> {
        let mut nonce = [0u8; NONCE_LEN];
        crate::random::fill(&mut nonce)?;
        // Encrypted in place in the output buffer, so no other copy of the plaintext is made.
        let mut out = Vec::with_capacity(1 + NONCE_LEN + plaintext.len() + TAG_LEN);
        out.push(SEAL_VERSION);
        out.extend_from_slice(&nonce);
        let mut body = Zeroizing::new(Vec::with_capacity(plaintext.len() + TAG_LEN));
        body.extend_from_slice(plaintext);
        self.cipher
            .encrypt_in_place(&nonce.into(), &self.aad(place), &mut *body)
            .map_err(|_| StoreError::InvalidInput("a secret is too large to seal".into()))?;
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Opens a value sealed for `place`. Any change to it, or a value sealed for another place,
    /// fails with [`StoreError::Damaged`].
    pub fn open(&self, place: Place<'_>, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        let damaged = || {
            StoreError::Damaged(format!(
                "a sealed {} of a stored {} does not open (it was changed, or moved from another \
                 record)",
                place.field, place.table
            ))
        };
        if sealed.len() < 1 + NONCE_LEN + TAG_LEN || sealed[0] != SEAL_VERSION {
            return Err(damaged());
        }
        let nonce: [u8; NONCE_LEN] = sealed[1..1 + NONCE_LEN].try_into().map_err(|_| damaged())?;
        let mut body = Zeroizing::new(Vec::with_capacity(sealed.len()));
        body.extend_from_slice(&sealed[1 + NONCE_LEN..]);
        self.cipher
            .decrypt_in_place(&nonce.into(), &self.aad(place), &mut *body)
            .map_err(|_| damaged())?;
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &[u8] = &[7u8; STORE_ID_LEN];

    fn place<'a>(key: &'a str, field: &'a str) -> Place<'a> {
        Place {
            table: "account",
            key,
            field,
        }
    }

    #[test]
    fn seals_and_opens() {
        let key = StorageKey::from_bytes(&[1u8; 32]).unwrap();
        let check = Sealer::key_check(&key, ID).unwrap();
        let s = Sealer::unlock(&key, ID, &check).unwrap();
        let a = s.seal(place("addr1", "accountKeys"), b"secret").unwrap();
        let b = s.seal(place("addr1", "accountKeys"), b"secret").unwrap();
        assert_ne!(a, b, "every seal has a fresh nonce");
        assert_eq!(a.len(), 1 + 12 + 6 + 16);
        assert_eq!(
            &s.open(place("addr1", "accountKeys"), &a).unwrap()[..],
            b"secret"
        );
    }

    #[test]
    fn another_place_or_a_changed_byte_is_damage() {
        let key = StorageKey::from_bytes(&[1u8; 32]).unwrap();
        let s = Sealer::unlock(&key, ID, &Sealer::key_check(&key, ID).unwrap()).unwrap();
        let a = s.seal(place("addr1", "accountKeys"), b"secret").unwrap();
        for other in [
            place("addr2", "accountKeys"),
            place("addr1", "encryptionSecretKey"),
            Place {
                table: "identity",
                key: "addr1",
                field: "accountKeys",
            },
        ] {
            assert!(matches!(s.open(other, &a), Err(StoreError::Damaged(_))));
        }
        for i in 0..a.len() {
            let mut b = a.clone();
            b[i] ^= 1;
            assert!(matches!(
                s.open(place("addr1", "accountKeys"), &b),
                Err(StoreError::Damaged(_))
            ));
        }
        // The same key in another store seals differently.
        let other_id = [8u8; STORE_ID_LEN];
        let s2 = Sealer::unlock(
            &key,
            &other_id,
            &Sealer::key_check(&key, &other_id).unwrap(),
        )
        .unwrap();
        assert!(s2.open(place("addr1", "accountKeys"), &a).is_err());
    }

    #[test]
    fn a_wrong_key_is_told_by_the_key_check() {
        let key = StorageKey::from_bytes(&[1u8; 32]).unwrap();
        let wrong = StorageKey::from_bytes(&[2u8; 32]).unwrap();
        let check = Sealer::key_check(&key, ID).unwrap();
        assert!(matches!(
            Sealer::unlock(&wrong, ID, &check),
            Err(StoreError::WrongStorageKey)
        ));
        assert_eq!(
            StorageKey::from_bytes(&[0u8; 31]).unwrap_err(),
            StoreError::KeyLength { len: 31 }
        );
        assert_eq!(format!("{key:?}"), "StorageKey([redacted])");
    }
}
