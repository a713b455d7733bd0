//! The contract of [`WalletStore`]: one suite that every store implementation must pass, run here
//! against [`SqliteStore`] and [`MemoryStore`]. The reviewed import (preview equals report, a
//! second import changes nothing, conflicts, upgrades and skips, the network rules), stale and
//! foreign plans refused, an apply that fails halfway changing nothing, the address book, the
//! storage key, a lossless export and the backup status.
//!
//! Each test is a function over [`Stores`], a maker of empty stores; the `contract!` macro at the
//! end runs each against both implementations. A new implementation gets a `Stores` and a line in
//! that macro. What only one store has (the SQLite file, its schema, sealing at rest) is tested in
//! tests/store.rs.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::json;

use common::store_data::*;
use common::*;
use wallet_core::model::WalletData;
use wallet_core::network::Network;
use wallet_core::store::import::{
    self, AccountItem, Conflict, ContactItem, FieldItem, FieldScope, IdentityItem, ImportOptions,
    ImportPlan, ImportReport, ItemKind, Present, SkipReason, Skipped,
};
use wallet_core::store::{
    BackupDue, BackupStatus, ExportSnapshot, MemoryStore, SqliteStore, StorageKey, StoreError,
    StoreState, StoreSummary, WalletStore,
};

/// A store under test, with what only tests need from it. It passes every call on to the store
/// it holds (including `import_state`, which a store may implement itself).
struct Subject {
    store: Arc<dyn WalletStore>,
    fail_after: Box<dyn Fn(Option<u64>) + Send + Sync>,
    dump: Box<dyn Fn() -> String + Send + Sync>,
}

impl WalletStore for Subject {
    fn network(&self) -> Result<Network, StoreError> {
        self.store.network()
    }
    fn summary(&self) -> Result<StoreSummary, StoreError> {
        self.store.summary()
    }
    fn check_key(&self, key: &StorageKey) -> Result<(), StoreError> {
        self.store.check_key(key)
    }
    fn add_contact(&self, name: &str, address: &str) -> Result<bool, StoreError> {
        self.store.add_contact(name, address)
    }
    fn remove_contact(&self, name: &str, address: &str) -> Result<bool, StoreError> {
        self.store.remove_contact(name, address)
    }
    fn add_read_only_account(
        &self,
        icp: &str,
        name: &str,
        address: &str,
    ) -> Result<(), StoreError> {
        self.store.add_read_only_account(icp, name, address)
    }
    fn export_data(&self, key: &StorageKey) -> Result<WalletData, StoreError> {
        self.store.export_data(key)
    }
    fn import_state(&self, key: &StorageKey) -> Result<StoreState, StoreError> {
        self.store.import_state(key)
    }
    fn backup_status(&self) -> Result<BackupStatus, StoreError> {
        self.store.backup_status()
    }
    fn record_export(&self, snapshot: &ExportSnapshot, at: i64) -> Result<(), StoreError> {
        self.store.record_export(snapshot, at)
    }
    fn apply(
        &self,
        plan: &ImportPlan,
        data: &WalletData,
        key: &StorageKey,
    ) -> Result<ImportReport, StoreError> {
        self.store.apply(plan, data, key)
    }
}

impl Subject {
    /// Makes the next apply fail after `n` writes (the `testing` feature's hook).
    fn fail_apply_after_writes(&self, n: Option<u64>) {
        (self.fail_after)(n)
    }

    /// Everything the store holds, in a comparable form.
    fn dump(&self) -> String {
        (self.dump)()
    }

    /// The store, to share between threads.
    fn shared(&self) -> Arc<dyn WalletStore> {
        self.store.clone()
    }
}

/// Makes empty stores, all unlocked by [`key`].
trait Stores {
    fn new_store(&mut self, network: Network) -> Subject;
}

/// SQLite stores, each a new file in one scratch directory, removed at the end.
struct SqliteStores {
    dir: PathBuf,
    made: usize,
}

impl SqliteStores {
    fn new(test: &str) -> Self {
        Self {
            dir: scratch(test),
            made: 0,
        }
    }
}

impl Drop for SqliteStores {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Stores for SqliteStores {
    fn new_store(&mut self, network: Network) -> Subject {
        self.made += 1;
        let path = self.dir.join(format!("wallet-{}.db", self.made));
        let store = Arc::new(SqliteStore::create(&path, network, &key()).unwrap());
        let hook = store.clone();
        Subject {
            store,
            fail_after: Box::new(move |n| hook.fail_apply_after_writes(n)),
            dump: Box::new(move || format!("{:?}", dump(&path))),
        }
    }
}

/// In-memory stores.
struct MemoryStores;

impl Stores for MemoryStores {
    fn new_store(&mut self, network: Network) -> Subject {
        let store = Arc::new(MemoryStore::new(network, &key()).unwrap());
        let hook = store.clone();
        let seen = store.clone();
        Subject {
            store,
            fail_after: Box::new(move |n| hook.fail_apply_after_writes(n)),
            dump: Box::new(move || {
                let data = seen.export_data(&key()).unwrap();
                format!(
                    "{:?}\n{}\n{:?}",
                    seen.summary().unwrap(),
                    String::from_utf8(data.to_json().to_vec()).unwrap(),
                    seen.backup_status().unwrap()
                )
            }),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Networks

fn networks_follow_the_wallets_rules(stores: &mut dyn Stores) {
    let main = stores.new_store(Network::Mainnet);
    let test = stores.new_store(Network::Testnet);
    let stage = stores.new_store(Network::Stagenet);
    let file = |env: Option<&str>| {
        wallet(
            env,
            vec![identity_json(
                "I",
                Some("icp"),
                vec![account_json("a", &address(""))],
            )],
            vec![],
        )
    };

    let err = import::preview(&main, &file(Some("testnet")), &key(), &no_assumption()).unwrap_err();
    assert_eq!(
        err,
        StoreError::NetworkMismatch {
            wallet: Network::Mainnet,
            file: Network::Testnet
        }
    );
    let msg = err.to_string();
    assert!(msg.contains("testnet") && msg.contains("mainnet"), "{msg}");
    assert_eq!(
        import::preview(&test, &file(Some("mainnet")), &key(), &no_assumption()).unwrap_err(),
        StoreError::NetworkMismatch {
            wallet: Network::Testnet,
            file: Network::Mainnet
        }
    );
    assert!(import::preview(&main, &file(Some("mainnet")), &key(), &no_assumption()).is_ok());
    // CryptoX: staging and testnet files go into any non-mainnet wallet.
    for store in [&test, &stage] {
        for env in ["testnet", "staging"] {
            let plan = import::preview(store, &file(Some(env)), &key(), &no_assumption()).unwrap();
            assert_eq!(plan.accounts_to_add.len(), 1);
        }
    }
    // No network in the file: refused, unless the caller names one.
    assert_eq!(
        import::preview(&test, &file(None), &key(), &no_assumption()).unwrap_err(),
        StoreError::UnknownNetwork
    );
    assert!(StoreError::UnknownNetwork
        .to_string()
        .contains("network of this backup is unknown"));
    let assume = |e| ImportOptions {
        assume_network: Some(e),
    };
    let plan = import::preview(&test, &file(None), &key(), &assume(Network::Testnet)).unwrap();
    assert!(plan.network_assumed);
    assert_eq!(plan.file_network, Network::Testnet);
    assert_eq!(
        import::preview(&main, &file(None), &key(), &assume(Network::Testnet)).unwrap_err(),
        StoreError::NetworkMismatch {
            wallet: Network::Mainnet,
            file: Network::Testnet
        }
    );
    // The export names the wallet's network.
    import::import(&stage, &file(Some("testnet")), &key(), &no_assumption()).unwrap();
    assert_eq!(
        stage.export_data(&key()).unwrap().environment,
        Some(Network::Stagenet)
    );
}

// ---------------------------------------------------------------------------------------------
// The merge

fn the_report_equals_the_preview_and_a_second_import_changes_nothing(stores: &mut dyn Stores) {
    let store = stores.new_store(Network::Testnet);
    store
        .add_contact("Carol", address("carol").as_str())
        .unwrap();
    let data = wallet(
        Some("testnet"),
        vec![ann_a1_a2(), ben_b1()],
        vec![
            contact("Bob", address("bob").as_str()),
            contact("Carol", address("carol").as_str()),
        ],
    );
    let preview = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    let report = import::import(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(report, preview.report());
    assert_eq!(report.changes(), 2 + 3 + 1);
    assert_eq!(
        report.already_present,
        [Present::Contact(ContactItem {
            index: 1,
            name: "Carol".into(),
            address: address("carol").as_str().into()
        })]
    );

    let before = store.dump();
    let again = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(again.changes(), 0);
    assert!(again.identities_to_add.is_empty());
    assert!(again.accounts_to_add.is_empty());
    assert!(again.contacts_to_add.is_empty());
    assert!(again.conflicts.is_empty());
    assert_eq!(again.already_present.len(), 2 + 3 + 2);
    let report2 = store.apply(&again, &data, &key()).unwrap();
    assert_eq!(report2.changes(), 0);
    assert_eq!(report2, again.report());
    assert_eq!(store.dump(), before, "the database changed");
}

fn duplicates_conflicts_upgrades_and_skips_follow_the_rules(stores: &mut dyn Stores) {
    let store = stores.new_store(Network::Testnet);
    // The wallet: Ann with A1 and A2, Ben with B1, a read-only account A3 of Ann (found by a
    // scan), a read-only account X1 of Ben, contacts Carol and Dave.
    let existing = wallet(
        Some("testnet"),
        vec![ann_a1_a2(), ben_b1()],
        vec![
            contact("Carol", address("carol").as_str()),
            json!({"name": "Dave", "address": address("dave").as_str(), "note": "old"}),
        ],
    );
    import::import(&store, &existing, &key(), &no_assumption()).unwrap();
    store
        .add_read_only_account("icp-ann", "Found 3", address("a3").as_str())
        .unwrap();
    store
        .add_read_only_account("icp-ben", "Found X", address("x1").as_str())
        .unwrap();
    assert_eq!(
        store.add_read_only_account("icp-ann", "again", address("a1").as_str()),
        Err(StoreError::AccountExists)
    );
    let s = store.summary().unwrap();
    assert!(s.identities[0].accounts[2].read_only);

    // The backup.
    let mut renamed_a2 = account_json("A2 renamed", address("a2").as_str());
    renamed_a2["accountKeys"] = account_json("A2", address("a2").as_str())["accountKeys"].clone();
    let mut ann = identity_json(
        "Ann",
        Some("icp-ann"),
        vec![
            account_json("A1", address("a1").as_str()), // same: present
            renamed_a2,                                 // other name: conflict
            account_json("A3", address("a3").as_str()), // read-only in the wallet: upgrade
            account_json("A4", address("a4").as_str()), // new: add
            account_json("B1", address("b1").as_str()), // Ben's account in the wallet: conflict
            account_json("X1", address("x1").as_str()), // read-only of Ben: conflict, not upgraded
            account_json("A4 again", address("a4").as_str()), // duplicate in the file: skipped
        ],
    );
    ann["nextAccountNumber"] = json!(2); // same as stored: identity present
    let mut keyless = account_json("NoKeys", address("nokeys").as_str());
    keyless["accountKeys"] = json!({});
    let mut ben_changed = identity_json(
        "Benjamin",
        Some("icp-ben"),
        vec![account_json("B2", address("b2").as_str())],
    );
    ben_changed["nextAccountNumber"] = json!(1);
    let data = wallet(
        Some("testnet"),
        vec![
            ann,
            ben_changed, // conflict, B2 added
            identity_json(
                "Cy",
                Some("icp-cy"),
                vec![keyless, account_json("C1", address("c1").as_str())],
            ),
            identity_json(
                "Old",
                None,
                vec![account_json("O1", address("o1").as_str())],
            ), // skipped
            identity_json(
                "Cy copy",
                Some("icp-cy"),
                vec![account_json("C2", address("c2").as_str())],
            ),
        ],
        vec![
            contact("Carol", address("carol").as_str()),    // present
            contact("Caroline", address("carol").as_str()), // same address, other name: conflict
            contact("Eve", address("eve").as_str()),        // add
            contact("Eve", address("eve").as_str()),        // duplicate in file
            contact("Evelyn", address("eve").as_str()),     // conflicts with the planned Eve
            json!({"name": "Dave", "address": address("dave").as_str(), "note": "new"}), // details differ
        ],
    );

    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    let acc = |ii: usize, i: usize, name: &str, addr: &str, icp: &str| AccountItem {
        identity_index: ii,
        index: i,
        name: name.into(),
        address: addr.into(),
        id_cred_pub: icp.into(),
    };
    let con = |i: usize, name: &str, addr: &str| ContactItem {
        index: i,
        name: name.into(),
        address: addr.into(),
    };
    assert_eq!(
        plan.identities_to_add,
        [IdentityItem {
            index: 2,
            name: "Cy".into(),
            id_cred_pub: "icp-cy".into()
        }]
    );
    assert_eq!(
        plan.accounts_to_add,
        [
            acc(0, 3, "A4", address("a4").as_str(), "icp-ann"),
            acc(1, 0, "B2", address("b2").as_str(), "icp-ben"),
            acc(2, 1, "C1", address("c1").as_str(), "icp-cy"),
            acc(4, 0, "C2", address("c2").as_str(), "icp-cy"),
        ]
    );
    assert_eq!(
        plan.accounts_to_upgrade,
        [acc(0, 2, "A3", address("a3").as_str(), "icp-ann")]
    );
    assert_eq!(
        plan.contacts_to_add,
        [con(2, "Eve", address("eve").as_str())]
    );
    assert!(plan.fields_to_add.is_empty());
    assert_eq!(
        plan.already_present,
        [
            Present::Identity(IdentityItem {
                index: 0,
                name: "Ann".into(),
                id_cred_pub: "icp-ann".into()
            }),
            Present::Account(acc(0, 0, "A1", address("a1").as_str(), "icp-ann")),
            Present::Contact(con(0, "Carol", address("carol").as_str())),
        ]
    );
    assert_eq!(
        plan.conflicts,
        [
            Conflict::AccountDiffers {
                item: acc(0, 1, "A2 renamed", address("a2").as_str(), "icp-ann"),
                name_in_wallet: "A2".into()
            },
            Conflict::AccountOfOtherIdentity {
                item: acc(0, 4, "B1", address("b1").as_str(), "icp-ann"),
                name_in_wallet: "B1".into(),
                id_cred_pub_in_wallet: "icp-ben".into()
            },
            Conflict::AccountOfOtherIdentity {
                item: acc(0, 5, "X1", address("x1").as_str(), "icp-ann"),
                name_in_wallet: "Found X".into(),
                id_cred_pub_in_wallet: "icp-ben".into()
            },
            Conflict::IdentityDiffers {
                item: IdentityItem {
                    index: 1,
                    name: "Benjamin".into(),
                    id_cred_pub: "icp-ben".into()
                },
                name_in_wallet: "Ben".into()
            },
            Conflict::ContactNameDiffers {
                item: con(1, "Caroline", address("carol").as_str()),
                name_in_wallet: "Carol".into()
            },
            Conflict::ContactNameDiffers {
                item: con(4, "Evelyn", address("eve").as_str()),
                name_in_wallet: "Eve".into()
            },
            Conflict::ContactDetailsDiffer {
                item: con(5, "Dave", address("dave").as_str())
            },
        ]
    );
    let skip = |kind, name: &str, key: Option<&str>, reason| Skipped {
        kind,
        name: name.into(),
        key: key.map(Into::into),
        reason,
    };
    assert_eq!(
        plan.skipped,
        [
            skip(
                ItemKind::Account,
                "A4 again",
                Some(address("a4").as_str()),
                SkipReason::DuplicateInFile
            ),
            skip(
                ItemKind::Account,
                "NoKeys",
                Some(address("nokeys").as_str()),
                SkipReason::KeysMissing
            ),
            skip(ItemKind::Identity, "Old", None, SkipReason::NoIdCredPub),
            skip(
                ItemKind::Account,
                "O1",
                Some(address("o1").as_str()),
                SkipReason::IdentitySkipped
            ),
            skip(
                ItemKind::Identity,
                "Cy copy",
                Some("icp-cy"),
                SkipReason::DuplicateInFile
            ),
            skip(
                ItemKind::Contact,
                "Eve",
                Some(address("eve").as_str()),
                SkipReason::DuplicateInFile
            ),
        ]
    );
    assert_eq!(
        SkipReason::KeysMissing.to_string(),
        "the account's keys are missing"
    );

    let before = store.export_data(&key()).unwrap();
    let report = store.apply(&plan, &data, &key()).unwrap();
    assert_eq!(report, plan.report());
    assert_eq!(report.changes(), 1 + 4 + 1 + 1);

    // Conflicts were not overwritten; the upgrade got the backup's keys and data.
    let after = store.export_data(&key()).unwrap();
    let account = |w: &WalletData, addr: &str| {
        w.value
            .identities
            .iter()
            .flat_map(|i| i.accounts.iter())
            .find(|a| a.address == addr)
            .cloned()
    };
    assert_eq!(
        account(&after, address("a2").as_str()),
        account(&before, address("a2").as_str())
    );
    assert_eq!(account(&after, address("a2").as_str()).unwrap().name, "A2");
    assert_eq!(
        account(&before, address("a3").as_str()),
        None,
        "read-only is not exported"
    );
    assert_eq!(
        account(&after, address("a3").as_str()).unwrap(),
        data.value.identities[0].accounts[2]
    );
    assert_eq!(after.value.identities[1].name, "Ben");
    assert_eq!(after.value.identities[1].accounts.len(), 2);
    let s = store.summary().unwrap();
    let ann = &s.identities[0];
    let flags: Vec<(&str, bool)> = ann
        .accounts
        .iter()
        .map(|a| (a.address.as_str(), a.read_only))
        .collect();
    assert_eq!(
        flags,
        [
            (address("a1").as_str(), false),
            (address("a2").as_str(), false),
            (address("a3").as_str(), false),
            (address("a4").as_str(), false)
        ]
    );
    assert!(s.identities[1].accounts[1].read_only, "X1 stays read-only");
    let dave = after
        .value
        .recipients
        .iter()
        .find(|r| r.name == "Dave")
        .unwrap();
    assert_eq!(dave.extra["note"], json!("old"));
    let names: Vec<&str> = s.contacts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Carol", "Dave", "Eve"]);

    // The same backup again: nothing left to do.
    let again = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(again.changes(), 0);
}

fn unmodelled_wallet_fields_are_added_or_reported(stores: &mut dyn Stores) {
    let store = stores.new_store(Network::Testnet);
    let mut data = wallet(Some("testnet"), vec![], vec![]);
    data.extra.insert("a".into(), json!(1));
    data.value.extra.insert("b".into(), json!([1]));
    import::import(&store, &data, &key(), &no_assumption()).unwrap();
    data.extra.insert("a".into(), json!(2));
    data.value.extra.insert("c".into(), json!("new"));
    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(
        plan.conflicts,
        [Conflict::FieldDiffers(FieldItem {
            scope: FieldScope::TopLevel,
            name: "a".into()
        })]
    );
    assert_eq!(
        plan.fields_to_add,
        [FieldItem {
            scope: FieldScope::Value,
            name: "c".into()
        }]
    );
    store.apply(&plan, &data, &key()).unwrap();
    let out = store.export_data(&key()).unwrap();
    assert_eq!(out.extra["a"], json!(1));
    assert_eq!(out.value.extra["b"], json!([1]));
    assert_eq!(out.value.extra["c"], json!("new"));
}

fn a_plan_is_applied_only_to_the_store_and_revision_it_was_made_for(stores: &mut dyn Stores) {
    let store = stores.new_store(Network::Testnet);
    let other = stores.new_store(Network::Testnet);
    let data = small_wallet();
    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    assert!(matches!(
        other.apply(&plan, &data, &key()),
        Err(StoreError::PlanMismatch(_))
    ));
    // A plan applied with other data than it was made for.
    let mut renamed = data.clone();
    renamed.value.recipients[0].name = "Someone else".into();
    assert!(matches!(
        store.apply(&plan, &renamed, &key()),
        Err(StoreError::PlanMismatch(_))
    ));
    store.add_contact("Zed", address("zed").as_str()).unwrap();
    assert_eq!(
        store.apply(&plan, &data, &key()).unwrap_err(),
        StoreError::StalePlan
    );
    assert_eq!(store.summary().unwrap().account_count(), 0);
}

// ---------------------------------------------------------------------------------------------
// Address book and sharing

fn contacts_are_added_and_removed_without_a_key(stores: &mut dyn Stores) {
    let store = stores.new_store(Network::Testnet);
    assert!(store.add_contact("Bob", address("bob").as_str()).unwrap());
    assert!(!store.add_contact("Bob", address("bob").as_str()).unwrap());
    assert_eq!(
        store.add_contact("Robert", address("bob").as_str()),
        Err(StoreError::AddressHasOtherName)
    );
    assert!(matches!(
        store.add_contact("", address("x").as_str()),
        Err(StoreError::InvalidInput(_))
    ));
    assert!(store.add_contact("Bob", address("bob-2").as_str()).unwrap());
    assert!(store
        .remove_contact("Bob", address("bob").as_str())
        .unwrap());
    assert!(!store
        .remove_contact("Bob", address("bob").as_str())
        .unwrap());
    let s = store.summary().unwrap();
    assert_eq!(s.contacts.len(), 1);
    assert_eq!(s.contacts[0].address, address("bob-2").as_str());
    assert_eq!(s.revision, 3);
    assert_eq!(
        store.export_data(&key()).unwrap().value.recipients[0].name,
        "Bob"
    );
}

fn a_store_is_shared_between_threads(stores: &mut dyn Stores) {
    let subject = stores.new_store(Network::Testnet);
    let store = subject.shared();
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let s = store.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    s.add_contact(&format!("c{t}-{i}"), &address(&format!("{t}-{i}")))
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let s = store.summary().unwrap();
    assert_eq!(s.contact_count(), 100);
    assert_eq!(s.revision, 100);
}

fn accounts_and_contacts_with_invalid_addresses_are_skipped_with_the_reason(
    stores: &mut dyn Stores,
) {
    let store = stores.new_store(Network::Testnet);
    let valid = address("good");
    // A checksum error: the last character of a valid address changed.
    let mut typo = address("typo");
    let last = typo.pop().unwrap();
    typo.push(if last == '2' { '3' } else { '2' });
    let data = wallet(
        Some("testnet"),
        vec![identity_json(
            "Ann",
            Some("icp-ann"),
            vec![
                account_json("Bad", "not-an-address!!"),
                account_json("Good", &valid),
            ],
        )],
        vec![
            contact("Empty", ""),
            contact("Typo", &typo),
            contact("Spaced", &format!(" {valid}")),
            contact("Fine", &address("fine")),
        ],
    );
    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    let skipped: Vec<(ItemKind, &str, SkipReason)> = plan
        .skipped
        .iter()
        .map(|s| (s.kind, s.name.as_str(), s.reason))
        .collect();
    assert_eq!(
        skipped,
        [
            (ItemKind::Account, "Bad", SkipReason::InvalidAddress),
            (ItemKind::Contact, "Empty", SkipReason::InvalidAddress),
            (ItemKind::Contact, "Typo", SkipReason::InvalidAddress),
            (ItemKind::Contact, "Spaced", SkipReason::InvalidAddress),
        ]
    );
    assert_eq!(
        SkipReason::InvalidAddress.to_string(),
        "its address is not a valid Concordium account address"
    );
    let names: Vec<&str> = plan
        .accounts_to_add
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["Good"]);
    let names: Vec<&str> = plan
        .contacts_to_add
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["Fine"]);
    let report = import::import(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(report.skipped, plan.skipped);
    let s = store.summary().unwrap();
    assert_eq!(s.account_count(), 1);
    assert_eq!(s.contact_count(), 1);
}

fn the_address_book_takes_only_valid_addresses(stores: &mut dyn Stores) {
    let store = stores.new_store(Network::Testnet);
    let mut typo = address("x");
    let last = typo.pop().unwrap();
    typo.push(if last == '2' { '3' } else { '2' });
    for bad in ["not base58 !!", typo.as_str(), "4Rrg8bdCfGKVe7qMgbXS2Uf"] {
        assert_eq!(
            store.add_contact("Foo", bad),
            Err(StoreError::InvalidAddress),
            "{bad}"
        );
    }
    assert!(StoreError::InvalidAddress
        .to_string()
        .contains("not a valid Concordium account address"));
    assert_eq!(store.summary().unwrap().contact_count(), 0);
    assert!(store.add_contact("Foo", &address("x")).unwrap());
}

// ---------------------------------------------------------------------------------------------
// The storage key, export, backup status, all or nothing

fn a_wrong_key_reads_and_writes_nothing(stores: &mut dyn Stores) {
    let store = stores.new_store(Network::Testnet);
    let data = ann_a1_a2_and_bob();
    import::import(&store, &data, &key(), &no_assumption()).unwrap();
    let secrets = secret_strings(&data);
    assert_eq!(secrets.len(), 3 + 2 * 4);

    // A wrong key: every secret-reading call refuses with the typed error.
    assert_eq!(
        store.check_key(&wrong_key()),
        Err(StoreError::WrongStorageKey)
    );
    assert_eq!(
        store.export_data(&wrong_key()).unwrap_err(),
        StoreError::WrongStorageKey
    );
    assert_eq!(
        import::preview(&store, &data, &wrong_key(), &no_assumption()).unwrap_err(),
        StoreError::WrongStorageKey
    );
    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(
        store.apply(&plan, &data, &wrong_key()).unwrap_err(),
        StoreError::WrongStorageKey
    );

    // No key: the summary lists names and addresses, and nothing secret.
    let summary = store.summary().unwrap();
    let shown = format!("{summary:?}");
    assert!(shown.contains(&address("a2")) && shown.contains("Ann"));
    for s in &secrets {
        assert!(!shown.contains(s.as_str()));
    }
    // Error messages carry no secret either.
    assert!(!StoreError::WrongStorageKey.to_string().contains("5a5a"));
}

fn every_field_survives_import_and_export(stores: &mut dyn Stores) {
    let store = stores.new_store(Network::Testnet);
    let data = wallet_with_unmodelled_fields();
    let report = import::import(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(report.identities_added.len(), 1);
    assert_eq!(report.accounts_added.len(), 1);
    assert_eq!(report.contacts_added.len(), 1);
    assert_eq!(report.fields_added.len(), 2);
    let back = store.export_data(&key()).unwrap();
    assert_eq!(value(&back), value(&data));
}

fn the_backup_status_compares_the_last_export_with_the_wallet(stores: &mut dyn Stores) {
    let store = stores.new_store(Network::Testnet);
    let s = store.backup_status().unwrap();
    assert_eq!(
        (s.due, s.last_export_at),
        (BackupDue::NothingToBackUp, None)
    );
    store.add_contact("Cy", &address("cy")).unwrap();
    let s = store.backup_status().unwrap();
    assert_eq!(s.due, BackupDue::NothingToBackUp);
    assert_eq!(s.changes.contacts.added, 1);

    import::import(&store, &ann_a1_a2_and_bob(), &key(), &no_assumption()).unwrap();
    let s = store.backup_status().unwrap();
    assert_eq!(s.due, BackupDue::NeverExported);
    assert_eq!(
        (
            s.changes.identities.added,
            s.changes.accounts.added,
            s.changes.contacts.added
        ),
        (1, 2, 2)
    );

    // Recording an export changes the status, not the wallet's revision.
    let revision = store.summary().unwrap().revision;
    let exported = store.export_data(&key()).unwrap();
    store
        .record_export(&ExportSnapshot::of(&exported), 1_000)
        .unwrap();
    assert_eq!(store.summary().unwrap().revision, revision);
    let s = store.backup_status().unwrap();
    assert_eq!(
        (s.due, s.last_export_at),
        (BackupDue::UpToDate, Some(1_000))
    );
    assert!(s.changes.is_none());

    // A contact added and removed again is no change; one removed that was exported is.
    store.add_contact("Dee", &address("dee")).unwrap();
    assert_eq!(
        store.backup_status().unwrap().due,
        BackupDue::ChangedSinceExport
    );
    store.remove_contact("Dee", &address("dee")).unwrap();
    assert_eq!(store.backup_status().unwrap().due, BackupDue::UpToDate);
    store.remove_contact("Cy", &address("cy")).unwrap();
    let s = store.backup_status().unwrap();
    assert_eq!(
        (s.due, s.changes.contacts.removed),
        (BackupDue::ChangedSinceExport, 1)
    );

    // A read-only account has nothing to back up; upgraded with keys, it is new.
    store
        .add_read_only_account("icp-ann", "Found", &address("found"))
        .unwrap();
    assert_eq!(store.backup_status().unwrap().changes.accounts.added, 0);
}

fn an_injected_failure_halfway_through_apply_changes_nothing(stores: &mut dyn Stores) {
    let store = stores.new_store(Network::Testnet);
    store
        .add_contact("Carol", address("carol").as_str())
        .unwrap();
    let data = ann_with_accounts(20);
    let before = store.dump();
    let plan = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    for n in [0, 1, 10, 21] {
        store.fail_apply_after_writes(Some(n));
        assert!(matches!(
            store.apply(&plan, &data, &key()),
            Err(StoreError::Database(_))
        ));
        assert_eq!(
            store.dump(),
            before,
            "a failed apply left changes (after {n})"
        );
    }
    // Nothing is stuck: the same plan applies afterwards.
    let report = store.apply(&plan, &data, &key()).unwrap();
    assert_eq!(report.accounts_added.len(), 20);
}

fn a_ledger_backed_account_is_stored_read_only_with_its_ledger(stores: &mut dyn Stores) {
    let store = stores.new_store(Network::Testnet);
    let mut on_ledger = account_json("L1", &address("l1"));
    on_ledger["accountKeys"] = json!({});
    on_ledger["encryptionSecretKey"] = json!("");
    on_ledger["ledger"] = json!({"pairingId": "ab12", "path": "m/1105'/0'/0'/0'/0'/0'"});
    let data = wallet(
        Some("testnet"),
        vec![identity_json("Ann", Some("icp-ann"), vec![on_ledger])],
        vec![],
    );
    let report = import::import(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(report.accounts_added.len(), 1);
    let account = &store.summary().unwrap().identities[0].accounts[0];
    assert!(account.read_only);
    assert_eq!(account.ledger_pairing_id.as_deref(), Some("ab12"));
    // Its keys are on the Ledger: nothing to export, nothing to back up.
    let exported = store.export_data(&key()).unwrap();
    assert!(exported.value.identities[0].accounts.is_empty());
    assert_eq!(store.backup_status().unwrap().changes.accounts.added, 0);
    // The same backup again: already there.
    let again = import::preview(&store, &data, &key(), &no_assumption()).unwrap();
    assert_eq!(again.changes(), 0);
    assert!(matches!(again.already_present[1], Present::Account(_)));
}

/// Runs every contract test against every store.
macro_rules! contract {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $test() {
                    super::$test(&mut super::SqliteStores::new(stringify!($test)));
                }
            )*
        }
        mod memory {
            $(
                #[test]
                fn $test() {
                    super::$test(&mut super::MemoryStores);
                }
            )*
        }
    };
}

contract!(
    networks_follow_the_wallets_rules,
    the_report_equals_the_preview_and_a_second_import_changes_nothing,
    duplicates_conflicts_upgrades_and_skips_follow_the_rules,
    unmodelled_wallet_fields_are_added_or_reported,
    a_plan_is_applied_only_to_the_store_and_revision_it_was_made_for,
    contacts_are_added_and_removed_without_a_key,
    a_store_is_shared_between_threads,
    accounts_and_contacts_with_invalid_addresses_are_skipped_with_the_reason,
    the_address_book_takes_only_valid_addresses,
    a_wrong_key_reads_and_writes_nothing,
    every_field_survives_import_and_export,
    the_backup_status_compares_the_last_export_with_the_wallet,
    an_injected_failure_halfway_through_apply_changes_nothing,
    a_ledger_backed_account_is_stored_read_only_with_its_ledger,
);
