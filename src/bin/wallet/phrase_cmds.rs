//! `wallet phrase new|check` and `wallet keys`: recovery phrases and derived keys.

use std::io::{IsTerminal, Read};
use std::path::Path;

use serde_json::json;
use zeroize::{Zeroize, Zeroizing};

use wallet_core::ffi::{phrase_check_result, PhraseStatus};
use wallet_core::keys::{CommitmentKey, ConcordiumHdWallet, Net, Seed};
use wallet_core::phrase;

use crate::CliError;

/// Reads a phrase (or a 128-hex-character seed) from a file, or from stdin.
fn read_secret_text(file: Option<&Path>) -> Result<Zeroizing<String>, CliError> {
    let mut raw = Vec::new();
    match file {
        Some(p) => {
            raw = std::fs::read(p)
                .map_err(|e| CliError::Io(format!("cannot read {}: {e}", p.display())))?;
        }
        None => {
            if std::io::stdin().is_terminal() {
                eprintln!("Type the recovery phrase, then press Enter and Ctrl-D:");
            }
            std::io::stdin()
                .read_to_end(&mut raw)
                .map_err(|e| CliError::Io(format!("cannot read stdin: {e}")))?;
        }
    }
    let text = String::from_utf8(raw.clone())
        .map_err(|_| CliError::Input("the recovery phrase is not valid text (UTF-8)".into()));
    raw.zeroize();
    Ok(Zeroizing::new(text?))
}

/// The seed of the recovery phrase (or 128-hex-character seed) in a file.
pub fn read_seed(file: &Path) -> Result<Seed, CliError> {
    let text = read_secret_text(Some(file))?;
    let trimmed = text.trim();
    if trimmed.len() == 128 && trimmed.bytes().all(|b| b.is_ascii_hexdigit()) {
        phrase::seed_from_hex(trimmed).map_err(|e| CliError::Input(e.to_string()))
    } else {
        let p = phrase::check(trimmed)
            .into_result()
            .map_err(|e| CliError::Input(e.to_string()))?;
        Ok(p.to_seed(""))
    }
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
    pub network: &'a str,
    pub idp: u32,
    pub identity: u32,
    pub credential: u8,
    pub show_secrets: bool,
    pub commitment_key: Option<&'a str>,
}

/// `wallet keys`: the public values of one account (and its secrets on request).
pub fn cmd_keys(a: KeysArgs<'_>, json: bool) -> Result<(), CliError> {
    let net: Net = a
        .network
        .parse()
        .map_err(|e: wallet_core::keys::KeyError| CliError::Usage(e.to_string()))?;
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
