//! BIP39 recovery phrases (English word list): generating one, checking what a person typed,
//! suggesting words, and turning a phrase (or a hex seed) into the 64-byte seed.
//!
//! **Word counts.** Concordium's wallets create 24-word phrases ([`WALLET_WORD_COUNT`]), and so
//! does [`generate`]. [`check`] accepts every BIP39 length (12, 15, 18, 21, 24), because those are
//! valid phrases (the BIP39 test vectors, and phrases other wallets made) and Concordium's own
//! `words_to_seed` accepts them; a wallet that wants the 24-word rule asks
//! [`Phrase::is_24_words`] on the result.
//!
//! **Normalisation.** Input may use any Unicode whitespace between words (several spaces, tabs,
//! line breaks, ideographic or no-break spaces), any letter case, and compatibility forms
//! (full-width letters); words are compared after NFKD and lower-casing, as BIP39 prescribes NFKD.
//!
//! **Positions.** [`UnknownWord::index`] is 0-based (for code); [`UnknownWord::position`] and the
//! error messages count from 1 (for people).
//!
//! The phrase, the seed and every normalised copy are wiped when dropped and never printed by
//! `Debug`. Word suggestions are `&'static str` taken from the word list, so they copy nothing.

mod seed;
mod suggest;
mod verdict;

pub use seed::{looks_like_hex_seed, seed_from_hex, seed_from_phrase, seed_from_phrase_or_hex};
pub use suggest::suggest_words;
pub use verdict::{PhraseStatus, PhraseVerdict, UnknownWordHint};

use std::fmt;

use bip39::{Language, Mnemonic};
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::keys::Seed;

/// The number of words in the phrases Concordium's wallets (and [`generate`]) create.
pub const WALLET_WORD_COUNT: usize = 24;

/// The word counts BIP39 defines; [`check`] accepts each of them.
pub const BIP39_WORD_COUNTS: [usize; 5] = [12, 15, 18, 21, 24];

/// BIP39's PBKDF2-HMAC-SHA512 iteration count.
pub const SEED_ROUNDS: u32 = 2048;

/// How many unknown words of one input get suggestions (the rest are reported without).
pub const MAX_WORDS_WITH_SUGGESTIONS: usize = WALLET_WORD_COUNT;

/// The most suggestions returned for one word.
pub const MAX_SUGGESTIONS: usize = 8;

/// Everything that can go wrong with a phrase or a seed. No message contains a word of the phrase.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PhraseError {
    /// Nothing but whitespace was given.
    #[error("The recovery phrase is empty.")]
    Empty,
    /// A word is not in the BIP39 English word list.
    #[error("Word {position} is not in the recovery-phrase word list.")]
    UnknownWord {
        /// The word's position, counting from 1.
        position: usize,
    },
    /// A word holds an invisible character (a zero-width space, joiner or byte-order mark), so it
    /// looks like a list word but is not one.
    #[error("Word {position} contains an invisible character (such as a zero-width space, often copied along from a web page or a chat); delete the word and type it again.")]
    InvisibleCharacter {
        /// The word's position, counting from 1.
        position: usize,
    },
    /// The phrase does not have 12, 15, 18, 21 or 24 words.
    #[error("The recovery phrase has {found} words; it must have 24 (or 12, 15, 18 or 21 for phrases from other wallets).")]
    WrongWordCount {
        /// The number of words found.
        found: usize,
    },
    /// Every word is in the list, but the checksum in the last word does not match.
    #[error("The words are all valid, but they do not form a valid recovery phrase: a word is wrong or two words are swapped.")]
    BadChecksum,
    /// Entropy must be 16, 20, 24, 28 or 32 bytes.
    #[error("Entropy of {len} bytes cannot make a recovery phrase; it must be 16, 20, 24, 28 or 32 bytes.")]
    EntropyLength {
        /// The length given.
        len: usize,
    },
    /// A hex seed has the wrong length.
    #[error("A seed must be 128 hexadecimal characters (64 bytes), not {found} characters.")]
    SeedLength {
        /// The number of characters given.
        found: usize,
    },
    /// A hex seed contains something other than hex digits.
    #[error("A seed must consist of hexadecimal digits (0-9, a-f) only.")]
    SeedNotHex,
    /// The operating system's secure random number generator failed.
    #[error("The system's secure random number generator failed.")]
    Randomness,
}

/// A valid BIP39 phrase (checksum verified), in normal form: lower-case English list words
/// separated by single spaces. Wiped on drop; `Debug` shows only the word count.
#[derive(Clone, PartialEq, Eq)]
pub struct Phrase(Mnemonic);

impl Phrase {
    /// Parses and validates a phrase (see [`check`] for the detail a typing person needs).
    pub fn parse(input: &str) -> Result<Self, PhraseError> {
        check(input).into_result()
    }

    /// The number of words.
    pub fn word_count(&self) -> usize {
        self.0.word_count()
    }

    /// True for a 24-word phrase, the length Concordium's wallets create and expect.
    pub fn is_24_words(&self) -> bool {
        self.word_count() == WALLET_WORD_COUNT
    }

    /// The words in order (static strings from the word list).
    pub fn words(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.words()
    }

    /// The normalised phrase: words separated by single spaces, in a string wiped on drop.
    pub fn to_zeroizing_string(&self) -> Zeroizing<String> {
        // 24 words of at most 8 letters plus spaces: reserve once so growing copies nothing.
        let mut out = Zeroizing::new(String::with_capacity(WALLET_WORD_COUNT * 9));
        for (i, word) in self.0.words().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
        out
    }

    /// The BIP39 seed of this phrase with `passphrase` (Concordium uses the empty passphrase):
    /// see [`seed_from_phrase`].
    pub fn to_seed(&self, passphrase: &str) -> Seed {
        seed_from_phrase(self, passphrase)
    }
}

impl fmt::Debug for Phrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phrase({} words, redacted)", self.word_count())
    }
}

/// A word of the input that is not in the word list.
#[derive(Clone, PartialEq, Eq)]
pub struct UnknownWord {
    /// The word's index in the input, counting from 0.
    pub index: usize,
    /// List words the person may have meant, best first (at most [`MAX_SUGGESTIONS`]; may be
    /// empty).
    pub suggestions: Vec<&'static str>,
    /// The word holds an invisible character ([`is_invisible`]): it may look exactly like a list
    /// word (which is then the first suggestion), so the message says why it is refused.
    pub invisible: bool,
}

impl UnknownWord {
    /// The word's position counting from 1, for messages.
    pub fn position(&self) -> usize {
        self.index + 1
    }
}

impl fmt::Debug for UnknownWord {
    // The suggestions hint at the secret word, so they stay out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "UnknownWord {{ index: {}, suggestions: {} (redacted) }}",
            self.index,
            self.suggestions.len()
        )
    }
}

/// The result of checking what a person typed. Problems are reported in this order: empty input,
/// then unknown words (with the word count, so a UI can show both), then a wrong word count, then
/// a bad checksum.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PhraseCheck {
    /// A valid phrase, normalised. It may have fewer than 24 words: see [`Phrase::is_24_words`].
    Valid(Phrase),
    /// Nothing but whitespace.
    Empty,
    /// Some words are not in the word list.
    UnknownWords {
        /// The unknown words, in input order.
        unknown: Vec<UnknownWord>,
        /// How many words the input has.
        word_count: usize,
    },
    /// Every word is in the list, but there are not 12, 15, 18, 21 or 24 of them.
    WrongWordCount {
        /// How many words the input has.
        word_count: usize,
    },
    /// Every word is in the list and the count is right, but the checksum does not match.
    BadChecksum {
        /// How many words the input has.
        word_count: usize,
    },
}

impl PhraseCheck {
    /// The phrase, or the first problem as an error.
    pub fn into_result(self) -> Result<Phrase, PhraseError> {
        match self {
            PhraseCheck::Valid(phrase) => Ok(phrase),
            PhraseCheck::Empty => Err(PhraseError::Empty),
            PhraseCheck::UnknownWords { unknown, .. } => match unknown.first() {
                Some(u) if u.invisible => Err(PhraseError::InvisibleCharacter {
                    position: u.position(),
                }),
                first => Err(PhraseError::UnknownWord {
                    position: first.map_or(1, UnknownWord::position),
                }),
            },
            PhraseCheck::WrongWordCount { word_count } => {
                Err(PhraseError::WrongWordCount { found: word_count })
            }
            PhraseCheck::BadChecksum { .. } => Err(PhraseError::BadChecksum),
        }
    }

    /// True for [`PhraseCheck::Valid`].
    pub fn is_valid(&self) -> bool {
        matches!(self, PhraseCheck::Valid(_))
    }
}

/// A new random 24-word phrase from the operating system's secure random source (256 bits).
pub fn generate() -> Result<Phrase, PhraseError> {
    let mut entropy = Zeroizing::new([0u8; 32]);
    crate::random::fill(entropy.as_mut_slice()).map_err(|_| PhraseError::Randomness)?;
    phrase_from_entropy(entropy.as_slice())
}

/// The phrase that encodes `entropy` (16, 20, 24, 28 or 32 bytes; 32 bytes give 24 words).
/// [`generate`] uses this with random bytes; it is public for tests and known-answer checks.
pub fn phrase_from_entropy(entropy: &[u8]) -> Result<Phrase, PhraseError> {
    if !matches!(entropy.len(), 16 | 20 | 24 | 28 | 32) {
        return Err(PhraseError::EntropyLength { len: entropy.len() });
    }
    Mnemonic::from_entropy_in(Language::English, entropy)
        .map(Phrase)
        .map_err(|_| PhraseError::EntropyLength { len: entropy.len() })
}

/// NFKD (and lower case when `lower` is set), into a string wiped on drop. The string grows only
/// through wiped copies, so no unwiped fragment of the input is left on the heap.
fn nfkd_zeroizing(input: &str, lower: bool) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(input.len() * 2 + 16));
    let mut push = |c: char| {
        if out.len() + c.len_utf8() > out.capacity() {
            // Rare (NFKD can expand one character a lot): move to a bigger string, wiping the old.
            let mut bigger = Zeroizing::new(String::with_capacity(out.capacity() * 2 + 16));
            bigger.push_str(&out);
            out = bigger;
        }
        out.push(c);
    };
    for c in input.nfkd() {
        if lower {
            c.to_lowercase().for_each(&mut push);
        } else {
            push(c);
        }
    }
    out
}

/// The normal form words are compared in: NFKD, lower case.
fn normalize(input: &str) -> Zeroizing<String> {
    nfkd_zeroizing(input, true)
}

/// Checks what a person typed: see [`PhraseCheck`] for the possible outcomes.
pub fn check(input: &str) -> PhraseCheck {
    let normalized = normalize(input);
    let word_count = normalized.split_whitespace().count();
    if word_count == 0 {
        return PhraseCheck::Empty;
    }
    // Suggestions cost a scan of the word list each, so only the first few unknown words get them:
    // a person fixes those first, and pasted garbage cannot make the check slow.
    let unknown: Vec<UnknownWord> = normalized
        .split_whitespace()
        .enumerate()
        .filter(|(_, word)| Language::English.find_word(word).is_none())
        .enumerate()
        .map(|(nth, (index, word))| UnknownWord {
            index,
            suggestions: if nth < MAX_WORDS_WITH_SUGGESTIONS {
                suggest_words(word)
            } else {
                Vec::new()
            },
            invisible: word.chars().any(is_invisible),
        })
        .collect();
    if !unknown.is_empty() {
        return PhraseCheck::UnknownWords {
            unknown,
            word_count,
        };
    }
    if !BIP39_WORD_COUNTS.contains(&word_count) {
        return PhraseCheck::WrongWordCount { word_count };
    }
    // Rebuild the phrase from the list's own words, single-spaced, for the parser.
    let mut canonical = Zeroizing::new(String::with_capacity(word_count * 9));
    for (i, word) in normalized.split_whitespace().enumerate() {
        if i > 0 {
            canonical.push(' ');
        }
        canonical.push_str(word);
    }
    match Mnemonic::parse_in_normalized(Language::English, &canonical) {
        Ok(mnemonic) => PhraseCheck::Valid(Phrase(mnemonic)),
        // Unknown words and word counts were ruled out above, so this is the checksum.
        Err(_) => PhraseCheck::BadChecksum { word_count },
    }
}

/// True for the invisible characters that ride along when text is copied from web pages and chats:
/// zero-width space, non-joiner and joiner (U+200B–U+200D), word joiner (U+2060), the byte-order
/// mark / zero-width no-break space (U+FEFF) and the soft hyphen (U+00AD). Unicode does not count
/// them as whitespace, so they end up inside a word; [`check`] reports such a word as unknown
/// with [`UnknownWord::invisible`] set (it never drops them silently: a phrase that is accepted
/// is exactly what the person sees), and suggestions ignore them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// True when `word` (after the same normalisation as [`check`]) is in the word list.
pub fn is_word(word: &str) -> bool {
    let normalized = normalize(word);
    let trimmed = normalized.trim();
    Language::English.find_word(trimmed).is_some()
}
