//! Concordium's key derivation paths and [`ConcordiumHdWallet`], as in concordium-base's
//! `key_derivation` and `wallet_library`; the public values derived from them are in
//! [`super::credential`] (credential ids) and [`super::address`] (account addresses).
//!
//! Paths (all hardened; `coin` is 919 on Mainnet and 1 on every
//! other network, [`Network::coin_type`]):
//!
//! | What | Path |
//! |---|---|
//! | account signing key | `m/44'/coin'/idp'/identity'/0'/credential'` |
//! | idCredSec | `m/44'/coin'/idp'/identity'/2'` then `keygen_bls` |
//! | PRF key | `m/44'/coin'/idp'/identity'/3'` then `keygen_bls` |
//! | signature blinding randomness | `m/44'/coin'/idp'/identity'/4'` then `keygen_bls` |
//! | attribute commitment randomness | `m/44'/coin'/idp'/identity'/5'/credential'/attribute'` then `keygen_bls` |
//! | verifiable-credential signing key | `m/1958950021'/coin'/0'/i1'/i2'/i3'/i4'/s1'/s2'/s3'/s4'/vc'/0'` |
//! | verifiable-credential backup key | `m/1958950021'/coin'/1'` |
//!
//! where `i1…i4` and `s1…s4` are the issuer contract's index and subindex, each split into four
//! big-endian 16-bit chunks.

use zeroize::Zeroize;

use super::address::AccountAddress;
use super::bls::{g1_mul_compressed, keygen_bls, prf_exponent};
use super::credential::{credential_id_from_prf, CommitmentKey, CredentialId};
use super::slip10::{ed25519_public_key, ExtendedKey};
use super::{KeyError, Secret32, SecretBytes, Seed};
use crate::network::Network;

/// BIP44's purpose for account and identity keys.
const PURPOSE_ACCOUNTS: u32 = 44;
/// Concordium's purpose for verifiable-credential (Web3 ID) keys.
const PURPOSE_WEB3ID: u32 = 1958950021;

/// A smart-contract address (index, subindex): the issuer of a verifiable credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContractAddress {
    /// The contract index.
    pub index: u64,
    /// The contract subindex.
    pub subindex: u64,
}

impl ContractAddress {
    /// The address `<index, subindex>`.
    pub fn new(index: u64, subindex: u64) -> Self {
        Self { index, subindex }
    }
}

/// The secrets of one identity (identity provider `idp`, identity index `identity`): what the
/// legacy backup format calls `privateIdObjectData`. Each is a BLS12-381 scalar in 32-byte
/// big-endian form, wiped on drop and redacted in `Debug`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentitySecrets {
    /// The network the secrets were derived for.
    pub net: Network,
    /// The identity provider's `ipIdentity`.
    pub idp: u32,
    /// The identity index under that provider.
    pub identity: u32,
    /// idCredSec (`…/identity'/2'`).
    pub id_cred_sec: Secret32,
    /// The PRF key (`…/identity'/3'`).
    pub prf_key: Secret32,
    /// The signature blinding ("retrieval") randomness (`…/identity'/4'`).
    pub blinding_randomness: Secret32,
}

/// The public values of one account: safe to show, log and send to a node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AccountPublic {
    /// The network.
    pub net: Network,
    /// The identity provider's `ipIdentity`.
    pub idp: u32,
    /// The identity index.
    pub identity: u32,
    /// The credential counter (account number within the identity).
    pub credential: u8,
    /// The ed25519 public ("verify") key of the account's signing key.
    pub public_key: [u8; 32],
    /// The credential registration id.
    pub cred_id: CredentialId,
    /// The account address (SHA-256 of `cred_id`, since this is the account's first credential).
    pub address: AccountAddress,
}

/// Everything derived for one account: its public values and its secrets (wiped on drop,
/// redacted in `Debug`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedAccount {
    /// The public values.
    pub public: AccountPublic,
    /// The ed25519 signing key (`signKey`: the raw 32-byte secret key).
    pub signing_key: Secret32,
    /// The account's ElGamal (shielded-amount) secret key as the legacy backup stores it
    /// (`encryptionSecretKey`): `g` (48 bytes compressed) ‖ `1/(prf + counter)` (32 bytes
    /// big-endian).
    pub encryption_secret_key: SecretBytes<80>,
}

/// Derives Concordium's identity and account keys from a BIP39 seed for one network.
#[derive(Clone, Debug)]
pub struct ConcordiumHdWallet {
    seed: Seed,
    net: Network,
}

impl ConcordiumHdWallet {
    /// A deriver for `seed` on `net`.
    pub fn new(seed: Seed, net: Network) -> Self {
        Self { seed, net }
    }

    /// The network.
    pub fn net(&self) -> Network {
        self.net
    }

    fn derive(&self, purpose: u32, path: &[u32]) -> Result<ExtendedKey, KeyError> {
        let mut full = Vec::with_capacity(path.len() + 2);
        full.push(purpose);
        full.push(self.net.coin_type());
        full.extend_from_slice(path);
        ExtendedKey::derive(self.seed.as_bytes(), &full)
    }

    fn derive_bls(&self, path: &[u32]) -> Result<Secret32, KeyError> {
        let key = self.derive(PURPOSE_ACCOUNTS, path)?;
        Ok(keygen_bls(key.private_key().as_bytes(), b""))
    }

    /// The ed25519 signing key of account `credential` of identity `identity` at provider `idp`.
    pub fn account_signing_key(
        &self,
        idp: u32,
        identity: u32,
        credential: u8,
    ) -> Result<Secret32, KeyError> {
        let key = self.derive(PURPOSE_ACCOUNTS, &[idp, identity, 0, u32::from(credential)])?;
        Ok(key.into_private_key())
    }

    /// The ed25519 public key of [`ConcordiumHdWallet::account_signing_key`].
    pub fn account_public_key(
        &self,
        idp: u32,
        identity: u32,
        credential: u8,
    ) -> Result<[u8; 32], KeyError> {
        Ok(ed25519_public_key(
            &self.account_signing_key(idp, identity, credential)?,
        ))
    }

    /// idCredSec of identity `identity` at provider `idp`.
    pub fn id_cred_sec(&self, idp: u32, identity: u32) -> Result<Secret32, KeyError> {
        self.derive_bls(&[idp, identity, 2])
    }

    /// The PRF key of identity `identity` at provider `idp`.
    pub fn prf_key(&self, idp: u32, identity: u32) -> Result<Secret32, KeyError> {
        self.derive_bls(&[idp, identity, 3])
    }

    /// The signature blinding randomness of identity `identity` at provider `idp`.
    pub fn blinding_randomness(&self, idp: u32, identity: u32) -> Result<Secret32, KeyError> {
        self.derive_bls(&[idp, identity, 4])
    }

    /// The randomness of the commitment to attribute `attribute_tag` in credential `credential`.
    pub fn attribute_commitment_randomness(
        &self,
        idp: u32,
        identity: u32,
        credential: u8,
        attribute_tag: u8,
    ) -> Result<Secret32, KeyError> {
        self.derive_bls(&[
            idp,
            identity,
            5,
            u32::from(credential),
            u32::from(attribute_tag),
        ])
    }

    /// All three secrets of an identity.
    pub fn identity(&self, idp: u32, identity: u32) -> Result<IdentitySecrets, KeyError> {
        Ok(IdentitySecrets {
            net: self.net,
            idp,
            identity,
            id_cred_sec: self.id_cred_sec(idp, identity)?,
            prf_key: self.prf_key(idp, identity)?,
            blinding_randomness: self.blinding_randomness(idp, identity)?,
        })
    }

    /// The credential id of account `credential` of an identity: `g^(1/(prf + credential))`.
    pub fn credential_id(
        &self,
        idp: u32,
        identity: u32,
        credential: u8,
        commitment_key: &CommitmentKey,
    ) -> Result<CredentialId, KeyError> {
        credential_id_from_prf(&self.prf_key(idp, identity)?, credential, commitment_key)
    }

    /// Everything of account `credential` of identity `identity` at provider `idp`: keys,
    /// credential id and address.
    pub fn account(
        &self,
        idp: u32,
        identity: u32,
        credential: u8,
        commitment_key: &CommitmentKey,
    ) -> Result<DerivedAccount, KeyError> {
        let prf_key = self.prf_key(idp, identity)?;
        self.account_with_prf(&prf_key, idp, identity, credential, commitment_key)
    }

    /// [`ConcordiumHdWallet::account`] with the identity's PRF key already derived.
    pub(crate) fn account_with_prf(
        &self,
        prf_key: &Secret32,
        idp: u32,
        identity: u32,
        credential: u8,
        commitment_key: &CommitmentKey,
    ) -> Result<DerivedAccount, KeyError> {
        let signing_key = self.account_signing_key(idp, identity, credential)?;
        let public_key = ed25519_public_key(&signing_key);
        let mut exponent = prf_exponent(prf_key, credential)?;
        let cred_id = CredentialId(g1_mul_compressed(&commitment_key.g, &exponent));
        let mut encryption_secret_key = SecretBytes::<80>::zeroed();
        {
            let out = encryption_secret_key.as_mut_bytes();
            out[..48].copy_from_slice(&commitment_key.g_compressed());
            let exponent_be = super::bls::scalar_to_secret(&exponent);
            out[48..].copy_from_slice(exponent_be.as_bytes());
        }
        exponent.zeroize();
        Ok(DerivedAccount {
            public: AccountPublic {
                net: self.net,
                idp,
                identity,
                credential,
                public_key,
                cred_id,
                address: cred_id.account_address(),
            },
            signing_key,
            encryption_secret_key,
        })
    }

    /// The signing key of verifiable credential `vc_index` issued by the contract `issuer`.
    pub fn vc_signing_key(
        &self,
        issuer: ContractAddress,
        vc_index: u32,
    ) -> Result<Secret32, KeyError> {
        let [i1, i2, i3, i4] = split_u64(issuer.index);
        let [s1, s2, s3, s4] = split_u64(issuer.subindex);
        let key = self.derive(
            PURPOSE_WEB3ID,
            &[0, i1, i2, i3, i4, s1, s2, s3, s4, vc_index, 0],
        )?;
        Ok(key.into_private_key())
    }

    /// The ed25519 public key of [`ConcordiumHdWallet::vc_signing_key`].
    pub fn vc_public_key(
        &self,
        issuer: ContractAddress,
        vc_index: u32,
    ) -> Result<[u8; 32], KeyError> {
        Ok(ed25519_public_key(&self.vc_signing_key(issuer, vc_index)?))
    }

    /// The key that encrypts the verifiable-credential backup (its hex is the backup's password).
    pub fn vc_backup_encryption_key(&self) -> Result<Secret32, KeyError> {
        Ok(self.derive(PURPOSE_WEB3ID, &[1])?.into_private_key())
    }
}

/// A u64 as four big-endian 16-bit chunks, most significant first.
fn split_u64(x: u64) -> [u32; 4] {
    [
        (x >> 48) as u32 & 0xffff,
        (x >> 32) as u32 & 0xffff,
        (x >> 16) as u32 & 0xffff,
        x as u32 & 0xffff,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_u64_is_big_endian_16_bit_chunks() {
        assert_eq!(split_u64(0x0001_0002_0003_0004), [1, 2, 3, 4]);
        assert_eq!(split_u64(1232), [0, 0, 0, 1232]);
        assert_eq!(split_u64(u64::MAX), [0xffff; 4]);
    }
}
