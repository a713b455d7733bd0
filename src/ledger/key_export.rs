//! Identity key export: the PRF key and idCredSec of an identity (and, on the new paths, the
//! signature blinding randomness), each export approved on the device. The keys arrive in wiped
//! reply buffers and leave as [`Secret32`]; nothing of them is logged.

use super::apdu::{be_u32s, ins, Command, IdentityPath};
use super::bridge::Ledger;
use super::error::LedgerError;
use super::replies::{parse_new_path_identity_keys, split_prf_id_cred_sec};
use super::transport::Transport;
use super::version::{ExportFraming, NewPathExport};
use crate::keys::{Net, Secret32};

/// An identity's secrets, exported from the device (wiped on drop).
#[derive(Debug)]
pub struct IdentityKeys {
    /// The PRF key (BLS12-381 scalar, 32 bytes big-endian).
    pub prf_key: Secret32,
    /// idCredSec (BLS12-381 scalar, 32 bytes big-endian).
    pub id_cred_sec: Secret32,
    /// The signature blinding randomness, where the release exports it (INS 0x37).
    pub blinding_randomness: Option<Secret32>,
}

impl<T: Transport> Ledger<T> {
    /// The raw SLIP-0010 key seeds of a Desktop Wallet identity's PRF key and idCredSec
    /// (INS 0x05 P1 02, P2 01), one approval on the device: Ledger recovery turns them into keys
    /// itself, because identities of version 0 used `keygen_bls_deprecated` on them
    /// (docs/recovery.md). Returned in [`IdentityKeys`] as the seeds, not as scalars.
    pub fn export_legacy_identity_seeds(
        &mut self,
        identity: u32,
    ) -> Result<IdentityKeys, LedgerError> {
        IdentityPath::Legacy { identity }.check()?;
        let caps = self.caps()?;
        let mut data = Vec::with_capacity(5);
        if caps.export_framing == ExportFraming::PrefixByte {
            data.push(0x00);
        }
        data.extend_from_slice(&identity.to_be_bytes());
        let cmd = Command::app(ins::EXPORT_PRIVATE_KEY, 0x02, 0x01, data);
        let reply = self.request(&cmd, true, "exporting identity key seeds")?;
        split_prf_id_cred_sec(&reply)
    }

    /// The PRF key and idCredSec of an identity (what recovery needs), approved on the device.
    pub fn export_identity_keys(
        &mut self,
        path: &IdentityPath,
    ) -> Result<IdentityKeys, LedgerError> {
        path.check()?;
        let operation = "exporting identity keys";
        // P1 02 "create credential": PRF ‖ idCredSec; P2 02: BLS keys (not the raw seed).
        let (p1_credential, p2_bls) = (0x02, 0x02);
        match *path {
            IdentityPath::Legacy { identity } => {
                let caps = self.caps()?;
                let mut data = Vec::with_capacity(5);
                if caps.export_framing == ExportFraming::PrefixByte {
                    data.push(0x00);
                }
                data.extend_from_slice(&identity.to_be_bytes());
                let cmd = Command::app(ins::EXPORT_PRIVATE_KEY, p1_credential, p2_bls, data);
                let reply = self.request(&cmd, true, operation)?;
                split_prf_id_cred_sec(&reply)
            }
            IdentityPath::New { net, idp, identity } => {
                let caps = self.caps()?;
                match caps.new_path_export {
                    NewPathExport::None => Err(self.unsupported("export new-path identity keys")),
                    NewPathExport::Ins05Prefix if net == Net::Testnet => {
                        Err(self.unsupported("export Testnet identity keys"))
                    }
                    NewPathExport::Ins05Prefix => {
                        let mut data = vec![0x01];
                        data.extend_from_slice(&be_u32s(&[idp, identity]));
                        let cmd =
                            Command::app(ins::EXPORT_PRIVATE_KEY, p1_credential, p2_bls, data);
                        let reply = self.request(&cmd, true, operation)?;
                        split_prf_id_cred_sec(&reply)
                    }
                    NewPathExport::Ins37 => {
                        self.check_new_path(net)?;
                        let p2 = match net {
                            Net::Mainnet => 0x00,
                            Net::Testnet => 0x01,
                        };
                        // P1 00: idCredSec, PRF key, blinding randomness, each as 20 ‖ 32 bytes.
                        let cmd = Command::app(
                            ins::EXPORT_PRIVATE_KEY_NEW_PATH,
                            0x00,
                            p2,
                            be_u32s(&[idp, identity]),
                        );
                        let reply = self.request(&cmd, true, operation)?;
                        parse_new_path_identity_keys(&reply)
                    }
                }
            }
        }
    }
}
