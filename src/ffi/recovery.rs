//! Recovery phrases, key derivation and the restore scan, for the bindings.
//!
//! Phrases, partial words and seeds cross as bytes the platform can wipe; the seed stays inside a
//! [`KeyDeriver`] object so that secrets leave Rust only when explicitly asked for.

use std::sync::Arc;

use zeroize::{Zeroize, Zeroizing};

use super::WalletError;
use crate::keys::{
    AccountAddress, AccountPublic, CommitmentKey, ConcordiumHdWallet, CredentialId, KeyError, Net,
    Seed,
};
use crate::phrase::{self, PhraseError};
use crate::recovery::{self, AccountLookup, LookupError, RecoveryError};

impl From<PhraseError> for WalletError {
    fn from(e: PhraseError) -> Self {
        let m = e.to_string();
        match e {
            PhraseError::SeedLength { .. } | PhraseError::SeedNotHex => Self::InvalidSeed(m),
            PhraseError::Randomness => Self::Randomness(m),
            _ => Self::InvalidPhrase(m),
        }
    }
}

impl From<KeyError> for WalletError {
    fn from(e: KeyError) -> Self {
        match e {
            KeyError::SeedLength { .. } => Self::InvalidSeed(e.to_string()),
            _ => Self::KeyDerivation(e.to_string()),
        }
    }
}

impl From<RecoveryError> for WalletError {
    fn from(e: RecoveryError) -> Self {
        match e {
            RecoveryError::Lookup(LookupError::Cancelled) => {
                Self::Cancelled(crate::BackupError::Cancelled.to_string())
            }
            RecoveryError::Lookup(l) => Self::LookupFailed(l.to_string()),
            RecoveryError::Key(k) => k.into(),
        }
    }
}

/// Reads UTF-8 text from FFI bytes and wipes them.
pub(super) fn take_text(mut bytes: Vec<u8>) -> Result<Zeroizing<String>, WalletError> {
    let text = match std::str::from_utf8(&bytes) {
        Ok(s) => Ok(Zeroizing::new(s.to_owned())),
        Err(_) => Err(WalletError::InvalidPhrase(
            "The recovery phrase is not valid text (it must be UTF-8).".into(),
        )),
    };
    bytes.zeroize();
    text
}

/// A Concordium network for key derivation (stagenet derives as testnet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Network {
    /// Mainnet (coin type 919).
    Mainnet,
    /// Testnet and stagenet (coin type 1).
    Testnet,
}

impl From<Network> for Net {
    fn from(n: Network) -> Self {
        match n {
            Network::Mainnet => Net::Mainnet,
            Network::Testnet => Net::Testnet,
        }
    }
}

impl From<Net> for Network {
    fn from(n: Net) -> Self {
        match n {
            Net::Mainnet => Network::Mainnet,
            Net::Testnet => Network::Testnet,
        }
    }
}

/// Generates a new 24-word English recovery phrase from the OS's secure random source, as UTF-8
/// bytes (words separated by single spaces). Wipe the bytes after showing them.
#[uniffi::export]
pub fn generate_recovery_phrase() -> Result<Vec<u8>, WalletError> {
    let p = phrase::generate()?;
    Ok(p.to_zeroizing_string().as_bytes().to_vec())
}

/// What [`check_recovery_phrase`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PhraseStatus {
    /// A valid phrase (see `is_24_words` for the wallet's 24-word rule).
    Valid,
    /// Nothing was typed.
    Empty,
    /// Some words are not in the word list (see `unknown_words`).
    UnknownWords,
    /// All words are in the list, but there are not 12, 15, 18, 21 or 24 of them.
    WrongWordCount,
    /// All words are in the list and the count is right, but the checksum does not match: a word
    /// is wrong or two are swapped.
    BadChecksum,
}

/// A word that is not in the list, with what the person may have meant.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct UnknownWordHint {
    /// The word's position, counting from 1 (for messages: "word 7").
    pub position: u32,
    /// List words it may have been, best first (may be empty).
    pub suggestions: Vec<String>,
}

impl std::fmt::Debug for UnknownWordHint {
    // The suggestions hint at a secret word, so they stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "UnknownWordHint {{ position: {}, suggestions: {} (redacted) }}",
            self.position,
            self.suggestions.len()
        )
    }
}

/// The result of checking a typed phrase, ready to show next to the right word.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PhraseCheckResult {
    /// The verdict.
    pub status: PhraseStatus,
    /// How many words were typed.
    pub word_count: u32,
    /// True when the phrase is valid and has 24 words (what Concordium wallets create).
    pub is_24_words: bool,
    /// The unknown words, in order (empty unless `status` is `UnknownWords`).
    pub unknown_words: Vec<UnknownWordHint>,
    /// A sentence describing the problem, `null` when valid.
    pub message: Option<String>,
}

/// Checks a phrase as a person types it: whitespace, case and Unicode form are normalised. The
/// bytes are wiped.
#[uniffi::export]
pub fn check_recovery_phrase(phrase: Vec<u8>) -> Result<PhraseCheckResult, WalletError> {
    let text = take_text(phrase)?;
    Ok(phrase::PhraseVerdict::from(phrase::check(&text)).into())
}

impl From<phrase::PhraseStatus> for PhraseStatus {
    fn from(s: phrase::PhraseStatus) -> Self {
        use phrase::PhraseStatus as S;
        match s {
            S::Valid => Self::Valid,
            S::Empty => Self::Empty,
            S::UnknownWords => Self::UnknownWords,
            S::WrongWordCount => Self::WrongWordCount,
            S::BadChecksum => Self::BadChecksum,
        }
    }
}

impl From<phrase::PhraseVerdict> for PhraseCheckResult {
    fn from(v: phrase::PhraseVerdict) -> Self {
        Self {
            status: v.status.into(),
            word_count: v.word_count as u32,
            is_24_words: v.is_24_words,
            unknown_words: v
                .unknown_words
                .into_iter()
                .map(|u| UnknownWordHint {
                    position: u.position as u32,
                    suggestions: u.suggestions.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
            message: v.message,
        }
    }
}

/// List words for a partly typed or mistyped word (prefix matches first, then close spellings).
/// The bytes are wiped.
#[uniffi::export]
pub fn suggest_phrase_words(partial: Vec<u8>) -> Result<Vec<String>, WalletError> {
    let text = take_text(partial)?;
    Ok(phrase::suggest_words(&text)
        .into_iter()
        .map(str::to_string)
        .collect())
}

/// The 64-byte BIP39 seed of a valid phrase (empty passphrase, as Concordium wallets use).
/// The phrase bytes are wiped; wipe the returned seed after use.
#[uniffi::export]
pub fn seed_from_recovery_phrase(phrase: Vec<u8>) -> Result<Vec<u8>, WalletError> {
    let text = take_text(phrase)?;
    let p = phrase::check(&text).into_result()?;
    Ok(p.to_seed("").as_bytes().to_vec())
}

/// A 64-byte seed given as 128 hex characters (as CryptoX accepts). The bytes are wiped.
#[uniffi::export]
pub fn seed_from_hex(hex: Vec<u8>) -> Result<Vec<u8>, WalletError> {
    let text = take_text(hex)
        .map_err(|_| WalletError::InvalidSeed(PhraseError::SeedNotHex.to_string()))?;
    Ok(phrase::seed_from_hex(&text)?.as_bytes().to_vec())
}

/// The public values of one derived account.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DerivedAccountInfo {
    /// The network.
    pub network: Network,
    /// The identity provider's `ipIdentity`.
    pub idp: u32,
    /// The identity index.
    pub identity: u32,
    /// The credential counter.
    pub credential: u8,
    /// The ed25519 public key, hex.
    pub public_key_hex: String,
    /// The credential registration id (48-byte compressed G1 point), hex.
    pub credential_id_hex: String,
    /// The account address (Base58Check).
    pub address: String,
}

impl From<&AccountPublic> for DerivedAccountInfo {
    fn from(p: &AccountPublic) -> Self {
        Self {
            network: p.net.into(),
            idp: p.idp,
            identity: p.identity,
            credential: p.credential,
            public_key_hex: p.public_key.iter().map(|b| format!("{b:02x}")).collect(),
            credential_id_hex: p.cred_id.to_hex(),
            address: p.address.to_base58(),
        }
    }
}

/// The secrets of one account, as bytes the caller must wipe.
#[derive(uniffi::Record)]
pub struct AccountSecretsBytes {
    /// The ed25519 signing key (32 bytes).
    pub signing_key: Vec<u8>,
    /// The shielded-balance key as legacy backups store it: g (48 bytes) ‖ scalar (32 bytes).
    pub encryption_secret_key: Vec<u8>,
}

/// The secrets of one identity, as bytes the caller must wipe.
#[derive(uniffi::Record)]
pub struct IdentitySecretsBytes {
    /// idCredSec (32-byte big-endian BLS12-381 scalar).
    pub id_cred_sec: Vec<u8>,
    /// The PRF key.
    pub prf_key: Vec<u8>,
    /// The signature blinding randomness.
    pub blinding_randomness: Vec<u8>,
}

/// An identity found by a restore, with the public values of its accounts.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RestoredIdentityInfo {
    /// The identity provider's `ipIdentity`.
    pub idp: u32,
    /// The identity index.
    pub identity: u32,
    /// The accounts found, by credential counter.
    pub accounts: Vec<DerivedAccountInfo>,
    /// The next unused credential counter (`nextAccountNumber`).
    pub next_credential: u32,
}

/// The platform's answer to "does this account exist?".
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum LookupAnswer {
    /// The account exists on chain.
    Exists,
    /// No such account.
    Missing,
    /// The lookup failed (network, server); the restore stops and can be repeated.
    Failed {
        /// Why, for the user (no secrets).
        reason: String,
    },
    /// The user cancelled the restore.
    Cancelled,
}

/// Implemented by the app: asks a node (`GetAccountInfo` by credential id) or the wallet proxy
/// (`accBalance` by address) whether an account exists. Called on the restoring thread.
#[uniffi::export(foreign)]
pub trait AccountDirectory: Send + Sync {
    /// Whether an account with this credential id / first-credential address exists.
    fn account_exists(
        &self,
        network: Network,
        credential_id_hex: String,
        address: String,
    ) -> LookupAnswer;
}

pub(super) struct DirectoryAdapter(pub(super) Arc<dyn AccountDirectory>);

impl AccountLookup for DirectoryAdapter {
    fn account_exists(
        &self,
        net: Net,
        cred_id: &CredentialId,
        address: &AccountAddress,
    ) -> Result<bool, LookupError> {
        match self
            .0
            .account_exists(net.into(), cred_id.to_hex(), address.to_base58())
        {
            LookupAnswer::Exists => Ok(true),
            LookupAnswer::Missing => Ok(false),
            LookupAnswer::Failed { reason } => Err(LookupError::Failed(reason)),
            LookupAnswer::Cancelled => Err(LookupError::Cancelled),
        }
    }
}

fn commitment_key(hex: Option<String>) -> Result<CommitmentKey, WalletError> {
    Ok(match hex {
        Some(h) => CommitmentKey::from_hex(&h)?,
        None => CommitmentKey::global(),
    })
}

/// Derives Concordium keys from a seed that stays inside this object (wiped when it is closed).
#[derive(uniffi::Object)]
pub struct KeyDeriver(ConcordiumHdWallet);

#[uniffi::export]
impl KeyDeriver {
    /// A deriver for a 64-byte seed (from [`seed_from_recovery_phrase`] or [`seed_from_hex`]) on a
    /// network. The seed bytes are wiped.
    #[uniffi::constructor]
    pub fn new(mut seed: Vec<u8>, network: Network) -> Result<Arc<Self>, WalletError> {
        let arr: Result<[u8; 64], _> = seed[..].try_into();
        let len = seed.len();
        seed.zeroize();
        let mut arr = arr.map_err(|_| WalletError::from(KeyError::SeedLength { len }))?;
        let wallet = ConcordiumHdWallet::new(Seed::new(arr), network.into());
        arr.zeroize();
        Ok(Arc::new(Self(wallet)))
    }

    /// The public values of account `credential` of identity `identity` at provider `idp`.
    /// `commitment_key_hex` is the chain's 96-byte commitment key; `null` uses the published
    /// global one.
    pub fn account(
        &self,
        idp: u32,
        identity: u32,
        credential: u8,
        commitment_key_hex: Option<String>,
    ) -> Result<DerivedAccountInfo, WalletError> {
        let key = commitment_key(commitment_key_hex)?;
        let account = self.0.account(idp, identity, credential, &key)?;
        Ok((&account.public).into())
    }

    /// The secrets of that account. Wipe the bytes after use.
    pub fn account_secrets(
        &self,
        idp: u32,
        identity: u32,
        credential: u8,
        commitment_key_hex: Option<String>,
    ) -> Result<AccountSecretsBytes, WalletError> {
        let key = commitment_key(commitment_key_hex)?;
        let a = self.0.account(idp, identity, credential, &key)?;
        Ok(AccountSecretsBytes {
            signing_key: a.signing_key.as_bytes().to_vec(),
            encryption_secret_key: a.encryption_secret_key.as_bytes().to_vec(),
        })
    }

    /// The identity's secrets (idCredSec, PRF key, blinding randomness). Wipe after use.
    pub fn identity_secrets(
        &self,
        idp: u32,
        identity: u32,
    ) -> Result<IdentitySecretsBytes, WalletError> {
        let s = self.0.identity(idp, identity)?;
        Ok(IdentitySecretsBytes {
            id_cred_sec: s.id_cred_sec.as_bytes().to_vec(),
            prf_key: s.prf_key.as_bytes().to_vec(),
            blinding_randomness: s.blinding_randomness.as_bytes().to_vec(),
        })
    }

    /// The commitment randomness of attribute `attribute_tag` of account `credential`. Wipe
    /// after use.
    pub fn attribute_commitment_randomness(
        &self,
        idp: u32,
        identity: u32,
        credential: u8,
        attribute_tag: u8,
    ) -> Result<Vec<u8>, WalletError> {
        Ok(self
            .0
            .attribute_commitment_randomness(idp, identity, credential, attribute_tag)?
            .as_bytes()
            .to_vec())
    }

    /// The key that encrypts the browser wallet's verifiable-credential backup. Wipe after use.
    pub fn vc_backup_encryption_key(&self) -> Result<Vec<u8>, WalletError> {
        Ok(self.0.vc_backup_encryption_key()?.as_bytes().to_vec())
    }

    /// Restores accounts: for each provider in `identity_providers`, identity indices 0, 1, …
    /// and credential counters 0, 1, … are derived and looked up through `directory`; each scan
    /// stops after 20 consecutive misses, as Concordium's wallets do. Returns the identities
    /// that have accounts.
    pub fn restore(
        &self,
        identity_providers: Vec<u32>,
        directory: Arc<dyn AccountDirectory>,
        commitment_key_hex: Option<String>,
    ) -> Result<Vec<RestoredIdentityInfo>, WalletError> {
        let key = commitment_key(commitment_key_hex)?;
        let restored = recovery::restore(
            &self.0,
            &identity_providers,
            &key,
            &DirectoryAdapter(directory),
            None,
        )?;
        Ok(restored
            .identities
            .iter()
            .map(|i| RestoredIdentityInfo {
                idp: i.idp(),
                identity: i.index(),
                accounts: i.accounts.iter().map(|a| (&a.public).into()).collect(),
                next_credential: i.next_credential(),
            })
            .collect())
    }
}
