//! Restoring a seed-phrase wallet without a backup file: find the identities and accounts a seed
//! has on chain, as Concordium's wallets do (docs/references.md §A.7.3).
//!
//! For each identity provider, identity indices 0, 1, 2, … are tried; for each identity,
//! credential counters 0, 1, 2, … are turned into credential ids and addresses and looked up.
//! A scan stops after [`MAX_ACCOUNT_GAP`] (20) consecutive misses among an identity's credential
//! counters, and after [`MAX_IDENTITY_GAP`] (20) consecutive empty identity indices of a provider
//! (Concordium's `ACCOUNT_GAP_MAX` / `IDENTITY_GAP_MAX`, the browser wallet's `maxEmpty`).
//!
//! The platform does the network work through [`AccountLookup`] (node `GetAccountInfo` by
//! credential id, or wallet-proxy `accBalance` by address) and, optionally, [`IdentityLookup`]
//! (the identity provider's recovery endpoint). Without an identity lookup, an identity index
//! counts as used when it has at least one account, and every index's accounts are scanned.
//! With one, only identities the provider confirms are scanned for accounts (Concordium's flow),
//! and a confirmed identity is kept even if it has no account yet.
//!
//! The result holds the derived secrets (wiped on drop, redacted in `Debug`) next to public values
//! that can be shown without them ([`RestoredWallet::public_accounts`]).

use thiserror::Error;

use crate::keys::{
    credential_id_from_prf, AccountAddress, AccountPublic, CommitmentKey, ConcordiumHdWallet,
    CredentialId, DerivedAccount, IdentitySecrets, KeyError, Net,
};

/// Consecutive unused credential counters after which an identity's account scan stops.
pub const MAX_ACCOUNT_GAP: u32 = 20;

/// Consecutive empty identity indices after which a provider's identity scan stops.
pub const MAX_IDENTITY_GAP: u32 = 20;

/// Why a lookup did not give an answer. Implementations choose the text; it must not contain
/// secrets.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// The lookup failed (network, server, parse error).
    #[error("The lookup failed: {0}.")]
    Failed(String),
    /// The user cancelled the restore.
    #[error("The restore was cancelled.")]
    Cancelled,
}

/// What can go wrong during a restore.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum RecoveryError {
    /// A lookup failed or was cancelled; nothing partial is returned, so the restore can be
    /// repeated.
    #[error(transparent)]
    Lookup(#[from] LookupError),
    /// Key derivation failed (a bad index or commitment key).
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// Asks the chain whether an account exists. Implemented by the platform.
pub trait AccountLookup {
    /// True when an account with this credential exists on `net`. Both the credential id (for a
    /// node's `GetAccountInfo`) and the address it gives as an account's first credential (for
    /// wallet-proxy `accBalance`) are passed; use either. A credential deployed onto another,
    /// existing account is found by credential id only, and is reported under the derived address.
    fn account_exists(
        &self,
        net: Net,
        cred_id: &CredentialId,
        address: &AccountAddress,
    ) -> Result<bool, LookupError>;
}

/// Asks an identity provider whether it issued an identity to these keys. Implemented by the
/// platform (through the provider's `recoveryStart` endpoint, which needs a recovery request
/// built from `identity.id_cred_sec`).
pub trait IdentityLookup {
    /// True when provider `identity.idp` knows identity index `identity.identity`.
    fn identity_exists(&self, identity: &IdentitySecrets) -> Result<bool, LookupError>;
}

/// One identity found by a restore, with its accounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoredIdentity {
    /// The identity's secrets (its provider and index are in there too).
    pub secrets: IdentitySecrets,
    /// True when the [`IdentityLookup`] confirmed it; false when it was found through accounts.
    pub confirmed_by_provider: bool,
    /// Its accounts, by increasing credential counter.
    pub accounts: Vec<DerivedAccount>,
}

impl RestoredIdentity {
    /// The identity provider's `ipIdentity`.
    pub fn idp(&self) -> u32 {
        self.secrets.idp
    }

    /// The identity index.
    pub fn index(&self) -> u32 {
        self.secrets.identity
    }

    /// The next unused credential counter (one past the highest account found; 0 when none),
    /// what a backup calls `nextAccountNumber`.
    pub fn next_credential(&self) -> u32 {
        self.accounts
            .last()
            .map_or(0, |a| u32::from(a.public.credential) + 1)
    }
}

/// What a restore found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoredWallet {
    /// The network.
    pub net: Net,
    /// The identities found, by provider (in the order given) and then by index.
    pub identities: Vec<RestoredIdentity>,
}

impl RestoredWallet {
    /// The public values of every account found, without secrets.
    pub fn public_accounts(&self) -> Vec<AccountPublic> {
        self.identities
            .iter()
            .flat_map(|i| i.accounts.iter().map(|a| a.public.clone()))
            .collect()
    }

    /// The number of accounts found.
    pub fn account_count(&self) -> usize {
        self.identities.iter().map(|i| i.accounts.len()).sum()
    }
}

/// Restores the identities and accounts of `wallet`'s seed under each provider in
/// `identity_providers` (their `ipIdentity` values).
///
/// Without an `identities` lookup this makes, per provider, at least
/// `MAX_IDENTITY_GAP × MAX_ACCOUNT_GAP` = 400 account lookups; with one, 20 identity lookups plus
/// the account lookups of the identities found.
pub fn restore(
    wallet: &ConcordiumHdWallet,
    identity_providers: &[u32],
    commitment_key: &CommitmentKey,
    accounts: &dyn AccountLookup,
    identities: Option<&dyn IdentityLookup>,
) -> Result<RestoredWallet, RecoveryError> {
    let mut found = Vec::new();
    for &idp in identity_providers {
        let mut empty_in_a_row = 0u32;
        let mut index = 0u32;
        while empty_in_a_row < MAX_IDENTITY_GAP {
            let secrets = wallet.identity(idp, index)?;
            let confirmed = match identities {
                Some(lookup) => lookup.identity_exists(&secrets)?,
                None => false,
            };
            let scan_accounts = identities.is_none() || confirmed;
            let restored_accounts = if scan_accounts {
                scan_identity_accounts(wallet, &secrets, 0, commitment_key, accounts)?
            } else {
                Vec::new()
            };
            if confirmed || !restored_accounts.is_empty() {
                found.push(RestoredIdentity {
                    secrets,
                    confirmed_by_provider: confirmed,
                    accounts: restored_accounts,
                });
                empty_in_a_row = 0;
            } else {
                empty_in_a_row += 1;
            }
            // Indices must stay below 2^31 (hardened derivation); derivation reports it if not.
            index = index
                .checked_add(1)
                .ok_or(KeyError::IndexTooLarge { index })?;
        }
    }
    Ok(RestoredWallet {
        net: wallet.net(),
        identities: found,
    })
}

/// Scans the accounts of one identity, from credential counter `first_credential` on, until
/// [`MAX_ACCOUNT_GAP`] consecutive counters have no account (or the counters, which are one byte,
/// run out). Use it to look for accounts of a known identity again.
pub fn scan_accounts(
    wallet: &ConcordiumHdWallet,
    idp: u32,
    identity: u32,
    first_credential: u8,
    commitment_key: &CommitmentKey,
    accounts: &dyn AccountLookup,
) -> Result<Vec<DerivedAccount>, RecoveryError> {
    let secrets = wallet.identity(idp, identity)?;
    scan_identity_accounts(wallet, &secrets, first_credential, commitment_key, accounts)
}

fn scan_identity_accounts(
    wallet: &ConcordiumHdWallet,
    secrets: &IdentitySecrets,
    first_credential: u8,
    commitment_key: &CommitmentKey,
    lookup: &dyn AccountLookup,
) -> Result<Vec<DerivedAccount>, RecoveryError> {
    let mut found = Vec::new();
    let mut misses = 0u32;
    for credential in first_credential..=u8::MAX {
        if misses >= MAX_ACCOUNT_GAP {
            break;
        }
        // Probe with the public values only; derive the secrets for hits.
        let cred_id = match credential_id_from_prf(&secrets.prf_key, credential, commitment_key) {
            Ok(id) => id,
            // This counter has no credential (probability ~2^-247); wallets skip it.
            Err(KeyError::NoCredentialForCounter { .. }) => {
                misses += 1;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let address = cred_id.account_address();
        if lookup.account_exists(wallet.net(), &cred_id, &address)? {
            found.push(wallet.account_with_prf(
                &secrets.prf_key,
                secrets.idp,
                secrets.identity,
                credential,
                commitment_key,
            )?);
            misses = 0;
        } else {
            misses += 1;
        }
    }
    Ok(found)
}
