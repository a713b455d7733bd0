//! USB HID transport (feature `ledger-hid`), through the `hidapi` crate.
//!
//! `hidapi` (the Rust wrapper of libusb's C hidapi, the library Ledger's own tools use) finds and
//! opens the device and moves 64-byte reports; the Ledger framing on top is
//! [`super::hid_framing`]. Every read has a deadline.

use std::time::{Duration, Instant};

use hidapi::{DeviceInfo, HidApi, HidDevice};
use zeroize::Zeroizing;

use super::error::LedgerError;
use super::hid_framing::{frame_apdu, ReplyAssembler, REPORT_SIZE};
use super::transport::Transport;

/// Ledger's USB vendor id.
pub const LEDGER_VENDOR_ID: u16 = 0x2c97;
/// The HID usage page of Ledger's APDU interface.
const LEDGER_USAGE_PAGE: u16 = 0xffa0;

/// A connected Ledger, as listed before opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HidDeviceSummary {
    /// The OS path of its HID interface (e.g. `/dev/hidraw3`).
    pub path: String,
    /// The USB serial number, when it reports one (many Ledgers report `0001`).
    pub serial: Option<String>,
    /// The product name (e.g. `Nano S Plus`).
    pub product: Option<String>,
}

impl HidDeviceSummary {
    fn from_info(info: &DeviceInfo) -> Self {
        Self {
            path: info.path().to_string_lossy().into_owned(),
            serial: info.serial_number().map(str::to_owned),
            product: info.product_string().map(str::to_owned),
        }
    }

    fn label(&self) -> String {
        match &self.serial {
            Some(s) => format!("serial {s} at {}", self.path),
            None => self.path.clone(),
        }
    }
}

/// True for the APDU interface of a Ledger (one per device).
fn is_ledger_apdu_interface(info: &DeviceInfo) -> bool {
    info.vendor_id() == LEDGER_VENDOR_ID
        && (info.usage_page() == LEDGER_USAGE_PAGE || info.interface_number() == 0)
}

fn hid_api() -> Result<HidApi, LedgerError> {
    HidApi::new().map_err(|e| LedgerError::Connection(format!("USB HID is not available: {e}")))
}

fn ledgers(api: &HidApi) -> Vec<&DeviceInfo> {
    let mut seen = std::collections::HashSet::new();
    api.device_list()
        .filter(|d| is_ledger_apdu_interface(d))
        .filter(|d| seen.insert(d.path().to_owned()))
        .collect()
}

/// The connected Ledgers.
pub fn list_devices() -> Result<Vec<HidDeviceSummary>, LedgerError> {
    let api = hid_api()?;
    Ok(ledgers(&api)
        .into_iter()
        .map(HidDeviceSummary::from_info)
        .collect())
}

/// A Ledger over USB HID.
pub struct HidTransport {
    device: HidDevice,
    summary: HidDeviceSummary,
}

impl HidTransport {
    /// Opens the only connected Ledger, or the one whose serial number or path is `selector`.
    /// No Ledger is [`LedgerError::NoDevice`]; several without a selector (or several with that
    /// serial number) is [`LedgerError::AmbiguousDevice`].
    pub fn open(selector: Option<&str>) -> Result<Self, LedgerError> {
        let api = hid_api()?;
        let all = ledgers(&api);
        if all.is_empty() {
            return Err(LedgerError::NoDevice);
        }
        let chosen: Vec<&DeviceInfo> = match selector {
            None => all,
            Some(sel) => {
                let matching: Vec<&DeviceInfo> = all
                    .into_iter()
                    .filter(|d| d.serial_number() == Some(sel) || d.path().to_string_lossy() == sel)
                    .collect();
                if matching.is_empty() {
                    return Err(LedgerError::DeviceNotFound {
                        selector: sel.chars().take(80).collect(),
                    });
                }
                matching
            }
        };
        if chosen.len() > 1 {
            return Err(LedgerError::AmbiguousDevice {
                count: chosen.len(),
                devices: chosen
                    .iter()
                    .map(|d| HidDeviceSummary::from_info(d).label())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let info = chosen[0];
        log::debug!(
            "opening the Ledger {}",
            HidDeviceSummary::from_info(info).label()
        );
        let device = info.open_device(&api).map_err(|e| {
            LedgerError::Connection(format!(
                "cannot open the Ledger at {} ({e}); on Linux, install Ledger's udev rules",
                info.path().to_string_lossy()
            ))
        })?;
        Ok(Self {
            device,
            summary: HidDeviceSummary::from_info(info),
        })
    }

    /// The opened device.
    pub fn summary(&self) -> &HidDeviceSummary {
        &self.summary
    }
}

impl Transport for HidTransport {
    fn exchange(
        &mut self,
        apdu: &[u8],
        timeout: Duration,
        operation: &str,
    ) -> Result<Zeroizing<Vec<u8>>, LedgerError> {
        let closed = || LedgerError::AppClosed {
            operation: operation.to_string(),
        };
        for report in frame_apdu(apdu)? {
            // hidapi wants the report id first; Ledger uses none (0).
            let mut out = [0u8; REPORT_SIZE + 1];
            out[1..].copy_from_slice(&report);
            self.device.write(&out).map_err(|_| closed())?;
        }
        let deadline = Instant::now() + timeout;
        let mut assembler = ReplyAssembler::new();
        let mut buf = Zeroizing::new([0u8; REPORT_SIZE]);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(LedgerError::Timeout {
                    seconds: timeout.as_secs(),
                    hint: "",
                });
            }
            let ms = i32::try_from(left.as_millis()).unwrap_or(i32::MAX).max(1);
            let n = self
                .device
                .read_timeout(&mut buf[..], ms)
                .map_err(|_| closed())?;
            if n == 0 {
                continue; // the deadline check above ends the wait
            }
            if let Some(reply) = assembler.push(&buf[..n])? {
                return Ok(reply);
            }
        }
    }

    fn describe(&self) -> String {
        let product = self.summary.product.as_deref().unwrap_or("Ledger");
        format!("hid {product} ({})", self.summary.label())
    }
}
