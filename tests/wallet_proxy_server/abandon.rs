//! The wallet-proxy seeded with accounts of BIP39's all-`abandon` phrase, for the phrase-restore
//! tests of the library (tests/recovery.rs) and of the command line (cli/tests/recovery.rs).

use wallet_core::keys::{CommitmentKey, ConcordiumHdWallet, Net};
use wallet_core::phrase;

use super::{Behaviour, ProxyState};

/// BIP39's all-`abandon` phrase: public, so its accounts are nobody's.
pub const PHRASE: &str = crate::common::ART_24;

/// The phrase's testnet key derivation.
pub fn hd_wallet() -> ConcordiumHdWallet {
    let p = phrase::check(PHRASE).into_result().unwrap();
    ConcordiumHdWallet::new(p.to_seed(""), Net::Testnet)
}

/// The address of the phrase's account at (idp, identity, credential).
pub fn address(w: &ConcordiumHdWallet, idp: u32, identity: u32, credential: u8) -> String {
    w.account(idp, identity, credential, &CommitmentKey::global())
        .unwrap()
        .public
        .address
        .to_base58()
}

/// The seeded accounts: (idp, identity, credential) that exist, and ones beyond the gap rules.
pub const FOUND: [(u32, u32, u8); 5] = [(0, 0, 0), (0, 0, 1), (0, 0, 5), (0, 2, 0), (3, 0, 19)];
/// Beyond 20 misses: credential 26 after the hit at 5 (6..=25 are 20 misses); identity 23 after
/// the hit at 2 (3..=22 are 20 empty identities); provider 7 is not listed by the proxy.
pub const BEYOND: [(u32, u32, u8); 3] = [(0, 0, 26), (0, 23, 0), (7, 0, 0)];

/// The proxy's accounts: [`FOUND`] and [`BEYOND`], one more known but not finalized, providers 0
/// and 3.
pub fn seeded_state() -> ProxyState {
    let w = hd_wallet();
    let accounts = FOUND
        .iter()
        .chain(BEYOND.iter())
        .map(|&(i, n, c)| address(&w, i, n, c))
        .collect();
    ProxyState {
        accounts,
        // Known to the proxy but not finalized: counts as missing.
        unfinalized: [address(&w, 0, 1, 0)].into_iter().collect(),
        providers: vec![0, 3],
        behaviour: Behaviour::Normal,
    }
}
