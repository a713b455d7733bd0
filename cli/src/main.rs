//! `wallet`: the desktop command line for support engineers and scripts.
//!
//! Inspect, verify and convert backups. Passwords come from a hidden prompt, `--password-file`
//! or `WALLET_PASSWORD`; every command takes `--json`; a typed error exits non-zero with one line
//! on stderr.

mod backup_cmds;
mod desktop_cmds;
mod error;
mod ledger_cmds;
mod output;
mod output_path;
mod phrase_cmds;
mod progress;
#[cfg(feature = "wallet-proxy")]
mod recovery_cmds;
mod secret_input;
mod store_cmds;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, Parser, Subcommand};
use serde_json::json;

use wallet_core::model::Environment;

use error::CliError;
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
    /// Show what the library does on stderr: -v what it decides, -vv details, -vvv everything.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new, empty wallet store (locked with a storage passphrase).
    Init(store_cmds::InitArgs),
    /// List identities, accounts and the address book (no passphrase needed).
    List,
    /// Add or remove address-book entries.
    Contacts {
        #[command(subcommand)]
        action: store_cmds::ContactAction,
    },
    /// Export the whole wallet as an encrypted backup.
    Export(store_cmds::ExportArgs),
    /// Import a backup into the wallet: shows what will change and asks to confirm.
    Import(store_cmds::ImportArgs),
    /// Restore a wallet from its recovery phrase: finds its identities and accounts on chain
    /// (through the wallet-proxy), shows what will be added and asks to confirm.
    #[cfg(feature = "wallet-proxy")]
    Restore(recovery_cmds::RestoreArgs),
    /// Show what a backup file is, without its password.
    Inspect(backup_cmds::InspectArgs),
    /// Decrypt a backup and show what is inside.
    Verify(backup_cmds::VerifyArgs),
    /// Re-encrypt a backup, in our format or the legacy Concordium format.
    Convert(backup_cmds::ConvertArgs),
    /// Create or check a 24-word recovery phrase.
    Phrase {
        #[command(subcommand)]
        action: phrase_cmds::PhraseAction,
    },
    /// Derive an account's public values (and secrets with --show-secrets) from a phrase or seed.
    Keys(phrase_cmds::KeysArgs),
    /// The Concordium app on a Ledger (USB HID or Speculos): info, keys, verify address.
    Ledger(ledger_cmds::LedgerArgs),
    /// Rate a password and estimate how long a GPU needs to guess it.
    PasswordCheck(backup_cmds::PasswordCheckArgs),
}

/// Parses a network name given on the command line.
fn parse_network(name: &str) -> Result<Environment, CliError> {
    Environment::parse(name).ok_or_else(|| {
        CliError::Usage(format!(
            "unknown network \"{name}\": use mainnet, testnet or stagenet"
        ))
    })
}

/// Routes the library's `log` records to stderr: none without `-v`, so the output stays one
/// line per error; the library never logs a secret.
fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => log::LevelFilter::Off,
        1 => log::LevelFilter::Info,
        2 => log::LevelFilter::Debug,
        _ => log::LevelFilter::Trace,
    };
    env_logger::Builder::new()
        .filter_level(level)
        .format_timestamp(None)
        .target(env_logger::Target::Stderr)
        .init();
}

fn run(cli: Cli) -> Result<(), CliError> {
    let json = cli.json;
    let store = cli.store.as_deref();
    match &cli.command {
        Command::Init(a) => store_cmds::cmd_init(a, store, json),
        Command::List => store_cmds::cmd_list(store, json),
        Command::Contacts { action } => store_cmds::cmd_contact(action, store, json),
        Command::Export(a) => store_cmds::cmd_export(a, store, json),
        Command::Import(a) => store_cmds::cmd_import(a, store, json),
        #[cfg(feature = "wallet-proxy")]
        Command::Restore(a) => recovery_cmds::cmd_restore(a, store, json),
        Command::Inspect(a) => backup_cmds::cmd_inspect(a, json),
        Command::Verify(a) => backup_cmds::cmd_verify(a, json),
        Command::Convert(a) => backup_cmds::cmd_convert(a, store, json),
        Command::Phrase { action } => phrase_cmds::cmd_phrase(action, json),
        Command::Keys(a) => phrase_cmds::cmd_keys(a, json),
        Command::Ledger(a) => ledger_cmds::cmd_ledger(a, store, json),
        Command::PasswordCheck(a) => backup_cmds::cmd_password_check(a, json),
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
    init_logging(cli.verbose);
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
