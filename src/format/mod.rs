//! Reading, recognising and writing backup files.
//!
//! [`inspect`] tells what a file is without a password, [`open`] decrypts any supported file
//! and [`export`] writes one. All of them check the size cap and the key-derivation cost before
//! doing any expensive work.

pub mod legacy;
pub mod ours;

use serde_json::Value;

use crate::error::BackupError;
use crate::kdf::KdfObserver;
use crate::model::{Environment, WalletData};
use crate::password::Password;

/// The most PBKDF2 iterations an imported file may ask for (about 1 s on a fast desktop core,
/// 5–15 s on a phone).
pub const MAX_IMPORT_ITERATIONS: u32 = 10_000_000;
/// The largest file accepted for import.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The file formats this library writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupFormat {
    /// Our authenticated AES-256-GCM format (the default).
    Ours,
    /// Concordium's legacy `.concordiumwallet` format, for moving to another Concordium wallet.
    Legacy,
}

/// What kind of file [`inspect`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Our authenticated backup format.
    Ours,
    /// A legacy `.concordiumwallet` mobile wallet export (or other legacy envelope).
    LegacyMobile,
    /// A legacy envelope with the Desktop Wallet's `keyLen`/`hashAlgorithm` fields.
    LegacyDesktop,
}

impl FileKind {
    /// The kind's name, as the command line's JSON spells it (`"kind"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ours => "Ours",
            Self::LegacyMobile => "LegacyMobile",
            Self::LegacyDesktop => "LegacyDesktop",
        }
    }

    /// A short description for people.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Ours => "wallet backup (AES-256-GCM, authenticated)",
            Self::LegacyMobile => {
                "Concordium legacy mobile wallet export (.concordiumwallet, AES-256-CBC)"
            }
            Self::LegacyDesktop => {
                "Concordium Desktop Wallet export (AES-256-CBC; keys live on a Ledger)"
            }
        }
    }
}

/// What can be told about a file without its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The kind of file.
    pub kind: FileKind,
    /// Our format's version; `None` for legacy files, which have none.
    pub format_version: Option<u64>,
    /// The encryption method as written in the file.
    pub encryption_method: String,
    /// The key-derivation method as written in the file.
    pub key_derivation_method: String,
    /// PBKDF2 iterations, as written in the file.
    pub iterations: u64,
    /// Salt length in bytes.
    pub salt_len: usize,
    /// The network, when the format shows it without a password (ours does; legacy does not).
    pub environment: Option<Environment>,
    /// The file size in bytes.
    pub file_size: u64,
    /// For our format: the checksum matched, so the file is intact. Legacy files have no
    /// checksum (`None`).
    pub intact: Option<bool>,
    /// True when the iteration count is below what new files get (600,000 for ours).
    pub weak_key_derivation: bool,
    /// True when the file is within the import limits (size and iteration cap).
    pub within_limits: bool,
}

/// Options for [`open`].
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions {
    /// Refuse files asking for more PBKDF2 iterations than this.
    pub max_iterations: u32,
    /// Refuse files larger than this many bytes.
    pub max_file_bytes: u64,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            max_iterations: MAX_IMPORT_ITERATIONS,
            max_file_bytes: MAX_FILE_BYTES,
        }
    }
}

/// Options for [`export`].
#[derive(Debug, Clone, Copy)]
pub struct ExportOptions {
    /// The format to write.
    pub format: BackupFormat,
    /// PBKDF2 iterations; `None` for the format's default (600,000 ours, 100,000 legacy).
    pub iterations: Option<u32>,
}

impl ExportOptions {
    /// Checks the iteration count against the format's range (ours: 600,000 to
    /// [`MAX_IMPORT_ITERATIONS`]; legacy: 100,000 to [`MAX_IMPORT_ITERATIONS`]), so a caller can
    /// refuse a bad setting before it derives or asks for anything. [`export`] checks it too.
    pub fn check(&self) -> Result<(), BackupError> {
        let Some(n) = self.iterations else {
            return Ok(());
        };
        let min = match self.format {
            BackupFormat::Ours => ours::MIN_EXPORT_ITERATIONS,
            BackupFormat::Legacy => legacy::DEFAULT_ITERATIONS,
        };
        if (min..=MAX_IMPORT_ITERATIONS).contains(&n) {
            return Ok(());
        }
        Err(BackupError::InvalidParameters(format!(
            "{} backups need {min} to {MAX_IMPORT_ITERATIONS} key-derivation iterations (more \
             could not be opened again); {n} is out of range",
            match self.format {
                BackupFormat::Ours => "new",
                BackupFormat::Legacy => "legacy",
            }
        )))
    }
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            format: BackupFormat::Ours,
            iterations: None,
        }
    }
}

/// A decrypted backup.
#[derive(Debug)]
pub struct Opened {
    /// The wallet inside.
    pub data: WalletData,
    /// The format it was read from.
    pub kind: FileKind,
    /// The PBKDF2 iterations of the file (so an app can offer to re-encrypt weak files).
    pub iterations: u32,
}

enum Envelope {
    Ours(Box<ours::Parsed>),
    Legacy(legacy::Parsed),
}

fn check_size(bytes: &[u8], max: u64) -> Result<(), BackupError> {
    let size = bytes.len() as u64;
    if size > max {
        return Err(BackupError::FileTooLarge { size, max });
    }
    if bytes.is_empty() {
        return Err(BackupError::NotABackup("the file is empty".into()));
    }
    Ok(())
}

/// The UTF-8 byte-order mark that Windows editors put before text.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// What is wrong with an iteration count, for each format to report in its own terms.
pub(crate) enum IterationIssue {
    /// The field is absent.
    Missing,
    /// Not a JSON number.
    NotANumber,
    /// A number below zero or above 2^64 − 1.
    OutOfRange,
    /// A number with a fraction, or written with a decimal point or an exponent.
    NotWhole,
}

impl IterationIssue {
    /// The phrase for a message.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Self::Missing => "the iteration count is missing",
            Self::NotANumber => "the iteration count is not a number",
            Self::OutOfRange => {
                "the iteration count is negative or larger than 18446744073709551615"
            }
            Self::NotWhole => {
                "the iteration count is not a whole number (it is written with a decimal point or \
                 an exponent)"
            }
        }
    }
}

/// Reads `metadata.iterations` as a whole number: no decimal point, no exponent, 0 to 2^64 − 1.
pub(crate) fn iteration_count(
    meta: &serde_json::Map<String, Value>,
) -> Result<u64, IterationIssue> {
    match meta.get("iterations") {
        None => Err(IterationIssue::Missing),
        Some(Value::Number(n)) => {
            if let Some(n) = n.as_u64() {
                Ok(n)
            } else if n.is_i64() {
                Err(IterationIssue::OutOfRange)
            } else {
                // A float: serde_json reads integers beyond 64 bits as floats too.
                let f = n.as_f64().unwrap_or(f64::NAN);
                if !(0.0..18_446_744_073_709_551_616.0).contains(&f) {
                    Err(IterationIssue::OutOfRange)
                } else {
                    Err(IterationIssue::NotWhole)
                }
            }
        }
        Some(_) => Err(IterationIssue::NotANumber),
    }
}

fn parse_envelope(bytes: &[u8]) -> Result<(Value, Envelope), BackupError> {
    // Legacy files pass through editors and mail clients; a byte-order mark before the JSON is
    // harmless there. Ours are byte-for-byte canonical, so for them it is reported as an edit.
    let (bytes, bom) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_eof() && bytes.first() == Some(&b'{') {
            BackupError::Damaged("it ends too early (it was cut off)".into())
        } else if bytes.first() == Some(&b'{') {
            BackupError::Damaged("it is not valid JSON".into())
        } else {
            BackupError::NotABackup("it is not a JSON backup envelope".into())
        }
    })?;
    let has_envelope =
        value.get("metadata").is_some_and(Value::is_object) && value.get("cipherText").is_some();
    if !has_envelope {
        if value.get("type").and_then(Value::as_str) == Some(crate::model::MOBILE_WALLET_TYPE) {
            return Err(BackupError::NotABackup(
                "it is unencrypted wallet data, not an encrypted backup".into(),
            ));
        }
        return Err(BackupError::NotABackup(
            "it has no `metadata` and `cipherText`".into(),
        ));
    }
    let env = if ours::is_ours(&value) {
        if bom {
            return Err(BackupError::Damaged(
                "it starts with a byte-order mark, which this format never writes (a text editor \
                 changed the file; open the original copy)"
                    .into(),
            ));
        }
        Envelope::Ours(Box::new(ours::parse(bytes, &value)?))
    } else if legacy::is_legacy(&value) {
        Envelope::Legacy(legacy::parse(&value)?)
    } else {
        let method = value
            .pointer("/metadata/encryptionMethod")
            .and_then(Value::as_str)
            .unwrap_or("none given");
        let what = if method == "AES-256-GCM" {
            "AES-256-GCM without this format's marker (the Concordium browser wallet's \
             verifiable-credential backup uses that)"
                .to_string()
        } else {
            method.to_string()
        };
        return Err(BackupError::UnsupportedEncryption(what));
    };
    Ok((value, env))
}

/// Tells what a file is, without its password. Never runs the key derivation.
pub fn inspect(bytes: &[u8]) -> Result<Inspection, BackupError> {
    // Inspection reads files of any size the caller could load; the cap is reported, not enforced.
    if bytes.is_empty() {
        return Err(BackupError::NotABackup("the file is empty".into()));
    }
    let file_size = bytes.len() as u64;
    let (value, env) = parse_envelope(bytes)?;
    let text = |p: &str| {
        value
            .pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let encryption_method = text("/metadata/encryptionMethod");
    let key_derivation_method = text("/metadata/keyDerivationMethod");
    let limits = OpenOptions::default();
    Ok(match env {
        Envelope::Ours(p) => Inspection {
            kind: FileKind::Ours,
            format_version: Some(ours::FORMAT_VERSION),
            encryption_method,
            key_derivation_method,
            iterations: p.metadata.iterations,
            salt_len: p.metadata.salt.len(),
            environment: p.metadata.environment,
            file_size,
            intact: Some(true),
            weak_key_derivation: p.metadata.iterations < u64::from(ours::DEFAULT_ITERATIONS),
            within_limits: ours::check_limits(&p.metadata, limits.max_iterations).is_ok()
                && file_size <= limits.max_file_bytes,
        },
        Envelope::Legacy(p) => Inspection {
            kind: if p.desktop_fields {
                FileKind::LegacyDesktop
            } else {
                FileKind::LegacyMobile
            },
            format_version: None,
            encryption_method,
            key_derivation_method,
            iterations: p.iterations,
            salt_len: p.salt.len(),
            environment: None,
            file_size,
            intact: None,
            weak_key_derivation: p.iterations < u64::from(ours::DEFAULT_ITERATIONS),
            within_limits: legacy::check_limits(&p, limits.max_iterations).is_ok()
                && file_size <= limits.max_file_bytes,
        },
    })
}

/// Opens (decrypts and parses) a backup in any supported format.
///
/// Limits are checked before the key derivation; the observer sees its progress and can cancel.
pub fn open(
    bytes: &[u8],
    password: &Password,
    options: &OpenOptions,
    observer: &dyn KdfObserver,
) -> Result<Opened, BackupError> {
    let opened = open_unlogged(bytes, password, options, observer);
    match &opened {
        Ok(o) => log::info!(
            "opened a {} file ({} iterations): {} identities, {} contacts",
            o.kind.describe(),
            o.iterations,
            o.data.value.identities.len(),
            o.data.value.recipients.len()
        ),
        Err(e) => log::info!("opening a {}-byte file failed: {e}", bytes.len()),
    }
    opened
}

fn open_unlogged(
    bytes: &[u8],
    password: &Password,
    options: &OpenOptions,
    observer: &dyn KdfObserver,
) -> Result<Opened, BackupError> {
    check_size(bytes, options.max_file_bytes)?;
    let (_, env) = parse_envelope(bytes)?;
    match env {
        Envelope::Ours(p) => {
            log::debug!(
                "opening our format, version {}, {} iterations",
                ours::FORMAT_VERSION,
                p.metadata.iterations
            );
            ours::check_limits(&p.metadata, options.max_iterations)?;
            let data = ours::decrypt(&p, password, observer)?;
            Ok(Opened {
                data,
                kind: FileKind::Ours,
                // `check_limits` bounded it by a u32.
                iterations: u32::try_from(p.metadata.iterations).unwrap_or(u32::MAX),
            })
        }
        Envelope::Legacy(p) => {
            log::debug!(
                "opening a legacy file ({} fields), {} iterations",
                if p.desktop_fields {
                    "Desktop Wallet"
                } else {
                    "mobile wallet"
                },
                p.iterations
            );
            legacy::check_limits(&p, options.max_iterations)?;
            let data = legacy::decrypt(&p, password, observer)?;
            Ok(Opened {
                data,
                kind: if p.desktop_fields {
                    FileKind::LegacyDesktop
                } else {
                    FileKind::LegacyMobile
                },
                iterations: u32::try_from(p.iterations).unwrap_or(u32::MAX),
            })
        }
    }
}

/// Writes wallet data as an encrypted backup.
pub fn export(
    data: &WalletData,
    password: &Password,
    options: &ExportOptions,
    observer: &dyn KdfObserver,
) -> Result<Vec<u8>, BackupError> {
    options.check()?;
    log::info!(
        "exporting {} identities, {} contacts as {:?} ({} iterations)",
        data.value.identities.len(),
        data.value.recipients.len(),
        options.format,
        options.iterations.unwrap_or(match options.format {
            BackupFormat::Ours => ours::DEFAULT_ITERATIONS,
            BackupFormat::Legacy => legacy::DEFAULT_ITERATIONS,
        })
    );
    let file = match options.format {
        BackupFormat::Ours => ours::encrypt(
            data,
            password,
            options.iterations.unwrap_or(ours::DEFAULT_ITERATIONS),
            observer,
        ),
        BackupFormat::Legacy => legacy::encrypt(
            data,
            password,
            options.iterations.unwrap_or(legacy::DEFAULT_ITERATIONS),
            observer,
        ),
    }
    .inspect_err(|e| log::warn!("the export failed: {e}"))?;
    log::debug!("exported {} bytes", file.len());
    if file.len() as u64 > MAX_FILE_BYTES {
        return Err(BackupError::InvalidParameters(format!(
            "the wallet is too large for one backup file ({} bytes; files above {} bytes cannot \
             be opened again)",
            file.len(),
            MAX_FILE_BYTES
        )));
    }
    Ok(file)
}
