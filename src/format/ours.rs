//! Our backup format, version 1: AES-256-GCM under a PBKDF2-HMAC-SHA256 key, every metadata
//! byte authenticated, a key-check value and an unkeyed checksum. `docs/backup-format.md` is the
//! normative description; this module implements exactly that text.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::Aes256Gcm;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hkdf::Hkdf;
use serde_json::Value;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::BackupError;
use crate::kdf::{pbkdf2_sha256, KdfObserver};
use crate::model::WalletData;
use crate::network::Network;
use crate::password::Password;

/// The `metadata.format` value that marks our files.
pub const FORMAT_NAME: &str = "concordium-wallet-core-backup";
/// The format version this library writes and reads.
pub const FORMAT_VERSION: u64 = 1;
/// `metadata.encryptionMethod` of our files.
pub const ENCRYPTION_METHOD: &str = "AES-256-GCM";
/// `metadata.keyDerivationMethod` of our files.
pub const KDF_METHOD: &str = "PBKDF2WithHmacSHA256";
/// The iteration count new files get by default (OWASP 2023 for PBKDF2-HMAC-SHA256).
pub const DEFAULT_ITERATIONS: u32 = 600_000;
/// The fewest iterations a new file may have.
pub const MIN_EXPORT_ITERATIONS: u32 = 600_000;
/// The fewest iterations a file may have and still be opened.
pub const MIN_IMPORT_ITERATIONS: u32 = 1_000;
/// Salt length written by this library.
pub const SALT_LEN: usize = 32;
/// Accepted salt lengths when reading.
pub const SALT_LEN_RANGE: std::ops::RangeInclusive<usize> = 16..=64;
/// GCM nonce length.
pub const NONCE_LEN: usize = 12;
/// Key-check value length.
pub const KEY_CHECK_LEN: usize = 16;
/// GCM tag length.
const TAG_LEN: usize = 16;

const INFO_ENC: &[u8] = b"concordium-wallet-core-backup v1 encryption key";
const INFO_CHECK: &[u8] = b"concordium-wallet-core-backup v1 key check";
const ENVIRONMENT_UNKNOWN: &str = "unknown";

/// The parsed, not yet verified, metadata of one of our files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// PBKDF2 iteration count (range-checked by [`check_limits`], after the checksum).
    pub iterations: u64,
    /// PBKDF2 salt.
    pub salt: Vec<u8>,
    /// AES-GCM nonce (12 bytes in a valid file).
    pub nonce: Vec<u8>,
    /// The network, if the wallet data names one.
    pub environment: Option<Network>,
    /// HKDF-derived value that tells a wrong password from a damaged file (16 bytes).
    pub key_check: Vec<u8>,
}

impl Metadata {
    /// The canonical metadata object: these exact bytes are in the file and are the AEAD
    /// associated data.
    pub fn canonical_json(&self) -> String {
        format!(
            concat!(
                r#"{{"format":"{}","version":{},"encryptionMethod":"{}","#,
                r#""keyDerivationMethod":"{}","iterations":{},"salt":"{}","nonce":"{}","#,
                r#""environment":"{}","keyCheck":"{}"}}"#
            ),
            FORMAT_NAME,
            FORMAT_VERSION,
            ENCRYPTION_METHOD,
            KDF_METHOD,
            self.iterations,
            B64.encode(&self.salt),
            B64.encode(&self.nonce),
            self.environment
                .map(Network::as_file_str)
                .unwrap_or(ENVIRONMENT_UNKNOWN),
            B64.encode(&self.key_check),
        )
    }
}

/// A whole file of ours, parsed but not decrypted.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The metadata.
    pub metadata: Metadata,
    /// Ciphertext followed by the 16-byte GCM tag.
    pub ciphertext: Vec<u8>,
}

fn file_bytes(metadata_json: &str, ciphertext: &[u8]) -> Vec<u8> {
    let mut prefix = format!(
        r#"{{"metadata":{},"cipherText":"{}""#,
        metadata_json,
        B64.encode(ciphertext)
    );
    let checksum = hex(&Sha256::digest(prefix.as_bytes()));
    prefix.push_str(&format!(r#","checksum":"{checksum}"}}"#));
    prefix.into_bytes()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn damaged(why: &str) -> BackupError {
    BackupError::Damaged(why.into())
}

fn b64_field(meta: &serde_json::Map<String, Value>, name: &str) -> Result<Vec<u8>, BackupError> {
    let s = meta
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| damaged(&format!("the metadata field `{name}` is missing")))?;
    B64.decode(s)
        .map_err(|_| damaged(&format!("the metadata field `{name}` is not valid Base64")))
}

/// True when the envelope's metadata marks the file as ours.
pub fn is_ours(envelope: &Value) -> bool {
    envelope.pointer("/metadata/format").and_then(Value::as_str) == Some(FORMAT_NAME)
}

/// Parses and integrity-checks one of our files, without a password.
///
/// Checks, in order: the format version, every field's type, that the bytes are exactly the
/// canonical encoding of what was parsed (so no byte can change unnoticed), and the checksum.
pub fn parse(bytes: &[u8], envelope: &Value) -> Result<Parsed, BackupError> {
    let meta = envelope
        .get("metadata")
        .and_then(Value::as_object)
        .ok_or_else(|| damaged("the metadata object is missing"))?;
    match meta.get("version").and_then(Value::as_u64) {
        Some(FORMAT_VERSION) => {}
        // Version 1 is the first: a smaller number was never written, so the file is damaged.
        Some(found) if found < FORMAT_VERSION => {
            return Err(damaged(&format!(
                "it says format version {found}, but version {FORMAT_VERSION} is the first there is"
            )))
        }
        Some(found) => {
            return Err(BackupError::UnsupportedVersion {
                what: "backup format".into(),
                found,
                supported: FORMAT_VERSION,
            })
        }
        None => {
            return Err(damaged(
                "the format version is missing or not a whole number",
            ))
        }
    }
    let enc = meta.get("encryptionMethod").and_then(Value::as_str);
    if enc != Some(ENCRYPTION_METHOD) {
        return Err(BackupError::UnsupportedEncryption(format!(
            "{} (this version reads {ENCRYPTION_METHOD})",
            enc.unwrap_or("none given")
        )));
    }
    let kdf = meta.get("keyDerivationMethod").and_then(Value::as_str);
    if kdf != Some(KDF_METHOD) {
        return Err(BackupError::UnsupportedEncryption(format!(
            "key derivation {} (this version reads {KDF_METHOD})",
            kdf.unwrap_or("none given")
        )));
    }
    // This format writes a plain integer: anything else is damage.
    let iterations =
        crate::format::iteration_count(meta).map_err(|issue| damaged(issue.describe()))?;
    // Lengths and ranges are checked after the checksum (in `check_limits`), so that accidental
    // damage always reads as damage.
    let salt = b64_field(meta, "salt")?;
    let nonce = b64_field(meta, "nonce")?;
    let key_check = b64_field(meta, "keyCheck")?;
    let environment = match meta.get("environment").and_then(Value::as_str) {
        Some(ENVIRONMENT_UNKNOWN) => None,
        Some(s) => Some(
            Network::from_file_str(s)
                .ok_or_else(|| damaged("the network name is not one this format writes"))?,
        ),
        None => return Err(damaged("the network field is missing")),
    };
    let ciphertext = envelope
        .get("cipherText")
        .and_then(Value::as_str)
        .ok_or_else(|| damaged("the ciphertext is missing"))
        .and_then(|s| {
            B64.decode(s)
                .map_err(|_| damaged("the ciphertext is not valid Base64"))
        })?;
    let metadata = Metadata {
        iterations,
        salt,
        nonce,
        environment,
        key_check,
    };
    let expected = file_bytes(&metadata.canonical_json(), &ciphertext);
    // Compare everything but the checksum value first, so a wrong checksum reads as such.
    let body_len = expected.len() - 66; // `<64 hex>"}`
    if bytes.len() != expected.len() || bytes[..body_len] != expected[..body_len] {
        return Err(damaged(
            "it is not byte-for-byte in the form this format writes (it was edited or truncated)",
        ));
    }
    if bytes[body_len..] != expected[body_len..] {
        return Err(damaged("its checksum does not match its contents"));
    }
    if ciphertext.len() < TAG_LEN {
        return Err(damaged(
            "the ciphertext is shorter than its authentication tag",
        ));
    }
    Ok(Parsed {
        metadata,
        ciphertext,
    })
}

/// Checks the metadata's parameters against the import limits, before any key derivation.
pub fn check_limits(metadata: &Metadata, max_iterations: u32) -> Result<(), BackupError> {
    if metadata.iterations > u64::from(max_iterations) {
        return Err(BackupError::ParamsOutOfRange(format!(
            "the file asks for {} key-derivation iterations; at most {} are accepted",
            metadata.iterations, max_iterations
        )));
    }
    if metadata.iterations < u64::from(MIN_IMPORT_ITERATIONS) {
        return Err(BackupError::ParamsOutOfRange(format!(
            "the file asks for {} key-derivation iterations; at least {} are required",
            metadata.iterations, MIN_IMPORT_ITERATIONS
        )));
    }
    if !SALT_LEN_RANGE.contains(&metadata.salt.len()) {
        return Err(BackupError::ParamsOutOfRange(format!(
            "a {}-byte salt (16 to 64 bytes are accepted)",
            metadata.salt.len()
        )));
    }
    if metadata.nonce.len() != NONCE_LEN {
        return Err(BackupError::ParamsOutOfRange(format!(
            "a {}-byte nonce (AES-GCM here uses 12 bytes)",
            metadata.nonce.len()
        )));
    }
    if metadata.key_check.len() != KEY_CHECK_LEN {
        return Err(BackupError::ParamsOutOfRange(format!(
            "a {}-byte key check (16 bytes are written)",
            metadata.key_check.len()
        )));
    }
    Ok(())
}

/// The two keys derived from the password.
struct Keys {
    encryption: Zeroizing<[u8; 32]>,
    check: [u8; KEY_CHECK_LEN],
}

fn derive(
    password: &Password,
    salt: &[u8],
    iterations: u32,
    observer: &dyn KdfObserver,
) -> Result<Keys, BackupError> {
    let master = pbkdf2_sha256(&password.nfkc_bytes(), salt, iterations, observer)?;
    // Neither call can fail (a 32-byte PRK, outputs far below 255 blocks); mapped, not unwrapped.
    let hk = Hkdf::<Sha256>::from_prk(&master[..]).map_err(expansion_failed)?;
    let mut encryption = Zeroizing::new([0u8; 32]);
    let mut check = [0u8; KEY_CHECK_LEN];
    hk.expand(INFO_ENC, &mut encryption[..])
        .and_then(|_| hk.expand(INFO_CHECK, &mut check))
        .map_err(expansion_failed)?;
    Ok(Keys { encryption, check })
}

fn expansion_failed<E>(_: E) -> BackupError {
    BackupError::InvalidParameters("the key expansion failed".into())
}

/// Decrypts a parsed file of ours.
pub fn decrypt(
    parsed: &Parsed,
    password: &Password,
    observer: &dyn KdfObserver,
) -> Result<WalletData, BackupError> {
    let meta = &parsed.metadata;
    check_limits(meta, u32::MAX)?;
    let nonce: [u8; NONCE_LEN] = meta.nonce[..].try_into().expect("checked by check_limits");
    let iterations = u32::try_from(meta.iterations).expect("checked by check_limits");
    let keys = derive(password, &meta.salt, iterations, observer)?;
    if !bool::from(keys.check[..].ct_eq(&meta.key_check[..])) {
        return Err(BackupError::WrongPassword);
    }
    let cipher = Aes256Gcm::new(&(*keys.encryption).into());
    let mut buf = Zeroizing::new(Vec::with_capacity(parsed.ciphertext.len()));
    buf.extend_from_slice(&parsed.ciphertext);
    cipher
        .decrypt_in_place(&nonce.into(), meta.canonical_json().as_bytes(), &mut *buf)
        .map_err(|_| damaged("its contents were changed after it was written"))?;
    let data = WalletData::from_json(&buf)?;
    if data.environment != meta.environment {
        return Err(damaged(
            "the network in its metadata differs from the network of the wallet inside",
        ));
    }
    Ok(data)
}

/// Encrypts wallet data into a file of ours.
pub fn encrypt(
    data: &WalletData,
    password: &Password,
    iterations: u32,
    observer: &dyn KdfObserver,
) -> Result<Vec<u8>, BackupError> {
    password.check_length()?;
    if !(MIN_EXPORT_ITERATIONS..=crate::format::MAX_IMPORT_ITERATIONS).contains(&iterations) {
        return Err(BackupError::InvalidParameters(format!(
            "new backups need {MIN_EXPORT_ITERATIONS} to {} key-derivation iterations",
            crate::format::MAX_IMPORT_ITERATIONS
        )));
    }
    let mut salt = vec![0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    crate::random::fill(&mut salt)?;
    crate::random::fill(&mut nonce)?;
    seal_wallet(data, password, iterations, salt, nonce, observer)
}

/// [`encrypt`] with a given salt and nonce: for known-answer tests only (feature `testing`). A
/// nonce must never be used twice with the same key; [`encrypt`] draws both at random for every
/// file.
#[cfg(feature = "testing")]
pub fn encrypt_with(
    data: &WalletData,
    password: &Password,
    iterations: u32,
    salt: Vec<u8>,
    nonce: [u8; NONCE_LEN],
    observer: &dyn KdfObserver,
) -> Result<Vec<u8>, BackupError> {
    seal_wallet(data, password, iterations, salt, nonce, observer)
}

/// Encrypts plaintext bytes as they are, under metadata naming `environment`: what
/// [`encrypt_with`] does after serialising the wallet. For tests that need a file whose plaintext
/// is not valid wallet data (hostile-input tests of the open path); the file is real in every
/// other respect (feature `testing`).
#[cfg(feature = "testing")]
pub fn encrypt_plaintext_with(
    plain: &[u8],
    environment: Option<Network>,
    password: &Password,
    iterations: u32,
    salt: Vec<u8>,
    nonce: [u8; NONCE_LEN],
    observer: &dyn KdfObserver,
) -> Result<Vec<u8>, BackupError> {
    seal(
        plain,
        environment,
        password,
        iterations,
        salt,
        nonce,
        observer,
    )
}

/// Serialises the wallet and seals it under the given salt and nonce.
fn seal_wallet(
    data: &WalletData,
    password: &Password,
    iterations: u32,
    salt: Vec<u8>,
    nonce: [u8; NONCE_LEN],
    observer: &dyn KdfObserver,
) -> Result<Vec<u8>, BackupError> {
    let plain = data.to_json();
    seal(
        &plain,
        data.environment,
        password,
        iterations,
        salt,
        nonce,
        observer,
    )
}

/// Encrypts plaintext under the given salt and nonce: the one place a file of ours is made.
fn seal(
    plain: &[u8],
    environment: Option<Network>,
    password: &Password,
    iterations: u32,
    salt: Vec<u8>,
    nonce: [u8; NONCE_LEN],
    observer: &dyn KdfObserver,
) -> Result<Vec<u8>, BackupError> {
    let keys = derive(password, &salt, iterations, observer)?;
    let metadata = Metadata {
        iterations: u64::from(iterations),
        salt,
        nonce: nonce.to_vec(),
        environment,
        key_check: keys.check.to_vec(),
    };
    let aad = metadata.canonical_json();
    // Room for the tag up front: growing the buffer would free an unwiped copy of the plaintext.
    let mut buf = Zeroizing::new(Vec::with_capacity(plain.len() + TAG_LEN));
    buf.extend_from_slice(plain);
    Aes256Gcm::new(&(*keys.encryption).into())
        .encrypt_in_place(&nonce.into(), aad.as_bytes(), &mut *buf)
        .map_err(|_| BackupError::InvalidParameters("the wallet data is too large".into()))?;
    Ok(file_bytes(&aad, &buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aes_256_gcm_known_answer() {
        // NIST CAVP gcmEncryptExtIV256.rsp, Count 0 (empty plaintext and AAD), as in
        // docs/references.md §C.
        let key: [u8; 32] =
            hex_decode("b52c505a37d78eda5dd34f20c22540ea1b58963cf8e5bf8ffa85f9f2492505b4")
                .try_into()
                .unwrap();
        let nonce: [u8; 12] = hex_decode("516c33929df5a3284ff463d7").try_into().unwrap();
        let mut buf = Vec::new();
        Aes256Gcm::new(&key.into())
            .encrypt_in_place(&nonce.into(), b"", &mut buf)
            .unwrap();
        assert_eq!(hex(&buf), "bdc1ac884d332457a1d2664f168c76f0");
    }

    fn hex_decode(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }
}
