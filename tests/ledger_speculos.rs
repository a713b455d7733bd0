//! Against a real Speculos running the Concordium app, when `LEDGER_SPECULOS=HOST:PORT` names
//! its APDU port (`speculos --seed "<the Speculos phrase>" … app.elf`, the default seed);
//! otherwise it prints that it was skipped.
//!
//! Checks: app info, the pairing id, public keys on both path families with their signatures
//! (the bridge verifies them; legacy and 44'/919' keys are compared with the measured table and
//! with our own derivation), and a clean typed error when the app closes on an unsupported
//! instruction. The last step closes the app, so it runs last.

use std::time::Duration;

use wallet_core::keys::{ConcordiumHdWallet, Net};
use wallet_core::ledger::apdu::Command;
use wallet_core::ledger::{AccountPath, Ledger, LedgerError, SpeculosTransport, Transport};
use wallet_core::phrase::Phrase;

const SPECULOS_PHRASE: &str = "glory promote mansion idle axis finger extra february uncover one trip resource lawn turtle enact monster seven myth punch hobby comfort wild raise skin";
const KEY_1105: &str = "87e16c8269270b1c75b930224df456d2927b80c760ffa77e57dbd738f6399492";

#[test]
fn real_speculos() {
    let Ok(address) = std::env::var("LEDGER_SPECULOS") else {
        println!("SKIPPED: set LEDGER_SPECULOS=HOST:PORT to run against a real Speculos");
        return;
    };
    let mut ledger = Ledger::new(SpeculosTransport::connect(&address).expect("Speculos"));
    let info = ledger.app_info().expect("app info");
    println!("Speculos runs {} {}", info.name, info.version);
    assert_eq!(info.name, "Concordium");

    let pairing = ledger.pairing_id().expect("pairing id");
    println!("pairing id {}", hex::encode(pairing.key));

    let legacy = ledger
        .public_key(
            &AccountPath::Legacy {
                identity: 0,
                credential: 0,
            },
            false,
        )
        .expect("legacy public key");
    assert_eq!(
        hex::encode(legacy.key),
        KEY_1105,
        "is Speculos on its default seed?"
    );

    let seed = Phrase::parse(SPECULOS_PHRASE).unwrap().to_seed("");
    let mainnet = ConcordiumHdWallet::new(seed, Net::Mainnet);
    let new = ledger
        .public_key(
            &AccountPath::New {
                net: Net::Mainnet,
                idp: 0,
                identity: 0,
                credential: 0,
            },
            false,
        )
        .expect("new-path public key");
    assert_eq!(new.key, mainnet.account_public_key(0, 0, 0).unwrap());

    // An instruction no release has (INS 0x99): up to 5.6 the app exits, later releases answer
    // "unknown instruction". Either way a typed error, no hang, no panic.
    let apdu = Command::app(0x99, 0, 0, Vec::new()).encode().unwrap();
    let mut raw = SpeculosTransport::connect(&address).expect("Speculos");
    match raw.exchange(&apdu, Duration::from_secs(10), "an unknown instruction") {
        Err(LedgerError::AppClosed { .. }) => println!("the app closed on INS 0x99, as measured"),
        Ok(reply) => {
            let sw = u16::from_be_bytes([reply[reply.len() - 2], reply[reply.len() - 1]]);
            assert_eq!(sw, 0x6D00, "unknown instruction");
        }
        Err(e) => panic!("unexpected error: {e:?}"),
    }
}
