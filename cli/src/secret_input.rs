//! Secrets from outside: password and phrase files (capped, first line, without a byte-order
//! mark), `WALLET_PASSWORD` / `WALLET_STORAGE_PASSPHRASE`, and the hidden prompt on a terminal.

use std::io::IsTerminal;
use std::path::Path;

use zeroize::{Zeroize, Zeroizing};

use wallet_core::input::{self, InputError, MAX_SECRET_TEXT_BYTES};
use wallet_core::password::Password;

use crate::error::CliError;
use crate::output::shown;

/// Reads a secret (a password file, a phrase file), at most [`MAX_SECRET_TEXT_BYTES`].
pub fn read_secret_file(path: &Path, what: &str) -> Result<Zeroizing<Vec<u8>>, CliError> {
    input::read_secret_file_capped(path, MAX_SECRET_TEXT_BYTES)
        .map_err(|e| secret_read_error(e, &shown(&path.display().to_string()), what))
}

/// The error for a secret that could not be read from `source` (a path, "stdin").
pub fn secret_read_error(e: InputError, source: &str, what: &str) -> CliError {
    match e {
        InputError::TooLarge { cap } => CliError::TooLarge(format!(
            "{source} is larger than {cap} bytes, the most {what} may have"
        )),
        InputError::Io(e) => CliError::Io(format!("cannot read {source}: {e}")),
    }
}

/// A password or passphrase as a line of text: without the UTF-8 byte-order mark that Windows
/// editors put at the start of a file and without the line ending, neither of which anyone means
/// as part of it (a backup locked under an invisible character could not be opened by typing).
fn password_line(raw: &[u8]) -> &[u8] {
    let raw = raw.strip_prefix("\u{feff}".as_bytes()).unwrap_or(raw);
    let end = raw.iter().position(|&b| b == b'\n').unwrap_or(raw.len());
    raw[..end].strip_suffix(b"\r").unwrap_or(&raw[..end])
}

/// A password or passphrase from an environment variable: the byte-order mark is removed as from
/// a file (it arrives there from `VAR=$(cat file)`), and the same cap applies.
pub fn password_from_env(name: &str) -> Result<Option<Password>, CliError> {
    let Some(value) = std::env::var_os(name) else {
        return Ok(None);
    };
    let mut value = value.into_encoded_bytes();
    let result = if value.len() > MAX_SECRET_TEXT_BYTES {
        Err(CliError::TooLarge(format!(
            "{name} is larger than {MAX_SECRET_TEXT_BYTES} bytes, the most a password may have"
        )))
    } else {
        let v = value.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&value);
        Password::from_bytes(v).map(Some).map_err(CliError::from)
    };
    value.zeroize();
    result
}

/// Reads a password from a file (its first line), the environment or a hidden prompt.
pub fn get_password(file: Option<&Path>, prompt: &str) -> Result<Password, CliError> {
    if let Some(path) = file {
        let raw = read_secret_file(path, "a password file")?;
        return Ok(Password::from_bytes(password_line(&raw))?);
    }
    if let Some(p) = password_from_env("WALLET_PASSWORD")? {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "no password given: use --password-file, WALLET_PASSWORD, or run in a terminal".into(),
        ));
    }
    let s = rpassword::prompt_password(prompt)
        .map_err(|e| CliError::Io(format!("cannot read the password: {e}")))?;
    Ok(Password::from_string(s))
}

/// The storage passphrase: `WALLET_STORAGE_PASSPHRASE` or a hidden prompt.
pub fn storage_passphrase(prompt: &str) -> Result<Password, CliError> {
    if let Some(p) = password_from_env("WALLET_STORAGE_PASSPHRASE")? {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "no storage passphrase given: set WALLET_STORAGE_PASSPHRASE or run in a terminal"
                .into(),
        ));
    }
    let s = rpassword::prompt_password(prompt)
        .map_err(|e| CliError::Io(format!("cannot read the passphrase: {e}")))?;
    Ok(Password::from_string(s))
}
