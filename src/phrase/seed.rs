//! The 64-byte BIP39 seed, from a phrase or from a seed typed as hex.

use sha2::Sha512;
use zeroize::Zeroizing;

use super::{check, nfkd_zeroizing, Phrase, PhraseError, SEED_ROUNDS};
use crate::keys::{hex_decode_into, HexError, Seed};

/// The BIP39 seed: PBKDF2-HMAC-SHA512 with 2048 rounds over the normalised phrase, salt
/// `"mnemonic"` ‖ NFKD(`passphrase`), 64 bytes. Concordium's wallets use the empty passphrase.
pub fn seed_from_phrase(phrase: &Phrase, passphrase: &str) -> Seed {
    let words = phrase.to_zeroizing_string();
    let pass = nfkd_zeroizing(passphrase, false);
    let mut salt = Zeroizing::new(String::with_capacity(8 + pass.len()));
    salt.push_str("mnemonic");
    salt.push_str(&pass);
    let mut seed = Seed::zeroed();
    pbkdf2::pbkdf2_hmac::<Sha512>(
        words.as_bytes(),
        salt.as_bytes(),
        SEED_ROUNDS,
        seed.as_mut_bytes(),
    );
    seed
}

/// True when `input` (already trimmed) is meant as a hex seed rather than a phrase: one token of at
/// least 32 letters and digits, at least three quarters of them hex digits. No phrase looks like
/// that (list words have at most 8 letters and a phrase has 12 or more, separated by spaces), so
/// such an input of the wrong length or with a stray non-hex character gets a seed message, not
/// "word 1 is not in the word list".
pub fn looks_like_hex_seed(input: &str) -> bool {
    let len = input.chars().count();
    len >= 32
        && input.chars().all(|c| c.is_ascii_alphanumeric())
        && input.chars().filter(char::is_ascii_hexdigit).count() * 4 >= len * 3
}

/// The seed for what a person pasted where Concordium's CryptoX wallet takes either a recovery
/// phrase or a 64-byte seed as 128 hex characters: a seed when it [`looks_like_hex_seed`] (with
/// [`PhraseError::SeedLength`] or [`PhraseError::SeedNotHex`] when it is not a valid one), else
/// the phrase's seed (empty passphrase, as Concordium's wallets use).
pub fn seed_from_phrase_or_hex(input: &str) -> Result<Seed, PhraseError> {
    let trimmed = input.trim();
    if looks_like_hex_seed(trimmed) {
        return seed_from_hex(trimmed);
    }
    Ok(check(trimmed).into_result()?.to_seed(""))
}

/// A 64-byte seed given as 128 hex characters (either case; surrounding whitespace is ignored), as
/// Concordium's CryptoX wallet accepts instead of a phrase.
pub fn seed_from_hex(input: &str) -> Result<Seed, PhraseError> {
    let mut seed = Seed::zeroed();
    match hex_decode_into(input.trim(), seed.as_mut_bytes()) {
        Ok(()) => Ok(seed),
        Err(HexError::Length(found)) => Err(PhraseError::SeedLength { found }),
        Err(HexError::NotHex) => Err(PhraseError::SeedNotHex),
    }
}
