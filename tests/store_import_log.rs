//! The import planner says why it left something out: every skip and conflict is a debug-level
//! `log` record with the item's name, its address and the reason, and never an idCredPub (the
//! identity's key) or anything secret. Its own test binary, because a process has one logger.

mod common;

use std::sync::Mutex;

use log::{Level, Log, Metadata, Record};

use common::store_data::*;
use common::*;
use wallet_core::network::Network;
use wallet_core::store::{import, MemoryStore, WalletStore};

/// Keeps the level and text of every record of the import planner.
struct Records(Mutex<Vec<(Level, String)>>);

impl Log for Records {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("wallet_core::store::import")
    }
    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            let text = record.args().to_string();
            self.0.lock().unwrap().push((record.level(), text));
        }
    }
    fn flush(&self) {}
}

static RECORDS: Records = Records(Mutex::new(Vec::new()));

#[test]
fn skips_and_conflicts_are_logged_with_their_reason_and_no_key() {
    log::set_logger(&RECORDS).unwrap();
    log::set_max_level(log::LevelFilter::Debug);
    let store = MemoryStore::new(Network::Testnet, &key()).unwrap();
    store.add_contact("Carol", &address("carol")).unwrap();
    let data = wallet(
        Some("testnet"),
        vec![
            identity_json("Old", None, vec![account_json("O1", &address("o1"))]),
            identity_json("Ann", Some("icp-ann"), vec![]),
        ],
        vec![contact("Caroline", &address("carol"))],
    );
    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!((plan.skipped.len(), plan.conflicts.len()), (2, 1));

    let records = RECORDS.0.lock().unwrap().clone();
    let logged = |needle: &str| {
        records
            .iter()
            .any(|(level, text)| *level == Level::Debug && text.contains(needle))
    };
    assert!(
        logged("skipping identity \"Old\": the identity has no public id credential"),
        "{records:?}"
    );
    assert!(
        logged(&format!(
            "skipping account \"O1\" ({}): its identity was skipped",
            address("o1")
        )),
        "{records:?}"
    );
    assert!(
        logged(&format!(
            "conflict: contact \"Caroline\" ({}) is in the address book as \"Carol\"",
            address("carol")
        )),
        "{records:?}"
    );
    assert_eq!(records.len(), 3, "{records:?}");
    let secrets = secret_strings(&data);
    for (_, text) in &records {
        assert!(!text.contains("icp-"), "an idCredPub was logged: {text}");
        assert!(secrets.iter().all(|s| !text.contains(s.as_str())), "{text}");
    }
}
