//! `wallet inspect|verify|convert|password-check`: backup files on their own, without the store;
//! and the reading, decrypting and verified writing that `export` and `import` share.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde_json::json;

use wallet_core::atomic_file::write_atomically;
use wallet_core::format::{self, BackupFormat, ExportOptions, Inspection, OpenOptions};
use wallet_core::input::{self, InputError};
use wallet_core::model::WalletData;
use wallet_core::password::{self, Password};
use wallet_core::BackupError;

use crate::error::CliError;
use crate::output::{print_json, shown};
use crate::output_path::check_output;
use crate::progress::KdfBar;
use crate::secret_input::get_password;
use crate::{desktop_cmds, parse_network, store_cmds};

/// `wallet inspect`.
#[derive(Args)]
pub struct InspectArgs {
    /// The backup file.
    file: PathBuf,
}

/// `wallet verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// The backup file.
    file: PathBuf,
    /// Read the password from this file (first line) instead of prompting.
    #[arg(long)]
    password_file: Option<PathBuf>,
}

/// `wallet convert`.
#[derive(Args)]
pub struct ConvertArgs {
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
}

/// The format `wallet convert` writes.
#[derive(Clone, Copy, ValueEnum)]
enum Target {
    /// Our authenticated AES-256-GCM format.
    Ours,
    /// Concordium's legacy .concordiumwallet format.
    Legacy,
}

/// `wallet password-check`.
#[derive(Args)]
pub struct PasswordCheckArgs {
    /// Read the password from this file instead of prompting.
    #[arg(long)]
    password_file: Option<PathBuf>,
    /// The PBKDF2 cost to assume.
    #[arg(long, default_value_t = format::ours::DEFAULT_ITERATIONS)]
    iterations: u32,
}

/// Encrypts `data`, writes it crash-safely to `out`, then reads the file back and decrypts it
/// before anything reports success. Returns the file's bytes and what was read back.
pub fn export_verified(
    data: &WalletData,
    password: &Password,
    options: &ExportOptions,
    out: &Path,
    json: bool,
) -> Result<(Vec<u8>, format::Opened), CliError> {
    let bar = KdfBar::new("Encrypting  ", json);
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
pub fn read_file(path: &Path) -> Result<Vec<u8>, CliError> {
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

/// Checks `--iterations` against the format's range before any key is derived, as a usage error.
pub fn check_iterations(options: &ExportOptions) -> Result<(), CliError> {
    options.check().map_err(|e| CliError::Usage(e.to_string()))
}

/// Reads and decrypts a backup file.
pub fn open_file(path: &Path, password: &Password, json: bool) -> Result<format::Opened, CliError> {
    open_bytes(&read_file(path)?, password, json)
}

/// Decrypts a backup, with a progress bar while the key is derived.
pub fn open_bytes(
    bytes: &[u8],
    password: &Password,
    json: bool,
) -> Result<format::Opened, CliError> {
    let bar = KdfBar::new("Deriving key", json);
    let result = format::open(bytes, password, &OpenOptions::default(), &bar);
    bar.finish();
    Ok(result?)
}

fn inspection_json(i: &Inspection) -> serde_json::Value {
    json!({
        "kind": i.kind.as_str(),
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

/// `wallet inspect FILE`.
pub fn cmd_inspect(a: &InspectArgs, json: bool) -> Result<(), CliError> {
    let file = a.file.as_path();
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

/// `wallet verify FILE`.
pub fn cmd_verify(a: &VerifyArgs, json: bool) -> Result<(), CliError> {
    let password = get_password(a.password_file.as_deref(), "Backup password: ")?;
    let bytes = read_file(&a.file)?;
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
        v["kind"] = json!(opened.kind.as_str());
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

/// `wallet convert FILE --to ours|legacy --out FILE`.
pub fn cmd_convert(a: &ConvertArgs, store: Option<&Path>, json: bool) -> Result<(), CliError> {
    let network = a.network.as_deref().map(parse_network).transpose()?;
    let options = ExportOptions {
        format: match a.to {
            Target::Ours => BackupFormat::Ours,
            Target::Legacy => BackupFormat::Legacy,
        },
        iterations: a.iterations,
    };
    check_iterations(&options)?;
    // The store is protected too: `convert --out` onto it would replace the wallet.
    let store = store_cmds::store_path(store).ok();
    let mut inputs = vec![a.file.as_path()];
    inputs.extend(a.password_file.as_deref());
    inputs.extend(a.new_password_file.as_deref());
    check_output(&a.out, store.as_deref(), &inputs)?;
    let password = get_password(a.password_file.as_deref(), "Current backup password: ")?;
    let mut opened = open_file(&a.file, &password, json)?;
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
    let new_password = match a.new_password_file.as_deref() {
        Some(p) => get_password(Some(p), "")?,
        None => password,
    };
    let (out_bytes, check) = export_verified(&opened.data, &new_password, &options, &a.out, json)?;
    if json {
        print_json(&json!({
                "written": a.out.display().to_string(),
                "kind": check.kind.as_str(),
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

/// `wallet password-check`.
pub fn cmd_password_check(a: &PasswordCheckArgs, json: bool) -> Result<(), CliError> {
    let p = get_password(a.password_file.as_deref(), "Password to rate: ")?;
    let s = password::estimate_strength(&p, a.iterations);
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
