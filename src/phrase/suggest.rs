//! Word suggestions for what a person typed: list words by prefix, by their unique first four
//! letters, and within one or two edits (found through a symmetric-deletion index, then measured
//! with a bounded Damerau-Levenshtein distance).

use bip39::Language;
use unicode_normalization::char::is_combining_mark;
use zeroize::Zeroizing;

use super::{is_invisible, normalize, MAX_SUGGESTIONS};

/// Words the person may mean by `partial`, best first, at most [`MAX_SUGGESTIONS`]: for word-by-word
/// entry while typing, and for the unknown words [`check`](super::check) reports.
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
