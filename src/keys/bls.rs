//! BLS12-381 pieces of Concordium's key derivation: `keygen_bls` (turning a SLIP-0010 key into a
//! scalar), the credential-id exponent `1/(prf + counter)`, and group-element parsing.
//!
//! Curve arithmetic comes from zkcrypto's `bls12_381`: it is the crate Concordium's own
//! `concordium-base` is built on (through the `pairing`/`group`/`ff` family), the Zcash
//! implementation that has been audited and used in production for years, pure Rust without
//! `unsafe` in the arithmetic, constant-time in its scalar operations, and it reads and writes
//! exactly the compressed point encoding Concordium uses (48 bytes, flag bits in the first byte),
//! checking that a parsed point is on the curve and in the prime-order subgroup.

use bls12_381::{G1Affine, G1Projective, Scalar};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use super::{KeyError, Secret32};

/// The length of the HKDF output that is reduced modulo r (`L` in the IETF draft: 48 for
/// BLS12-381, so the reduction has a negligible bias).
const OKM_LEN: usize = 48;

/// `KeyGen` of draft-irtf-cfrg-bls-signature-04 §2.3 with SHA-256, as Concordium's `keygen_bls`:
/// HKDF-SHA256 over `ikm ‖ 0x00` with salt `SHA-256("BLS-SIG-KEYGEN-SALT-")` (hashed again on
/// every retry) and info `key_info ‖ I2OSP(48, 2)`, 48 output bytes read as a big-endian integer
/// modulo r, repeated while the result is zero. Concordium calls it with an empty `key_info`.
///
/// Returns the scalar as 32 big-endian bytes, the form of Concordium's vectors and JSON.
pub fn keygen_bls(ikm: &[u8], key_info: &[u8]) -> Secret32 {
    keygen(ikm, key_info, Endian::Big)
}

/// Concordium's `keygen_bls_deprecated` (concordium-base `rust-src/keygen_bls`), which the Desktop
/// Wallet used for identities of version 0 (docs/recovery.md): the same as [`keygen_bls`] except
/// that the length suffix of the HKDF info is little-endian (`key_info ‖ 48 ‖ 0`) and the 48
/// output bytes are read as a **little-endian** integer modulo r. The Desktop Wallet fed it the
/// ASCII bytes of the hex string of the Ledger's 32-byte key seed.
pub fn keygen_bls_deprecated(ikm: &[u8], key_info: &[u8]) -> Secret32 {
    keygen(ikm, key_info, Endian::Little)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Endian {
    Big,
    Little,
}

fn keygen(ikm: &[u8], key_info: &[u8], endian: Endian) -> Secret32 {
    let mut input = Zeroizing::new(Vec::with_capacity(ikm.len() + 1));
    input.extend_from_slice(ikm);
    input.push(0);
    let mut info = Vec::with_capacity(key_info.len() + 2);
    info.extend_from_slice(key_info);
    info.extend_from_slice(&match endian {
        Endian::Big => (OKM_LEN as u16).to_be_bytes(),
        Endian::Little => (OKM_LEN as u16).to_le_bytes(),
    });

    let mut salt = Sha256::digest(b"BLS-SIG-KEYGEN-SALT-");
    loop {
        let hkdf = Hkdf::<Sha256>::new(Some(salt.as_slice()), &input);
        let mut okm = Zeroizing::new([0u8; OKM_LEN]);
        hkdf.expand(&info, okm.as_mut_slice())
            .expect("48 bytes is far below HKDF-SHA256's output limit");
        // OS2IP modulo r: `from_bytes_wide` reduces a 64-byte little-endian number.
        let mut wide = Zeroizing::new([0u8; 64]);
        match endian {
            Endian::Big => {
                for (dst, src) in wide.iter_mut().zip(okm.iter().rev()) {
                    *dst = *src;
                }
            }
            Endian::Little => wide[..OKM_LEN].copy_from_slice(okm.as_slice()),
        }
        let mut sk = Scalar::from_bytes_wide(&wide);
        if !bool::from(sk.ct_eq(&Scalar::zero())) {
            let out = scalar_to_secret(&sk);
            sk.zeroize();
            return out;
        }
        salt = Sha256::digest(salt.as_slice());
    }
}

/// A scalar as 32 big-endian bytes.
pub(crate) fn scalar_to_secret(s: &Scalar) -> Secret32 {
    let mut out = Secret32::zeroed();
    let mut le = Zeroizing::new(s.to_bytes());
    le.reverse();
    out.as_mut_bytes().copy_from_slice(le.as_slice());
    out
}

/// Reads 32 big-endian bytes as a scalar; they must be below r.
pub(crate) fn secret_to_scalar(secret: &Secret32) -> Result<Scalar, KeyError> {
    let mut le = Zeroizing::new(*secret.as_bytes());
    le.reverse();
    Option::from(Scalar::from_bytes(&le)).ok_or(KeyError::NotAScalar)
}

/// The credential-id exponent `1 / (prf_key + credential_counter)` (Concordium's `prf_exponent`).
///
/// The sum is zero for exactly one counter value of a given key, which happens with probability
/// about 2^-247; that counter then has no credential and gets [`KeyError::NoCredentialForCounter`].
pub(crate) fn prf_exponent(prf_key: &Secret32, credential_counter: u8) -> Result<Scalar, KeyError> {
    let mut sum = secret_to_scalar(prf_key)? + Scalar::from(u64::from(credential_counter));
    let inverse = Option::from(sum.invert());
    sum.zeroize();
    inverse.ok_or(KeyError::NoCredentialForCounter {
        counter: credential_counter,
    })
}

/// `g^exponent` compressed to 48 bytes.
pub(crate) fn g1_mul_compressed(g: &G1Affine, exponent: &Scalar) -> [u8; 48] {
    G1Affine::from(G1Projective::from(g) * exponent).to_compressed()
}

/// Parses a compressed G1 point, checking the encoding, the curve and the subgroup.
pub(crate) fn g1_from_compressed(bytes: &[u8; 48]) -> Option<G1Affine> {
    Option::from(G1Affine::from_compressed(bytes))
}
