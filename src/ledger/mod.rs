//! The Concordium Ledger app: APDUs, transports and the operations a wallet needs
//! (docs/ledger.md describes the protocol as the code relies on it).
//!
//! - [`apdu`]: commands, replies, key paths; [`status`]: status words by name;
//!   [`version`]: what each app release understands (one table).
//! - [`hid_framing`]: Ledger's USB HID framing as pure functions; [`hid`] (feature `ledger-hid`):
//!   the USB transport through `hidapi`; [`transport`]: the [`Transport`] trait and Speculos over
//!   TCP. Phones plug their BLE or USB stack in through the FFI callback
//!   (`crate::ffi::LedgerExchange`).
//! - [`bridge`]: [`Ledger`], sending a command and reading which app is open; the operations in
//!   [`public_keys`] and [`key_export`]; [`replies`]: the reply parsers; [`error`]:
//!   [`LedgerError`].
//!
//! Exchanges are logged through the `log` crate (operation, instruction bytes, data lengths,
//! status words, the app and its version), never APDU data; exported keys are
//! [`crate::keys::Secret32`] and reply buffers are wiped.

pub mod apdu;
pub mod bridge;
pub mod error;
#[cfg(feature = "ledger-hid")]
pub mod hid;
pub mod hid_framing;
pub mod key_export;
pub mod public_keys;
pub mod replies;
pub mod status;
pub mod transport;
pub mod version;

pub use apdu::{AccountPath, IdentityPath};
pub use bridge::{AppInfo, Ledger, Timeouts};
pub use error::LedgerError;
pub use key_export::IdentityKeys;
pub use public_keys::SignedPublicKey;
pub use status::StatusWord;
pub use transport::{SpeculosTransport, Transport};
pub use version::{AppVersion, Capabilities};
