//! `wallet ledger …`: the Concordium app on a Ledger, over USB HID or Speculos.
//!
//! Device and transport problems exit with code 6 (README, Ledger).

use clap::{Args, Subcommand};
use serde_json::json;

use wallet_core::keys::Net;
use wallet_core::ledger::apdu::path_to_string;
use wallet_core::ledger::transport::SPECULOS_DEFAULT_PORT;
use wallet_core::ledger::{AccountPath, Ledger, SignedPublicKey, SpeculosTransport, Transport};

use crate::error::CliError;

/// `wallet ledger` and its options.
#[derive(Args)]
pub struct LedgerArgs {
    /// hid (default), speculos (127.0.0.1:9999) or speculos:HOST:PORT; also LEDGER_TRANSPORT.
    #[arg(long)]
    transport: Option<String>,
    /// With hid: the Ledger to use, by serial number or HID path, when several are connected.
    #[arg(long)]
    device: Option<String>,
    #[command(subcommand)]
    action: LedgerAction,
}

#[derive(Subcommand)]
enum LedgerAction {
    /// The open app's name and version, the transport and the device.
    Info,
    /// The wallet pairing identifier (the public key at m/1105'/0').
    PairingId,
    /// An account's public key, its signature checked; --confirm shows it on the device.
    Pubkey {
        #[command(flatten)]
        path: PathArgs,
        /// Show the key on the device and wait for approval.
        #[arg(long)]
        confirm: bool,
    },
    /// Show an account's address on the device and wait for the person to approve it.
    VerifyAddress {
        #[command(flatten)]
        path: PathArgs,
    },
    /// Recover the Ledger's accounts without a backup file (found through the wallet-proxy) and
    /// import them into the wallet, Ledger-backed: shows what will be added and asks.
    #[cfg(feature = "wallet-proxy")]
    Recover(crate::recovery_cmds::LedgerRecoverArgs),
}

/// A key path: `--legacy --identity N --credential N`, or
/// `--network NET --idp N --identity N --credential N`.
#[derive(Args)]
struct PathArgs {
    /// Desktop Wallet (1105') paths.
    #[arg(long, conflicts_with_all = ["network", "idp"])]
    legacy: bool,
    /// mainnet or testnet, for new (44') paths.
    #[arg(long)]
    network: Option<String>,
    /// The identity provider's ipIdentity (new paths).
    #[arg(long)]
    idp: Option<u32>,
    /// The identity index.
    #[arg(long)]
    identity: u32,
    /// The credential (account) number within the identity.
    #[arg(long)]
    credential: u32,
}

impl PathArgs {
    fn to_path(&self) -> Result<AccountPath, CliError> {
        if self.legacy {
            return Ok(AccountPath::Legacy {
                identity: self.identity,
                credential: self.credential,
            });
        }
        let (Some(network), Some(idp)) = (&self.network, self.idp) else {
            return Err(CliError::Usage(
                "give --legacy, or --network and --idp for a new (44') path".into(),
            ));
        };
        let net: Net = network
            .parse()
            .map_err(|e: wallet_core::keys::KeyError| CliError::Usage(e.to_string()))?;
        Ok(AccountPath::New {
            net,
            idp,
            identity: self.identity,
            credential: self.credential,
        })
    }
}

/// Opens the transport named by `--transport` (else `LEDGER_TRANSPORT`, else `hid`).
pub(crate) fn open_transport(
    spec: Option<&str>,
    device: Option<&str>,
) -> Result<Box<dyn Transport>, CliError> {
    let from_env = std::env::var("LEDGER_TRANSPORT").ok();
    let spec = spec.or(from_env.as_deref()).unwrap_or("hid").trim();
    if spec == "hid" {
        return open_hid(device);
    }
    if spec == "speculos" {
        let addr = format!("127.0.0.1:{SPECULOS_DEFAULT_PORT}");
        return Ok(Box::new(SpeculosTransport::connect(&addr)?));
    }
    if let Some(addr) = spec.strip_prefix("speculos:") {
        return Ok(Box::new(SpeculosTransport::connect(addr)?));
    }
    Err(CliError::Usage(format!(
        "unknown transport \"{}\": use hid, speculos or speculos:HOST:PORT",
        spec.chars().take(60).collect::<String>()
    )))
}

#[cfg(feature = "ledger-hid")]
fn open_hid(device: Option<&str>) -> Result<Box<dyn Transport>, CliError> {
    Ok(Box::new(wallet_core::ledger::hid::HidTransport::open(
        device,
    )?))
}

#[cfg(not(feature = "ledger-hid"))]
fn open_hid(_device: Option<&str>) -> Result<Box<dyn Transport>, CliError> {
    Err(wallet_core::ledger::LedgerError::HidUnavailable.into())
}

fn key_json(k: &SignedPublicKey) -> serde_json::Value {
    json!({
        "path": path_to_string(&k.path),
        "publicKey": hex::encode(k.key),
        "signature": hex::encode(k.signature),
        "signatureVerified": true,
    })
}

fn print_key(k: &SignedPublicKey, label: &str) {
    println!("{label}: {}", hex::encode(k.key));
    println!("Path:       {}", path_to_string(&k.path));
    println!("Signature:  {} (verified)", hex::encode(k.signature));
}

/// One `wallet ledger` request, its path options checked.
enum Request {
    Info,
    PairingId,
    Pubkey(AccountPath, bool),
    VerifyAddress(AccountPath),
}

/// Runs `wallet ledger …`.
pub fn cmd_ledger(
    args: &LedgerArgs,
    store: Option<&std::path::Path>,
    json: bool,
) -> Result<(), CliError> {
    #[cfg(feature = "wallet-proxy")]
    if let LedgerAction::Recover(r) = &args.action {
        return crate::recovery_cmds::cmd_ledger_recover(
            r,
            store,
            || open_transport(args.transport.as_deref(), args.device.as_deref()),
            json,
        );
    }
    let _ = store;
    // Check the path options before touching the device.
    let request = match &args.action {
        LedgerAction::Info => Request::Info,
        LedgerAction::PairingId => Request::PairingId,
        LedgerAction::Pubkey { path, confirm } => Request::Pubkey(path.to_path()?, *confirm),
        LedgerAction::VerifyAddress { path } => Request::VerifyAddress(path.to_path()?),
        #[cfg(feature = "wallet-proxy")]
        LedgerAction::Recover(_) => unreachable!("handled above"),
    };
    let transport = open_transport(args.transport.as_deref(), args.device.as_deref())?;
    let mut ledger = Ledger::new(transport);
    let transport_name = ledger.describe_transport();
    match request {
        Request::Info => {
            let info = ledger.app_info()?;
            if json {
                println!(
                    "{}",
                    json!({
                        "name": info.name,
                        "version": info.version,
                        "appName": info.app_name,
                        "transport": transport_name,
                    })
                );
            } else {
                println!("App:       {} {}", info.name, info.version);
                println!("Transport: {transport_name}");
            }
        }
        Request::PairingId => {
            let k = ledger.pairing_id()?;
            if json {
                let mut v = key_json(&k);
                v["pairingId"] = json!(hex::encode(k.key));
                println!("{v}");
            } else {
                print_key(&k, "Pairing id");
            }
        }
        Request::Pubkey(path, confirm) => {
            if confirm && !json {
                eprintln!("Compare the key on the Ledger and approve it there.");
            }
            let k = ledger.public_key(&path, confirm)?;
            if json {
                println!("{}", key_json(&k));
            } else {
                print_key(&k, "Public key");
            }
        }
        Request::VerifyAddress(path) => {
            if !json {
                eprintln!("Check the address shown on the Ledger and approve it there.");
            }
            ledger.verify_address(&path)?;
            if json {
                println!("{}", json!({"approved": true, "path": path.to_display()}));
            } else {
                println!("Address approved on the Ledger ({}).", path.to_display());
            }
        }
    }
    Ok(())
}
