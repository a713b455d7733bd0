//! Importing a backup into a wallet store as a reviewed merge.
//!
//! [`preview`] compares a backup's wallet data with what the store holds and returns an
//! [`ImportPlan`] without changing anything: identities, accounts and address-book entries to add;
//! read-only accounts the backup upgrades with keys; what is already present; conflicts, which are
//! reported and never overwritten; and what is skipped, with the reason. [`import`] makes that
//! plan and has the store apply exactly it, in one transaction, so the [`ImportReport`] equals the
//! preview. Importing the same backup again changes nothing.
//!
//! The pieces: [`plan`](mod@plan) (the plan and report types), [`network`] (which backups a wallet takes),
//! the planner (one module each for identities and accounts, the address book and unmodelled
//! fields), [`preview`](preview()) and [`import`](import()), and [`apply`] (the checks every store
//! makes before it writes a plan). [`account_keys`] says whether an account carries keys.
//!
//! The rules follow Concordium's wallets (docs/references.md §A.1.4):
//!
//! - **Network.** A mainnet backup goes only into a mainnet wallet and a mainnet wallet takes only
//!   mainnet backups; testnet and stagenet backups go into any non-mainnet wallet (CryptoX's rule);
//!   other networks (mock, local) only into a wallet of the same network. A backup without a
//!   network is refused ([`StoreError::UnknownNetwork`](crate::store::StoreError::UnknownNetwork)) unless the caller names the network to
//!   assume ([`ImportOptions::assume_network`]).
//! - **Identities** are the same when their idCredPub is; one without idCredPub is skipped.
//! - **Accounts** are the same when their address is. An account already stored with other data
//!   (another name, other keys, another identity) is a conflict. A read-only account of the same
//!   identity is upgraded with the backup's account (its keys and its data). An account without
//!   keys in the backup is skipped.
//! - **Contacts** are the same when name and address are; the same address under another name is
//!   a conflict.
//! - **Addresses** of accounts and contacts must be Concordium account addresses (Base58Check,
//!   version byte 1, 32 bytes: [`validate_address`](crate::keys::validate_address)); an item whose address is not is skipped
//!   with [`SkipReason::InvalidAddress`].
//! - Fields this library does not model, at the top level and in `value`, are added when the
//!   wallet does not have them; a different value is a conflict.
//! - Within one backup, a second identity with an idCredPub seen before is skipped (its accounts
//!   are still considered), and so are a second account with the same address and a second
//!   identical contact.

pub mod account_keys;
pub mod apply;
pub mod network;
pub mod plan;
mod planner;
mod preview;

pub use account_keys::{has_keys, is_ledger_backed, ledger_pairing_id};
pub use apply::{check_base, AccountWrite, FieldWrite, Writes};
pub use network::{check_network, networks_compatible};
pub use plan::{
    AccountItem, Conflict, ContactItem, FieldItem, FieldScope, IdentityItem, ImportOptions,
    ImportPlan, ImportReport, ItemKind, Present, SkipReason, Skipped,
};
pub use planner::plan;
pub use preview::{import, preview};
