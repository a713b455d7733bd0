//! What each release of the Concordium app understands: one table, chosen by the version the
//! device reports (docs/ledger.md, "App versions").
//!
//! The app exits (instead of answering a status word) on an instruction or parameter it does not
//! know (measured on 5.1.3; 5.7 turns failures inside handlers into status words), so the bridge
//! must never send what the running version lacks. Every
//! operation asks this table first and refuses, with a typed error, what the version cannot do.

use std::fmt;

use super::error::LedgerError;

/// A release number `major.minor.patch` as the device reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AppVersion {
    /// Major.
    pub major: u16,
    /// Minor.
    pub minor: u16,
    /// Patch.
    pub patch: u16,
}

impl AppVersion {
    /// `major.minor.patch`.
    pub const fn new(major: u16, minor: u16, patch: u16) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }

    /// Parses `5.1.3` (a suffix after the patch number, as in `5.1.3-rc1`, is ignored).
    pub fn parse(s: &str) -> Result<Self, LedgerError> {
        let bad = || LedgerError::BadReply("the app version is not of the form 1.2.3".into());
        let mut parts = s.trim().splitn(3, '.');
        let mut next = |last: bool| -> Result<u16, LedgerError> {
            let p = parts.next().ok_or_else(bad)?;
            let digits = if last {
                let end = p.find(|c: char| !c.is_ascii_digit()).unwrap_or(p.len());
                &p[..end]
            } else {
                p
            };
            if digits.is_empty() || digits.len() > 5 {
                return Err(bad());
            }
            digits.parse().map_err(|_| bad())
        };
        Ok(Self {
            major: next(false)?,
            minor: next(false)?,
            patch: next(true)?,
        })
    }
}

impl fmt::Display for AppVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// How INS 0x05 (PRF key / idCredSec export) frames its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFraming {
    /// `identity u32` (Concordium's own app before 5.0, and 5.2 onwards for legacy paths).
    IdentityOnly,
    /// A prefix byte: `00 identity` for legacy paths, `01 idp identity` for new Mainnet paths.
    PrefixByte,
}

/// How identity keys on new (`44'`) paths are exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewPathExport {
    /// Not at all.
    None,
    /// INS 0x05 with prefix byte `01` (Mainnet paths only: the app has no network parameter).
    Ins05Prefix,
    /// INS 0x37, network in P2.
    Ins37,
}

/// The form of the get-public-key (INS 0x01) reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicKeyReply {
    /// `key (32) [‖ signature (64)]`.
    Raw,
    /// `20 ‖ key [‖ 40 ‖ signature]`.
    LengthPrefixed,
}

/// Which new (`44'`) paths the app accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewPaths {
    /// None: only the legacy `1105'` paths.
    None,
    /// `44'/919'/…` only; the app exits on `44'/1'/…`.
    MainnetOnly,
    /// Mainnet and Testnet.
    MainnetAndTestnet,
}

/// What one range of releases understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// The first release of the range.
    pub since: AppVersion,
    /// Whether INS 0x21 (app name) exists.
    pub app_name_ins: bool,
    /// INS 0x05's data framing.
    pub export_framing: ExportFraming,
    /// How new-path identity keys are exported.
    pub new_path_export: NewPathExport,
    /// The get-public-key reply form.
    pub public_key_reply: PublicKeyReply,
    /// New paths for get-public-key and verify-address.
    pub new_paths: NewPaths,
    /// Whether verify-address on new paths takes the network in P2.
    pub verify_address_network_p2: bool,
}

/// The table, oldest first. Each row holds from its `since` release until the next row's.
pub const CAPABILITIES: [Capabilities; 4] = [
    // Concordium's own app (concordium-ledger-app), used by the Desktop Wallet: legacy paths only.
    Capabilities {
        since: AppVersion::new(1, 0, 0),
        app_name_ins: false,
        export_framing: ExportFraming::IdentityOnly,
        new_path_export: NewPathExport::None,
        public_key_reply: PublicKeyReply::Raw,
        new_paths: NewPaths::None,
        verify_address_network_p2: false,
    },
    // 5.0: new paths for get-public-key and verify-address; INS 0x05 gains the prefix byte.
    // Measured on 5.1.3: no INS 0x37 or 0x40, exits on 44'/1'/….
    Capabilities {
        since: AppVersion::new(5, 0, 0),
        app_name_ins: true,
        export_framing: ExportFraming::PrefixByte,
        new_path_export: NewPathExport::Ins05Prefix,
        public_key_reply: PublicKeyReply::Raw,
        new_paths: NewPaths::MainnetOnly,
        verify_address_network_p2: false,
    },
    // 5.2: export split in two: INS 0x05 legacy without prefix, INS 0x37 for new paths; replies
    // with length-prefixed fields.
    Capabilities {
        since: AppVersion::new(5, 2, 0),
        app_name_ins: true,
        export_framing: ExportFraming::IdentityOnly,
        new_path_export: NewPathExport::Ins37,
        public_key_reply: PublicKeyReply::LengthPrefixed,
        new_paths: NewPaths::MainnetOnly,
        verify_address_network_p2: false,
    },
    // 5.5: Testnet paths (44'/1'/…), verify-address with the network in P2.
    Capabilities {
        since: AppVersion::new(5, 5, 0),
        app_name_ins: true,
        export_framing: ExportFraming::IdentityOnly,
        new_path_export: NewPathExport::Ins37,
        public_key_reply: PublicKeyReply::LengthPrefixed,
        new_paths: NewPaths::MainnetAndTestnet,
        verify_address_network_p2: true,
    },
];

/// The capabilities of `version`; a version older than every row is refused.
pub fn capabilities(version: AppVersion) -> Result<Capabilities, LedgerError> {
    CAPABILITIES
        .iter()
        .rev()
        .find(|row| row.since <= version)
        .copied()
        .ok_or(LedgerError::UnsupportedAppVersion {
            version: version.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(v: &str) -> Capabilities {
        capabilities(AppVersion::parse(v).unwrap()).unwrap()
    }

    #[test]
    fn versions_parse_and_order() {
        assert_eq!(
            AppVersion::parse("5.1.3").unwrap(),
            AppVersion::new(5, 1, 3)
        );
        assert_eq!(
            AppVersion::parse("5.7.0-rc2").unwrap(),
            AppVersion::new(5, 7, 0)
        );
        for bad in ["", "5", "5.1", "a.b.c", "5..3", "5.1.x", "999999.0.0"] {
            assert!(AppVersion::parse(bad).is_err(), "{bad}");
        }
        assert!(AppVersion::new(5, 10, 0) > AppVersion::new(5, 9, 9));
    }

    #[test]
    fn release_5_1_3_as_measured() {
        let c = caps("5.1.3");
        assert!(c.app_name_ins);
        assert_eq!(c.export_framing, ExportFraming::PrefixByte);
        assert_eq!(c.new_path_export, NewPathExport::Ins05Prefix);
        assert_eq!(c.public_key_reply, PublicKeyReply::Raw);
        assert_eq!(c.new_paths, NewPaths::MainnetOnly);
        assert!(!c.verify_address_network_p2);
        assert_eq!(caps("5.0.0"), c);
        assert_eq!(caps("5.1.9"), c);
    }

    #[test]
    fn releases_from_5_2() {
        let c = caps("5.2.0");
        assert_eq!(c.export_framing, ExportFraming::IdentityOnly);
        assert_eq!(c.new_path_export, NewPathExport::Ins37);
        assert_eq!(c.public_key_reply, PublicKeyReply::LengthPrefixed);
        assert_eq!(c.new_paths, NewPaths::MainnetOnly);
        assert_eq!(caps("5.4.1"), c);
        let c = caps("5.7.0");
        assert_eq!(c.new_paths, NewPaths::MainnetAndTestnet);
        assert!(c.verify_address_network_p2);
        assert_eq!(caps("5.5.0"), c);
        assert_eq!(caps("6.0.0"), c);
    }

    #[test]
    fn old_releases() {
        let c = caps("4.1.0");
        assert!(!c.app_name_ins);
        assert_eq!(c.export_framing, ExportFraming::IdentityOnly);
        assert_eq!(c.new_path_export, NewPathExport::None);
        assert_eq!(c.new_paths, NewPaths::None);
        assert!(matches!(
            capabilities(AppVersion::new(0, 9, 0)),
            Err(LedgerError::UnsupportedAppVersion { .. })
        ));
    }
}
