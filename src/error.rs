//! The errors of the backup core.
//!
//! Every message is a sentence a person can act on. None of them ever contains a password, a key or
//! wallet content: messages end up in logs, crash reports and support tickets. A message names the
//! place (a field path, an item's position) and the shape that was expected, never a value, and
//! every variant that carries text caps it at [`MAX_DETAIL_CHARS`] when displayed.

use std::borrow::Cow;

use thiserror::Error;

/// The most characters of detail one error carries in its message (the part after the fixed
/// sentence). Details are written by this library and are short; the cap makes sure no path, not
/// even a bug, can turn an error into a dump of a file.
pub const MAX_DETAIL_CHARS: usize = 300;

/// The most characters of a whole error message, as the bindings and the command line show it.
pub const MAX_MESSAGE_CHARS: usize = 600;

/// `text` cut to at most `max` characters (Unicode scalar values), ending in "…" when it was cut.
pub fn capped(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some(_) => {
            // Room for the ellipsis within `max`.
            let end = text
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(text.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &text[..end]))
        }
    }
}

fn detail(text: &str) -> Cow<'_, str> {
    capped(text, MAX_DETAIL_CHARS)
}

/// Everything that can go wrong while opening, checking or writing a backup.
#[derive(Debug, Error, Clone, PartialEq, Eq, strum::IntoStaticStr)]
pub enum BackupError {
    /// The password is shorter than the minimum.
    #[error("The password must be at least {min} characters long.")]
    PasswordTooShort {
        /// The minimum number of characters.
        min: usize,
    },
    /// The password bytes are not UTF-8 text.
    #[error("The password is not valid text (it must be UTF-8).")]
    PasswordNotText,
    /// The password does not open this file.
    #[error("The password is wrong.")]
    WrongPassword,
    /// A legacy file did not decrypt. That format has no integrity check, so a wrong password and a
    /// damaged file look the same.
    #[error(
        "The password is wrong, or the file is damaged (this older format cannot tell the two \
         apart)."
    )]
    WrongPasswordOrDamaged,
    /// The file was damaged or changed after it was written.
    #[error("The backup file is damaged: {}.", detail(.0))]
    Damaged(String),
    /// The bytes are not a wallet backup file at all.
    #[error("This is not a wallet backup file: {}.", detail(.0))]
    NotABackup(String),
    /// The file decrypted, but holds something other than a mobile wallet backup.
    #[error("The file opened, but it holds {}, not a Concordium mobile wallet backup.", detail(.0))]
    NotAWalletBackup(String),
    /// A Concordium Desktop Wallet export: its keys live on a Ledger device.
    #[error(
        "This is a Concordium Desktop Wallet export. Its account keys live on a Ledger device and \
         are not in the file, so it cannot become a mobile wallet; import it into the Desktop \
         Wallet instead."
    )]
    DesktopWalletExport,
    /// The file's format version, or its wallet data's version, is one this library does not read.
    #[error(
        "This backup uses {} version {found}, but this app reads only version {supported}; \
         update the app.",
        detail(what)
    )]
    UnsupportedVersion {
        /// What has the version: "backup format" or "wallet data".
        what: String,
        /// The version in the file.
        found: u64,
        /// The version this library reads.
        supported: u64,
    },
    /// The file uses an encryption or key-derivation method this library does not implement.
    #[error("The backup uses an unsupported encryption method: {}.", detail(.0))]
    UnsupportedEncryption(String),
    /// A parameter in the file (iteration count, salt or nonce length) is outside the accepted range.
    #[error("The backup's parameters are out of the accepted range: {}.", detail(.0))]
    ParamsOutOfRange(String),
    /// The file is larger than the import size cap.
    #[error("The file is {size} bytes, more than the {max} bytes a wallet backup may have.")]
    FileTooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The cap in bytes.
        max: u64,
    },
    /// The file decrypted, but its wallet data does not follow the schema.
    #[error("The wallet data is invalid: {}.", detail(.0))]
    PayloadInvalid(String),
    /// The legacy format needs the network, and the wallet data does not name one.
    #[error(
        "The wallet data does not say which network it belongs to; choose mainnet or testnet \
         before exporting it in the legacy format."
    )]
    MissingEnvironment,
    /// The caller asked for something this library does not allow.
    #[error("Invalid request: {}.", detail(.0))]
    InvalidParameters(String),
    /// The caller cancelled the operation.
    #[error("The operation was cancelled.")]
    Cancelled,
    /// The operating system's secure random number generator failed.
    #[error("The system's secure random number generator failed.")]
    Randomness,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_carrying_message_is_capped() {
        let long = "k".repeat(10_000);
        let errors = [
            BackupError::Damaged(long.clone()),
            BackupError::NotABackup(long.clone()),
            BackupError::NotAWalletBackup(long.clone()),
            BackupError::UnsupportedEncryption(long.clone()),
            BackupError::ParamsOutOfRange(long.clone()),
            BackupError::PayloadInvalid(long.clone()),
            BackupError::InvalidParameters(long.clone()),
            BackupError::UnsupportedVersion {
                what: long.clone(),
                found: 2,
                supported: 1,
            },
        ];
        for e in errors {
            let m = e.to_string();
            assert!(m.chars().count() <= MAX_DETAIL_CHARS + 120, "{}", m.len());
            assert!(m.contains('…'), "{m}");
        }
    }

    #[test]
    fn capping_keeps_short_text_and_cuts_on_character_boundaries() {
        assert_eq!(capped("short", 10), "short");
        assert_eq!(capped("exactly10!", 10), "exactly10!");
        assert_eq!(capped("ééééééééééé", 5), "éééé…");
        assert_eq!(capped("ééééééééééé", 5).chars().count(), 5);
    }
}
