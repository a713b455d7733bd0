//! What reaches the terminal: names from backups and stores are shown with every character that
//! could drive the terminal or reorder the line escaped and visible, and JSON carries the same
//! characters as JSON escapes.
//!
//! A backup is untrusted input, and its names (identities, accounts, contacts) are printed: an
//! escape sequence can clear the screen or move the cursor, a carriage return can overwrite the
//! start of the line, and a bidi override can make `main` U+202E `txt.exe` read differently from what it
//! is, all to redraw the "Review your import" preview. The stored names are never changed; only
//! how they are shown.

use std::fmt::Write as _;

/// True for a character that must not reach a terminal raw: C0 and C1 controls and DEL (escape
/// sequences, CR, NUL, BEL, the 8-bit CSI), the bidi embeddings, overrides, isolates and marks,
/// and invisible format characters (zero-width space, word joiner, invisible operators, the byte
/// order mark, line and paragraph separators, soft hyphen, Hangul fillers) that can hide or fake
/// text. Zero-width joiner and non-joiner are kept: emoji sequences and several scripts need them.
pub fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// `text` for a person's terminal: every [`is_hostile`] character as `\u{…}` (Rust's notation,
/// hex code point), everything else as it is.
pub fn shown(text: &str) -> String {
    escape_hostile(text, |out, c| write!(out, "\\u{{{:x}}}", c as u32))
}

/// One line of JSON: serde_json escapes C0 controls, and every other [`is_hostile`] character is
/// written as a `\uXXXX` escape too (they are all in the Basic Multilingual Plane and can only
/// occur inside strings), so the text is the same for a JSON reader and harmless on a terminal.
pub fn json_line(v: &serde_json::Value) -> String {
    escape_hostile(&v.to_string(), |out, c| write!(out, "\\u{:04x}", c as u32))
}

/// `text` with each [`is_hostile`] character replaced by what `escape` writes for it.
fn escape_hostile(text: &str, escape: fn(&mut String, char) -> std::fmt::Result) -> String {
    if !text.chars().any(is_hostile) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hostile(c) {
            // Writing to a String cannot fail.
            let _ = escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Prints `v` as one line of JSON on stdout ([`json_line`]).
pub fn print_json(v: &serde_json::Value) {
    println!("{}", json_line(v));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn controls_and_bidi_are_escaped_and_the_rest_is_kept() {
        assert_eq!(shown("plain Ïdentität 🪪"), "plain Ïdentität 🪪");
        assert_eq!(
            shown("a\u{1b}[2Jb\rc\0d\u{7}e\u{7f}f\u{9b}"),
            r"a\u{1b}[2Jb\u{d}c\u{0}d\u{7}e\u{7f}f\u{9b}"
        );
        assert_eq!(
            shown("x\u{202a}\u{202e}\u{2066}\u{2069}\u{200f}\u{feff}y"),
            r"x\u{202a}\u{202e}\u{2066}\u{2069}\u{200f}\u{feff}y"
        );
        // A family emoji is joined with ZWJ: kept.
        assert_eq!(shown("👨\u{200d}👩\u{200d}👧"), "👨\u{200d}👩\u{200d}👧");
    }

    #[test]
    fn json_escapes_and_reads_back_the_same() {
        let name = "a\u{1b}b\u{7f}c\u{9b}d\u{202e}e\u{2069}f";
        let line = json_line(&json!({ "name": name }));
        assert!(!line.chars().any(is_hostile), "{line:?}");
        assert_eq!(line, r#"{"name":"a\u001bb\u007fc\u009bd\u202ee\u2069f"}"#);
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["name"], name);
    }
}
