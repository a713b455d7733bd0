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

use std::fmt;

use bip39::{Language, Mnemonic};
use sha2::Sha512;
use thiserror::Error;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::keys::{hex_decode_into, HexError, Seed};

mod verdict;

pub use verdict::{PhraseStatus, PhraseVerdict, UnknownWordHint};

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

/// Words the person may mean by `partial`, best first, at most [`MAX_SUGGESTIONS`]: for word-by-word
/// entry while typing, and for the unknown words [`check`] reports.
///
/// Order: list words that start with what was typed (a complete word comes first); then — BIP39
/// words are unique in their first four letters — the word with the same first four letters; then
/// words one edit away; then, only for inputs of four or more letters that start no list word,
/// words two edits away (Damerau-Levenshtein: insert, delete, replace, or swap two neighbours).
/// Accents are ignored for suggestions. Empty input gives no suggestions.
pub fn suggest_words(partial: &str) -> Vec<&'static str> {
    let normalized = normalize(partial);
    let mut typed: Zeroizing<Vec<char>> = Zeroizing::new(Vec::with_capacity(normalized.len()));
    typed.extend(
        normalized
            .trim()
            .chars()
            .filter(|c| !is_combining_mark(*c) && !c.is_whitespace() && !is_invisible(*c)),
    );
    if typed.is_empty() {
        return Vec::new();
    }
    let mut typed_str = Zeroizing::new(String::with_capacity(typed.len() * 4));
    typed_str.extend(typed.iter());
    let list = Language::English.word_list();
    let mut out: Vec<&'static str> = Vec::with_capacity(MAX_SUGGESTIONS);
    let push = |word: &'static str, out: &mut Vec<&'static str>| {
        if out.len() < MAX_SUGGESTIONS && !out.contains(&word) {
            out.push(word);
        }
    };

    for word in words_with_prefix(&typed_str) {
        push(word, &mut out);
    }
    // When what was typed starts a list word, the person is most likely still typing it: add only
    // close spelling neighbours (a three-letter word with two letters swapped can be the prefix of
    // a longer one, "ozo" of "ozone" for "zoo"), not the noisier two-edit ones.
    let typing_a_prefix = !out.is_empty();
    if typed.len() >= 4 {
        let mut prefix = Zeroizing::new(String::with_capacity(16));
        prefix.extend(typed[..4].iter());
        for word in words_with_prefix(&prefix) {
            push(word, &mut out);
        }
    }
    let max_distance = if typed.len() >= 4 && !typing_a_prefix {
        2
    } else {
        1
    };
    if out.len() < MAX_SUGGESTIONS {
        // Only the words the deletion index names can be close enough; the distance decides.
        let mut near: Vec<(usize, &'static str)> = near_candidates(&typed, max_distance)
            .filter_map(|i| {
                let word = list[i];
                edit_distance_at_most(&typed, word, max_distance)
                    .filter(|&d| d >= 1)
                    .map(|d| (d, word))
            })
            .collect();
        // Closer words first; within a distance, words that share a longer beginning with the
        // input (people rarely mistype the first letters); ties keep the list's order.
        near.sort_by_key(|&(d, word)| (d, std::cmp::Reverse(common_prefix_len(&typed, word))));
        for (_, word) in near {
            push(word, &mut out);
        }
    }
    out
}

/// The list words that start with `prefix`, in list order, found by binary search: the English
/// list is sorted (`bip39`'s `find_word` relies on that too), while `words_by_prefix_iter` tests
/// all 2048 words, twice per unknown word.
fn words_with_prefix(prefix: &str) -> impl Iterator<Item = &'static str> + '_ {
    let list = Language::English.word_list();
    let start = list.partition_point(|w| *w < prefix);
    list[start..]
        .iter()
        .copied()
        .take_while(move |w| w.starts_with(prefix))
}

/// The number of bits of a packed deletion-index entry that hold the word's index (2048 words).
const INDEX_BITS: u32 = 11;

/// The key of a string of up to 8 letters `a`–`z` (base 27, digits 1–26, so lengths differ too);
/// `None` for anything else, which no list word contains.
fn letters_key(letters: impl Iterator<Item = char>) -> Option<u64> {
    let mut key = 0u64;
    for (n, c) in letters.enumerate() {
        if n == MAX_LIST_WORD_LEN || !c.is_ascii_lowercase() {
            return None;
        }
        key = key * 27 + u64::from(c as u8 - b'a' + 1);
    }
    Some(key)
}

/// Calls `f` with `word` and with every string made by deleting up to `max` (at most 2) of its
/// characters (some more than once).
fn for_each_deletion(word: &[char], max: usize, mut f: impl FnMut(&mut dyn Iterator<Item = char>)) {
    let n = word.len();
    f(&mut word.iter().copied());
    if max >= 1 {
        for i in 0..n {
            f(&mut word
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != i)
                .map(|(_, &c)| c));
        }
    }
    if max >= 2 {
        for i in 0..n {
            for j in i + 1..n {
                f(&mut word
                    .iter()
                    .enumerate()
                    .filter(|&(k, _)| k != i && k != j)
                    .map(|(_, &c)| c));
            }
        }
    }
}

/// Every list word with up to two letters deleted, as `key << INDEX_BITS | word index`, sorted
/// (about 45,000 entries, 360 KB, built once on the first suggestion).
///
/// A symmetric-deletion index (the idea of SymSpell): a word within `d` edits of the input
/// (insert, delete, replace, swap neighbours) shares a string with it once at most `d` characters
/// are deleted from each, so the candidates are found with a few dozen binary searches instead of
/// a pass over all 2048 words per unknown word, which dominated a phrase check.
fn deletion_index() -> &'static [u64] {
    static INDEX: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut entries = Vec::with_capacity(48_000);
        for (i, word) in Language::English.word_list().iter().enumerate() {
            let chars: Vec<char> = word.chars().collect();
            for_each_deletion(&chars, 2, |variant| {
                if let Some(key) = letters_key(variant) {
                    entries.push(key << INDEX_BITS | i as u64);
                }
            });
        }
        entries.sort_unstable();
        entries.dedup();
        entries
    })
}

/// Indices (ascending, so in list order) of the list words that may be within `max` (at most 2)
/// edits of `typed`: a superset of those that are.
fn near_candidates(typed: &[char], max: usize) -> impl Iterator<Item = usize> {
    let index = deletion_index();
    let mut found = [0u64; 2048 / 64];
    // No list word is longer than 8 letters, so longer inputs need more than `max` edits.
    if typed.len() <= MAX_LIST_WORD_LEN + max {
        for_each_deletion(typed, max, |variant| {
            let Some(key) = letters_key(variant) else {
                return;
            };
            let start = index.partition_point(|&e| e >> INDEX_BITS < key);
            for &e in index[start..]
                .iter()
                .take_while(|&&e| e >> INDEX_BITS == key)
            {
                let i = (e & ((1 << INDEX_BITS) - 1)) as usize;
                found[i / 64] |= 1 << (i % 64);
            }
        });
    }
    // The set bits, lowest first, one word of the bitset at a time.
    found.into_iter().enumerate().flat_map(|(n, mut bits)| {
        std::iter::from_fn(move || {
            let bit = (bits != 0).then(|| bits.trailing_zeros() as usize)?;
            bits &= bits - 1;
            Some(n * 64 + bit)
        })
    })
}

/// How many leading characters `a` and `b` share.
fn common_prefix_len(a: &[char], b: &str) -> usize {
    a.iter()
        .zip(b.chars())
        .take_while(|(x, y)| **x == *y)
        .count()
}

/// The longest word of the BIP39 English list.
const MAX_LIST_WORD_LEN: usize = 8;

/// The optimal-string-alignment (restricted Damerau-Levenshtein) distance between `a` and the
/// list word `b`, if it is at most `max`.
///
/// This runs for every list word (2048) and every unknown word that gets suggestions, so it
/// allocates nothing: list words are ASCII and at most [`MAX_LIST_WORD_LEN`] letters, the rows
/// live on the stack, inputs whose length differs by more than `max` are ruled out before any
/// work, and a row whose smallest entry exceeds `max` ends the computation. (A `Vec` per row and
/// per word made this the bulk of a phrase check: 8 allocations × 2048 words × 2 distances per
/// unknown word.)
fn edit_distance_at_most(a: &[char], b: &str, max: usize) -> Option<usize> {
    let b = b.as_bytes();
    if a.len().abs_diff(b.len()) > max || b.len() > MAX_LIST_WORD_LEN {
        return None;
    }
    let (n, m) = (a.len(), b.len());
    // Three rolling rows: i-2, i-1, i.
    let mut prev2 = [0usize; MAX_LIST_WORD_LEN + 1];
    let mut prev = [0usize; MAX_LIST_WORD_LEN + 1];
    let mut cur = [0usize; MAX_LIST_WORD_LEN + 1];
    for (j, p) in prev.iter_mut().enumerate().take(m + 1) {
        *p = j;
    }
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = i;
        for j in 1..=m {
            let bj = char::from(b[j - 1]);
            let cost = usize::from(a[i - 1] != bj);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == char::from(b[j - 2]) && a[i - 2] == bj {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        // Every later entry is at least the smallest of this row or the one before (a
        // transposition reaches back two rows).
        if row_min > max && prev[..=m].iter().min().is_some_and(|&p| p > max) {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[m];
    (d <= max).then_some(d)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook optimal-string-alignment distance (full matrix, no shortcuts), as reference.
    fn reference_distance(a: &[char], b: &[char]) -> usize {
        let (n, m) = (a.len(), b.len());
        let mut d = vec![vec![0usize; m + 1]; n + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=n {
            for j in 1..=m {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[n][m]
    }

    #[test]
    fn prefix_search_finds_what_a_full_scan_finds() {
        let list = Language::English.word_list();
        let mut prefixes: Vec<String> = vec!["".into(), "zzz".into(), "é".into(), "a".into()];
        for w in list.iter().step_by(7) {
            for n in 1..=w.len() {
                prefixes.push(w[..n].to_string());
            }
            prefixes.push(format!("{w}s"));
        }
        for p in &prefixes {
            let scan: Vec<&str> = Language::English.words_by_prefix_iter(p).collect();
            let fast: Vec<&str> = words_with_prefix(p).collect();
            assert_eq!(fast, scan, "{p:?}");
        }
    }

    #[test]
    fn the_fast_distance_and_the_deletion_index_agree_with_the_reference() {
        let list = Language::English.word_list();
        // Typed inputs: list words with edits (swaps, drops, doubled and foreign letters) and
        // unrelated strings, against every list word.
        let mut inputs: Vec<String> = Vec::new();
        for (k, w) in list.iter().enumerate().step_by(37) {
            let c: Vec<char> = w.chars().collect();
            let mut swapped = c.clone();
            swapped.swap(0, 1);
            inputs.push(swapped.iter().collect());
            inputs.push(c[1..].iter().collect());
            inputs.push(format!("{w}{}", c[k % c.len()]));
            inputs.push(format!("{}é{}", &w[..2], &w[3..]));
        }
        inputs.extend(["", "x", "zzzzzzzzzz", "ab", "qwertyuiop"].map(String::from));
        for typed in &inputs {
            let a: Vec<char> = typed.chars().collect();
            let candidates: Vec<usize> = near_candidates(&a, 2).collect();
            for (i, word) in list.iter().enumerate() {
                let b: Vec<char> = word.chars().collect();
                let want = reference_distance(&a, &b);
                for max in 0..=3 {
                    let got = edit_distance_at_most(&a, word, max);
                    assert_eq!(got, (want <= max).then_some(want), "{typed:?} {word} {max}");
                }
                if want <= 2 {
                    assert!(candidates.contains(&i), "{typed} {word}");
                }
                if want <= 1 {
                    assert!(near_candidates(&a, 1).any(|k| k == i), "{typed} {word}");
                }
            }
        }
    }
}
