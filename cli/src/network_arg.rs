//! `--network` values: clap parses the names people type into the library's [`Network`].

use clap::ValueEnum;
use wallet_core::network::Network;

/// A network a wallet or a backup belongs to (`stagenet`, also written `staging`).
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum NetworkArg {
    /// Concordium mainnet.
    Mainnet,
    /// Concordium testnet.
    Testnet,
    /// Concordium stagenet.
    #[value(alias = "staging")]
    Stagenet,
    /// A mock backend (developer builds).
    Mock,
    /// A local chain (developer builds).
    Local,
}

impl From<NetworkArg> for Network {
    fn from(n: NetworkArg) -> Self {
        match n {
            NetworkArg::Mainnet => Network::Mainnet,
            NetworkArg::Testnet => Network::Testnet,
            NetworkArg::Stagenet => Network::Stagenet,
            NetworkArg::Mock => Network::Mock,
            NetworkArg::Local => Network::Local,
        }
    }
}

/// The network of a key path: the two coin types a Ledger and a seed derive for (stagenet uses
/// testnet keys).
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KeyNetworkArg {
    /// Mainnet keys (coin type 919).
    Mainnet,
    /// Testnet keys (coin type 1), also for stagenet.
    Testnet,
}

impl From<KeyNetworkArg> for Network {
    fn from(n: KeyNetworkArg) -> Self {
        match n {
            KeyNetworkArg::Mainnet => Network::Mainnet,
            KeyNetworkArg::Testnet => Network::Testnet,
        }
    }
}
