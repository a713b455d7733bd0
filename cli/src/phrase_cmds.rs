//! `wallet phrase new|check` and `wallet keys`: recovery phrases and derived keys.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::json;
use zeroize::Zeroizing;

use wallet_core::input::{self, MAX_SECRET_TEXT_BYTES};
use wallet_core::keys::{CommitmentKey, ConcordiumHdWallet, Net, Seed};
use wallet_core::phrase::{self, PhraseStatus, PhraseVerdict};

use crate::error::CliError;
use crate::secret_input::{read_secret_file, secret_read_error};

/// `wallet phrase new|check`.
#[derive(Subcommand)]
pub enum PhraseAction {
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

/// `wallet keys`: the account to derive.
#[derive(Args)]
pub struct KeysArgs {
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
}

/// `wallet phrase new|check`.
pub fn cmd_phrase(action: &PhraseAction, json: bool) -> Result<(), CliError> {
    match action {
        PhraseAction::New => cmd_phrase_new(json),
        PhraseAction::Check { phrase_file } => cmd_phrase_check(phrase_file.as_deref(), json),
    }
}

/// Reads a phrase (or a 128-hex-character seed) from a file, or from stdin, at most
/// [`MAX_SECRET_TEXT_BYTES`]; a leading UTF-8 byte-order mark (Windows editors) is dropped.
fn read_secret_text(file: Option<&Path>) -> Result<Zeroizing<String>, CliError> {
    let raw = match file {
        Some(p) => read_secret_file(p, "a recovery-phrase file")?,
        None => {
            if std::io::stdin().is_terminal() {
                eprintln!("Type the recovery phrase, then press Enter and Ctrl-D:");
            }
            input::read_secret_capped(std::io::stdin().lock(), MAX_SECRET_TEXT_BYTES)
                .map_err(|e| secret_read_error(e, "stdin", "a recovery phrase"))?
        }
    };
    let text = raw.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&raw);
    let text = std::str::from_utf8(text)
        .map_err(|_| CliError::Input("the recovery phrase is not valid text (UTF-8)".into()))?;
    Ok(Zeroizing::new(text.to_string()))
}

/// The seed of the recovery phrase (or 128-hex-character seed) in a file.
pub fn read_seed(file: &Path) -> Result<Seed, CliError> {
    let text = read_secret_text(Some(file))?;
    phrase::seed_from_phrase_or_hex(text.trim()).map_err(|e| CliError::Input(e.to_string()))
}

/// `wallet phrase new`: a fresh 24-word phrase.
fn cmd_phrase_new(json: bool) -> Result<(), CliError> {
    let p = phrase::generate().map_err(|e| CliError::Input(e.to_string()))?;
    let words = p.to_zeroizing_string();
    if json {
        let list: Vec<&str> = words.split(' ').collect();
        println!("{}", json!({ "words": list, "wordCount": list.len() }));
    } else {
        if std::io::stdout().is_terminal() {
            eprintln!(
                "Write these 24 words down, in order, and keep them offline. Anyone who has them \
                 controls the wallet."
            );
        }
        println!("{}", words.as_str());
    }
    Ok(())
}

/// `wallet phrase check`: hints per word for a typed phrase.
fn cmd_phrase_check(file: Option<&Path>, json: bool) -> Result<(), CliError> {
    let text = read_secret_text(file)?;
    let result = PhraseVerdict::from(phrase::check(&text));
    if json {
        println!(
            "{}",
            json!({
                "status": result.status.as_str(),
                "valid": result.status == PhraseStatus::Valid,
                "wordCount": result.word_count,
                "is24Words": result.is_24_words,
                "unknownWords": result.unknown_words.iter().map(|u| json!({
                    "position": u.position, "suggestions": u.suggestions
                })).collect::<Vec<_>>(),
                "message": result.message,
            })
        );
    } else {
        match result.status {
            PhraseStatus::Valid if result.is_24_words => {
                println!("Valid 24-word recovery phrase.")
            }
            PhraseStatus::Valid => println!(
                "Valid {}-word recovery phrase (Concordium wallets create 24 words).",
                result.word_count
            ),
            _ => {
                for u in &result.unknown_words {
                    if u.suggestions.is_empty() {
                        println!("Word {}: not in the word list.", u.position);
                    } else {
                        println!(
                            "Word {}: not in the word list. Did you mean: {}?",
                            u.position,
                            u.suggestions.join(", ")
                        );
                    }
                }
            }
        }
    }
    match result.status {
        PhraseStatus::Valid => Ok(()),
        _ => {
            Err(CliError::Reported(result.message.unwrap_or_else(|| {
                "the recovery phrase is not valid".into()
            })))
        }
    }
}

/// `wallet keys`: the public values of one account (and its secrets on request).
pub fn cmd_keys(a: &KeysArgs, json: bool) -> Result<(), CliError> {
    let net: Net = a
        .network
        .parse()
        .map_err(|e: wallet_core::keys::KeyError| CliError::Usage(e.to_string()))?;
    let key = match a.commitment_key.as_deref() {
        Some(h) => CommitmentKey::from_hex(h).map_err(|e| CliError::Usage(e.to_string()))?,
        None => CommitmentKey::global(),
    };
    let seed = read_seed(&a.phrase_file)?;
    let wallet = ConcordiumHdWallet::new(seed, net);
    let acc = wallet
        .account(a.idp, a.identity, a.credential, &key)
        .map_err(|e| CliError::Input(e.to_string()))?;
    let public_key = hex::encode(acc.public.public_key);
    let secrets = if a.show_secrets {
        let id = wallet
            .identity(a.idp, a.identity)
            .map_err(|e| CliError::Input(e.to_string()))?;
        Some([
            ("signKey", acc.signing_key.to_hex()),
            ("idCredSec", id.id_cred_sec.to_hex()),
            ("prfKey", id.prf_key.to_hex()),
            ("blindingRandomness", id.blinding_randomness.to_hex()),
            ("encryptionSecretKey", acc.encryption_secret_key.to_hex()),
        ])
    } else {
        None
    };
    if json {
        let mut v = json!({
            "network": net.as_str(),
            "idp": a.idp,
            "identity": a.identity,
            "credential": a.credential,
            "accountPublicKey": public_key,
            "credentialId": acc.public.cred_id.to_hex(),
            "address": acc.public.address.to_base58(),
        });
        if let Some(s) = &secrets {
            for (name, value) in s {
                v[*name] = json!(value.as_str());
            }
        }
        println!("{v}");
    } else {
        println!("Network:              {}", net.as_str());
        println!(
            "Path:                 idp {}, identity {}, credential {}",
            a.idp, a.identity, a.credential
        );
        println!("Account public key:   {public_key}");
        println!("Credential id:        {}", acc.public.cred_id.to_hex());
        println!("Address:              {}", acc.public.address.to_base58());
        if let Some(s) = &secrets {
            for (name, value) in s {
                println!("{:<22}{}", format!("{name}:"), value.as_str());
            }
        }
    }
    Ok(())
}
