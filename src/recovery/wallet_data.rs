//! What a restore found, as wallet data in Concordium's mobile schema, so that it goes into the
//! store through the same reviewed import as a backup ([`crate::store::import`]): preview, then one
//! transaction; running it again adds nothing, because the data is derived deterministically.
//!
//! Restored identities have no identity object from their provider (the provider's recovery
//! endpoint is the app's business); they carry what identifies them, `idCredPub = g^idCredSec`,
//! in `identityObject.preIdentityObject.pubInfoForIp.idCredPub`, so that importing a backup of the
//! same identity later finds it, and the provider's `ipIdentity` in
//! `identityProvider.ipInfo.ipIdentity`.

use serde_json::{json, Map, Value};

use super::{restore_with, AccountLookup, RecoveryError, RestoredWallet, ScanObserver};
use crate::keys::{id_cred_pub, CommitmentKey, ConcordiumHdWallet, KeyError, Seed};
use crate::model::{Account, Identity, SecretJson, SecretString, WalletData};
use crate::network::Network;

/// The name a restored identity gets (the Desktop Wallet's wording for recovered identities).
pub fn recovered_identity_name(idp: Option<u32>, index: u32) -> String {
    match idp {
        Some(idp) => format!("Recovered: Provider {idp}, Index {index}"),
        None => format!("Recovered: Index {index}"),
    }
}

/// The name a restored account gets: its identity index and credential counter.
pub fn recovered_account_name(identity: u32, credential: u8) -> String {
    format!("Account {identity}.{credential}")
}

/// The partial identity object of a restored identity: only its idCredPub.
pub fn identity_object_with(id_cred_pub_hex: &str) -> Value {
    json!({ "preIdentityObject": { "pubInfoForIp": { "idCredPub": id_cred_pub_hex } } })
}

/// The wallet data of a seed-phrase restore: identities with their secrets (idCredSec, PRF key,
/// blinding randomness), accounts with their signing and shielded-balance keys. Everything secret
/// sits in [`SecretJson`]/[`SecretString`], wiped on drop, and is sealed by the store.
pub fn phrase_wallet_data(
    restored: &RestoredWallet,
    environment: Network,
    commitment_key: &CommitmentKey,
) -> Result<WalletData, KeyError> {
    let mut data = WalletData::empty(environment);
    for ri in &restored.identities {
        let s = &ri.secrets;
        let icp = hex(&id_cred_pub(&s.id_cred_sec, commitment_key)?);
        let private = SecretJson(json!({
            "aci": { "credentialHolderInformation": {
                "idCredSecret": s.id_cred_sec.to_hex().as_str() } },
            "prfKey": s.prf_key.to_hex().as_str(),
            "randomness": s.blinding_randomness.to_hex().as_str(),
        }));
        let accounts = ri
            .accounts
            .iter()
            .map(|a| {
                let p = &a.public;
                Account {
                    name: recovered_account_name(p.identity, p.credential),
                    address: p.address.to_base58(),
                    submission_id: None,
                    account_keys: SecretJson(json!({
                        "keys": { "0": {
                            "keys": { "0": {
                                "signKey": a.signing_key.to_hex().as_str(),
                                "verifyKey": hex(&p.public_key),
                            } },
                            "threshold": 1,
                        } },
                        "threshold": 1,
                    })),
                    commitments_randomness: None,
                    revealed_attributes: None,
                    credential: None,
                    encryption_secret_key: SecretString(
                        a.encryption_secret_key.to_hex().as_str().to_string(),
                    ),
                    extra: Map::new(),
                }
            })
            .collect();
        data.value.identities.push(Identity {
            name: recovered_identity_name(Some(ri.idp()), ri.index()),
            next_account_number: Some(u64::from(ri.next_credential())),
            identity_provider: Some(json!({ "ipInfo": { "ipIdentity": ri.idp() } })),
            identity_object: Some(identity_object_with(&icp)),
            private_id_object_data: private,
            accounts,
            extra: Map::new(),
        });
    }
    Ok(data)
}

/// A whole seed-phrase restore for a wallet on `environment`: the scan ([`restore_with`], global
/// commitment key, no identity lookup) under each provider in `identity_providers`, then
/// [`phrase_wallet_data`]. The result goes into the store through the reviewed import. A failed or
/// cancelled lookup returns the error and no data.
pub fn restore_phrase_wallet(
    seed: Seed,
    environment: Network,
    identity_providers: &[u32],
    lookup: &dyn AccountLookup,
    observer: &dyn ScanObserver,
) -> Result<WalletData, RecoveryError> {
    let wallet = ConcordiumHdWallet::new(seed, environment);
    let commitment_key = CommitmentKey::global();
    let restored = restore_with(
        &wallet,
        identity_providers,
        &commitment_key,
        lookup,
        None,
        observer,
    )?;
    Ok(phrase_wallet_data(&restored, environment, &commitment_key)?)
}

/// Lower-case hex of public bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
