//! A [`PhraseCheck`] as a screen or the command line shows it: the verdict by name, the word
//! count, the unknown words by position with their suggestions, and the sentence for the first
//! problem; never a word of the phrase itself. The FFI's `PhraseCheckResult` maps it field for
//! field.

use std::fmt;

use super::PhraseCheck;

/// What [`super::check`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhraseStatus {
    /// A valid phrase (see [`PhraseVerdict::is_24_words`] for the wallet's 24-word rule).
    Valid,
    /// Nothing was typed.
    Empty,
    /// Some words are not in the word list (see [`PhraseVerdict::unknown_words`]).
    UnknownWords,
    /// All words are in the list, but there are not 12, 15, 18, 21 or 24 of them.
    WrongWordCount,
    /// All words are in the list and the count is right, but the checksum does not match: a word
    /// is wrong or two are swapped.
    BadChecksum,
}

impl PhraseStatus {
    /// The status's name, as the command line's JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "Valid",
            Self::Empty => "Empty",
            Self::UnknownWords => "UnknownWords",
            Self::WrongWordCount => "WrongWordCount",
            Self::BadChecksum => "BadChecksum",
        }
    }
}

impl fmt::Display for PhraseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not in the list, with what the person may have meant.
#[derive(Clone, PartialEq, Eq)]
pub struct UnknownWordHint {
    /// The word's position, counting from 1 (for messages: "word 7").
    pub position: usize,
    /// List words it may have been, best first (may be empty).
    pub suggestions: Vec<&'static str>,
}

impl fmt::Debug for UnknownWordHint {
    // The suggestions hint at a secret word, so they stay out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "UnknownWordHint {{ position: {}, suggestions: {} (redacted) }}",
            self.position,
            self.suggestions.len()
        )
    }
}

/// The result of checking a typed phrase, ready to show next to the right word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseVerdict {
    /// The verdict.
    pub status: PhraseStatus,
    /// How many words were typed.
    pub word_count: usize,
    /// True when the phrase is valid and has 24 words (what Concordium wallets create).
    pub is_24_words: bool,
    /// The unknown words, in order (empty unless `status` is [`PhraseStatus::UnknownWords`]).
    pub unknown_words: Vec<UnknownWordHint>,
    /// A sentence describing the problem, `None` when valid.
    pub message: Option<String>,
}

impl From<PhraseCheck> for PhraseVerdict {
    fn from(check: PhraseCheck) -> Self {
        let message = check.clone().into_result().err().map(|e| e.to_string());
        let (status, word_count, is_24_words, unknown_words) = match check {
            PhraseCheck::Valid(p) => (
                PhraseStatus::Valid,
                p.word_count(),
                p.is_24_words(),
                Vec::new(),
            ),
            PhraseCheck::Empty => (PhraseStatus::Empty, 0, false, Vec::new()),
            PhraseCheck::UnknownWords {
                unknown,
                word_count,
            } => (
                PhraseStatus::UnknownWords,
                word_count,
                false,
                unknown
                    .iter()
                    .map(|u| UnknownWordHint {
                        position: u.position(),
                        suggestions: u.suggestions.clone(),
                    })
                    .collect(),
            ),
            PhraseCheck::WrongWordCount { word_count } => {
                (PhraseStatus::WrongWordCount, word_count, false, Vec::new())
            }
            PhraseCheck::BadChecksum { word_count } => {
                (PhraseStatus::BadChecksum, word_count, false, Vec::new())
            }
        };
        Self {
            status,
            word_count,
            is_24_words,
            unknown_words,
            message,
        }
    }
}
