//! Building commands and taking replies apart (docs/ledger.md, "APDUs").
//!
//! A command is `CLA INS P1 P2 Lc data` with one length byte (at most 255 data bytes, no Le); a
//! reply is `data ‖ SW1 SW2`. Key paths are one count byte then that many big-endian u32 nodes,
//! at most 8; the app hardens every node itself, so the host sends plain numbers.

use zeroize::Zeroizing;

use super::error::LedgerError;
use super::status::StatusWord;
use crate::network::Network;

/// The Concordium app's class byte.
pub const CLA: u8 = 0xE0;
/// The class byte of Ledger OS's own commands (BOLOS), answered whatever app is open.
pub const CLA_BOLOS: u8 = 0xB0;

/// Instruction bytes.
pub mod ins {
    /// BOLOS (with [`super::CLA_BOLOS`]): name and version of the open app.
    pub const BOLOS_APP_AND_VERSION: u8 = 0x01;
    /// Show an account's address on the device.
    pub const VERIFY_ADDRESS: u8 = 0x00;
    /// An Ed25519 public key, optionally signed with its own private key.
    pub const GET_PUBLIC_KEY: u8 = 0x01;
    /// PRF key / idCredSec export (legacy paths; before 5.2 also new paths, with a prefix byte).
    pub const EXPORT_PRIVATE_KEY: u8 = 0x05;
    /// The app's name.
    pub const GET_APP_NAME: u8 = 0x21;
    /// Identity key export on new paths (5.2 and later).
    pub const EXPORT_PRIVATE_KEY_NEW_PATH: u8 = 0x37;
}

/// The most data bytes one command carries.
pub const MAX_DATA: usize = 255;
/// The most nodes a key path may have.
pub const MAX_PATH_NODES: usize = 8;
/// The longest reply the bridge accepts (the app's largest is 258 bytes).
pub const MAX_REPLY: usize = 1024;

/// The purpose node of the legacy (Desktop Wallet) paths.
pub const LEGACY_PURPOSE: u32 = 1105;
/// The purpose node of the new (BIP44-style) paths.
pub const NEW_PURPOSE: u32 = 44;

/// One command to the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// Class byte.
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// First parameter.
    pub p1: u8,
    /// Second parameter.
    pub p2: u8,
    /// Data (at most 255 bytes).
    pub data: Vec<u8>,
}

impl Command {
    /// A command of the Concordium app.
    pub fn app(ins: u8, p1: u8, p2: u8, data: Vec<u8>) -> Self {
        Self {
            cla: CLA,
            ins,
            p1,
            p2,
            data,
        }
    }

    /// The bytes to send: `CLA INS P1 P2 Lc data`.
    pub fn encode(&self) -> Result<Vec<u8>, LedgerError> {
        let lc = u8::try_from(self.data.len()).map_err(|_| {
            LedgerError::InvalidRequest(format!("a command carries at most {MAX_DATA} data bytes"))
        })?;
        let mut out = Vec::with_capacity(5 + self.data.len());
        out.extend_from_slice(&[self.cla, self.ins, self.p1, self.p2, lc]);
        out.extend_from_slice(&self.data);
        Ok(out)
    }
}

/// A reply: its data (wiped on drop: exported keys pass through here) and status word.
#[derive(PartialEq, Eq)]
pub struct Reply {
    /// The data before the status word.
    pub data: Zeroizing<Vec<u8>>,
    /// The status word.
    pub status: StatusWord,
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Reply {{ data: {} bytes, status: {} }}",
            self.data.len(),
            self.status
        )
    }
}

impl Reply {
    /// Splits `data ‖ SW1 SW2`. Fewer than two bytes, or more than [`MAX_REPLY`], is an error.
    pub fn parse(raw: &[u8]) -> Result<Self, LedgerError> {
        if raw.len() < 2 {
            return Err(LedgerError::BadReply(format!(
                "a reply of {} bytes has no status word",
                raw.len()
            )));
        }
        if raw.len() > MAX_REPLY {
            return Err(LedgerError::BadReply(format!(
                "a reply of {} bytes is longer than the {MAX_REPLY} accepted",
                raw.len()
            )));
        }
        let (data, sw) = raw.split_at(raw.len() - 2);
        Ok(Self {
            data: Zeroizing::new(data.to_vec()),
            status: StatusWord::from_u16(u16::from_be_bytes([sw[0], sw[1]])),
        })
    }
}

/// `count ‖ node₁ ‖ … ‖ nodeₙ`, each node a big-endian u32.
pub fn encode_path(nodes: &[u32]) -> Result<Vec<u8>, LedgerError> {
    if nodes.is_empty() || nodes.len() > MAX_PATH_NODES {
        return Err(LedgerError::InvalidRequest(format!(
            "a key path has 1 to {MAX_PATH_NODES} nodes"
        )));
    }
    let mut out = Vec::with_capacity(1 + 4 * nodes.len());
    out.push(nodes.len() as u8);
    for n in nodes {
        out.extend_from_slice(&n.to_be_bytes());
    }
    Ok(out)
}

/// The device hardens every node, so a node must be below 2^31.
fn check_index(name: &str, value: u32) -> Result<(), LedgerError> {
    if value >= 0x8000_0000 {
        return Err(LedgerError::InvalidRequest(format!(
            "the {name} index must be below 2147483648 (2^31)"
        )));
    }
    Ok(())
}

/// The wallet pairing path `1105'/0'`: its public key identifies the device's seed.
pub const PAIRING_PATH: [u32; 2] = [LEGACY_PURPOSE, 0];

/// Where an account's signing key is on the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountPath {
    /// Desktop Wallet paths: `1105'/0'/0'/0'/identity'/2'/credential'/0'`.
    Legacy {
        /// The identity index.
        identity: u32,
        /// The credential (account) number within the identity.
        credential: u32,
    },
    /// Seed-wallet paths: `44'/coin'/idp'/identity'/0'/credential'` (coin 919 or 1).
    New {
        /// The network (selects the coin node).
        net: Network,
        /// The identity provider's `ipIdentity`.
        idp: u32,
        /// The identity index.
        identity: u32,
        /// The credential (account) number within the identity.
        credential: u32,
    },
}

impl AccountPath {
    /// The path's nodes, as sent to the device.
    pub fn nodes(&self) -> Result<Vec<u32>, LedgerError> {
        match *self {
            Self::Legacy {
                identity,
                credential,
            } => {
                check_index("identity", identity)?;
                check_index("credential", credential)?;
                Ok(vec![LEGACY_PURPOSE, 0, 0, 0, identity, 2, credential, 0])
            }
            Self::New {
                net,
                idp,
                identity,
                credential,
            } => {
                check_index("identity provider", idp)?;
                check_index("identity", identity)?;
                check_index("credential", credential)?;
                Ok(vec![
                    NEW_PURPOSE,
                    net.coin_type(),
                    idp,
                    identity,
                    0,
                    credential,
                ])
            }
        }
    }

    /// The path as people write it, e.g. `m/44'/919'/0'/0'/0'/0'`.
    pub fn to_display(&self) -> String {
        match self.nodes() {
            Ok(n) => path_to_string(&n),
            Err(_) => "(invalid path)".into(),
        }
    }
}

/// Whose identity keys to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityPath {
    /// Desktop Wallet identities: `1105'/0'/0'/0'/identity'/{1' PRF, 0' idCredSec}`.
    Legacy {
        /// The identity index.
        identity: u32,
    },
    /// Seed-wallet identities: `44'/coin'/idp'/identity'/{2' idCredSec, 3' PRF}`.
    New {
        /// The network.
        net: Network,
        /// The identity provider's `ipIdentity`.
        idp: u32,
        /// The identity index.
        identity: u32,
    },
}

impl IdentityPath {
    pub(crate) fn check(&self) -> Result<(), LedgerError> {
        match *self {
            Self::Legacy { identity } => check_index("identity", identity),
            Self::New { idp, identity, .. } => {
                check_index("identity provider", idp)?;
                check_index("identity", identity)
            }
        }
    }
}

/// `m/a'/b'/…` for a node list.
pub fn path_to_string(nodes: &[u32]) -> String {
    let mut s = String::from("m");
    for n in nodes {
        s.push_str(&format!("/{n}'"));
    }
    s
}

/// Big-endian u32s, concatenated.
pub(crate) fn be_u32s(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_be_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_encoding() {
        let c = Command::app(0x01, 0x01, 0x01, encode_path(&PAIRING_PATH).unwrap());
        assert_eq!(
            c.encode().unwrap(),
            [0xE0, 0x01, 0x01, 0x01, 0x09, 0x02, 0, 0, 0x04, 0x51, 0, 0, 0, 0]
        );
        let too_long = Command::app(0x01, 0, 0, vec![0; 256]);
        assert!(matches!(
            too_long.encode(),
            Err(LedgerError::InvalidRequest(_))
        ));
        assert_eq!(
            Command::app(0x21, 0, 0, vec![]).encode().unwrap(),
            [0xE0, 0x21, 0, 0, 0]
        );
    }

    #[test]
    fn reply_split() {
        let r = Reply::parse(&[0xAA, 0xBB, 0x90, 0x00]).unwrap();
        assert_eq!(r.data.as_slice(), &[0xAA, 0xBB]);
        assert_eq!(r.status, StatusWord::Ok);
        let r = Reply::parse(&[0x69, 0x85]).unwrap();
        assert!(r.data.is_empty());
        assert_eq!(r.status, StatusWord::RejectedByUser);
        assert!(Reply::parse(&[0x90]).is_err());
        assert!(Reply::parse(&vec![0; MAX_REPLY + 1]).is_err());
        assert!(!format!("{r:?}").contains("AA"));
    }

    #[test]
    fn paths() {
        let legacy = AccountPath::Legacy {
            identity: 0,
            credential: 0,
        };
        assert_eq!(legacy.nodes().unwrap(), [1105, 0, 0, 0, 0, 2, 0, 0]);
        assert_eq!(legacy.to_display(), "m/1105'/0'/0'/0'/0'/2'/0'/0'");
        let new = AccountPath::New {
            net: Network::Testnet,
            idp: 3,
            identity: 4,
            credential: 5,
        };
        assert_eq!(new.nodes().unwrap(), [44, 1, 3, 4, 0, 5]);
        let bad = AccountPath::Legacy {
            identity: 0x8000_0000,
            credential: 0,
        };
        assert!(matches!(bad.nodes(), Err(LedgerError::InvalidRequest(_))));
        assert!(encode_path(&[]).is_err());
        assert!(encode_path(&[0; 9]).is_err());
        assert_eq!(encode_path(&[1, 2]).unwrap(), [2, 0, 0, 0, 1, 0, 0, 0, 2]);
    }
}
