//! What can go wrong talking to a Ledger. No message contains a key or other secret.

use thiserror::Error;

use super::hid_framing::FramingError;
use super::status::StatusWord;

/// A Ledger error, with a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Error, strum::IntoStaticStr)]
pub enum LedgerError {
    /// No Ledger is connected (or none that this system lets us open).
    #[error("No Ledger was found. Connect it, unlock it and open the Concordium app.")]
    NoDevice,
    /// Several Ledgers are connected and none was chosen.
    #[error("{count} Ledgers are connected ({devices}); choose one by its serial number or path.")]
    AmbiguousDevice {
        /// How many.
        count: usize,
        /// Their serial numbers or paths, comma-separated.
        devices: String,
    },
    /// The Ledger chosen by serial number or path is not connected.
    #[error("No connected Ledger has the serial number or path \"{selector}\".")]
    DeviceNotFound {
        /// What was asked for.
        selector: String,
    },
    /// The device is locked.
    #[error("The Ledger is locked. Unlock it with its PIN and open the Concordium app.")]
    Locked,
    /// Another app (or the dashboard) is open on the device.
    #[error("The Ledger has {app} open: open the Concordium app.")]
    OtherAppOpen {
        /// The open app's name ("the dashboard" for Ledger OS itself).
        app: String,
    },
    /// The connection ended without a reply: the app exited, as it does on an instruction or a
    /// parameter it does not know, or the device was disconnected.
    #[error("The Concordium app closed; it may not support {operation}. Open it again and check its version.")]
    AppClosed {
        /// What was asked.
        operation: String,
    },
    /// The person declined on the device (status word 6985).
    #[error("The request was rejected on the Ledger.")]
    Rejected,
    /// No reply in time (for requests that need approval: nobody confirmed on the device).
    #[error("The Ledger did not answer within {seconds} seconds{hint}.")]
    Timeout {
        /// How long we waited.
        seconds: u64,
        /// ": nobody confirmed on the device" for approvals, empty otherwise.
        hint: &'static str,
    },
    /// The app answered a status word other than success.
    #[error("The Concordium app refused {operation}: {status}.")]
    Status {
        /// The word, by name.
        status: StatusWord,
        /// What was asked.
        operation: String,
    },
    /// The running app release cannot do this; nothing was sent.
    #[error("The Concordium app {version} cannot {what}; update the app with Ledger Live.")]
    UnsupportedByApp {
        /// The release.
        version: String,
        /// What it cannot do.
        what: String,
    },
    /// The app release is older than every release the bridge knows.
    #[error(
        "The Concordium app {version} is too old for this wallet; update it with Ledger Live."
    )]
    UnsupportedAppVersion {
        /// The release.
        version: String,
    },
    /// The reply does not have the form the protocol promises.
    #[error("The Ledger's reply is not valid: {0}.")]
    BadReply(String),
    /// A public key's signature does not verify under that key.
    #[error("The Ledger's signature on the public key does not verify.")]
    BadSignature,
    /// The USB HID packets are not well formed.
    #[error("The Ledger's USB packets are not valid: {0}.")]
    Framing(FramingError),
    /// The connection to the device or emulator failed.
    #[error("Cannot talk to the Ledger: {0}.")]
    Connection(String),
    /// The request itself is invalid (an index of 2^31 or more, a bad transport name).
    #[error("Invalid Ledger request: {0}.")]
    InvalidRequest(String),
    /// This build has no USB HID support.
    #[error("This build has no USB HID support for Ledgers; use --transport speculos or a build with the ledger-hid feature.")]
    HidUnavailable,
}

impl From<FramingError> for LedgerError {
    fn from(e: FramingError) -> Self {
        Self::Framing(e)
    }
}
