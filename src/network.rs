//! The Concordium network a wallet, a backup, a key or a Ledger path belongs to: one type for
//! the wallet data's `environment` field, the store, key derivation and recovery.
//!
//! Concordium's wallets name five networks in their files (docs/references.md §A.1.3); key
//! derivation knows two coin types (§A.4.3), so every network other than Mainnet derives with
//! Testnet's coin type, as Concordium's wallets do ([`Network::coin_type`]).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Concordium network. Serialized as Concordium's wallets write it in `environment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Network {
    /// Concordium mainnet (coin type 919).
    #[serde(rename = "mainnet")]
    Mainnet,
    /// Concordium testnet (coin type 1).
    #[serde(rename = "testnet")]
    Testnet,
    /// Concordium stagenet (written `staging` by the wallets; derives as testnet).
    #[serde(rename = "staging")]
    Stagenet,
    /// A wallet built for a mock backend (developer builds only; derives as testnet).
    #[serde(rename = "mock")]
    Mock,
    /// A wallet built for a local chain (Android developer builds only; derives as testnet).
    #[serde(rename = "local")]
    Local,
}

/// SLIP-0044 coin type of Concordium mainnet.
const MAINNET_COIN_TYPE: u32 = 919;
/// The coin type Concordium uses for every test chain.
const TESTNET_COIN_TYPE: u32 = 1;

impl Network {
    /// Every network, in the order a chooser shows them.
    pub const ALL: [Network; 5] = [
        Self::Mainnet,
        Self::Testnet,
        Self::Stagenet,
        Self::Mock,
        Self::Local,
    ];

    /// The value written in files (`mainnet`, `testnet`, `staging`, `mock`, `local`).
    pub fn as_file_str(self) -> &'static str {
        match self {
            Self::Mainnet => "mainnet",
            Self::Testnet => "testnet",
            Self::Stagenet => "staging",
            Self::Mock => "mock",
            Self::Local => "local",
        }
    }

    /// The network a file names, exactly as [`Network::as_file_str`] writes it (a file that
    /// spells it otherwise was not written by a Concordium wallet).
    pub fn from_file_str(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.as_file_str() == s)
    }

    /// The `coin` component of every key derivation path: 919 on Mainnet, 1 on every other
    /// chain (Concordium's wallets derive stagenet and local chains as testnet).
    pub fn coin_type(self) -> u32 {
        match self {
            Self::Mainnet => MAINNET_COIN_TYPE,
            _ => TESTNET_COIN_TYPE,
        }
    }

    /// True for Mainnet: the only network whose keys use Mainnet's coin type.
    pub fn is_mainnet(self) -> bool {
        self == Self::Mainnet
    }
}

impl fmt::Display for Network {
    /// The name people use: as in files, except `stagenet` for Stagenet.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Stagenet => "stagenet",
            other => other.as_file_str(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_round_trip_exactly() {
        for n in Network::ALL {
            assert_eq!(Network::from_file_str(n.as_file_str()), Some(n));
            let json = serde_json::to_string(&n).unwrap();
            assert_eq!(json, format!("\"{}\"", n.as_file_str()));
            assert_eq!(serde_json::from_str::<Network>(&json).unwrap(), n);
        }
        assert_eq!(Network::from_file_str("stagenet"), None);
        assert_eq!(Network::from_file_str("Mainnet"), None);
    }

    #[test]
    fn shows_and_selects_the_coin_type() {
        assert_eq!(Network::Mainnet.to_string(), "mainnet");
        assert_eq!(Network::Stagenet.to_string(), "stagenet");
        assert_eq!(Network::Mainnet.coin_type(), 919);
        assert_eq!(Network::Testnet.coin_type(), 1);
        assert_eq!(Network::Stagenet.coin_type(), 1);
    }
}
