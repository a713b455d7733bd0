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
//!
//! The scans log (through the `log` crate) which identity indices they looked at, how many
//! accounts each had, where they stopped and why; each credential counter's answer at `trace`.
//! Never a key: only indices, counts and lookup errors (whose text holds no secret).

use thiserror::Error;

pub mod ledger;
pub mod wallet_data;
#[cfg(feature = "wallet-proxy")]
pub mod wallet_proxy;

use crate::keys::{
    credential_id_from_prf, AccountAddress, AccountPublic, CommitmentKey, ConcordiumHdWallet,
    CredentialId, DerivedAccount, IdentitySecrets, KeyError, Net, Secret32,
};

/// Concordium's wallet-proxy for mainnet.
pub const MAINNET_WALLET_PROXY: &str = "https://wallet-proxy.mainnet.concordium.software";

/// Concordium's wallet-proxy for testnet.
pub const TESTNET_WALLET_PROXY: &str = "https://wallet-proxy.testnet.concordium.com";

/// The wallet-proxy Concordium runs for a wallet's network (none for stagenet and local chains:
/// name one).
pub fn default_wallet_proxy(network: crate::model::Environment) -> Option<&'static str> {
    use crate::model::Environment;
    match network {
        Environment::Mainnet => Some(MAINNET_WALLET_PROXY),
        Environment::Testnet => Some(TESTNET_WALLET_PROXY),
        _ => None,
    }
}

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

/// How far a scan has come, for a progress bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanProgress {
    /// Identity indices looked at so far (over all providers).
    pub identities_scanned: u32,
    /// Credential counters looked up so far.
    pub credentials_scanned: u32,
    /// Accounts found so far.
    pub accounts_found: u32,
}

/// Watches a scan: gets its progress after every lookup and can cancel it.
pub trait ScanObserver {
    /// Called after every identity index and every credential lookup.
    fn progress(&self, _progress: &ScanProgress) {}
    /// True when the scan should stop; it then fails with [`LookupError::Cancelled`] and nothing
    /// is returned.
    fn cancelled(&self) -> bool {
        false
    }
}

/// An observer that neither shows progress nor cancels.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoScanObserver;

impl ScanObserver for NoScanObserver {}

/// Counts a scan's progress and checks for cancellation between lookups.
pub(crate) struct Tracker<'a> {
    observer: &'a dyn ScanObserver,
    progress: std::cell::Cell<ScanProgress>,
}

impl<'a> Tracker<'a> {
    pub(crate) fn new(observer: &'a dyn ScanObserver) -> Self {
        Self {
            observer,
            progress: std::cell::Cell::new(ScanProgress::default()),
        }
    }

    fn update(&self, f: impl FnOnce(&mut ScanProgress)) -> Result<(), LookupError> {
        let mut p = self.progress.get();
        f(&mut p);
        self.progress.set(p);
        self.observer.progress(&p);
        self.check()
    }

    /// Fails with [`LookupError::Cancelled`] when the observer asks to stop.
    pub(crate) fn check(&self) -> Result<(), LookupError> {
        if self.observer.cancelled() {
            log::info!("the scan was cancelled");
            Err(LookupError::Cancelled)
        } else {
            Ok(())
        }
    }

    pub(crate) fn identity_done(&self) -> Result<(), LookupError> {
        self.update(|p| p.identities_scanned += 1)
    }

    fn credential_done(&self, found: bool) -> Result<(), LookupError> {
        self.update(|p| {
            p.credentials_scanned += 1;
            p.accounts_found += u32::from(found);
        })
    }
}

/// When a scan of one identity's credential counters stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialStop {
    /// After this many consecutive counters without an account (seed-phrase wallets: 20).
    Gap(u32),
    /// After counters `first..count` (the Desktop Wallet's Ledger recovery: 25).
    Count(u8),
}

/// Looks up the credential ids of `prf_key` from counter `first` on and returns the counters that
/// have an account, with their credential ids. Shared by the seed-phrase and Ledger scans.
pub(crate) fn scan_credentials(
    prf_key: &Secret32,
    net: Net,
    first: u8,
    stop: CredentialStop,
    commitment_key: &CommitmentKey,
    lookup: &dyn AccountLookup,
    tracker: &Tracker<'_>,
) -> Result<Vec<(u8, CredentialId)>, RecoveryError> {
    let mut found = Vec::new();
    let mut misses = 0u32;
    let last = match stop {
        CredentialStop::Gap(_) => u8::MAX,
        CredentialStop::Count(0) => return Ok(found),
        CredentialStop::Count(n) => n - 1,
    };
    for credential in first..=last {
        if matches!(stop, CredentialStop::Gap(gap) if misses >= gap) {
            log::debug!(
                "credential scan stopped before counter {credential}: {misses} counters in a row \
                 without an account"
            );
            break;
        }
        tracker.check()?;
        let cred_id = match credential_id_from_prf(prf_key, credential, commitment_key) {
            Ok(id) => id,
            // This counter has no credential (probability ~2^-247); wallets skip it.
            Err(KeyError::NoCredentialForCounter { .. }) => {
                log::debug!("credential counter {credential} has no credential; skipped");
                misses += 1;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let address = cred_id.account_address();
        let exists = lookup
            .account_exists(net, &cred_id, &address)
            .inspect_err(|e| {
                log::warn!("the lookup of credential counter {credential} failed: {e}")
            })?;
        log::trace!("credential counter {credential}: account {exists}");
        tracker.credential_done(exists)?;
        if exists {
            found.push((credential, cred_id));
            misses = 0;
        } else {
            misses += 1;
        }
    }
    log::debug!(
        "credential counters from {first} scanned: {} with an account",
        found.len()
    );
    Ok(found)
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
    restore_with(
        wallet,
        identity_providers,
        commitment_key,
        accounts,
        identities,
        &NoScanObserver,
    )
}

/// [`restore`] with progress and cancellation: `observer` sees every lookup and can stop the scan
/// (which then returns [`LookupError::Cancelled`] and nothing else).
pub fn restore_with(
    wallet: &ConcordiumHdWallet,
    identity_providers: &[u32],
    commitment_key: &CommitmentKey,
    accounts: &dyn AccountLookup,
    identities: Option<&dyn IdentityLookup>,
    observer: &dyn ScanObserver,
) -> Result<RestoredWallet, RecoveryError> {
    let tracker = Tracker::new(observer);
    let mut found = Vec::new();
    for &idp in identity_providers {
        let mut empty_in_a_row = 0u32;
        let mut index = 0u32;
        while empty_in_a_row < MAX_IDENTITY_GAP {
            let secrets = wallet.identity(idp, index)?;
            let confirmed = match identities {
                Some(lookup) => lookup.identity_exists(&secrets).inspect_err(|e| {
                    log::warn!("the identity lookup of provider {idp}, index {index} failed: {e}")
                })?,
                None => false,
            };
            let scan_accounts = identities.is_none() || confirmed;
            let restored_accounts = if scan_accounts {
                scan_identity_accounts(wallet, &secrets, 0, commitment_key, accounts, &tracker)?
            } else {
                Vec::new()
            };
            log::debug!(
                "provider {idp}, identity {index}: {} accounts{}",
                restored_accounts.len(),
                if confirmed {
                    ", confirmed by the provider"
                } else {
                    ""
                }
            );
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
            tracker.identity_done()?;
            // Indices must stay below 2^31 (hardened derivation); derivation reports it if not.
            index = index
                .checked_add(1)
                .ok_or(KeyError::IndexTooLarge { index })?;
        }
        log::info!(
            "provider {idp}: identity scan stopped at index {index} after {MAX_IDENTITY_GAP} \
             empty indices in a row"
        );
    }
    let restored = RestoredWallet {
        net: wallet.net(),
        identities: found,
    };
    log::info!(
        "restore found {} identities with {} accounts",
        restored.identities.len(),
        restored.account_count()
    );
    Ok(restored)
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
    let tracker = Tracker::new(&NoScanObserver);
    scan_identity_accounts(
        wallet,
        &secrets,
        first_credential,
        commitment_key,
        accounts,
        &tracker,
    )
}

fn scan_identity_accounts(
    wallet: &ConcordiumHdWallet,
    secrets: &IdentitySecrets,
    first_credential: u8,
    commitment_key: &CommitmentKey,
    lookup: &dyn AccountLookup,
    tracker: &Tracker<'_>,
) -> Result<Vec<DerivedAccount>, RecoveryError> {
    // Probe with the public values only; derive the secrets for hits.
    scan_credentials(
        &secrets.prf_key,
        wallet.net(),
        first_credential,
        CredentialStop::Gap(MAX_ACCOUNT_GAP),
        commitment_key,
        lookup,
        tracker,
    )?
    .into_iter()
    .map(|(credential, _)| {
        wallet
            .account_with_prf(
                &secrets.prf_key,
                secrets.idp,
                secrets.identity,
                credential,
                commitment_key,
            )
            .map_err(RecoveryError::from)
    })
    .collect()
}
