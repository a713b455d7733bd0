//! Concordium Desktop Wallet exports (`wallet-export.json`, docs/recovery.md "Desktop Wallet
//! exports"): the legacy AES-256-CBC envelope around
//! `{accounts, identities, addressBook, credentials, externalCredentials, wallets, genesis}`.
//! The file holds no keys: they are on the Ledger whose pairing identifier is the file's
//! `wallets[].identifier`.
//!
//! - [`open`] decrypts and parses it; [`DesktopExport::network`] comes from the genesis block hash.
//! - [`contacts_only`]: without that Ledger, only the address book is offered and every account
//!   is listed as skipped, with the reason.
//! - [`with_ledger`]: with it, identities (their keys recomputed from the Ledger's seeds, version
//!   1 or 0 as the file says) and accounts as Ledger-backed, each account's credential id checked
//!   against the one the Ledger's PRF key gives (else skipped, with the reason), and the address
//!   book.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::format::legacy;
use crate::kdf::KdfObserver;
use crate::keys::{credential_id_from_prf, id_cred_pub, CommitmentKey, KeyError};
use crate::ledger::{AccountPath, Ledger, LedgerError, Transport};
use crate::model::{Identity, Recipient, SecretJson, WalletData};
use crate::network::Network;
use crate::password::Password;
use crate::recovery::ledger::{ledger_backed_account, legacy_identity_keys, LedgerKeys};
use crate::recovery::wallet_data::{hex, identity_object_with};
use crate::BackupError;

/// Mainnet's genesis block hash.
pub const MAINNET_GENESIS: &str =
    "9dd9ca4d19e9393877d2c44b70f89acbfc0883c2243e5eeaecc0d1cd0503f478";
/// Testnet's genesis block hash.
pub const TESTNET_GENESIS: &str =
    "4221332d34e1694168c2a0c0b3fd0f273809612cb13d000d5c2e00e85f50f796";

/// The largest export read (the same cap as backups).
pub const MAX_EXPORT_BYTES: usize = 64 * 1024 * 1024;

/// An identity of the export.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DesktopIdentity {
    /// The Desktop Wallet's row id.
    pub id: i64,
    /// The identity index on the Ledger.
    pub identity_number: u32,
    /// The nickname.
    pub name: String,
    /// The identity object, as a JSON string (absent while pending).
    #[serde(default)]
    pub identity_object: Option<String>,
    /// The provider's `{ipInfo, arsInfos, metadata}`, as a JSON string.
    #[serde(default)]
    pub identity_provider: Option<String>,
    /// 1: keys from `keygen_bls`; 0: from `keygen_bls_deprecated`.
    #[serde(default)]
    pub version: Option<u8>,
    /// The wallet (Ledger) row it belongs to.
    #[serde(default)]
    pub wallet_id: Option<i64>,
}

/// An account of the export.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DesktopAccount {
    /// Its name.
    pub name: String,
    /// Its address.
    pub address: String,
    /// The identity row it belongs to.
    pub identity_id: i64,
}

/// A credential of the export.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DesktopCredential {
    /// The account it is on.
    pub account_address: String,
    /// The credential number (counter) within its identity.
    pub credential_number: u32,
    /// The identity row it belongs to.
    pub identity_id: i64,
    /// The credential id (hex).
    pub cred_id: String,
}

/// An address-book entry.
#[derive(Debug, Clone, Deserialize)]
pub struct DesktopContact {
    /// The name.
    pub name: String,
    /// The address.
    pub address: String,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
}

/// A paired Ledger.
#[derive(Debug, Clone, Deserialize)]
pub struct DesktopWallet {
    /// Its row id.
    pub id: i64,
    /// Its pairing identifier (hex public key at `1105'/0'`).
    pub identifier: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Genesis {
    genesis_block: String,
}

/// A genesis block hash that names no network this library knows (its first 64 characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownGenesis(pub String);

/// A Desktop Wallet export, decrypted.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DesktopExport {
    /// Identities.
    pub identities: Vec<DesktopIdentity>,
    /// Accounts.
    pub accounts: Vec<DesktopAccount>,
    /// The address book.
    pub address_book: Vec<DesktopContact>,
    /// Credentials.
    #[serde(default)]
    pub credentials: Vec<DesktopCredential>,
    /// Paired Ledgers.
    #[serde(default)]
    pub wallets: Vec<DesktopWallet>,
    #[serde(default)]
    genesis: Option<Genesis>,
}

/// An account that will not be imported, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedAccount {
    /// Its name.
    pub name: String,
    /// Its address.
    pub address: String,
    /// Why.
    pub reason: String,
}

/// What a Desktop export becomes: wallet data for the reviewed import, and the accounts left out.
#[derive(Debug)]
pub struct DesktopImport {
    /// Identities, Ledger-backed accounts and contacts to import.
    pub data: WalletData,
    /// Accounts not imported, with the reason.
    pub skipped: Vec<SkippedAccount>,
}

impl DesktopExport {
    /// The network its genesis block names (mainnet or testnet); `None` when the export has no
    /// genesis (very old exports).
    pub fn network(&self) -> Result<Option<Network>, UnknownGenesis> {
        match self
            .genesis
            .as_ref()
            .map(|g| g.genesis_block.to_ascii_lowercase())
        {
            None => Ok(None),
            Some(g) if g == MAINNET_GENESIS => Ok(Some(Network::Mainnet)),
            Some(g) if g == TESTNET_GENESIS => Ok(Some(Network::Testnet)),
            Some(g) => Err(UnknownGenesis(g.chars().take(64).collect())),
        }
    }

    /// The network, or the error that refuses the file: an unknown genesis is named; a file
    /// without one needs `assume`.
    pub fn environment(&self, assume: Option<Network>) -> Result<Network, BackupError> {
        match (self.network(), assume) {
            (Ok(Some(e)), _) | (Ok(None), Some(e)) => Ok(e),
            (Ok(None), None) => Err(BackupError::MissingEnvironment),
            (Err(UnknownGenesis(g)), _) => Err(BackupError::NotAWalletBackup(format!(
                "a Desktop Wallet export of an unknown network (genesis block {g})"
            ))),
        }
    }

    /// The pairing identifier of the Ledger that holds the keys of identity row `wallet_id`
    /// (the only one, when the identity names none).
    fn pairing_of(&self, wallet_id: Option<i64>) -> Option<&str> {
        match wallet_id {
            Some(id) => self.wallets.iter().find(|w| w.id == id),
            None if self.wallets.len() == 1 => self.wallets.first(),
            None => None,
        }
        .map(|w| w.identifier.as_str())
    }

    fn contacts(&self) -> Vec<Recipient> {
        self.address_book
            .iter()
            .map(|c| {
                let mut extra = Map::new();
                if let Some(n) = c.note.as_ref().filter(|n| !n.is_empty()) {
                    extra.insert("note".into(), Value::String(n.clone()));
                }
                Recipient {
                    name: c.name.clone(),
                    address: c.address.clone(),
                    extra,
                }
            })
            .collect()
    }
}

/// True when decrypted content is a Desktop Wallet export (it has `identities`, `accounts` and
/// `addressBook`, and no `type`).
pub fn is_desktop_export(plain: &[u8]) -> bool {
    matches!(
        crate::model::WalletData::from_json(plain),
        Err(BackupError::DesktopWalletExport)
    )
}

/// Decrypts and parses a Desktop Wallet export.
pub fn open(
    bytes: &[u8],
    password: &Password,
    observer: &dyn KdfObserver,
) -> Result<DesktopExport, BackupError> {
    if bytes.len() > MAX_EXPORT_BYTES {
        return Err(BackupError::FileTooLarge {
            size: bytes.len() as u64,
            max: MAX_EXPORT_BYTES as u64,
        });
    }
    let envelope: Value = serde_json::from_slice(bytes)
        .map_err(|_| BackupError::NotABackup("it is not a JSON backup envelope".into()))?;
    if !legacy::is_legacy(&envelope) {
        return Err(BackupError::NotABackup(
            "it is not a Desktop Wallet export envelope".into(),
        ));
    }
    let parsed = legacy::parse(&envelope)?;
    legacy::check_limits(&parsed, crate::format::MAX_IMPORT_ITERATIONS)?;
    let plain = legacy::decrypt_raw(&parsed, password, observer)?;
    if !is_desktop_export(&plain) {
        return Err(match crate::model::WalletData::from_json(&plain) {
            Err(BackupError::PayloadInvalid(_)) => BackupError::WrongPasswordOrDamaged,
            Err(e) => e,
            Ok(_) => BackupError::NotAWalletBackup(
                "a mobile wallet backup, not a Desktop Wallet export".into(),
            ),
        });
    }
    serde_json::from_slice(&plain).map_err(|e| {
        BackupError::PayloadInvalid(format!(
            "the Desktop Wallet export does not have the expected fields (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

/// Without the Ledger: the address book, and every account skipped with the reason.
pub fn contacts_only(export: &DesktopExport, environment: Network) -> DesktopImport {
    let mut data = WalletData::empty(environment);
    data.value.recipients = export.contacts();
    let skipped = export
        .accounts
        .iter()
        .map(|a| SkippedAccount {
            name: a.name.clone(),
            address: a.address.clone(),
            reason: keys_on_ledger(export, a),
        })
        .collect();
    DesktopImport { data, skipped }
}

fn keys_on_ledger(export: &DesktopExport, a: &DesktopAccount) -> String {
    let wallet = export
        .identities
        .iter()
        .find(|i| i.id == a.identity_id)
        .and_then(|i| export.pairing_of(i.wallet_id));
    match wallet {
        Some(p) => format!("its keys are on the Ledger with pairing identifier {p}"),
        None => "its keys are on a Ledger the file does not name".into(),
    }
}

/// What can go wrong while importing with the Ledger.
#[derive(Debug, thiserror::Error)]
pub enum DesktopLedgerError {
    /// The connected Ledger is not the one the export was made with.
    #[error(
        "The connected Ledger (pairing identifier {connected}) is not the one this export was made \
         with ({})", expected.join(", ")
    )]
    OtherLedger {
        /// The connected Ledger's pairing identifier.
        connected: String,
        /// The export's.
        expected: Vec<String>,
    },
    /// The device refused or failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// Key arithmetic failed.
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// With the connected Ledger (its pairing identifier must be one of the file's wallets): the
/// identities of that Ledger, their accounts as Ledger-backed when the credential id the Ledger's
/// PRF key gives equals the file's, and the address book. One approval on the device per
/// identity.
pub fn with_ledger<T: Transport>(
    export: &DesktopExport,
    environment: Network,
    ledger: &mut Ledger<T>,
    commitment_key: &CommitmentKey,
) -> Result<DesktopImport, DesktopLedgerError> {
    let pairing = hex(&ledger.pairing_id()?.key);
    let Some(wallet) = export
        .wallets
        .iter()
        .find(|w| w.identifier.eq_ignore_ascii_case(&pairing))
    else {
        return Err(DesktopLedgerError::OtherLedger {
            connected: pairing,
            expected: export
                .wallets
                .iter()
                .map(|w| w.identifier.clone())
                .collect(),
        });
    };
    let mut data = WalletData::empty(environment);
    data.value.recipients = export.contacts();
    let mut skipped = Vec::new();
    for ident in &export.identities {
        let accounts: Vec<&DesktopAccount> = export
            .accounts
            .iter()
            .filter(|a| a.identity_id == ident.id)
            .collect();
        let ours = match ident.wallet_id {
            Some(id) => id == wallet.id,
            None => export.wallets.len() == 1,
        };
        if !ours {
            skipped.extend(accounts.iter().map(|a| SkippedAccount {
                name: a.name.clone(),
                address: a.address.clone(),
                reason: keys_on_ledger(export, a),
            }));
            continue;
        }
        let keys = if ident.version == Some(0) {
            LedgerKeys::LegacyV0
        } else {
            LedgerKeys::LegacyV1
        };
        let seeds = ledger.export_legacy_identity_seeds(ident.identity_number)?;
        let (prf, id_cred_sec) = legacy_identity_keys(&seeds.prf_key, &seeds.id_cred_sec, keys);
        let object = ident
            .identity_object
            .as_deref()
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
            .map(|o| o.get("value").cloned().unwrap_or(o));
        let icp = hex(&id_cred_pub(&id_cred_sec, commitment_key)?);
        let object_icp = object
            .as_ref()
            .and_then(|o| o.pointer("/preIdentityObject/pubInfoForIp/idCredPub"))
            .and_then(Value::as_str)
            .map(str::to_string);
        if object_icp.as_deref().is_some_and(|o| o != icp) {
            skipped.extend(accounts.iter().map(|a| SkippedAccount {
                name: a.name.clone(),
                address: a.address.clone(),
                reason: format!(
                    "its identity \"{}\" does not match the Ledger's keys for identity {}",
                    ident.name, ident.identity_number
                ),
            }));
            continue;
        }
        let mut stored_accounts = Vec::new();
        let mut next = 0u64;
        for a in accounts {
            let cred = export
                .credentials
                .iter()
                .find(|c| c.account_address == a.address && c.identity_id == ident.id);
            let check = cred.and_then(|c| {
                let counter = u8::try_from(c.credential_number).ok()?;
                let id = credential_id_from_prf(&prf, counter, commitment_key).ok()?;
                (id.to_hex().eq_ignore_ascii_case(&c.cred_id)).then_some((c, id))
            });
            let Some((c, cred_id)) = check else {
                skipped.push(SkippedAccount {
                    name: a.name.clone(),
                    address: a.address.clone(),
                    reason: if cred.is_some() {
                        "its credential id does not match the one the Ledger's keys give".into()
                    } else {
                        "the file has no credential for it".into()
                    },
                });
                continue;
            };
            next = next.max(u64::from(c.credential_number) + 1);
            let path = AccountPath::Legacy {
                identity: ident.identity_number,
                credential: c.credential_number,
            };
            stored_accounts.push(ledger_backed_account(
                a.name.clone(),
                a.address.clone(),
                &wallet.identifier,
                &path,
                &cred_id.to_hex(),
            ));
        }
        let mut extra = Map::new();
        extra.insert(
            "ledger".into(),
            json!({
                "pairingId": wallet.identifier,
                "identityIndex": ident.identity_number,
                "keys": if keys == LedgerKeys::LegacyV0 { "desktop-v0" } else { "desktop-v1" },
            }),
        );
        data.value.identities.push(Identity {
            name: ident.name.clone(),
            next_account_number: Some(next),
            identity_provider: ident
                .identity_provider
                .as_deref()
                .and_then(|s| serde_json::from_str::<Value>(s).ok())
                .filter(|v| v.as_object().is_some_and(|m| !m.is_empty())),
            identity_object: Some(object.unwrap_or_else(|| identity_object_with(&icp))),
            private_id_object_data: SecretJson(json!({})),
            accounts: stored_accounts,
            extra,
        });
    }
    Ok(DesktopImport { data, skipped })
}
