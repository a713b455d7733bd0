//! Fixed-size secret byte strings: wiped when dropped, never shown by `Debug`.

use std::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// `N` secret bytes (a seed, a private key, a secret scalar).
///
/// The bytes are wiped when the value is dropped, `Debug` prints only the length, and equality
/// is checked in constant time. Read them with [`SecretBytes::as_bytes`] or
/// [`SecretBytes::to_hex`] only where they must leave the library.
#[derive(Clone)]
pub struct SecretBytes<const N: usize>([u8; N]);

/// A 64-byte BIP39 seed, the root of every Concordium key.
pub type Seed = SecretBytes<64>;

/// A 32-byte secret: an ed25519 private key, or a BLS12-381 scalar in 32-byte big-endian form.
pub type Secret32 = SecretBytes<32>;

impl<const N: usize> SecretBytes<N> {
    /// Takes ownership of `bytes`. The caller's own copies (if any) are not wiped by this.
    pub fn new(bytes: [u8; N]) -> Self {
        Self(bytes)
    }

    /// All-zero bytes, to be filled in place (so the secret is never copied around).
    pub(crate) fn zeroed() -> Self {
        Self([0u8; N])
    }

    /// The secret bytes.
    pub fn as_bytes(&self) -> &[u8; N] {
        &self.0
    }

    /// The bytes to fill in place.
    pub(crate) fn as_mut_bytes(&mut self) -> &mut [u8; N] {
        &mut self.0
    }

    /// Lower-case hex, in a string that is wiped when dropped.
    pub fn to_hex(&self) -> Zeroizing<String> {
        hex_encode(&self.0)
    }
}

impl<const N: usize> Drop for SecretBytes<N> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<const N: usize> ZeroizeOnDrop for SecretBytes<N> {}

impl<const N: usize> PartialEq for SecretBytes<N> {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl<const N: usize> Eq for SecretBytes<N> {}

impl<const N: usize> fmt::Debug for SecretBytes<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes<{N}>(redacted)")
    }
}

/// Lower-case hex of `bytes` in a string that is wiped when dropped (its capacity is reserved up
/// front, so no unwiped copy is left behind by growing).
pub(crate) fn hex_encode(bytes: &[u8]) -> Zeroizing<String> {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = Zeroizing::new(String::with_capacity(bytes.len() * 2));
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    out
}

/// Why a hex string could not be decoded into a fixed number of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HexError {
    /// The string has this many characters instead of twice the byte count.
    Length(usize),
    /// A character is not a hex digit.
    NotHex,
}

/// Decodes hex (either case) into `out`, which must be filled exactly.
pub(crate) fn hex_decode_into(s: &str, out: &mut [u8]) -> Result<(), HexError> {
    let digits = s.as_bytes();
    if digits.len() != out.len() * 2 {
        let chars = s.chars().count();
        return Err(if chars == out.len() * 2 {
            HexError::NotHex // the right length, but some characters take more than one byte
        } else {
            HexError::Length(chars)
        });
    }
    fn value(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        match (value(pair[0]), value(pair[1])) {
            (Some(hi), Some(lo)) => *byte = (hi << 4) | lo,
            _ => {
                out.zeroize();
                return Err(HexError::NotHex);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = Secret32::new([0xab; 32]);
        let shown = format!("{s:?}");
        assert!(!shown.contains("ab"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn hex_round_trip() {
        let mut out = [0u8; 3];
        hex_decode_into("00fFa1", &mut out).unwrap();
        assert_eq!(out, [0x00, 0xff, 0xa1]);
        assert_eq!(hex_encode(&out).as_str(), "00ffa1");
        assert_eq!(hex_decode_into("00ff", &mut out), Err(HexError::Length(4)));
        assert_eq!(hex_decode_into("00ffzz", &mut out), Err(HexError::NotHex));
        assert_eq!(out, [0u8; 3], "a failed decode leaves nothing behind");
    }
}
