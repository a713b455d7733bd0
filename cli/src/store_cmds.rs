//! `wallet init|list|contacts|export|import`: the embedded wallet store.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::json;

use wallet_core::format::{self, BackupFormat, ExportOptions, OpenOptions};
use wallet_core::import_summary::{ImportLine, ImportSummary};
use wallet_core::network::Network;
use wallet_core::store::import::{self, ImportOptions};
use wallet_core::store::{SqliteStore, StorageKey, StoreError, WalletStore};
use wallet_core::BackupError;

use crate::backup_cmds::{check_iterations, export_verified, read_file};
use crate::error::CliError;
use crate::network_arg::NetworkArg;
use crate::output::{print_json, shown};
use crate::output_path::check_output;
use crate::progress::KdfBar;
use crate::secret_input::{get_password, storage_passphrase};

/// How often `import --yes` plans and applies again when another process changed the wallet in
/// between (each try re-reads the store, not the backup).
const IMPORT_TRIES: u32 = 3;

/// `wallet init`.
#[derive(Args)]
pub struct InitArgs {
    /// The wallet's network.
    #[arg(long, value_enum, ignore_case = true, default_value = "mainnet")]
    network: NetworkArg,
}

/// `wallet contacts add|remove`.
#[derive(Subcommand)]
pub enum ContactAction {
    /// Add NAME ADDRESS to the address book.
    Add(ContactArgs),
    /// Remove NAME ADDRESS from the address book.
    Remove(ContactArgs),
}

/// An address-book entry.
#[derive(Args)]
pub struct ContactArgs {
    /// The contact's name.
    name: String,
    /// The contact's account address.
    address: String,
}

/// `wallet export`.
#[derive(Args)]
pub struct ExportArgs {
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
}

/// `wallet import`.
#[derive(Args)]
pub struct ImportArgs {
    /// The backup file.
    file: PathBuf,
    /// Apply without asking (for scripts).
    #[arg(long)]
    yes: bool,
    /// Read the backup password from this file instead of prompting.
    #[arg(long)]
    password_file: Option<PathBuf>,
    /// The network of an old backup that does not name one.
    #[arg(long, value_enum, ignore_case = true)]
    assume_network: Option<NetworkArg>,
    /// Desktop Wallet exports: the Ledger holding its keys (hid, speculos or
    /// speculos:HOST:PORT); without it only the address book is imported.
    #[arg(long)]
    transport: Option<String>,
}

/// The store path: `--store`, else `WALLET_STORE`, else the platform's data directory.
pub fn store_path(flag: Option<&Path>) -> Result<PathBuf, CliError> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("WALLET_STORE").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let base = if cfg!(target_os = "macos") {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join("Library/Application Support"))
    } else if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else {
        std::env::var_os("XDG_DATA_HOME")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
    };
    base.map(|b| b.join("concordium-wallet").join("wallet.sqlite"))
        .ok_or_else(|| {
            CliError::Usage("no data directory is known here: give --store or WALLET_STORE".into())
        })
}

pub fn open_store(path: &Path) -> Result<SqliteStore, CliError> {
    SqliteStore::open(path).map_err(|e| match e {
        StoreError::NotFound => CliError::Usage(format!(
            "there is no wallet at {}: run `wallet init` first (or give --store)",
            shown(&path.display().to_string())
        )),
        other => other.into(),
    })
}

pub fn unlock(store: &SqliteStore, json: bool) -> Result<StorageKey, CliError> {
    let pass = storage_passphrase("Wallet storage passphrase: ")?;
    let bar = KdfBar::new("Unlocking   ", json);
    let key = store.unlock_with_passphrase(&pass, &bar);
    bar.finish();
    Ok(key?)
}

/// `wallet init`: a new, empty wallet store.
pub fn cmd_init(a: &InitArgs, store: Option<&Path>, json: bool) -> Result<(), CliError> {
    let path = store_path(store)?;
    let network = Network::from(a.network);
    if path.is_dir() {
        return Err(StoreError::IsADirectory.into());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            CliError::Io(format!(
                "cannot create {}: {e}",
                shown(&dir.display().to_string())
            ))
        })?;
    }
    let pass = storage_passphrase("New wallet storage passphrase: ")?;
    let bar = KdfBar::new("Deriving key", json);
    let created = SqliteStore::create_with_passphrase(&path, network, &pass, &bar);
    bar.finish();
    created?;
    if json {
        print_json(&json!({"created": path.display().to_string(), "network": network.to_string()}));
    } else {
        println!(
            "Created a new {network} wallet at {}.",
            shown(&path.display().to_string())
        );
    }
    Ok(())
}

/// `wallet list`: names, addresses and counts; no passphrase needed.
pub fn cmd_list(store: Option<&Path>, json: bool) -> Result<(), CliError> {
    let path = store_path(store)?;
    let s = open_store(&path)?.summary()?;
    if json {
        print_json(&json!({
                "store": path.display().to_string(),
                "network": s.network.to_string(),
                "identities": s.identity_count(),
                "accounts": s.account_count(),
                "addressBook": s.contact_count(),
                "identityList": s.identities.iter().map(|i| json!({
                    "name": i.name,
                    "accounts": i.accounts.iter().map(|a| json!({
                        "name": a.name, "address": a.address, "readOnly": a.read_only,
                        "ledger": a.ledger_pairing_id,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "contacts": s.contacts.iter().map(|c| json!({"name": c.name, "address": c.address})).collect::<Vec<_>>(),
        }));
        return Ok(());
    }
    println!(
        "Wallet:        {} ({})",
        shown(&path.display().to_string()),
        s.network
    );
    println!(
        "Identities:    {}\nAccounts:      {}\nAddress book:  {}",
        s.identity_count(),
        s.account_count(),
        s.contact_count()
    );
    for i in &s.identities {
        println!(
            "  Identity \"{}\": {} account(s)",
            shown(&i.name),
            i.accounts.len()
        );
        for a in &i.accounts {
            println!(
                "    {}  {}{}",
                shown(&a.address),
                shown(&a.name),
                match (&a.ledger_pairing_id, a.read_only) {
                    (Some(p), _) => format!(" (Ledger {})", shown(p)),
                    (None, true) => " (read-only)".into(),
                    (None, false) => String::new(),
                }
            );
        }
    }
    for c in &s.contacts {
        println!("  Contact {}  {}", shown(&c.address), shown(&c.name));
    }
    Ok(())
}

/// `wallet contacts add|remove NAME ADDRESS`.
pub fn cmd_contact(
    action: &ContactAction,
    store: Option<&Path>,
    json: bool,
) -> Result<(), CliError> {
    let path = store_path(store)?;
    let s = open_store(&path)?;
    let (add, changed) = match action {
        ContactAction::Add(c) => (true, s.add_contact(&c.name, &c.address)?),
        ContactAction::Remove(c) => (false, s.remove_contact(&c.name, &c.address)?),
    };
    if json {
        print_json(&json!({"changed": changed}));
    } else {
        println!(
            "{}",
            match (add, changed) {
                (true, true) => "Added to the address book.",
                (true, false) => "Already in the address book.",
                (false, true) => "Removed from the address book.",
                (false, false) => "No such entry in the address book.",
            }
        );
    }
    Ok(())
}

/// `wallet export --out FILE`.
pub fn cmd_export(a: &ExportArgs, store: Option<&Path>, json: bool) -> Result<(), CliError> {
    let (out, password_file) = (a.out.as_path(), a.password_file.as_deref());
    let path = store_path(store)?;
    let options = ExportOptions {
        format: if a.legacy {
            BackupFormat::Legacy
        } else {
            BackupFormat::Ours
        },
        iterations: a.iterations,
    };
    // Before the passphrase is asked for or any key derived.
    check_iterations(&options)?;
    let inputs: Vec<&Path> = password_file.into_iter().collect();
    check_output(out, Some(&path), &inputs)?;
    let s = open_store(&path)?;
    let key = unlock(&s, json)?;
    let data = s.export_data(&key)?;
    let password = get_password(password_file, "Backup password: ")?;
    let (bytes, check) = export_verified(&data, &password, &options, out, json)?;
    if json {
        print_json(&json!({
                "written": out.display().to_string(),
                "kind": check.kind.as_str(),
                "iterations": check.iterations,
                "fileBytes": bytes.len(),
                "identities": data.value.identities.len(),
                "accounts": data.account_count(),
                "addressBook": data.value.recipients.len(),
                "verified": true,
        }));
    } else {
        println!(
            "Exported {} identities, {} accounts and {} contacts to {} ({}); read back and verified.",
            data.value.identities.len(),
            data.account_count(),
            data.value.recipients.len(),
            shown(&out.display().to_string()),
            check.kind.describe()
        );
    }
    Ok(())
}

fn print_lines(title: &str, lines: &[ImportLine]) {
    if lines.is_empty() {
        return;
    }
    println!("{title} ({}):", lines.len());
    for l in lines {
        let key = l
            .key
            .as_deref()
            .map(|k| format!("  {}", shown(k)))
            .unwrap_or_default();
        let reason = if l.reason.is_empty() {
            String::new()
        } else {
            format!(" — {}", shown(&l.reason))
        };
        println!("  {} \"{}\"{key}{reason}", l.kind, shown(&l.name));
    }
}

fn print_summary(s: &ImportSummary, done: bool) {
    let verb = if done { "Added" } else { "To add" };
    println!(
        "Backup network: {}{}; wallet network: {}",
        s.file_network,
        if s.network_assumed { " (assumed)" } else { "" },
        s.wallet_network
    );
    print_lines(&format!("{verb}: identities"), &s.identities_added);
    print_lines(&format!("{verb}: accounts"), &s.accounts_added);
    print_lines(
        if done {
            "Read-only accounts that got keys"
        } else {
            "Read-only accounts that get keys"
        },
        &s.accounts_upgraded,
    );
    print_lines(&format!("{verb}: address-book entries"), &s.contacts_added);
    print_lines("Already in the wallet", &s.already_present);
    print_lines("Conflicts (the wallet's version is kept)", &s.conflicts);
    print_lines("Skipped", &s.skipped);
    println!(
        "{} change(s){}.",
        s.change_count,
        if done { " made" } else { " to make" }
    );
}

fn summary_json(s: &ImportSummary) -> serde_json::Value {
    let lines = |ls: &[ImportLine]| {
        ls.iter()
            .map(|l| json!({"kind": l.kind.as_str(), "name": l.name, "key": l.key, "reason": l.reason}))
            .collect::<Vec<_>>()
    };
    json!({
        "walletNetwork": s.wallet_network.to_string(),
        "fileNetwork": s.file_network.to_string(),
        "networkAssumed": s.network_assumed,
        "identitiesAdded": lines(&s.identities_added),
        "accountsAdded": lines(&s.accounts_added),
        "accountsUpgraded": lines(&s.accounts_upgraded),
        "contactsAdded": lines(&s.contacts_added),
        "alreadyPresent": lines(&s.already_present),
        "conflicts": lines(&s.conflicts),
        "skipped": lines(&s.skipped),
        "changes": s.change_count,
    })
}

/// Shows the preview and asks; true when the answer is yes.
fn confirm(preview: &ImportSummary) -> Result<bool, CliError> {
    println!("Review your import");
    print_summary(preview, false);
    print!("Import? [y/N] ");
    std::io::stdout().flush().ok();
    let mut answer = String::new();
    // A terminal line; capped all the same.
    std::io::stdin()
        .lock()
        .take(1024)
        .read_line(&mut answer)
        .map_err(|e| CliError::Io(format!("cannot read the answer: {e}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// `wallet import FILE`: shows the preview, asks to confirm (or `--yes`), applies it.
pub fn cmd_import(a: &ImportArgs, store: Option<&Path>, json: bool) -> Result<(), CliError> {
    let path = store_path(store)?;
    let s = open_store(&path)?;
    let options = ImportOptions {
        assume_network: a.assume_network.map(Into::into),
    };
    if !a.yes && !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "importing needs a confirmation: run in a terminal, or pass --yes".into(),
        ));
    }
    let key = unlock(&s, json)?;
    let bytes = read_file(&a.file)?;
    let password = get_password(a.password_file.as_deref(), "Backup password: ")?;
    let bar = KdfBar::new("Deriving key", json);
    let opened = format::open(&bytes, &password, &OpenOptions::default(), &bar);
    bar.finish();
    let data = match opened {
        Err(BackupError::DesktopWalletExport) => {
            return crate::desktop_cmds::import_desktop_export(
                &s,
                &key,
                &bytes,
                &password,
                options.assume_network,
                a.transport.as_deref(),
                a.yes,
                json,
            )
        }
        other => other?.data,
    };
    review_and_apply(&s, &data, &key, &options, &[], a.yes, json)
}

/// Shows the preview ("Review your import") unless `yes`, asks, and applies the plan in one
/// transaction: shared by `import`, `restore` and `ledger recover`. `left_out` lists what the
/// caller already set aside (shown as skipped in the preview and the report).
///
/// Another process may change the wallet between the preview and the transaction (an app, a
/// second `wallet import`); the store then refuses the stale plan. The data is already decrypted,
/// so planning again only re-reads the store: with `yes` it is planned and applied again (a
/// bounded number of times), and a person is shown the new preview to confirm.
pub fn review_and_apply(
    s: &SqliteStore,
    data: &wallet_core::model::WalletData,
    key: &StorageKey,
    options: &ImportOptions,
    left_out: &[ImportLine],
    yes: bool,
    json: bool,
) -> Result<(), CliError> {
    let mut tries = 0;
    let mut previewed = false;
    let (plan, report) = loop {
        tries += 1;
        let plan = match import::preview(s, data, key, options) {
            Err(StoreError::StalePlan) if tries < IMPORT_TRIES => continue,
            other => other?,
        };
        if !yes {
            if previewed {
                println!(
                    "The wallet changed while you were reviewing the import (another program \
                     wrote to it); here is the import as it stands now."
                );
            }
            let mut preview = ImportSummary::of_plan(&plan);
            preview.skipped.extend_from_slice(left_out);
            if !confirm(&preview)? {
                println!("Nothing was imported.");
                return Ok(());
            }
            previewed = true;
        }
        match s.apply(&plan, data, key) {
            Ok(report) => break (plan, report),
            Err(StoreError::StalePlan) if !yes || tries < IMPORT_TRIES => continue,
            Err(StoreError::StalePlan) => {
                return Err(CliError::Io(format!(
                    "the wallet kept changing while this import was applied ({IMPORT_TRIES} \
                     tries): another program is writing to it; try again when it has finished \
                     (nothing was imported)"
                )))
            }
            Err(e) => return Err(e.into()),
        }
    };
    let mut done = ImportSummary::of_report(&plan, &report);
    done.skipped.extend_from_slice(left_out);
    if json {
        print_json(&summary_json(&done));
    } else {
        print_summary(&done, true);
    }
    Ok(())
}
