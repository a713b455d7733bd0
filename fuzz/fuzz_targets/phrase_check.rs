//! Arbitrary bytes (as lossy UTF-8) as a typed recovery phrase, a partial word and a hex seed:
//! `phrase::check`, `suggest_words` and `seed_from_hex` never panic, and their results are
//! consistent (a `Valid` phrase re-checks as the same `Valid` phrase, hints point at real words).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::phrase::{self, PhraseCheck, BIP39_WORD_COUNTS, MAX_SUGGESTIONS};

fn check_suggestions(words: &[&str]) {
    assert!(
        words.len() <= MAX_SUGGESTIONS,
        "{} suggestions",
        words.len()
    );
    for (i, w) in words.iter().enumerate() {
        assert!(
            phrase::is_word(w),
            "suggested {w:?}, which is not a list word"
        );
        assert!(!words[..i].contains(w), "{w:?} suggested twice");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let result = phrase::check(&text);
    assert_eq!(phrase::Phrase::parse(&text).is_ok(), result.is_valid());
    match &result {
        PhraseCheck::Valid(p) => {
            assert!(BIP39_WORD_COUNTS.contains(&p.word_count()));
            let normal = p.to_zeroizing_string();
            match phrase::check(&normal) {
                PhraseCheck::Valid(again) => assert_eq!(&again, p),
                other => panic!("a valid phrase re-checked as {other:?}"),
            }
            assert_eq!(p.to_seed(""), phrase::seed_from_phrase(p, ""));
        }
        PhraseCheck::Empty => {}
        PhraseCheck::UnknownWords {
            unknown,
            word_count,
        } => {
            assert!(!unknown.is_empty());
            let mut last = None;
            for u in unknown {
                assert!(u.index < *word_count);
                assert!(last.is_none_or(|l| l < u.index), "positions out of order");
                last = Some(u.index);
                assert_eq!(u.position(), u.index + 1);
                check_suggestions(&u.suggestions);
            }
        }
        PhraseCheck::WrongWordCount { word_count } => {
            assert!(!BIP39_WORD_COUNTS.contains(word_count))
        }
        PhraseCheck::BadChecksum { word_count } => {
            assert!(BIP39_WORD_COUNTS.contains(word_count))
        }
    }
    let _ = result.into_result();

    check_suggestions(&phrase::suggest_words(&text));
    let _ = phrase::is_word(&text);

    if let Ok(seed) = phrase::seed_from_hex(&text) {
        assert_eq!(seed.to_hex().as_str(), text.trim().to_ascii_lowercase());
    }
});
