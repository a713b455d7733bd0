//! The bridge: [`Ledger`] over a [`Transport`], how it sends a command and reads its status word,
//! and which app is open.
//!
//! Before its first request to the Concordium app, the bridge asks Ledger OS which app is open and
//! its version (BOLOS `B0 01`), and from then on sends only what [`super::version::CAPABILITIES`]
//! says that release understands. The operations themselves are in [`super::public_keys`] (public
//! keys, pairing identifier, verify address) and [`super::key_export`] (identity keys); the reply
//! parsers in [`super::replies`].
//!
//! Every exchange is logged at `debug` (the operation, CLA/INS/P1/P2, how many data bytes went and
//! came back, the status word), never the bytes themselves: a reply can carry exported keys.

use std::time::Duration;

use zeroize::Zeroizing;

use super::apdu::{ins, Command, Reply, CLA_BOLOS};
use super::error::LedgerError;
use super::replies::{parse_bolos_app_info, printable};
use super::status::StatusWord;
use super::transport::Transport;
use super::version::{capabilities, AppVersion, Capabilities, NewPaths};
use crate::keys::Net;

/// The name the Concordium app reports.
pub const CONCORDIUM_APP_NAME: &str = "Concordium";
/// The name Ledger OS reports when no app is open.
const DASHBOARD_NAME: &str = "BOLOS";

/// How long to wait for replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// For requests the device answers by itself.
    pub reply: Duration,
    /// For requests a person must approve on the device.
    pub approval: Duration,
}

impl Default for Timeouts {
    /// 10 seconds for replies, 3 minutes for approvals.
    fn default() -> Self {
        Self {
            reply: Duration::from_secs(10),
            approval: Duration::from_secs(180),
        }
    }
}

/// The open app, as the device reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppInfo {
    /// The app's name from Ledger OS (`Concordium`).
    pub name: String,
    /// The version string from Ledger OS (`5.1.3`).
    pub version: String,
    /// The parsed version.
    pub app_version: AppVersion,
    /// The name the app itself reports (INS 0x21), where the release has that instruction.
    pub app_name: Option<String>,
    /// What this release understands.
    pub capabilities: Capabilities,
}

/// The Concordium app on one device, over any [`Transport`].
pub struct Ledger<T: Transport> {
    transport: T,
    timeouts: Timeouts,
    app: Option<AppInfo>,
}

impl<T: Transport> Ledger<T> {
    /// A bridge over `transport` with the default timeouts.
    pub fn new(transport: T) -> Self {
        Self::with_timeouts(transport, Timeouts::default())
    }

    /// A bridge with chosen timeouts.
    pub fn with_timeouts(transport: T, timeouts: Timeouts) -> Self {
        Self {
            transport,
            timeouts,
            app: None,
        }
    }

    /// Changes the timeouts.
    pub fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.timeouts = timeouts;
    }

    /// What the transport is connected to.
    pub fn describe_transport(&self) -> String {
        self.transport.describe()
    }

    pub(super) fn exchange(
        &mut self,
        command: &Command,
        approval: bool,
        operation: &str,
    ) -> Result<Reply, LedgerError> {
        let apdu = command.encode()?;
        let timeout = if approval {
            self.timeouts.approval
        } else {
            self.timeouts.reply
        };
        log::debug!(
            "{operation}: sending CLA {:02X} INS {:02X} P1 {:02X} P2 {:02X} with {} data bytes{}",
            command.cla,
            command.ins,
            command.p1,
            command.p2,
            command.data.len(),
            if approval {
                " (waiting for approval on the device)"
            } else {
                ""
            }
        );
        let reply = match self.transport.exchange(&apdu, timeout, operation) {
            Ok(raw) => Reply::parse(&raw),
            Err(LedgerError::Timeout { seconds, .. }) if approval => Err(LedgerError::Timeout {
                seconds,
                hint: ": nobody confirmed on the device",
            }),
            Err(e) => Err(e),
        };
        match &reply {
            Ok(r) => log::debug!(
                "{operation}: status {} with {} data bytes",
                r.status,
                r.data.len()
            ),
            Err(e) => log::warn!("{operation}: the exchange failed: {e}"),
        }
        reply
    }

    /// Sends `command` and returns the reply's data on success, or the typed error of its
    /// status word.
    pub(super) fn request(
        &mut self,
        command: &Command,
        approval: bool,
        operation: &str,
    ) -> Result<Zeroizing<Vec<u8>>, LedgerError> {
        let reply = self.exchange(command, approval, operation)?;
        if let Err(e) = status_to_result(reply.status, operation) {
            log::info!("{operation}: refused: {e}");
            return Err(e);
        }
        Ok(reply.data)
    }

    /// Name and version of the open app (Ledger OS's `B0 01`, and INS 0x21 where the release has
    /// it). Fails with [`LedgerError::OtherAppOpen`] when the Concordium app is not open.
    pub fn app_info(&mut self) -> Result<AppInfo, LedgerError> {
        let operation = "reading the app name and version";
        let bolos = Command {
            cla: CLA_BOLOS,
            ins: ins::BOLOS_APP_AND_VERSION,
            p1: 0,
            p2: 0,
            data: Vec::new(),
        };
        let data = self.request(&bolos, false, operation)?;
        let (name, version) = parse_bolos_app_info(&data)?;
        log::info!("the device has {name} {version} open");
        if name == DASHBOARD_NAME {
            return Err(LedgerError::OtherAppOpen {
                app: "the dashboard".into(),
            });
        }
        if name != CONCORDIUM_APP_NAME {
            return Err(LedgerError::OtherAppOpen {
                app: format!("the {name} app"),
            });
        }
        let app_version = AppVersion::parse(&version)?;
        let caps = capabilities(app_version)?;
        let app_name = if caps.app_name_ins {
            let data = self.request(
                &Command::app(ins::GET_APP_NAME, 0, 0, Vec::new()),
                false,
                "reading the app name (INS 0x21)",
            )?;
            Some(printable(&data, "app name")?)
        } else {
            None
        };
        let info = AppInfo {
            name,
            version,
            app_version,
            app_name,
            capabilities: caps,
        };
        log::debug!("app {} understands {:?}", info.version, info.capabilities);
        self.app = Some(info.clone());
        Ok(info)
    }

    /// The capabilities of the open app, asking the device once.
    pub(super) fn caps(&mut self) -> Result<Capabilities, LedgerError> {
        match &self.app {
            Some(a) => Ok(a.capabilities),
            None => Ok(self.app_info()?.capabilities),
        }
    }

    fn version_string(&self) -> String {
        self.app
            .as_ref()
            .map(|a| a.version.clone())
            .unwrap_or_default()
    }

    pub(super) fn unsupported(&self, what: &str) -> LedgerError {
        LedgerError::UnsupportedByApp {
            version: self.version_string(),
            what: what.to_string(),
        }
    }

    /// Refuses, before sending anything, a new-path request the release does not understand.
    pub(super) fn check_new_path(&mut self, net: Net) -> Result<Capabilities, LedgerError> {
        let caps = self.caps()?;
        match (caps.new_paths, net) {
            (NewPaths::None, _) => Err(self.unsupported("use new key paths (44'/…)")),
            (NewPaths::MainnetOnly, Net::Testnet) => {
                Err(self.unsupported("use Testnet key paths (44'/1'/…)"))
            }
            _ => Ok(caps),
        }
    }
}

/// The typed error for a status word other than success.
pub fn status_to_result(status: StatusWord, operation: &str) -> Result<(), LedgerError> {
    match status {
        StatusWord::Ok => Ok(()),
        StatusWord::RejectedByUser => Err(LedgerError::Rejected),
        s if s.means_locked() => Err(LedgerError::Locked),
        s if s.means_app_not_open() => Err(LedgerError::OtherAppOpen {
            app: "another app or the dashboard".into(),
        }),
        s => Err(LedgerError::Status {
            status: s,
            operation: operation.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_to_errors() {
        assert_eq!(status_to_result(StatusWord::Ok, "x"), Ok(()));
        assert_eq!(
            status_to_result(StatusWord::RejectedByUser, "x"),
            Err(LedgerError::Rejected)
        );
        assert_eq!(
            status_to_result(StatusWord::LockedDevice, "x"),
            Err(LedgerError::Locked)
        );
        assert!(matches!(
            status_to_result(StatusWord::AppNotOpen, "x"),
            Err(LedgerError::OtherAppOpen { .. })
        ));
        let e = status_to_result(StatusWord::InvalidPath, "reading a public key").unwrap_err();
        assert_eq!(
            e.to_string(),
            "The Concordium app refused reading a public key: invalid key path (6B02)."
        );
    }
}
