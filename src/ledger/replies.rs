//! The reply parsers: pure functions from a reply's data to typed values, strict about lengths
//! and framing (fuzzed by `fuzz/fuzz_targets/ledger_reply.rs`).

use ed25519_dalek::{Signature, VerifyingKey};

use super::error::LedgerError;
use super::key_export::IdentityKeys;
use super::version::PublicKeyReply;
use crate::keys::Secret32;

/// Printable ASCII of at most 32 characters (an app name or version from the device).
pub(super) fn printable(bytes: &[u8], what: &str) -> Result<String, LedgerError> {
    if bytes.is_empty() || bytes.len() > 32 || !bytes.iter().all(|b| (0x20..0x7f).contains(b)) {
        return Err(LedgerError::BadReply(format!(
            "the {what} is not 1 to 32 printable characters"
        )));
    }
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// Ledger OS's app-and-version reply: `01 ‖ len ‖ name ‖ len ‖ version ‖ len ‖ flags`.
pub fn parse_bolos_app_info(data: &[u8]) -> Result<(String, String), LedgerError> {
    let bad = |m: &str| LedgerError::BadReply(format!("app and version: {m}"));
    let (&format, rest) = data.split_first().ok_or_else(|| bad("empty"))?;
    if format != 0x01 {
        return Err(bad("unknown format"));
    }
    let take = |rest: &[u8]| -> Result<(Vec<u8>, usize), LedgerError> {
        let (&n, tail) = rest.split_first().ok_or_else(|| bad("cut short"))?;
        let n = usize::from(n);
        if tail.len() < n {
            return Err(bad("cut short"));
        }
        Ok((tail[..n].to_vec(), n + 1))
    };
    let (name, used) = take(rest)?;
    let rest = &rest[used..];
    let (version, used) = take(rest)?;
    let rest = &rest[used..];
    if !rest.is_empty() {
        // The flags field (its length byte and bytes), when present, must fit exactly.
        let (_, used) = take(rest)?;
        if used != rest.len() {
            return Err(bad("trailing bytes"));
        }
    }
    Ok((
        printable(&name, "app name")?,
        printable(&version, "version")?,
    ))
}

/// A get-public-key reply with signature, in the release's form.
pub fn parse_signed_public_key(
    data: &[u8],
    form: PublicKeyReply,
) -> Result<([u8; 32], [u8; 64]), LedgerError> {
    let (key, sig) = match form {
        PublicKeyReply::Raw if data.len() == 96 => (&data[..32], &data[32..]),
        PublicKeyReply::LengthPrefixed
            if data.len() == 98 && data[0] == 0x20 && data[33] == 0x40 =>
        {
            (&data[1..33], &data[34..])
        }
        PublicKeyReply::Raw => {
            return Err(LedgerError::BadReply(format!(
                "a signed public key is 96 bytes (key ‖ signature), not {}",
                data.len()
            )))
        }
        PublicKeyReply::LengthPrefixed => {
            return Err(LedgerError::BadReply(format!(
                "a signed public key is 98 bytes (20 ‖ key ‖ 40 ‖ signature); got {} bytes",
                data.len()
            )))
        }
    };
    let mut k = [0u8; 32];
    let mut s = [0u8; 64];
    k.copy_from_slice(key);
    s.copy_from_slice(sig);
    Ok((k, s))
}

/// Checks that `signature` is the Ed25519 signature of the 32 key bytes under the key itself.
pub fn verify_key_signature(key: &[u8; 32], signature: &[u8; 64]) -> Result<(), LedgerError> {
    let vk = VerifyingKey::from_bytes(key).map_err(|_| LedgerError::BadSignature)?;
    vk.verify_strict(key, &Signature::from_bytes(signature))
        .map_err(|_| LedgerError::BadSignature)
}

fn secret_at(data: &[u8], at: usize) -> Secret32 {
    let mut s = [0u8; 32];
    s.copy_from_slice(&data[at..at + 32]);
    let out = Secret32::new(s);
    zeroize::Zeroize::zeroize(&mut s);
    out
}

/// INS 0x05 P1 02: `PRF (32) ‖ idCredSec (32)`.
pub fn split_prf_id_cred_sec(data: &[u8]) -> Result<IdentityKeys, LedgerError> {
    if data.len() != 64 {
        return Err(LedgerError::BadReply(format!(
            "identity keys are 64 bytes (PRF key ‖ idCredSec), not {}",
            data.len()
        )));
    }
    Ok(IdentityKeys {
        prf_key: secret_at(data, 0),
        id_cred_sec: secret_at(data, 32),
        blinding_randomness: None,
    })
}

/// INS 0x37 P1 00: `20 ‖ idCredSec ‖ 20 ‖ PRF ‖ 20 ‖ blinding randomness`.
pub fn parse_new_path_identity_keys(data: &[u8]) -> Result<IdentityKeys, LedgerError> {
    if data.len() != 99 || data[0] != 0x20 || data[33] != 0x20 || data[66] != 0x20 {
        return Err(LedgerError::BadReply(format!(
            "new-path identity keys are 3 × (20 ‖ 32 bytes); got {} bytes",
            data.len()
        )));
    }
    Ok(IdentityKeys {
        id_cred_sec: secret_at(data, 1),
        prf_key: secret_at(data, 34),
        blinding_randomness: Some(secret_at(data, 67)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bolos_reply() {
        let mut d = vec![0x01, 10];
        d.extend_from_slice(b"Concordium");
        d.push(5);
        d.extend_from_slice(b"5.1.3");
        d.extend_from_slice(&[1, 0x02]);
        assert_eq!(
            parse_bolos_app_info(&d).unwrap(),
            ("Concordium".to_string(), "5.1.3".to_string())
        );
        // Without flags, too.
        assert!(parse_bolos_app_info(&d[..d.len() - 2]).is_ok());
        for bad in [
            &d[..0],
            &d[..5],
            &[0x02, 0, 0][..],
            &[0x01, 1, 0x07, 1, b'1'][..],
        ] {
            assert!(parse_bolos_app_info(bad).is_err(), "{bad:?}");
        }
        let mut trailing = d.clone();
        trailing.push(0);
        assert!(parse_bolos_app_info(&trailing).is_err());
    }

    #[test]
    fn reply_forms_are_strict() {
        let raw = [7u8; 96];
        assert!(parse_signed_public_key(&raw, PublicKeyReply::Raw).is_ok());
        assert!(parse_signed_public_key(&raw, PublicKeyReply::LengthPrefixed).is_err());
        let mut pre = vec![0x20];
        pre.extend_from_slice(&[7; 32]);
        pre.push(0x40);
        pre.extend_from_slice(&[8; 64]);
        let (k, s) = parse_signed_public_key(&pre, PublicKeyReply::LengthPrefixed).unwrap();
        assert_eq!((k, s), ([7; 32], [8; 64]));
        assert!(parse_signed_public_key(&pre, PublicKeyReply::Raw).is_err());
        pre[33] = 0x41;
        assert!(parse_signed_public_key(&pre, PublicKeyReply::LengthPrefixed).is_err());
        assert!(split_prf_id_cred_sec(&[0; 63]).is_err());
        assert!(parse_new_path_identity_keys(&[0x20; 98]).is_err());
    }

    /// The Speculos measurement (docs/ledger.md): key and signature at 1105/0/0/0/0/2/0/0.
    #[test]
    fn measured_signature_verifies_and_a_flipped_bit_does_not() {
        let key: [u8; 32] =
            hex32("87e16c8269270b1c75b930224df456d2927b80c760ffa77e57dbd738f6399492");
        let mut sig = [0u8; 64];
        let s = "3f499aa9fe41f0b911a3cccde3080143f10d108b2ba72343ad70fa03458333a328c542ce0685632b16636cc579fcfe715743c332eff416589631057eb0e08d04";
        for (i, b) in sig.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        verify_key_signature(&key, &sig).unwrap();
        sig[10] ^= 1;
        assert_eq!(
            verify_key_signature(&key, &sig),
            Err(LedgerError::BadSignature)
        );
    }

    fn hex32(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }
}
