//! Backup passwords: the minimum length, normalisation and a strength estimate.

use unicode_normalization::UnicodeNormalization;
use zeroize::{Zeroize, Zeroizing};

use crate::error::BackupError;

/// The fewest characters a backup password may have (the Concordium wallets' rule), counted after
/// NFKC normalisation (see [`Password::char_count`]).
pub const MIN_PASSWORD_CHARS: usize = 6;

/// Hashcat mode 10900 (PBKDF2-HMAC-SHA256) on one RTX 4090: 8,865.7 kH/s at 1,000 iterations
/// (docs/references.md §B). The rate scales as 1/iterations.
pub const RTX4090_HASHES_PER_SEC_AT_1000: f64 = 8_865_700.0;

/// A backup password held as UTF-8 bytes that are wiped when dropped.
///
/// It has no `Debug` or `Display`, so it cannot end up in a log line by accident.
pub struct Password(Zeroizing<Vec<u8>>);

impl Password {
    /// Takes the password's bytes (the caller should wipe its own copy afterwards).
    ///
    /// Fails when the bytes are not UTF-8 text; the length rule is checked separately by
    /// [`Password::check_length`], because opening an old file must not depend on it.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BackupError> {
        if std::str::from_utf8(bytes).is_err() {
            return Err(BackupError::PasswordNotText);
        }
        let mut v = Zeroizing::new(Vec::with_capacity(bytes.len()));
        v.extend_from_slice(bytes);
        Ok(Self(v))
    }

    /// Takes ownership of a password string and wipes the string.
    pub fn from_string(mut s: String) -> Self {
        let p = Self(Zeroizing::new(s.as_bytes().to_vec()));
        s.zeroize();
        p
    }

    /// The password as text.
    pub fn as_str(&self) -> &str {
        // Checked in every constructor.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The raw UTF-8 bytes, as the legacy Concordium format feeds them to PBKDF2.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes our format feeds to PBKDF2: the password in Unicode NFKC form, so the same
    /// password typed on two keyboards that compose accents differently opens the same file.
    pub fn nfkc_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(self.0.len() * 2));
        let mut buf = [0u8; 4];
        for c in self.as_str().nfkc() {
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        buf.zeroize();
        out
    }

    /// The number of characters, counted as the key derivation sees them: the Unicode scalar
    /// values of the password's NFKC form (so `e` + combining acute counts as one `é`, and the
    /// ligature `ﬃ` as three letters).
    ///
    /// Code points of NFKC, not grapheme clusters: NFKC is exactly what our format feeds to
    /// PBKDF2, so the count cannot be gamed by choosing a decomposed spelling, and it needs no
    /// extra tables. A base letter with a combining mark that has no precomposed form (`q̃`) counts
    /// as two, as it is two code points in the key material. The legacy format feeds the raw
    /// UTF-8 to PBKDF2 (as Concordium's wallets do), but the same rule applies to it: the rule is
    /// about what a person typed, and both spellings of `ééé` are three characters.
    pub fn char_count(&self) -> usize {
        // Counting the iterator copies nothing.
        self.as_str().nfkc().count()
    }

    /// Fails with [`BackupError::PasswordTooShort`] when the password has fewer than
    /// [`MIN_PASSWORD_CHARS`] characters. Required for every new file.
    pub fn check_length(&self) -> Result<(), BackupError> {
        if self.char_count() < MIN_PASSWORD_CHARS {
            return Err(BackupError::PasswordTooShort {
                min: MIN_PASSWORD_CHARS,
            });
        }
        Ok(())
    }
}

/// How strong a password is, and how long an attacker would need to guess it.
#[derive(Debug, Clone, PartialEq)]
pub struct PasswordStrength {
    /// zxcvbn's score: 0 (guessed at once) to 4 (more than 10^10 guesses).
    pub score: u8,
    /// log10 of zxcvbn's estimate of the guesses an attacker needs.
    pub guesses_log10: f64,
    /// Whether the password meets the minimum length.
    pub meets_minimum: bool,
    /// Expected seconds for one RTX 4090 to guess it at the given PBKDF2 cost (half the
    /// estimated guesses, at hashcat's measured rate).
    pub seconds_to_guess_one_gpu: f64,
    /// The same for a rented cluster of 100 such GPUs.
    pub seconds_to_guess_100_gpus: f64,
    /// The iteration count the estimate assumes.
    pub iterations: u32,
    /// A warning to show, when zxcvbn has one (for example "This is a very common password.").
    pub warning: Option<String>,
    /// Suggestions for a better password.
    pub suggestions: Vec<String>,
}

/// Estimates a password's strength with zxcvbn and the time to guess it at `iterations`
/// PBKDF2-HMAC-SHA256 iterations on a modern GPU.
///
/// zxcvbn copies the password internally into buffers it does not wipe: the shipped builds (cargo
/// feature `wipe-freed-heap`) and the command line install a global allocator that wipes every
/// freed block, which covers them. Call this only from the password-entry screen.
pub fn estimate_strength(password: &Password, iterations: u32) -> PasswordStrength {
    let entropy = zxcvbn::zxcvbn(password.as_str(), &[]);
    let expected = seconds_to_guess(entropy.guesses() as f64, iterations);
    let (warning, suggestions) = match entropy.feedback() {
        Some(f) => (
            f.warning().map(|w| w.to_string()),
            f.suggestions().iter().map(|s| s.to_string()).collect(),
        ),
        None => (None, Vec::new()),
    };
    PasswordStrength {
        score: entropy.score() as u8,
        guesses_log10: entropy.guesses_log10().max(0.0),
        meets_minimum: password.char_count() >= MIN_PASSWORD_CHARS,
        seconds_to_guess_one_gpu: expected,
        seconds_to_guess_100_gpus: expected / 100.0,
        iterations,
        warning,
        suggestions,
    }
}

/// Expected seconds for one RTX 4090 to find a password among `guesses` candidates (half the
/// space) when each guess costs `iterations` PBKDF2-HMAC-SHA256 iterations.
pub fn seconds_to_guess(guesses: f64, iterations: u32) -> f64 {
    let rate = RTX4090_HASHES_PER_SEC_AT_1000 * 1000.0 / f64::from(iterations.max(1));
    guesses / 2.0 / rate
}

/// Formats a duration in seconds the way a person reads it ("3 minutes", "about 2 years").
pub fn human_duration(seconds: f64) -> String {
    // (how many of this unit make the next one, singular, plural)
    const UNITS: [(f64, &str, &str); 6] = [
        (60.0, "second", "seconds"),
        (60.0, "minute", "minutes"),
        (24.0, "hour", "hours"),
        (365.25, "day", "days"),
        (100.0, "year", "years"),
        (f64::INFINITY, "century", "centuries"),
    ];
    if seconds.is_nan() || seconds < 1.0 {
        return "less than a second".into();
    }
    let mut value = seconds;
    for (size, one, many) in UNITS {
        // Round first, so 59.7 seconds reads "1 minute", not "60 seconds".
        if value.round() < size {
            let n = value.round();
            return if n == 1.0 {
                format!("1 {one}")
            } else if n < 1e15 {
                format!("{} {many}", n as u64)
            } else {
                format!("more than a million billion {many}")
            };
        }
        value /= size;
    }
    unreachable!("the last unit has no upper bound")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rule_counts_characters() {
        assert!(Password::from_bytes(b"12345")
            .unwrap()
            .check_length()
            .is_err());
        assert!(Password::from_bytes(b"123456")
            .unwrap()
            .check_length()
            .is_ok());
        // Six characters, twelve bytes.
        let p = Password::from_bytes("ææææææ".as_bytes()).unwrap();
        assert!(p.check_length().is_ok());
        let p = Password::from_bytes("æææææ".as_bytes()).unwrap();
        assert_eq!(
            p.check_length().unwrap_err().to_string(),
            "The password must be at least 6 characters long."
        );
    }

    #[test]
    fn length_rule_counts_what_the_key_derivation_sees() {
        // `ééé` typed decomposed is six code points, but NFKC (what our format derives the key
        // from) makes it three characters: refused, as the composed form is.
        let nfd = Password::from_bytes("e\u{301}e\u{301}e\u{301}".as_bytes()).unwrap();
        assert_eq!(nfd.as_str().chars().count(), 6);
        assert_eq!(nfd.char_count(), 3);
        assert!(nfd.check_length().is_err());
        assert!(!estimate_strength(&nfd, 600_000).meets_minimum);
        let composed = Password::from_bytes("ééé".as_bytes()).unwrap();
        assert!(composed.check_length().is_err());
        // Six decomposed characters are six characters.
        let six = Password::from_bytes("e\u{301}".repeat(6).as_bytes()).unwrap();
        assert!(six.check_length().is_ok());
        // Compatibility forms count as what they normalise to: the ligature `ﬃ` is three letters.
        let lig = Password::from_bytes("ﬃab1".as_bytes()).unwrap();
        assert_eq!(lig.char_count(), 6);
        assert!(lig.check_length().is_ok());
    }

    #[test]
    fn non_utf8_is_rejected() {
        assert_eq!(
            Password::from_bytes(&[0xff, 0xfe, 0x41]).err(),
            Some(BackupError::PasswordNotText)
        );
    }

    #[test]
    fn nfkc_unifies_composed_and_decomposed() {
        let composed = Password::from_bytes("café-pass".as_bytes()).unwrap();
        let decomposed = Password::from_bytes("cafe\u{301}-pass".as_bytes()).unwrap();
        assert_ne!(composed.as_bytes(), decomposed.as_bytes());
        assert_eq!(&composed.nfkc_bytes()[..], &decomposed.nfkc_bytes()[..]);
    }

    #[test]
    fn strength_orders_passwords_and_scales_with_cost() {
        let weak = estimate_strength(&Password::from_bytes(b"123456").unwrap(), 600_000);
        let strong = estimate_strength(
            &Password::from_bytes(b"correct horse battery staple orbit").unwrap(),
            600_000,
        );
        assert_eq!(weak.score, 0);
        assert!(weak.warning.is_some());
        assert_eq!(strong.score, 4);
        assert!(strong.seconds_to_guess_one_gpu > weak.seconds_to_guess_one_gpu * 1e6);
        let cheaper = estimate_strength(
            &Password::from_bytes(b"correct horse battery staple orbit").unwrap(),
            60_000,
        );
        let ratio = strong.seconds_to_guess_one_gpu / cheaper.seconds_to_guess_one_gpu;
        assert!((ratio - 10.0).abs() < 1e-6);
    }

    #[test]
    fn guess_time_matches_the_published_table() {
        // docs/references.md §B: all 10^6 digit strings at 600k iterations take 68 s on
        // one RTX 4090, so the expected time (half the space) is 34 s; 95^6 at 100k takes 96 days.
        assert!((seconds_to_guess(1e6, 600_000) * 2.0 - 67.7).abs() < 0.5);
        let days = seconds_to_guess(95f64.powi(6), 100_000) * 2.0 / 86_400.0;
        assert!((days - 96.0).abs() < 1.0, "{days}");
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(human_duration(0.2), "less than a second");
        assert_eq!(human_duration(1.0), "1 second");
        assert_eq!(human_duration(90.0), "2 minutes");
        assert_eq!(human_duration(7200.0), "2 hours");
        assert_eq!(human_duration(86400.0 * 400.0), "1 year");
        assert_eq!(human_duration(59.7), "1 minute");
        assert_eq!(human_duration(86400.0 * 365.25 * 99.8), "1 century");
        assert_eq!(human_duration(86400.0 * 365.25 * 1234.0), "12 centuries");
        assert_eq!(
            human_duration(1e40),
            "more than a million billion centuries"
        );
    }
}
