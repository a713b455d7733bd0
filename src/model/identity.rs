//! Identities and their accounts, as the wallet data holds them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{SecretJson, SecretString};

/// One identity issued by an identity provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// The nickname the user gave it.
    pub name: String,
    /// The next credential counter to use for a new account.
    #[serde(
        rename = "nextAccountNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_account_number: Option<u64>,
    /// `{ipInfo, arsInfos, metadata}` of the identity provider, as issued.
    #[serde(
        rename = "identityProvider",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub identity_provider: Option<Value>,
    /// The identity object (v0, unversioned inner value), as issued.
    #[serde(
        rename = "identityObject",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub identity_object: Option<Value>,
    /// The identity's secrets: idCredSec, PRF key and signature randomness.
    #[serde(rename = "privateIdObjectData")]
    pub private_id_object_data: SecretJson,
    /// The accounts created from this identity.
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// Fields this library does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Identity {
    /// The identity's public id credential (`identityObject.preIdentityObject.pubInfoForIp.idCredPub`),
    /// which Concordium's wallets use to recognise the same identity.
    pub fn id_cred_pub(&self) -> Option<&str> {
        self.identity_object
            .as_ref()?
            .pointer("/preIdentityObject/pubInfoForIp/idCredPub")?
            .as_str()
    }

    /// The identity provider's `ipIdentity`.
    pub fn provider_id(&self) -> Option<u64> {
        self.identity_provider
            .as_ref()?
            .pointer("/ipInfo/ipIdentity")?
            .as_u64()
    }

    /// The identity provider's display name.
    pub fn provider_name(&self) -> Option<&str> {
        self.identity_provider
            .as_ref()?
            .pointer("/ipInfo/ipDescription/name")?
            .as_str()
    }
}

/// One account (with its keys) of an identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// The account's name in the wallet.
    pub name: String,
    /// The Base58Check account address.
    pub address: String,
    /// The credential deployment's submission hash (empty for initial accounts).
    #[serde(
        rename = "submissionId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub submission_id: Option<String>,
    /// `{keys: {credIndex: {keys: {keyIndex: {signKey, verifyKey}}, threshold}}, threshold}`.
    #[serde(rename = "accountKeys")]
    pub account_keys: SecretJson,
    /// The credential's commitment randomness (absent before Sep 2021 and in CryptoX files).
    #[serde(
        rename = "commitmentsRandomness",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub commitments_randomness: Option<SecretJson>,
    /// Attributes revealed on chain, by attribute tag.
    #[serde(
        rename = "revealedAttributes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub revealed_attributes: Option<Map<String, Value>>,
    /// The versioned credential as deployed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<Value>,
    /// The shielded-balance (ElGamal) secret key, hex.
    #[serde(rename = "encryptionSecretKey")]
    pub encryption_secret_key: SecretString,
    /// Fields this library does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
