//! `wallet`: the desktop command line for support engineers and scripts.
//!
//! Inspect, verify and convert backups. Passwords come from a hidden prompt, `--password-file`
//! or `WALLET_PASSWORD`; every command takes `--json`; a typed error exits non-zero with one line
//! on stderr.

mod desktop_cmds;
mod ledger_cmds;
mod output;
mod phrase_cmds;
#[cfg(feature = "wallet-proxy")]
mod recovery_cmds;
mod store_cmds;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;
use zeroize::Zeroize;

use wallet_core::atomic_file::{self, write_atomically, TargetError};
use wallet_core::format::{self, BackupFormat, ExportOptions, Inspection, OpenOptions};
use wallet_core::input::{self, InputError, MAX_SECRET_TEXT_BYTES};
use wallet_core::kdf::KdfObserver;
use wallet_core::model::{Environment, WalletData};
use wallet_core::password::{self, Password};
use wallet_core::store::StoreError;
use wallet_core::BackupError;

use output::{print_json, shown};

/// Every heap block is wiped as it is freed: passwords, phrases and wallet JSON pass through
/// buffers of clap, serde and zxcvbn that no destructor of ours reaches. (With the library's
/// `wipe-freed-heap` feature the library installs the same allocator.)
#[cfg(not(feature = "wipe-freed-heap"))]
#[global_allocator]
static WIPE_FREED_HEAP: zeroizing_alloc::ZeroAlloc<std::alloc::System> =
    zeroizing_alloc::ZeroAlloc(std::alloc::System);

#[derive(Parser)]
#[command(
    name = "wallet",
    version,
    about = "Inspect, verify and convert Concordium wallet backups; recovery phrases and keys"
)]
struct Cli {
    /// Print machine-readable JSON on stdout instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// The wallet store file (default: WALLET_STORE, else the platform's data directory).
    #[arg(long, global = true)]
    store: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new, empty wallet store (locked with a storage passphrase).
    Init {
        /// mainnet, testnet or stagenet.
        #[arg(long, default_value = "mainnet")]
        network: String,
    },
    /// List identities, accounts and the address book (no passphrase needed).
    List,
    /// Add or remove address-book entries.
    Contacts {
        #[command(subcommand)]
        action: ContactAction,
    },
    /// Export the whole wallet as an encrypted backup.
    Export {
        /// Where to write the backup.
        #[arg(long)]
        out: PathBuf,
        /// Write Concordium's legacy .concordiumwallet format instead of ours.
        #[arg(long)]
        legacy: bool,
        /// PBKDF2 iterations (default 600,000 ours, 100,000 legacy).
        #[arg(long)]
        iterations: Option<u32>,
        /// Read the backup password from this file instead of prompting.
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// Import a backup into the wallet: shows what will change and asks to confirm.
    Import {
        /// The backup file.
        file: PathBuf,
        /// Apply without asking (for scripts).
        #[arg(long)]
        yes: bool,
        /// Read the backup password from this file instead of prompting.
        #[arg(long)]
        password_file: Option<PathBuf>,
        /// The network of an old backup that does not name one.
        #[arg(long)]
        assume_network: Option<String>,
        /// Desktop Wallet exports: the Ledger holding its keys (hid, speculos or
        /// speculos:HOST:PORT); without it only the address book is imported.
        #[arg(long)]
        transport: Option<String>,
    },
    /// Restore a wallet from its recovery phrase: finds its identities and accounts on chain
    /// (through the wallet-proxy), shows what will be added and asks to confirm.
    #[cfg(feature = "wallet-proxy")]
    Restore {
        /// File holding the recovery phrase (or a 64-byte seed as 128 hex characters).
        #[arg(long)]
        phrase_file: PathBuf,
        /// The network to restore on (default: the wallet's).
        #[arg(long)]
        network: Option<String>,
        /// The wallet-proxy to ask (default: Concordium's for the network).
        #[arg(long)]
        wallet_proxy: Option<String>,
        /// Apply without asking (for scripts).
        #[arg(long)]
        yes: bool,
    },
    /// Show what a backup file is, without its password.
    Inspect {
        /// The backup file.
        file: PathBuf,
    },
    /// Decrypt a backup and show what is inside.
    Verify {
        /// The backup file.
        file: PathBuf,
        /// Read the password from this file (first line) instead of prompting.
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// Re-encrypt a backup, in our format or the legacy Concordium format.
    Convert {
        /// The backup file to read.
        file: PathBuf,
        /// The format to write.
        #[arg(long, value_enum)]
        to: Target,
        /// Where to write the new file.
        #[arg(long)]
        out: PathBuf,
        /// Read the current password from this file instead of prompting.
        #[arg(long)]
        password_file: Option<PathBuf>,
        /// Encrypt the new file under the password in this file (default: keep the password).
        #[arg(long)]
        new_password_file: Option<PathBuf>,
        /// PBKDF2 iterations for the new file (default 600,000 ours, 100,000 legacy).
        #[arg(long)]
        iterations: Option<u32>,
        /// Set the network for old files that do not name one (needed for --to legacy).
        #[arg(long)]
        network: Option<String>,
    },
    /// Create or check a 24-word recovery phrase.
    Phrase {
        #[command(subcommand)]
        action: PhraseAction,
    },
    /// Derive an account's public values (and secrets with --show-secrets) from a phrase or seed.
    Keys {
        /// File holding the recovery phrase, or a 64-byte seed as 128 hex characters.
        #[arg(long)]
        phrase_file: PathBuf,
        /// mainnet or testnet (stagenet uses testnet keys).
        #[arg(long)]
        network: String,
        /// The identity provider's ipIdentity.
        #[arg(long)]
        idp: u32,
        /// The identity index.
        #[arg(long)]
        identity: u32,
        /// The credential counter (account number within the identity).
        #[arg(long)]
        credential: u8,
        /// Also print the signing key, idCredSec, PRF key and blinding randomness.
        #[arg(long)]
        show_secrets: bool,
        /// The chain's 96-byte commitment key in hex (default: the published global one).
        #[arg(long)]
        commitment_key: Option<String>,
    },
    /// The Concordium app on a Ledger (USB HID or Speculos): info, keys, verify address.
    Ledger(ledger_cmds::LedgerArgs),
    /// Rate a password and estimate how long a GPU needs to guess it.
    PasswordCheck {
        /// Read the password from this file instead of prompting.
        #[arg(long)]
        password_file: Option<PathBuf>,
        /// The PBKDF2 cost to assume.
        #[arg(long, default_value_t = format::ours::DEFAULT_ITERATIONS)]
        iterations: u32,
    },
}

#[derive(Subcommand)]
enum ContactAction {
    /// Add NAME ADDRESS to the address book.
    Add {
        /// The contact's name.
        name: String,
        /// The contact's account address.
        address: String,
    },
    /// Remove NAME ADDRESS from the address book.
    Remove {
        /// The contact's name.
        name: String,
        /// The contact's account address.
        address: String,
    },
}

#[derive(Subcommand)]
enum PhraseAction {
    /// Print a new 24-word phrase from the OS's secure random source.
    New,
    /// Check a phrase (from stdin or --phrase-file): unknown words with suggestions, word count,
    /// checksum.
    Check {
        /// Read the phrase from this file instead of stdin.
        #[arg(long)]
        phrase_file: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Target {
    /// Our authenticated AES-256-GCM format.
    Ours,
    /// Concordium's legacy .concordiumwallet format.
    Legacy,
}

/// Errors of the command line: the library's, plus files, usage and invalid input.
enum CliError {
    Backup(BackupError),
    Io(String),
    Usage(String),
    /// Input that is not valid (a recovery phrase, a seed).
    Input(String),
    /// Invalid input whose details were already printed on stdout (as JSON with --json).
    Reported(String),
    /// The wallet store.
    Store(StoreError),
    /// An input larger than its cap (a backup, a password or phrase file, stdin).
    TooLarge(String),
    /// A Ledger or its transport.
    Ledger(wallet_core::ledger::LedgerError),
}

impl From<BackupError> for CliError {
    fn from(e: BackupError) -> Self {
        Self::Backup(e)
    }
}

impl CliError {
    fn message(&self) -> String {
        match self {
            Self::Backup(e) => e.to_string(),
            Self::Io(m)
            | Self::Usage(m)
            | Self::Input(m)
            | Self::Reported(m)
            | Self::TooLarge(m) => m.clone(),
            Self::Store(e) => e.to_string(),
            Self::Ledger(e) => e.to_string(),
        }
    }

    /// Exit codes (documented in the README).
    fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            Self::Backup(BackupError::WrongPassword | BackupError::WrongPasswordOrDamaged) => 3,
            Self::Backup(BackupError::PasswordTooShort { .. } | BackupError::PasswordNotText) => 2,
            Self::Backup(BackupError::Cancelled) => 130,
            Self::Store(StoreError::WrongStorageKey) => 3,
            Self::Store(StoreError::IsADirectory) => 2,
            Self::Io(_) | Self::Store(StoreError::Io(_)) => 5,
            Self::Ledger(_) => 6,
            Self::Backup(_)
            | Self::Input(_)
            | Self::Reported(_)
            | Self::Store(_)
            | Self::TooLarge(_) => 4,
        }
    }

    fn kind(&self) -> String {
        match self {
            Self::Backup(e) => variant_name(format!("{e:?}")),
            Self::Io(_) => "Io".into(),
            Self::Usage(_) => "Usage".into(),
            Self::Input(_) | Self::Reported(_) => "InvalidInput".into(),
            Self::TooLarge(_) => "FileTooLarge".into(),
            Self::Store(e) => variant_name(format!("{e:?}")),
            Self::Ledger(e) => variant_name(format!("{e:?}")),
        }
    }
}

/// The enum variant's name from its `Debug` form (`Damaged("…")` → `Damaged`).
fn variant_name(debug: String) -> String {
    debug
        .split(['(', ' ', '{'])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Parses a network name given on the command line.
fn parse_network(name: &str) -> Result<Environment, CliError> {
    Environment::parse(name).ok_or_else(|| {
        CliError::Usage(format!(
            "unknown network \"{name}\": use mainnet, testnet or stagenet"
        ))
    })
}

/// Encrypts `data`, writes it crash-safely to `out`, then reads the file back and decrypts it
/// before anything reports success. Returns the file's bytes and what was read back.
fn export_verified(
    data: &WalletData,
    password: &Password,
    options: &ExportOptions,
    out: &Path,
    json: bool,
) -> Result<(Vec<u8>, format::Opened), CliError> {
    let bar = ProgressBar::new("Encrypting  ", json);
    let bytes = format::export(data, password, options, &bar);
    bar.finish();
    let bytes = bytes?;
    write_atomically(out, &bytes).map_err(|e| {
        CliError::Io(format!(
            "cannot write {}: {e}",
            shown(&out.display().to_string())
        ))
    })?;
    let check = open_file(out, password, json)?;
    if &check.data != data {
        return Err(CliError::Io(format!(
            "{} was written but does not read back the same; do not rely on it",
            shown(&out.display().to_string())
        )));
    }
    Ok((bytes, check))
}

/// Reads a backup file, at most [`format::MAX_FILE_BYTES`] whatever size it reports (a device
/// or a FIFO reports none).
fn read_file(path: &Path) -> Result<Vec<u8>, CliError> {
    input::read_file_capped(path, format::MAX_FILE_BYTES).map_err(|e| match e {
        InputError::TooLarge { cap } => CliError::TooLarge(format!(
            "{} is larger than {cap} bytes, the most a wallet backup may have",
            shown(&path.display().to_string())
        )),
        InputError::Io(e) => CliError::Io(format!(
            "cannot read {}: {e}",
            shown(&path.display().to_string())
        )),
    })
}

/// Reads a secret (a password file, a phrase file), at most [`MAX_SECRET_TEXT_BYTES`].
fn read_secret_file(path: &Path, what: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, CliError> {
    input::read_secret_file_capped(path, MAX_SECRET_TEXT_BYTES)
        .map_err(|e| secret_read_error(e, &shown(&path.display().to_string()), what))
}

/// The error for a secret that could not be read from `source` (a path, "stdin").
fn secret_read_error(e: InputError, source: &str, what: &str) -> CliError {
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
fn password_from_env(name: &str) -> Result<Option<Password>, CliError> {
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
fn get_password(file: Option<&Path>, prompt: &str) -> Result<Password, CliError> {
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

/// Checks an `--out` path before anything is derived, prompted for or written: it must not be a
/// special file (a device, a FIFO, a socket, a directory), and, symlinks followed, it must not be
/// the wallet store (nor its `-wal`, `-shm` or `-journal` file, where SQLite keeps recent
/// changes) nor an input of the command. Hard links to them are caught by comparing the files
/// themselves.
fn check_output(out: &Path, store: Option<&Path>, inputs: &[&Path]) -> Result<(), CliError> {
    let out_shown = shown(&out.display().to_string());
    let target = atomic_file::write_target(out).map_err(|e| match e {
        TargetError::Io(e) => CliError::Io(format!("cannot write {out_shown}: {e}")),
        other => CliError::Usage(format!("cannot write {out_shown}: {other}")),
    })?;
    let resolved = resolve(&target);
    let same = |p: &Path| (resolved.is_some() && resolve(p) == resolved) || same_file(&target, p);
    if let Some(store) = store {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut companion = store.as_os_str().to_owned();
            companion.push(suffix);
            let companion = PathBuf::from(companion);
            // SQLite keeps the companions next to the store's resolved path.
            let resolved_companion = resolve(store).map(|r| {
                let mut c = r.into_os_string();
                c.push(suffix);
                PathBuf::from(c)
            });
            if same(&companion) || (resolved.is_some() && resolved_companion == resolved) {
                return Err(CliError::Usage(format!(
                    "--out {out_shown} is the wallet store{}: writing there would destroy the \
                     wallet; choose another file",
                    if suffix.is_empty() {
                        String::new()
                    } else {
                        format!("'s {suffix} file")
                    }
                )));
            }
        }
    }
    if inputs.iter().any(|p| same(p)) {
        return Err(CliError::Usage(
            "--out must differ from the input file, so the original is kept".into(),
        ));
    }
    Ok(())
}

/// `path` with every symlink and `.`/`..` resolved; for a file that does not exist yet, its
/// resolved directory joined with its name. `None` when not even the directory resolves.
fn resolve(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.canonicalize().ok()?,
        _ => std::env::current_dir().ok()?.canonicalize().ok()?,
    };
    Some(dir.join(name))
}

/// True when both paths exist and are the same file (hard links included).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    let _ = (a, b);
    false
}

/// Checks `--iterations` against the format's range before any key is derived, as a usage error.
fn check_iterations(options: &ExportOptions) -> Result<(), CliError> {
    options.check().map_err(|e| CliError::Usage(e.to_string()))
}

/// Draws a progress bar on stderr while the key is derived (only on a terminal).
struct ProgressBar {
    enabled: bool,
    label: &'static str,
}

impl ProgressBar {
    fn new(label: &'static str, json: bool) -> Self {
        Self {
            enabled: !json && std::io::stderr().is_terminal(),
            label,
        }
    }
    fn finish(&self) {
        if self.enabled {
            eprint!("\r\x1b[2K");
        }
    }
}

impl KdfObserver for ProgressBar {
    fn on_progress(&self, done: u32, total: u32) {
        if !self.enabled {
            return;
        }
        let width = 30u64;
        let filled = (u64::from(done) * width / u64::from(total.max(1))) as usize;
        let pct = u64::from(done) * 100 / u64::from(total.max(1));
        eprint!(
            "\r{} [{}{}] {pct:>3}%",
            self.label,
            "#".repeat(filled),
            ".".repeat(width as usize - filled)
        );
        let _ = std::io::stderr().flush();
    }
    fn is_cancelled(&self) -> bool {
        false
    }
}

fn open_file(path: &Path, password: &Password, json: bool) -> Result<format::Opened, CliError> {
    open_bytes(&read_file(path)?, password, json)
}

fn open_bytes(bytes: &[u8], password: &Password, json: bool) -> Result<format::Opened, CliError> {
    let bar = ProgressBar::new("Deriving key", json);
    let result = format::open(bytes, password, &OpenOptions::default(), &bar);
    bar.finish();
    Ok(result?)
}

fn inspection_json(i: &Inspection) -> serde_json::Value {
    json!({
        "kind": format!("{:?}", i.kind),
        "description": i.kind.describe(),
        "formatVersion": i.format_version,
        "encryptionMethod": i.encryption_method,
        "keyDerivationMethod": i.key_derivation_method,
        "iterations": i.iterations,
        "saltBytes": i.salt_len,
        "network": i.environment.map(|e| e.to_string()),
        "fileBytes": i.file_size,
        "intact": i.intact,
        "weakKeyDerivation": i.weak_key_derivation,
        "withinImportLimits": i.within_limits,
    })
}

fn cmd_inspect(file: &Path, json: bool) -> Result<(), CliError> {
    let bytes = read_file(file)?;
    let i = format::inspect(&bytes)?;
    if json {
        print_json(&inspection_json(&i));
        return Ok(());
    }
    println!("File:            {}", shown(&file.display().to_string()));
    println!("Format:          {}", i.kind.describe());
    if let Some(v) = i.format_version {
        println!("Format version:  {v}");
    }
    println!("Encryption:      {}", i.encryption_method);
    println!(
        "Key derivation:  {}, {} iterations, {}-byte salt{}",
        i.key_derivation_method,
        i.iterations,
        i.salt_len,
        if i.weak_key_derivation {
            " (weaker than new backups: convert to strengthen)"
        } else {
            ""
        }
    );
    println!(
        "Network:         {}",
        i.environment
            .map(|e| e.to_string())
            .unwrap_or_else(|| "not visible without the password".into())
    );
    println!("Size:            {} bytes", i.file_size);
    println!(
        "Integrity:       {}",
        match i.intact {
            Some(true) => "checksum matches",
            Some(false) => "checksum does not match",
            None => "this format has no checksum",
        }
    );
    if !i.within_limits {
        println!("Warning:         the file is outside the import limits and cannot be opened");
    }
    Ok(())
}

fn summary_json(d: &WalletData) -> serde_json::Value {
    json!({
        "network": d.environment.map(|e| e.to_string()),
        "identities": d.value.identities.len(),
        "accounts": d.account_count(),
        "addressBook": d.value.recipients.len(),
        "identityList": d.value.identities.iter().map(|i| json!({
            "name": i.name,
            "provider": i.provider_name(),
            "accounts": i.accounts.iter().map(|a| json!({"name": a.name, "address": a.address})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn cmd_verify(file: &Path, password_file: Option<&Path>, json: bool) -> Result<(), CliError> {
    let password = get_password(password_file, "Backup password: ")?;
    let bytes = read_file(file)?;
    let bytes_len = bytes.len();
    let opened = match open_bytes(&bytes, &password, json) {
        Err(CliError::Backup(BackupError::DesktopWalletExport)) => {
            return desktop_cmds::verify_desktop_export(&bytes, &password, json)
        }
        other => other?,
    };
    drop(bytes);
    let d = &opened.data;
    if json {
        let mut v = summary_json(d);
        v["kind"] = json!(format!("{:?}", opened.kind));
        v["iterations"] = json!(opened.iterations);
        v["fileBytes"] = json!(bytes_len);
        print_json(&v);
        return Ok(());
    }
    println!("Format:        {}", opened.kind.describe());
    println!(
        "Network:       {}",
        d.environment
            .map(|e| e.to_string())
            .unwrap_or_else(|| "not stated (file older than May 2021)".into())
    );
    println!("Identities:    {}", d.value.identities.len());
    println!("Accounts:      {}", d.account_count());
    println!("Address book:  {}", d.value.recipients.len());
    for i in &d.value.identities {
        println!(
            "  Identity \"{}\"{}: {} account(s)",
            shown(&i.name),
            i.provider_name()
                .map(|p| format!(" from {}", shown(p)))
                .unwrap_or_default(),
            i.accounts.len()
        );
        for a in &i.accounts {
            println!("    {}  {}", shown(&a.address), shown(&a.name));
        }
    }
    if opened.iterations < format::ours::DEFAULT_ITERATIONS {
        println!(
            "Note: this file uses {} key-derivation iterations; `wallet convert --to ours` \
             re-encrypts it with {}.",
            opened.iterations,
            format::ours::DEFAULT_ITERATIONS
        );
    }
    Ok(())
}

struct ConvertArgs<'a> {
    store: Option<&'a Path>,
    file: &'a Path,
    to: Target,
    out: &'a Path,
    password_file: Option<&'a Path>,
    new_password_file: Option<&'a Path>,
    iterations: Option<u32>,
    network: Option<&'a str>,
}

fn cmd_convert(a: ConvertArgs<'_>, json: bool) -> Result<(), CliError> {
    let network = a.network.map(parse_network).transpose()?;
    let options = ExportOptions {
        format: match a.to {
            Target::Ours => BackupFormat::Ours,
            Target::Legacy => BackupFormat::Legacy,
        },
        iterations: a.iterations,
    };
    check_iterations(&options)?;
    // The store is protected too: `convert --out` onto it would replace the wallet.
    let store = store_cmds::store_path(a.store).ok();
    let mut inputs = vec![a.file];
    inputs.extend(a.password_file);
    inputs.extend(a.new_password_file);
    check_output(a.out, store.as_deref(), &inputs)?;
    let password = get_password(a.password_file, "Current backup password: ")?;
    let mut opened = open_file(a.file, &password, json)?;
    if let Some(n) = network {
        match opened.data.environment {
            Some(e) if e != n => {
                return Err(CliError::Usage(format!(
                    "the backup belongs to {e}, not {n}; a backup cannot change networks"
                )))
            }
            _ => opened.data.environment = Some(n),
        }
    }
    let new_password = match a.new_password_file {
        Some(p) => get_password(Some(p), "")?,
        None => password,
    };
    let (out_bytes, check) = export_verified(&opened.data, &new_password, &options, a.out, json)?;
    if json {
        print_json(&json!({
                "written": a.out.display().to_string(),
                "kind": format!("{:?}", check.kind),
                "iterations": check.iterations,
                "fileBytes": out_bytes.len(),
                "verified": true,
                "summary": summary_json(&check.data),
        }));
    } else {
        println!(
            "Wrote {} ({}, {} iterations, {} bytes); read back and verified.",
            shown(&a.out.display().to_string()),
            check.kind.describe(),
            check.iterations,
            out_bytes.len()
        );
    }
    Ok(())
}

fn cmd_password_check(
    password_file: Option<&Path>,
    iterations: u32,
    json: bool,
) -> Result<(), CliError> {
    let p = get_password(password_file, "Password to rate: ")?;
    let s = password::estimate_strength(&p, iterations);
    if json {
        print_json(&json!({
                "meetsMinimum": s.meets_minimum,
                "score": s.score,
                "guessesLog10": s.guesses_log10,
                "iterations": s.iterations,
                "secondsToGuessOneGpu": s.seconds_to_guess_one_gpu,
                "secondsToGuess100Gpus": s.seconds_to_guess_100_gpus,
                "warning": s.warning,
                "suggestions": s.suggestions,
        }));
        return Ok(());
    }
    println!(
        "Strength:  {}/4{}",
        s.score,
        if s.meets_minimum {
            ""
        } else {
            " (too short: at least 6 characters)"
        }
    );
    println!(
        "Guessing:  about {} on one RTX 4090, {} on 100 of them, at {} PBKDF2 iterations",
        password::human_duration(s.seconds_to_guess_one_gpu),
        password::human_duration(s.seconds_to_guess_100_gpus),
        s.iterations
    );
    if let Some(w) = &s.warning {
        println!("Warning:   {w}");
    }
    for sug in &s.suggestions {
        println!("Tip:       {sug}");
    }
    Ok(())
}

fn run(cli: Cli) -> Result<(), CliError> {
    let json = cli.json;
    let store = cli.store.as_deref();
    match cli.command {
        Command::Init { network } => store_cmds::cmd_init(store, &network, json),
        Command::List => store_cmds::cmd_list(store, json),
        Command::Contacts {
            action: ContactAction::Add { name, address },
        } => store_cmds::cmd_contact(store, true, &name, &address, json),
        Command::Contacts {
            action: ContactAction::Remove { name, address },
        } => store_cmds::cmd_contact(store, false, &name, &address, json),
        Command::Export {
            out,
            legacy,
            iterations,
            password_file,
        } => store_cmds::cmd_export(
            store,
            &out,
            legacy,
            iterations,
            password_file.as_deref(),
            json,
        ),
        Command::Import {
            file,
            yes,
            password_file,
            assume_network,
            transport,
        } => store_cmds::cmd_import(
            store_cmds::ImportArgs {
                store,
                file: &file,
                yes,
                password_file: password_file.as_deref(),
                assume_network: assume_network.as_deref(),
                transport: transport.as_deref(),
            },
            json,
        ),
        #[cfg(feature = "wallet-proxy")]
        Command::Restore {
            phrase_file,
            network,
            wallet_proxy,
            yes,
        } => recovery_cmds::cmd_restore(
            recovery_cmds::RestoreArgs {
                store,
                phrase_file: &phrase_file,
                network: network.as_deref(),
                wallet_proxy: wallet_proxy.as_deref(),
                yes,
            },
            json,
        ),
        Command::Inspect { file } => cmd_inspect(&file, json),
        Command::Verify {
            file,
            password_file,
        } => cmd_verify(&file, password_file.as_deref(), json),
        Command::Convert {
            file,
            to,
            out,
            password_file,
            new_password_file,
            iterations,
            network,
        } => cmd_convert(
            ConvertArgs {
                store,
                file: &file,
                to,
                out: &out,
                password_file: password_file.as_deref(),
                new_password_file: new_password_file.as_deref(),
                iterations,
                network: network.as_deref(),
            },
            json,
        ),
        Command::Phrase {
            action: PhraseAction::New,
        } => phrase_cmds::cmd_phrase_new(json),
        Command::Phrase {
            action: PhraseAction::Check { phrase_file },
        } => phrase_cmds::cmd_phrase_check(phrase_file.as_deref(), json),
        Command::Keys {
            phrase_file,
            network,
            idp,
            identity,
            credential,
            show_secrets,
            commitment_key,
        } => phrase_cmds::cmd_keys(
            phrase_cmds::KeysArgs {
                phrase_file: &phrase_file,
                network: &network,
                idp,
                identity,
                credential,
                show_secrets,
                commitment_key: commitment_key.as_deref(),
            },
            json,
        ),
        Command::Ledger(args) => ledger_cmds::cmd_ledger(args, store, json),
        Command::PasswordCheck {
            password_file,
            iterations,
        } => cmd_password_check(password_file.as_deref(), iterations, json),
    }
}

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`wallet list | head`), as Unix tools do, instead of Rust's
    // default of ignoring SIGPIPE and panicking in `println!`.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, whatever a message quotes from a file.
            eprintln!("error: {}", shown(&e.message()));
            if json && !matches!(e, CliError::Reported(_)) {
                print_json(&json!({"error": {"kind": e.kind(), "message": e.message()}}));
            }
            ExitCode::from(e.exit_code())
        }
    }
}
