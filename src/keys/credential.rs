//! The public values behind credentials: the chain's commitment key, credential ids and an
//! identity's `idCredPub`.

use std::fmt;

use bls12_381::G1Affine;
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use super::address::AccountAddress;
use super::bls::{g1_from_compressed, g1_mul_compressed, prf_exponent, secret_to_scalar};
use super::secret::{hex_decode_into, hex_encode, HexError};
use super::{KeyError, Secret32};

/// The on-chain commitment key of Concordium's global cryptographic parameters (96 bytes hex:
/// the compressed G1 points `g ‖ h`).
///
/// This is the key of Concordium's published credential-id vectors (concordium-base,
/// concordium-node-sdk-js `HdWallet.test.ts`). Its `g` is the generator the Concordium Ledger app
/// hard-codes for both networks and the one a real testnet export (CryptoX) was checked against, so
/// it is the value to use for Mainnet and Testnet; a wallet that fetched the chain's parameters
/// (wallet-proxy `GET v0/global`, field `onChainCommitmentKey`) passes that value instead. Only `g`
/// enters the credential id.
pub const GLOBAL_COMMITMENT_KEY_HEX: &str = "b14cbfe44a02c6b1f78711176d5f437295367aa4f2a8c2551ee10d25a03adc69d61a332a058971919dad7312e1fc94c5a8d45e64b6f917c540eee16c970c3d4b7f3caf48a7746284878e2ace21c82ea44bf84609834625be1f309988ac523fac";

/// The on-chain commitment key from the global cryptographic parameters; its first point `g` is
/// the base of credential ids and of the account encryption (ElGamal) keys.
#[derive(Clone, PartialEq, Eq)]
pub struct CommitmentKey {
    pub(super) g: G1Affine,
    bytes: [u8; 96],
}

impl CommitmentKey {
    /// The key in [`GLOBAL_COMMITMENT_KEY_HEX`].
    pub fn global() -> Self {
        Self::from_hex(GLOBAL_COMMITMENT_KEY_HEX).expect("the built-in commitment key is valid")
    }

    /// Parses the 96-byte key from 192 hex characters (surrounding whitespace is ignored).
    pub fn from_hex(s: &str) -> Result<Self, KeyError> {
        let mut bytes = [0u8; 96];
        hex_decode_into(s.trim(), &mut bytes).map_err(|e| {
            KeyError::InvalidCommitmentKey(match e {
                HexError::Length(found) => format!(
                    "it must be 192 hexadecimal characters (96 bytes), not {found} characters"
                ),
                HexError::NotHex => "it contains characters that are not hexadecimal digits".into(),
            })
        })?;
        Self::from_bytes(&bytes)
    }

    /// Parses the 96 bytes `g ‖ h`: both must be valid compressed points of BLS12-381's G1
    /// subgroup, and `g` must not be the identity.
    pub fn from_bytes(bytes: &[u8; 96]) -> Result<Self, KeyError> {
        let mut g_bytes = [0u8; 48];
        let mut h_bytes = [0u8; 48];
        g_bytes.copy_from_slice(&bytes[..48]);
        h_bytes.copy_from_slice(&bytes[48..]);
        let g = g1_from_compressed(&g_bytes).ok_or_else(|| {
            KeyError::InvalidCommitmentKey(
                "its first point is not a valid BLS12-381 G1 point".into(),
            )
        })?;
        if bool::from(g.is_identity()) {
            return Err(KeyError::InvalidCommitmentKey(
                "its first point is the identity".into(),
            ));
        }
        g1_from_compressed(&h_bytes).ok_or_else(|| {
            KeyError::InvalidCommitmentKey(
                "its second point is not a valid BLS12-381 G1 point".into(),
            )
        })?;
        Ok(Self { g, bytes: *bytes })
    }

    /// The 96 bytes as given.
    pub fn to_bytes(&self) -> [u8; 96] {
        self.bytes
    }

    /// The compressed 48-byte generator `g`.
    pub fn g_compressed(&self) -> [u8; 48] {
        self.g.to_compressed()
    }
}

impl fmt::Debug for CommitmentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CommitmentKey({})", hex_encode(&self.bytes).as_str())
    }
}

/// A credential registration id (credId / regId): `g^(1/(prf + counter))` as a compressed 48-byte
/// G1 point. Public.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CredentialId(pub [u8; 48]);

impl CredentialId {
    /// The 48 bytes.
    pub fn as_bytes(&self) -> &[u8; 48] {
        &self.0
    }

    /// 96 lower-case hex characters, as in Concordium's JSON and APIs.
    pub fn to_hex(&self) -> String {
        hex_encode(&self.0).to_string()
    }

    /// The address of the account whose first credential this is.
    pub fn account_address(&self) -> AccountAddress {
        AccountAddress(Sha256::digest(self.0).into())
    }
}

impl fmt::Display for CredentialId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for CredentialId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CredentialId({})", self.to_hex())
    }
}

/// The credential id `g^(1/(prf_key + credential))` for a PRF key (32 bytes big-endian).
pub fn credential_id_from_prf(
    prf_key: &Secret32,
    credential: u8,
    commitment_key: &CommitmentKey,
) -> Result<CredentialId, KeyError> {
    let mut exponent = prf_exponent(prf_key, credential)?;
    let id = CredentialId(g1_mul_compressed(&commitment_key.g, &exponent));
    exponent.zeroize();
    Ok(id)
}

/// An identity's public id credential `idCredPub = g^idCredSec` (`g` the commitment key's first
/// point), as a compressed 48-byte G1 point: what tells identities apart in every wallet. Pinned
/// by the real CryptoX export in tests/recovery.rs, whose identity objects carry both values.
pub fn id_cred_pub(
    id_cred_sec: &Secret32,
    commitment_key: &CommitmentKey,
) -> Result<[u8; 48], KeyError> {
    let mut exponent = secret_to_scalar(id_cred_sec)?;
    let point = g1_mul_compressed(&commitment_key.g, &exponent);
    exponent.zeroize();
    Ok(point)
}
