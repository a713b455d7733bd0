//! Public keys from the device: the wallet pairing identifier, an account's key (each with the
//! signature that proves the device holds its private key, verified here) and showing an address.

use super::apdu::{be_u32s, encode_path, ins, AccountPath, Command, PAIRING_PATH};
use super::bridge::Ledger;
use super::error::LedgerError;
use super::replies::{parse_signed_public_key, verify_key_signature};
use super::transport::Transport;
use crate::keys::Net;

/// An Ed25519 public key from the device, with the signature over it that proves the device holds
/// its private key (already verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPublicKey {
    /// The path it was derived at.
    pub path: Vec<u32>,
    /// The 32-byte public key.
    pub key: [u8; 32],
    /// The 64-byte Ed25519 signature of `key` under `key`.
    pub signature: [u8; 64],
}

impl<T: Transport> Ledger<T> {
    fn signed_public_key(
        &mut self,
        nodes: Vec<u32>,
        confirm: bool,
        operation: &str,
    ) -> Result<SignedPublicKey, LedgerError> {
        let caps = self.caps()?;
        // P1 00 shows the key on the device, 01 does not; P2 01 asks for the signature.
        let p1 = if confirm { 0x00 } else { 0x01 };
        let cmd = Command::app(ins::GET_PUBLIC_KEY, p1, 0x01, encode_path(&nodes)?);
        let data = self.request(&cmd, confirm, operation)?;
        let (key, signature) = parse_signed_public_key(&data, caps.public_key_reply)?;
        verify_key_signature(&key, &signature)?;
        Ok(SignedPublicKey {
            path: nodes,
            key,
            signature,
        })
    }

    /// The wallet pairing identifier: the public key at `1105'/0'` (hex), read silently. It
    /// identifies the device's seed.
    pub fn pairing_id(&mut self) -> Result<SignedPublicKey, LedgerError> {
        self.signed_public_key(PAIRING_PATH.to_vec(), false, "reading the pairing key")
    }

    /// An account's public key, with its verified signature; `confirm` shows it on the device
    /// and waits for the person to approve.
    pub fn public_key(
        &mut self,
        path: &AccountPath,
        confirm: bool,
    ) -> Result<SignedPublicKey, LedgerError> {
        let nodes = path.nodes()?;
        if let AccountPath::New { net, .. } = path {
            self.check_new_path(*net)?;
        }
        self.signed_public_key(nodes, confirm, "reading a public key")
    }

    /// Shows the account's address on the device; returns when the person approved it.
    pub fn verify_address(&mut self, path: &AccountPath) -> Result<(), LedgerError> {
        let operation = "showing an address";
        let cmd = match *path {
            AccountPath::Legacy {
                identity,
                credential,
            } => {
                path.nodes()?;
                self.caps()?;
                Command::app(
                    ins::VERIFY_ADDRESS,
                    0x00,
                    0x00,
                    be_u32s(&[identity, credential]),
                )
            }
            AccountPath::New {
                net,
                idp,
                identity,
                credential,
            } => {
                path.nodes()?;
                let caps = self.check_new_path(net)?;
                let p2 = if caps.verify_address_network_p2 && net == Net::Testnet {
                    0x01
                } else {
                    0x00
                };
                Command::app(
                    ins::VERIFY_ADDRESS,
                    0x01,
                    p2,
                    be_u32s(&[idp, identity, credential]),
                )
            }
        };
        let data = self.request(&cmd, true, operation)?;
        if !data.is_empty() {
            return Err(LedgerError::BadReply(format!(
                "verify address answered {} data bytes instead of none",
                data.len()
            )));
        }
        Ok(())
    }
}
