//! The network rule of an import: which backups a wallet on a given network takes
//! (docs/references.md §A.1.4).

use super::plan::ImportOptions;
use crate::model::WalletData;
use crate::network::Network;
use crate::store::StoreError;

/// Whether a backup of network `file` may go into a wallet on network `wallet`.
pub fn networks_compatible(wallet: Network, file: Network) -> bool {
    use Network::*;
    match (wallet, file) {
        (w, f) if w == f => true,
        (Mainnet, _) | (_, Mainnet) => false,
        (_, Testnet | Stagenet) => true,
        _ => false,
    }
}

/// The backup's network after the rules above, or the typed error that refuses it.
pub fn check_network(
    wallet: Network,
    data: &WalletData,
    options: &ImportOptions,
) -> Result<(Network, bool), StoreError> {
    let (file, assumed) = match (data.environment, options.assume_network) {
        (Some(e), _) => (e, false),
        (None, Some(e)) => (e, true),
        (None, None) => return Err(StoreError::UnknownNetwork),
    };
    if !networks_compatible(wallet, file) {
        return Err(StoreError::NetworkMismatch { wallet, file });
    }
    Ok((file, assumed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Network::*;

    #[test]
    fn network_rules_follow_cryptox() {
        let ok = [
            (Mainnet, Mainnet),
            (Testnet, Testnet),
            (Testnet, Stagenet),
            (Stagenet, Testnet),
            (Stagenet, Stagenet),
            (Mock, Testnet),
            (Local, Stagenet),
            (Mock, Mock),
            (Local, Local),
        ];
        let refused = [
            (Mainnet, Testnet),
            (Mainnet, Stagenet),
            (Mainnet, Mock),
            (Testnet, Mainnet),
            (Stagenet, Mainnet),
            (Testnet, Mock),
            (Testnet, Local),
            (Mock, Local),
        ];
        for (w, f) in ok {
            assert!(networks_compatible(w, f), "{w} <- {f}");
        }
        for (w, f) in refused {
            assert!(!networks_compatible(w, f), "{w} <- {f}");
        }
    }

    #[test]
    fn a_file_without_network_needs_an_assumption() {
        let mut d = WalletData::empty(Testnet);
        d.environment = None;
        assert_eq!(
            check_network(Testnet, &d, &ImportOptions::default()),
            Err(StoreError::UnknownNetwork)
        );
        let assume = |e| ImportOptions {
            assume_network: Some(e),
        };
        assert_eq!(
            check_network(Testnet, &d, &assume(Testnet)),
            Ok((Testnet, true))
        );
        assert_eq!(
            check_network(Mainnet, &d, &assume(Testnet)),
            Err(StoreError::NetworkMismatch {
                wallet: Mainnet,
                file: Testnet
            })
        );
        // An assumption never overrides the file's own network.
        d.environment = Some(Mainnet);
        assert_eq!(
            check_network(Testnet, &d, &assume(Testnet)),
            Err(StoreError::NetworkMismatch {
                wallet: Testnet,
                file: Mainnet
            })
        );
        let msg = StoreError::NetworkMismatch {
            wallet: Mainnet,
            file: Stagenet,
        }
        .to_string();
        assert!(msg.contains("stagenet") && msg.contains("mainnet"), "{msg}");
    }
}
