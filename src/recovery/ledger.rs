//! Recovering a Ledger wallet's accounts without a backup file (docs/recovery.md):
//!
//! - **Legacy (Desktop Wallet) paths** [`recover_legacy`], as the Desktop Wallet's recovery
//!   does: the pairing identifier; for identity index n = 0, 1, …: one approval on the device
//!   exports the key seeds of the identity's PRF key and idCredSec; the keys are made with
//!   `keygen_bls` (identity version 1) and, when that finds no account, with
//!   `keygen_bls_deprecated` of the seed's hex string (version 0); credential ids for counters
//!   0..=24 are looked up; an identity without accounts counts as empty, and the scan stops after
//!   `max_empty` empty indices in a row (the Desktop Wallet asks every 3).
//! - **New paths** [`recover_new_paths`] (`44'/coin'/idp'/identity'`, app releases that export
//!   them): per provider and identity, one approval exports the PRF key and idCredSec, and the
//!   seed-phrase gap rules apply (20 misses per identity, 20 empty identities per provider).
//!
//! Nothing secret is kept: the keys stay on the Ledger; the result holds idCredPub, credential ids
//! and addresses, and [`ledger_wallet_data`] turns it into Ledger-backed wallet data (accounts
//! without keys, marked with the Ledger's pairing identifier and the key's path).

use serde_json::{json, Map};
use thiserror::Error;

use super::wallet_data::{
    hex, identity_object_with, recovered_account_name, recovered_identity_name,
};
use super::{
    scan_credentials, AccountLookup, CredentialStop, RecoveryError, ScanObserver, Tracker,
    MAX_ACCOUNT_GAP, MAX_IDENTITY_GAP,
};
use crate::keys::{
    id_cred_pub, keygen_bls, keygen_bls_deprecated, AccountAddress, CommitmentKey, CredentialId,
    Net, Secret32,
};
use crate::ledger::version::{capabilities, NewPathExport, NewPaths};
use crate::ledger::{AccountPath, AppVersion, IdentityPath, Ledger, LedgerError, Transport};
use crate::model::{Account, Environment, Identity, SecretJson, SecretString, WalletData};

/// Credential numbers the Desktop Wallet looks at per identity (`maxCredentialsOnIdentity`).
pub const LEGACY_CREDENTIALS_PER_IDENTITY: u8 = 25;

/// Empty identity indices after which a legacy Ledger scan stops unless told otherwise (the
/// Desktop Wallet asks whether to go on after every 3).
pub const DEFAULT_MAX_EMPTY_IDENTITIES: u32 = 3;

/// What can go wrong while recovering from a Ledger.
#[derive(Debug, Error)]
pub enum LedgerRecoveryError {
    /// The device refused, is locked, or the transport failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// A lookup failed or the scan was cancelled; nothing is returned.
    #[error(transparent)]
    Recovery(#[from] RecoveryError),
}

impl From<super::LookupError> for LedgerRecoveryError {
    fn from(e: super::LookupError) -> Self {
        Self::Recovery(e.into())
    }
}

impl From<crate::keys::KeyError> for LedgerRecoveryError {
    fn from(e: crate::keys::KeyError) -> Self {
        Self::Recovery(e.into())
    }
}

/// Which derivation an identity's keys came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerKeys {
    /// Desktop Wallet identity version 1: `keygen_bls` of the Ledger's key seed.
    LegacyV1,
    /// Desktop Wallet identity version 0: `keygen_bls_deprecated` of the seed's hex string.
    LegacyV0,
    /// New paths: the keys the app exports.
    NewPaths,
}

/// One account found on a Ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerAccount {
    /// The credential number (account number within the identity).
    pub credential: u8,
    /// Its credential id.
    pub cred_id: CredentialId,
    /// Its address.
    pub address: AccountAddress,
    /// Where its signing key is on the device.
    pub path: AccountPath,
}

/// One identity found on a Ledger, with its accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerIdentity {
    /// The identity provider (new paths only).
    pub idp: Option<u32>,
    /// The identity index.
    pub index: u32,
    /// How its keys were made.
    pub keys: LedgerKeys,
    /// Its idCredPub (hex).
    pub id_cred_pub: String,
    /// Its accounts, by credential number.
    pub accounts: Vec<LedgerAccount>,
}

/// What a Ledger recovery found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRecovery {
    /// The device's pairing identifier (hex public key at `1105'/0'`).
    pub pairing_id: String,
    /// The network.
    pub net: Net,
    /// The identities found.
    pub identities: Vec<LedgerIdentity>,
}

impl LedgerRecovery {
    /// The number of accounts found.
    pub fn account_count(&self) -> usize {
        self.identities.iter().map(|i| i.accounts.len()).sum()
    }
}

/// The accounts of scan hits, with the path of each credential's signing key.
fn accounts_at(
    hits: Vec<(u8, CredentialId)>,
    path: impl Fn(u32) -> AccountPath,
) -> Vec<LedgerAccount> {
    hits.into_iter()
        .map(|(credential, cred_id)| LedgerAccount {
            credential,
            cred_id,
            address: cred_id.account_address(),
            path: path(u32::from(credential)),
        })
        .collect()
}

/// The next identity index (indices stay below 2^31; the bridge refuses larger ones first).
fn next_index(index: u32) -> Result<u32, crate::keys::KeyError> {
    index
        .checked_add(1)
        .ok_or(crate::keys::KeyError::IndexTooLarge { index })
}

/// A Ledger-backed account: no keys, and the `ledger` field naming the device and the key's path.
pub fn ledger_backed_account(
    name: String,
    address: String,
    pairing_id: &str,
    path: &AccountPath,
    cred_id: &str,
) -> Account {
    let mut extra = Map::new();
    extra.insert(
        "ledger".into(),
        ledger_account_field(pairing_id, path, cred_id),
    );
    Account {
        name,
        address,
        submission_id: None,
        account_keys: SecretJson(json!({})),
        commitments_randomness: None,
        revealed_attributes: None,
        credential: None,
        encryption_secret_key: SecretString(String::new()),
        extra,
    }
}

/// Reads the pairing identifier (silently).
pub fn pairing_id<T: Transport>(ledger: &mut Ledger<T>) -> Result<String, LedgerError> {
    Ok(hex(&ledger.pairing_id()?.key))
}

/// The PRF key and idCredSec of a Desktop Wallet identity of `version` from the Ledger's seeds.
pub fn legacy_identity_keys(
    prf_seed: &Secret32,
    id_cred_sec_seed: &Secret32,
    keys: LedgerKeys,
) -> (Secret32, Secret32) {
    let make = |seed: &Secret32| match keys {
        LedgerKeys::LegacyV0 => keygen_bls_deprecated(seed.to_hex().as_bytes(), b""),
        _ => keygen_bls(seed.as_bytes(), b""),
    };
    (make(prf_seed), make(id_cred_sec_seed))
}

/// Recovers the accounts on the Desktop Wallet's legacy paths (see the module documentation).
pub fn recover_legacy<T: Transport>(
    ledger: &mut Ledger<T>,
    net: Net,
    max_empty: u32,
    commitment_key: &CommitmentKey,
    lookup: &dyn AccountLookup,
    observer: &dyn ScanObserver,
) -> Result<LedgerRecovery, LedgerRecoveryError> {
    let tracker = Tracker::new(observer);
    let pairing_id = pairing_id(ledger)?;
    let mut identities = Vec::new();
    let mut empty = 0u32;
    let mut index = 0u32;
    while empty < max_empty.max(1) {
        tracker.check()?;
        let seeds = ledger.export_legacy_identity_seeds(index)?;
        let mut found = None;
        log::debug!("Ledger identity {index}: scanning its {LEGACY_CREDENTIALS_PER_IDENTITY} credential counters");
        for keys in [LedgerKeys::LegacyV1, LedgerKeys::LegacyV0] {
            let (prf, id_cred_sec) = legacy_identity_keys(&seeds.prf_key, &seeds.id_cred_sec, keys);
            let hits = scan_credentials(
                &prf,
                net,
                0,
                CredentialStop::Count(LEGACY_CREDENTIALS_PER_IDENTITY),
                commitment_key,
                lookup,
                &tracker,
            )?;
            if !hits.is_empty() {
                log::debug!(
                    "Ledger identity {index}: {} accounts with {keys:?} keys",
                    hits.len()
                );
                found = Some(LedgerIdentity {
                    idp: None,
                    index,
                    keys,
                    id_cred_pub: hex(&id_cred_pub(&id_cred_sec, commitment_key)?),
                    accounts: accounts_at(hits, |credential| AccountPath::Legacy {
                        identity: index,
                        credential,
                    }),
                });
                break;
            }
        }
        tracker.identity_done()?;
        match found {
            Some(i) => {
                identities.push(i);
                empty = 0;
            }
            None => empty += 1,
        }
        index = next_index(index)?;
    }
    log::info!(
        "Ledger recovery (legacy paths) stopped at identity {index} after {empty} empty \
         identities in a row; {} identities found",
        identities.len()
    );
    Ok(LedgerRecovery {
        pairing_id,
        net,
        identities,
    })
}

/// Whether the open app release can export the identity keys of new paths on `net`, which
/// [`recover_new_paths`] needs (the bridge's capability table decides, as for the export itself).
/// Asks the app for its version, silently.
pub fn new_path_recovery_supported<T: Transport>(
    ledger: &mut Ledger<T>,
    net: Net,
) -> Result<bool, LedgerError> {
    let caps = capabilities(AppVersion::parse(&ledger.app_info()?.version)?)?;
    let paths = match (caps.new_paths, net) {
        (NewPaths::None, _) | (NewPaths::MainnetOnly, Net::Testnet) => false,
        (NewPaths::MainnetOnly | NewPaths::MainnetAndTestnet, _) => true,
    };
    Ok(match caps.new_path_export {
        NewPathExport::None => false,
        NewPathExport::Ins05Prefix => net == Net::Mainnet,
        NewPathExport::Ins37 => paths,
    })
}

/// Recovers the accounts on the new paths `44'/coin'/idp'/identity'` under each provider in
/// `identity_providers`, with the seed-phrase gap rules; fails with the bridge's "not supported"
/// error when the app release cannot export new-path keys for `net`.
pub fn recover_new_paths<T: Transport>(
    ledger: &mut Ledger<T>,
    net: Net,
    identity_providers: &[u32],
    commitment_key: &CommitmentKey,
    lookup: &dyn AccountLookup,
    observer: &dyn ScanObserver,
) -> Result<LedgerRecovery, LedgerRecoveryError> {
    let tracker = Tracker::new(observer);
    let pairing_id = pairing_id(ledger)?;
    let mut identities = Vec::new();
    for &idp in identity_providers {
        let mut empty = 0u32;
        let mut index = 0u32;
        while empty < MAX_IDENTITY_GAP {
            tracker.check()?;
            let keys = ledger.export_identity_keys(&IdentityPath::New {
                net,
                idp,
                identity: index,
            })?;
            let hits = scan_credentials(
                &keys.prf_key,
                net,
                0,
                CredentialStop::Gap(MAX_ACCOUNT_GAP),
                commitment_key,
                lookup,
                &tracker,
            )?;
            tracker.identity_done()?;
            log::debug!(
                "Ledger provider {idp}, identity {index}: {} accounts",
                hits.len()
            );
            if hits.is_empty() {
                empty += 1;
            } else {
                empty = 0;
                identities.push(LedgerIdentity {
                    idp: Some(idp),
                    index,
                    keys: LedgerKeys::NewPaths,
                    id_cred_pub: hex(&id_cred_pub(&keys.id_cred_sec, commitment_key)?),
                    accounts: accounts_at(hits, |credential| AccountPath::New {
                        net,
                        idp,
                        identity: index,
                        credential,
                    }),
                });
            }
            index = next_index(index)?;
        }
        log::info!(
            "Ledger provider {idp}: identity scan stopped at index {index} after \
             {MAX_IDENTITY_GAP} empty indices in a row"
        );
    }
    log::info!(
        "Ledger recovery (new paths) found {} identities",
        identities.len()
    );
    Ok(LedgerRecovery {
        pairing_id,
        net,
        identities,
    })
}

/// The `ledger` field of a Ledger-backed account: the device, the key's path and the credential.
pub fn ledger_account_field(
    pairing_id: &str,
    path: &AccountPath,
    cred_id: &str,
) -> serde_json::Value {
    json!({ "pairingId": pairing_id, "path": path.to_display(), "credId": cred_id })
}

/// A Ledger recovery as wallet data: placeholder identities ("Recovered: Index n", their
/// idCredPub, no secrets) with Ledger-backed accounts, for the reviewed import.
pub fn ledger_wallet_data(recovery: &LedgerRecovery, environment: Environment) -> WalletData {
    let mut data = WalletData::empty(environment);
    for li in &recovery.identities {
        let accounts = li
            .accounts
            .iter()
            .map(|a| {
                ledger_backed_account(
                    recovered_account_name(li.index, a.credential),
                    a.address.to_base58(),
                    &recovery.pairing_id,
                    &a.path,
                    &a.cred_id.to_hex(),
                )
            })
            .collect();
        let mut extra = Map::new();
        extra.insert(
            "ledger".into(),
            json!({
                "pairingId": recovery.pairing_id,
                "identityIndex": li.index,
                "keys": match li.keys {
                    LedgerKeys::LegacyV1 => "desktop-v1",
                    LedgerKeys::LegacyV0 => "desktop-v0",
                    LedgerKeys::NewPaths => "new-paths",
                },
            }),
        );
        data.value.identities.push(Identity {
            name: recovered_identity_name(li.idp, li.index),
            next_account_number: Some(
                li.accounts
                    .last()
                    .map_or(0, |a| u64::from(a.credential) + 1),
            ),
            identity_provider: li.idp.map(|idp| json!({ "ipInfo": { "ipIdentity": idp } })),
            identity_object: Some(identity_object_with(&li.id_cred_pub)),
            private_id_object_data: SecretJson(json!({})),
            accounts,
            extra,
        });
    }
    data
}
