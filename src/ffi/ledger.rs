//! The Ledger bridge for the bindings: a [`LedgerBridge`] over Speculos (TCP) or over a transport
//! the app supplies ([`LedgerExchange`]: BLE or USB on Android and iOS).
//!
//! This surface is the same in every build (USB HID is a desktop feature of the command line and
//! is not exported), so the committed bindings match phone builds too. Exported identity keys
//! cross as bytes the platform must wipe after use.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use zeroize::Zeroizing;

use super::Network;
use crate::keys::hex_encode;
use crate::ledger::apdu::{path_to_string, MAX_REPLY};
use crate::ledger::{
    AccountPath, IdentityPath, Ledger, LedgerError, SignedPublicKey, SpeculosTransport, Timeouts,
    Transport,
};

/// An error from the Ledger bridge. `message` is a sentence to show the person.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum LedgerBridgeError {
    /// No Ledger is connected.
    #[error("{0}")]
    NoDevice(String),
    /// Several Ledgers are connected and none was chosen.
    #[error("{0}")]
    AmbiguousDevice(String),
    /// The chosen Ledger is not connected.
    #[error("{0}")]
    DeviceNotFound(String),
    /// The device is locked.
    #[error("{0}")]
    Locked(String),
    /// Another app, or the dashboard, is open: the person must open the Concordium app.
    #[error("{0}")]
    OtherAppOpen(String),
    /// The Concordium app closed without answering (it may not support the request).
    #[error("{0}")]
    AppClosed(String),
    /// The person rejected the request on the device.
    #[error("{0}")]
    Rejected(String),
    /// No answer in time (for approvals: nobody confirmed on the device).
    #[error("{0}")]
    Timeout(String),
    /// The app answered an error status word (named in the message).
    #[error("{0}")]
    Status(String),
    /// The running app release cannot do this; nothing was sent.
    #[error("{0}")]
    UnsupportedByApp(String),
    /// The app release is too old.
    #[error("{0}")]
    UnsupportedAppVersion(String),
    /// The reply is malformed, or a signature on a public key does not verify.
    #[error("{0}")]
    BadReply(String),
    /// The connection or the transport failed.
    #[error("{0}")]
    Transport(String),
    /// The request is invalid (an index of 2^31 or more, a bad address).
    #[error("{0}")]
    InvalidRequest(String),
}

impl From<LedgerError> for LedgerBridgeError {
    fn from(e: LedgerError) -> Self {
        let m = e.to_string();
        match e {
            LedgerError::NoDevice => Self::NoDevice(m),
            LedgerError::AmbiguousDevice { .. } => Self::AmbiguousDevice(m),
            LedgerError::DeviceNotFound { .. } => Self::DeviceNotFound(m),
            LedgerError::Locked => Self::Locked(m),
            LedgerError::OtherAppOpen { .. } => Self::OtherAppOpen(m),
            LedgerError::AppClosed { .. } => Self::AppClosed(m),
            LedgerError::Rejected => Self::Rejected(m),
            LedgerError::Timeout { .. } => Self::Timeout(m),
            LedgerError::Status { .. } => Self::Status(m),
            LedgerError::UnsupportedByApp { .. } => Self::UnsupportedByApp(m),
            LedgerError::UnsupportedAppVersion { .. } => Self::UnsupportedAppVersion(m),
            LedgerError::BadReply(_) | LedgerError::BadSignature => Self::BadReply(m),
            LedgerError::Framing(_) | LedgerError::Connection(_) | LedgerError::HidUnavailable => {
                Self::Transport(m)
            }
            LedgerError::InvalidRequest(_) => Self::InvalidRequest(m),
        }
    }
}

/// How a platform transport failed.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum LedgerTransportError {
    /// No Ledger is connected or paired.
    #[error("No Ledger is connected.")]
    NoDevice,
    /// The connection ended without a reply (the app closed, or the device went away).
    #[error("The Ledger connection closed.")]
    Closed,
    /// No reply within the time given.
    #[error("The Ledger did not answer in time.")]
    Timeout,
    /// Anything else; `reason` is shown to the person (it must hold no secret).
    #[error("{reason}")]
    Failed {
        /// What went wrong. (Not `message`: Kotlin exceptions already have one.)
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for LedgerTransportError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed { reason: e.reason }
    }
}

/// A transport the app provides (BLE or USB): sends one APDU and returns the device's whole
/// reply, data followed by the 2-byte status word.
///
/// `timeout_ms` is how long to wait for the reply (long when the person must approve on the
/// device); the implementation must give up after it with `Timeout`, and report a connection
/// that ends with no reply as `Closed` (the Concordium app exits on requests it does not know).
#[uniffi::export(foreign)]
pub trait LedgerExchange: Send + Sync {
    /// Sends `apdu`, returns `data ‖ SW1 SW2`.
    fn exchange(&self, apdu: Vec<u8>, timeout_ms: u64) -> Result<Vec<u8>, LedgerTransportError>;
    /// What this transport talks to, for people ("Nano X over Bluetooth").
    fn describe(&self) -> String;
}

struct PlatformTransport(Arc<dyn LedgerExchange>);

impl Transport for PlatformTransport {
    fn exchange(
        &mut self,
        apdu: &[u8],
        timeout: Duration,
        operation: &str,
    ) -> Result<Zeroizing<Vec<u8>>, LedgerError> {
        let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        match self.0.exchange(apdu.to_vec(), ms) {
            Ok(reply) => {
                let reply = Zeroizing::new(reply);
                if reply.len() > MAX_REPLY {
                    return Err(LedgerError::BadReply(format!(
                        "a reply of {} bytes is longer than the {MAX_REPLY} accepted",
                        reply.len()
                    )));
                }
                Ok(reply)
            }
            Err(LedgerTransportError::NoDevice) => Err(LedgerError::NoDevice),
            Err(LedgerTransportError::Closed) => Err(LedgerError::AppClosed {
                operation: operation.to_string(),
            }),
            Err(LedgerTransportError::Timeout) => Err(LedgerError::Timeout {
                seconds: timeout.as_secs(),
                hint: "",
            }),
            Err(LedgerTransportError::Failed { reason }) => {
                Err(LedgerError::Connection(reason.chars().take(200).collect()))
            }
        }
    }

    fn describe(&self) -> String {
        self.0.describe().chars().take(200).collect()
    }
}

/// A key path for an account's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LedgerAccountPath {
    /// Desktop Wallet paths `1105'/0'/0'/0'/identity'/2'/credential'/0'`.
    Legacy {
        /// The identity index.
        identity: u32,
        /// The credential (account) number.
        credential: u32,
    },
    /// Seed-wallet paths `44'/coin'/idp'/identity'/0'/credential'`.
    New {
        /// Mainnet or Testnet.
        network: Network,
        /// The identity provider's ipIdentity.
        idp: u32,
        /// The identity index.
        identity: u32,
        /// The credential (account) number.
        credential: u32,
    },
}

impl From<LedgerAccountPath> for AccountPath {
    fn from(p: LedgerAccountPath) -> Self {
        match p {
            LedgerAccountPath::Legacy {
                identity,
                credential,
            } => Self::Legacy {
                identity,
                credential,
            },
            LedgerAccountPath::New {
                network,
                idp,
                identity,
                credential,
            } => Self::New {
                net: network.into(),
                idp,
                identity,
                credential,
            },
        }
    }
}

/// Whose identity keys to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LedgerIdentityPath {
    /// A Desktop Wallet identity (`1105'` paths).
    Legacy {
        /// The identity index.
        identity: u32,
    },
    /// A seed-wallet identity (`44'` paths).
    New {
        /// Mainnet or Testnet.
        network: Network,
        /// The identity provider's ipIdentity.
        idp: u32,
        /// The identity index.
        identity: u32,
    },
}

impl From<LedgerIdentityPath> for IdentityPath {
    fn from(p: LedgerIdentityPath) -> Self {
        match p {
            LedgerIdentityPath::Legacy { identity } => Self::Legacy { identity },
            LedgerIdentityPath::New {
                network,
                idp,
                identity,
            } => Self::New {
                net: network.into(),
                idp,
                identity,
            },
        }
    }
}

/// The open app.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LedgerAppInfo {
    /// `Concordium`.
    pub name: String,
    /// The release, e.g. `5.1.3`.
    pub version: String,
    /// The name the app reports itself, where the release can (5.0 and later).
    pub app_name: Option<String>,
    /// The transport, e.g. `speculos 127.0.0.1:9999`.
    pub transport: String,
}

/// A public key from the device, its signature already verified.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LedgerPublicKey {
    /// The path, e.g. `m/1105'/0'`.
    pub path: String,
    /// The 32-byte Ed25519 public key.
    pub public_key: Vec<u8>,
    /// The same, as lower-case hex (for the pairing identifier, this is the identifier).
    pub public_key_hex: String,
    /// The 64-byte Ed25519 signature of the key under itself.
    pub signature: Vec<u8>,
}

impl From<SignedPublicKey> for LedgerPublicKey {
    fn from(k: SignedPublicKey) -> Self {
        Self {
            path: path_to_string(&k.path),
            public_key: k.key.to_vec(),
            public_key_hex: hex_encode(&k.key).to_string(),
            signature: k.signature.to_vec(),
        }
    }
}

/// An identity's secrets from the device. **Wipe every array after use.**
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct LedgerIdentityKeys {
    /// The PRF key (32 bytes, big-endian scalar).
    pub prf_key: Vec<u8>,
    /// idCredSec (32 bytes, big-endian scalar).
    pub id_cred_sec: Vec<u8>,
    /// The signature blinding randomness, where the app release exports it (5.2 and later, new
    /// paths).
    pub blinding_randomness: Option<Vec<u8>>,
}

impl std::fmt::Debug for LedgerIdentityKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LedgerIdentityKeys(redacted)")
    }
}

/// The Concordium app on one Ledger. Calls block until the device answers (or the timeout ends):
/// call them off the main thread. One request at a time; concurrent calls wait their turn.
#[derive(uniffi::Object)]
pub struct LedgerBridge {
    ledger: Mutex<Ledger<Box<dyn Transport>>>,
}

impl LedgerBridge {
    fn over(transport: Box<dyn Transport>) -> Arc<Self> {
        Arc::new(Self {
            ledger: Mutex::new(Ledger::new(transport)),
        })
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Ledger<Box<dyn Transport>>> {
        // A panic cannot leave the bridge half-updated (it holds only the cached app info).
        self.ledger.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[uniffi::export]
impl LedgerBridge {
    /// A bridge to Speculos (Ledger's emulator) at `HOST:PORT`.
    #[uniffi::constructor]
    pub fn speculos(address: String) -> Result<Arc<Self>, LedgerBridgeError> {
        Ok(Self::over(Box::new(SpeculosTransport::connect(&address)?)))
    }

    /// A bridge over the app's own transport (BLE or USB).
    #[uniffi::constructor]
    pub fn platform(transport: Arc<dyn LedgerExchange>) -> Arc<Self> {
        Self::over(Box::new(PlatformTransport(transport)))
    }

    /// Sets how long to wait: `reply_ms` for requests the device answers by itself (default
    /// 10 s), `approval_ms` for requests a person approves on the device (default 3 min).
    pub fn set_timeouts(&self, reply_ms: u64, approval_ms: u64) {
        self.lock().set_timeouts(Timeouts {
            reply: Duration::from_millis(reply_ms.max(1)),
            approval: Duration::from_millis(approval_ms.max(1)),
        });
    }

    /// The open app's name and version. Fails with `OtherAppOpen` when the Concordium app is not
    /// the one open.
    pub fn app_info(&self) -> Result<LedgerAppInfo, LedgerBridgeError> {
        let mut l = self.lock();
        let info = l.app_info()?;
        Ok(LedgerAppInfo {
            name: info.name,
            version: info.version,
            app_name: info.app_name,
            transport: l.describe_transport(),
        })
    }

    /// The wallet pairing identifier: the public key at `m/1105'/0'` (read silently).
    pub fn pairing_id(&self) -> Result<LedgerPublicKey, LedgerBridgeError> {
        Ok(self.lock().pairing_id()?.into())
    }

    /// An account's public key, signature verified; `confirm` shows it on the device and waits
    /// for approval.
    pub fn public_key(
        &self,
        path: LedgerAccountPath,
        confirm: bool,
    ) -> Result<LedgerPublicKey, LedgerBridgeError> {
        Ok(self.lock().public_key(&path.into(), confirm)?.into())
    }

    /// Shows the account's address on the device; returns once the person approved it.
    pub fn verify_address(&self, path: LedgerAccountPath) -> Result<(), LedgerBridgeError> {
        Ok(self.lock().verify_address(&path.into())?)
    }

    /// The PRF key and idCredSec of an identity (for recovery), after approval on the device.
    pub fn export_identity_keys(
        &self,
        path: LedgerIdentityPath,
    ) -> Result<LedgerIdentityKeys, LedgerBridgeError> {
        let keys = self.lock().export_identity_keys(&path.into())?;
        Ok(LedgerIdentityKeys {
            prf_key: keys.prf_key.as_bytes().to_vec(),
            id_cred_sec: keys.id_cred_sec.as_bytes().to_vec(),
            blinding_randomness: keys
                .blinding_randomness
                .as_ref()
                .map(|b| b.as_bytes().to_vec()),
        })
    }
}
