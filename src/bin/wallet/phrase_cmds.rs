//! `wallet phrase new|check` and `wallet keys`: recovery phrases and derived keys.

use std::io::IsTerminal;
use std::path::Path;

use serde_json::json;
use zeroize::Zeroizing;

use wallet_core::ffi::{phrase_check_result, PhraseStatus};
use wallet_core::keys::{CommitmentKey, ConcordiumHdWallet, Seed};
use wallet_core::network::Network;
use wallet_core::phrase;

use wallet_core::input::{self, MAX_SECRET_TEXT_BYTES};

use crate::{read_secret_file, secret_read_error, CliError};

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
pub fn cmd_phrase_new(json: bool) -> Result<(), CliError> {
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
pub fn cmd_phrase_check(file: Option<&Path>, json: bool) -> Result<(), CliError> {
    let text = read_secret_text(file)?;
    let result = phrase_check_result(phrase::check(&text));
    if json {
        println!(
            "{}",
            json!({
                "status": format!("{:?}", result.status),
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

/// What `wallet keys` derives.
pub struct KeysArgs<'a> {
    pub phrase_file: &'a Path,
    pub network: Network,
    pub idp: u32,
    pub identity: u32,
    pub credential: u8,
    pub show_secrets: bool,
    pub commitment_key: Option<&'a str>,
}

/// `wallet keys`: the public values of one account (and its secrets on request).
pub fn cmd_keys(a: KeysArgs<'_>, json: bool) -> Result<(), CliError> {
    let net = a.network;
    let key = match a.commitment_key {
        Some(h) => CommitmentKey::from_hex(h).map_err(|e| CliError::Usage(e.to_string()))?,
        None => CommitmentKey::global(),
    };
    let seed = read_seed(a.phrase_file)?;
    let wallet = ConcordiumHdWallet::new(seed, net);
    let acc = wallet
        .account(a.idp, a.identity, a.credential, &key)
        .map_err(|e| CliError::Input(e.to_string()))?;
    let public_key: String = acc
        .public
        .public_key
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
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
            "network": net.to_string(),
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
        println!("Network:              {}", net);
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
