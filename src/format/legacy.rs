//! The legacy Concordium envelope `{metadata, cipherText}` with AES-256-CBC/PKCS#7 under a
//! PBKDF2-HMAC-SHA256 key (docs/references.md §A.1.2, §A.2.1, §A.3).
//!
//! One reader serves the mobile `.concordiumwallet` files, Desktop Wallet exports (optional
//! `keyLen`/`hashAlgorithm`, 16-byte salt, 10,000 iterations) and concordium-client data. The
//! format has no MAC, so a wrong password and a damaged file cannot be told apart.

use aes::cipher::{block_padding::Pkcs7, BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD as B64};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::error::BackupError;
use crate::format::IterationIssue;
use crate::kdf::{pbkdf2_sha256, KdfObserver};
use crate::model::WalletData;
use crate::password::Password;

/// `metadata.encryptionMethod` of the legacy envelope.
pub const ENCRYPTION_METHOD: &str = "AES-256";
/// `metadata.keyDerivationMethod` of the legacy envelope.
pub const KDF_METHOD: &str = "PBKDF2WithHmacSHA256";
/// Iterations the Concordium mobile wallets write (and so do we, by default).
pub const DEFAULT_ITERATIONS: u32 = 100_000;
/// Salt length the Concordium mobile wallets write.
pub const SALT_LEN: usize = 32;
/// Longest salt accepted when reading.
pub const MAX_SALT_LEN: usize = 1024;
const IV_LEN: usize = 16;

/// Android decodes with `Base64.DEFAULT`, which skips line breaks; so do we when reading.
const LENIENT_B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn lenient_decode(s: &str) -> Option<Vec<u8>> {
    let compact: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    LENIENT_B64.decode(compact).ok()
}

/// The parsed envelope of a legacy file.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// PBKDF2 iteration count, as written (range-checked by [`check_limits`]).
    pub iterations: u64,
    /// PBKDF2 salt (any length).
    pub salt: Vec<u8>,
    /// The CBC initialisation vector.
    pub iv: [u8; IV_LEN],
    /// The CBC ciphertext.
    pub ciphertext: Vec<u8>,
    /// True when the desktop-only fields `keyLen`/`hashAlgorithm` are present.
    pub desktop_fields: bool,
}

fn damaged(why: &str) -> BackupError {
    BackupError::Damaged(why.into())
}

/// True when the envelope's metadata is the legacy kind (`encryptionMethod: "AES-256"`).
pub fn is_legacy(envelope: &Value) -> bool {
    envelope
        .pointer("/metadata/encryptionMethod")
        .and_then(Value::as_str)
        == Some(ENCRYPTION_METHOD)
}

/// Parses a legacy envelope, tolerating any key order, any salt length and the optional
/// desktop fields, as Concordium's readers do.
pub fn parse(envelope: &Value) -> Result<Parsed, BackupError> {
    let meta = envelope
        .get("metadata")
        .and_then(Value::as_object)
        .ok_or_else(|| damaged("the metadata object is missing"))?;
    let kdf = meta.get("keyDerivationMethod").and_then(Value::as_str);
    if kdf != Some(KDF_METHOD) {
        return Err(BackupError::UnsupportedEncryption(format!(
            "key derivation {}",
            kdf.unwrap_or("none given")
        )));
    }
    let mut desktop_fields = false;
    if let Some(k) = meta.get("keyLen") {
        desktop_fields = true;
        if k.as_u64() != Some(32) {
            return Err(BackupError::UnsupportedEncryption(
                "a key length other than 32 bytes".into(),
            ));
        }
    }
    if let Some(h) = meta.get("hashAlgorithm") {
        desktop_fields = true;
        if h.as_str() != Some("sha256") {
            return Err(BackupError::UnsupportedEncryption(
                "a hash algorithm other than sha256".into(),
            ));
        }
    }
    let iterations = crate::format::iteration_count(meta).map_err(|issue| match issue {
        IterationIssue::OutOfRange => BackupError::ParamsOutOfRange(issue.describe().into()),
        _ => damaged(issue.describe()),
    })?;
    let salt = meta
        .get("salt")
        .and_then(Value::as_str)
        .and_then(lenient_decode)
        .ok_or_else(|| damaged("the salt is missing or not Base64"))?;
    if salt.len() > MAX_SALT_LEN {
        return Err(BackupError::ParamsOutOfRange(format!(
            "a {}-byte salt",
            salt.len()
        )));
    }
    let iv: [u8; IV_LEN] = meta
        .get("initializationVector")
        .and_then(Value::as_str)
        .and_then(lenient_decode)
        .ok_or_else(|| damaged("the initialization vector is missing or not Base64"))?
        .try_into()
        .map_err(|_| damaged("the initialization vector is not 16 bytes"))?;
    let ciphertext = envelope
        .get("cipherText")
        .and_then(Value::as_str)
        .and_then(lenient_decode)
        .ok_or_else(|| damaged("the ciphertext is missing or not Base64"))?;
    if ciphertext.is_empty() || ciphertext.len() % 16 != 0 {
        return Err(damaged(
            "the ciphertext length is not a whole number of AES blocks",
        ));
    }
    Ok(Parsed {
        iterations,
        salt,
        iv,
        ciphertext,
        desktop_fields,
    })
}

/// Checks the parameters against the import limits, before any key derivation.
pub fn check_limits(parsed: &Parsed, max_iterations: u32) -> Result<(), BackupError> {
    if parsed.iterations == 0 {
        return Err(BackupError::ParamsOutOfRange(
            "the file asks for 0 key-derivation iterations".into(),
        ));
    }
    if parsed.iterations > u64::from(max_iterations) {
        return Err(BackupError::ParamsOutOfRange(format!(
            "the file asks for {} key-derivation iterations; at most {} are accepted",
            parsed.iterations, max_iterations
        )));
    }
    Ok(())
}

/// Decrypts to the raw plaintext (wiped on drop).
///
/// Bad padding or a plaintext that is not JSON gives [`BackupError::WrongPassword`]: without a
/// MAC that is by far the likelier cause, and the message says a damaged file is the other one.
pub fn decrypt_raw(
    parsed: &Parsed,
    password: &Password,
    observer: &dyn KdfObserver,
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let iterations = u32::try_from(parsed.iterations).map_err(|_| {
        BackupError::ParamsOutOfRange(format!(
            "the file asks for {} key-derivation iterations",
            parsed.iterations
        ))
    })?;
    let key = pbkdf2_sha256(password.as_bytes(), &parsed.salt, iterations, observer)?;
    let mut buf = Zeroizing::new(parsed.ciphertext.clone());
    let len = cbc::Decryptor::<aes::Aes256>::new(&(*key).into(), &parsed.iv.into())
        .decrypt_padded::<Pkcs7>(&mut buf)
        .map_err(|_| BackupError::WrongPasswordOrDamaged)?
        .len();
    buf.truncate(len);
    Ok(buf)
}

/// Decrypts a legacy file and reads the mobile wallet data in it.
pub fn decrypt(
    parsed: &Parsed,
    password: &Password,
    observer: &dyn KdfObserver,
) -> Result<WalletData, BackupError> {
    let plain = decrypt_raw(parsed, password, observer)?;
    match WalletData::from_json(&plain) {
        // Valid padding over garbage happens for about 1 in 256 wrong passwords.
        Err(BackupError::PayloadInvalid(why)) if why == crate::model::NOT_JSON => {
            Err(BackupError::WrongPasswordOrDamaged)
        }
        other => other,
    }
}

/// Encrypts wallet data into the legacy mobile format, for moving to another Concordium wallet:
/// 32-byte salt, 16-byte IV, Base64 without line breaks (iOS rejects them).
pub fn encrypt(
    data: &WalletData,
    password: &Password,
    iterations: u32,
    observer: &dyn KdfObserver,
) -> Result<Vec<u8>, BackupError> {
    password.check_length()?;
    if data.environment.is_none() {
        return Err(BackupError::MissingEnvironment);
    }
    if iterations < DEFAULT_ITERATIONS {
        return Err(BackupError::InvalidParameters(format!(
            "legacy backups need at least {DEFAULT_ITERATIONS} key-derivation iterations"
        )));
    }
    let mut salt = [0u8; SALT_LEN];
    let mut iv = [0u8; IV_LEN];
    crate::random::fill(&mut salt)?;
    crate::random::fill(&mut iv)?;
    let plain = data.to_json();
    seal(&plain, password, iterations, &salt, iv, observer)
}

/// [`encrypt`] with a given salt and IV: for known-answer tests only (feature `testing`).
#[cfg(feature = "testing")]
pub fn encrypt_with(
    data: &WalletData,
    password: &Password,
    iterations: u32,
    salt: &[u8],
    iv: [u8; IV_LEN],
    observer: &dyn KdfObserver,
) -> Result<Vec<u8>, BackupError> {
    let plain = data.to_json();
    seal(&plain, password, iterations, salt, iv, observer)
}

/// Encrypts plaintext bytes as they are: what [`encrypt_with`] does after serialising the wallet.
/// For hostile-input tests of the open path (feature `testing`).
#[cfg(feature = "testing")]
pub fn encrypt_plaintext_with(
    plain: &[u8],
    password: &Password,
    iterations: u32,
    salt: &[u8],
    iv: [u8; IV_LEN],
    observer: &dyn KdfObserver,
) -> Result<Vec<u8>, BackupError> {
    seal(plain, password, iterations, salt, iv, observer)
}

/// Encrypts plaintext under the given salt and IV: the one place a legacy file is made.
fn seal(
    plain: &[u8],
    password: &Password,
    iterations: u32,
    salt: &[u8],
    iv: [u8; IV_LEN],
    observer: &dyn KdfObserver,
) -> Result<Vec<u8>, BackupError> {
    let key = pbkdf2_sha256(password.as_bytes(), salt, iterations, observer)?;
    let mut buf = Zeroizing::new(vec![0u8; plain.len() + 16]);
    buf[..plain.len()].copy_from_slice(plain);
    let ct_len = cbc::Encryptor::<aes::Aes256>::new(&(*key).into(), &iv.into())
        .encrypt_padded::<Pkcs7>(&mut buf, plain.len())
        .map_err(|_| BackupError::InvalidParameters("padding buffer too small".into()))?
        .len();
    let envelope = serde_json::json!({
        "metadata": {
            "encryptionMethod": ENCRYPTION_METHOD,
            "keyDerivationMethod": KDF_METHOD,
            "iterations": iterations,
            "salt": B64.encode(salt),
            "initializationVector": B64.encode(iv),
        },
        "cipherText": B64.encode(&buf[..ct_len]),
    });
    Ok(serde_json::to_vec(&envelope).expect("JSON values serialise"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concordium_cbc_vector() {
        // docs/references.md §A.1.2: AES-256-CBC("AES256") under the published key and IV.
        let key = B64
            .decode("oPYV3DzzpCh25Z52JxnokB3c/3g9uxkjcllPp/RRcD0=")
            .unwrap();
        let iv = B64.decode("Iq+RX1R0oMtD61n5MnaonQ==").unwrap();
        let key: [u8; 32] = key.try_into().unwrap();
        let iv: [u8; 16] = iv.try_into().unwrap();
        let ct = cbc::Encryptor::<aes::Aes256>::new(&key.into(), &iv.into())
            .encrypt_padded_vec::<Pkcs7>(b"AES256");
        assert_eq!(B64.encode(&ct), "sQCDJmYQ7h0TIE2g1GgPqg==");
    }

    #[test]
    fn line_breaks_in_base64_are_tolerated_when_reading() {
        assert_eq!(lenient_decode("QUJD\nREVG\r\n").unwrap(), b"ABCDEF");
    }
}
