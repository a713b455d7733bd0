//! Status words: the two bytes that end every reply, as a typed enum with names.
//!
//! The Concordium app's words are those of its `responseCodes.h` / `globals.h` (docs/ledger.md,
//! "Status words"); the Ledger OS words (device locked, no app open) are those Ledger's own host
//! libraries name (`@ledgerhq/errors` `StatusCodes`).

use std::fmt;

/// A reply's status word, by name. [`StatusWord::Other`] keeps any word not named here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusWord {
    /// `9000`: success.
    Ok,
    /// `6982`: the app received no APDU (or an empty one).
    NoApduReceived,
    /// `6985`: the person declined on the device.
    RejectedByUser,
    /// `6E00`: the class byte is not the app's.
    InvalidCla,
    /// `6D00`: the app has no such instruction.
    InvalidIns,
    /// `6A87`: wrong data length (newer app releases).
    WrongDataLength,
    /// `6B01`: a multi-APDU flow changed instruction, or a step came out of order.
    InvalidState,
    /// `6B02`: the app refuses this key derivation path.
    InvalidPath,
    /// `6B03`: a parameter (P1, P2 or a field) is invalid.
    InvalidParam,
    /// `6B04`: the transaction is invalid.
    InvalidTransaction,
    /// `6B05`: unsupported CBOR in a memo or data blob.
    UnsupportedCbor,
    /// `6B06`: a buffer would overflow.
    BufferOverflow,
    /// `6B07`: a cryptographic operation on the device failed.
    CryptoFailed,
    /// `6B08`: invalid source length.
    InvalidSourceLength,
    /// `6B09`: invalid module reference.
    InvalidModuleRef,
    /// `6B0A`: invalid name length.
    InvalidNameLength,
    /// `6B0B`: invalid parameters length.
    InvalidParamsLength,
    /// `6B0C`: invalid coin info (older releases) or trusted-name mismatch (newer releases).
    InvalidCoinInfoOrTrustedName,
    /// `6B0D`–`6B11`: a protocol-level-token (PLT) error; the word is kept.
    PltError(u16),
    /// `530C`: the device is locked (the Concordium app's word).
    DeviceLocked,
    /// `5515`: the device is locked (Ledger OS, current firmware).
    LockedDevice,
    /// `6804`: treated as "device locked" by Concordium's Desktop Wallet.
    SecurityStatusLocked,
    /// `6E01`: the dashboard (or another app) does not know this class: the app is not open.
    AppNotOpen,
    /// `6511`: Ledger OS does not know this APDU: the app is not open.
    UnknownApdu,
    /// Any other word.
    Other(u16),
}

impl StatusWord {
    /// The status word for the two bytes `sw`.
    pub fn from_u16(sw: u16) -> Self {
        match sw {
            0x9000 => Self::Ok,
            0x6982 => Self::NoApduReceived,
            0x6985 => Self::RejectedByUser,
            0x6E00 => Self::InvalidCla,
            0x6D00 => Self::InvalidIns,
            0x6A87 => Self::WrongDataLength,
            0x6B01 => Self::InvalidState,
            0x6B02 => Self::InvalidPath,
            0x6B03 => Self::InvalidParam,
            0x6B04 => Self::InvalidTransaction,
            0x6B05 => Self::UnsupportedCbor,
            0x6B06 => Self::BufferOverflow,
            0x6B07 => Self::CryptoFailed,
            0x6B08 => Self::InvalidSourceLength,
            0x6B09 => Self::InvalidModuleRef,
            0x6B0A => Self::InvalidNameLength,
            0x6B0B => Self::InvalidParamsLength,
            0x6B0C => Self::InvalidCoinInfoOrTrustedName,
            0x6B0D..=0x6B11 => Self::PltError(sw),
            0x530C => Self::DeviceLocked,
            0x5515 => Self::LockedDevice,
            0x6804 => Self::SecurityStatusLocked,
            0x6E01 => Self::AppNotOpen,
            0x6511 => Self::UnknownApdu,
            other => Self::Other(other),
        }
    }

    /// The two bytes.
    pub fn code(self) -> u16 {
        match self {
            Self::Ok => 0x9000,
            Self::NoApduReceived => 0x6982,
            Self::RejectedByUser => 0x6985,
            Self::InvalidCla => 0x6E00,
            Self::InvalidIns => 0x6D00,
            Self::WrongDataLength => 0x6A87,
            Self::InvalidState => 0x6B01,
            Self::InvalidPath => 0x6B02,
            Self::InvalidParam => 0x6B03,
            Self::InvalidTransaction => 0x6B04,
            Self::UnsupportedCbor => 0x6B05,
            Self::BufferOverflow => 0x6B06,
            Self::CryptoFailed => 0x6B07,
            Self::InvalidSourceLength => 0x6B08,
            Self::InvalidModuleRef => 0x6B09,
            Self::InvalidNameLength => 0x6B0A,
            Self::InvalidParamsLength => 0x6B0B,
            Self::InvalidCoinInfoOrTrustedName => 0x6B0C,
            Self::DeviceLocked => 0x530C,
            Self::LockedDevice => 0x5515,
            Self::SecurityStatusLocked => 0x6804,
            Self::AppNotOpen => 0x6E01,
            Self::UnknownApdu => 0x6511,
            Self::PltError(sw) | Self::Other(sw) => sw,
        }
    }

    /// True for the words that mean the device is locked.
    pub fn means_locked(self) -> bool {
        matches!(
            self,
            Self::DeviceLocked | Self::LockedDevice | Self::SecurityStatusLocked
        )
    }

    /// True for the words Ledger OS answers when the Concordium app is not the one open.
    pub fn means_app_not_open(self) -> bool {
        matches!(self, Self::AppNotOpen | Self::UnknownApdu)
    }

    /// A short name for people ("rejected by the user").
    pub fn description(self) -> &'static str {
        match self {
            Self::Ok => "success",
            Self::NoApduReceived => "no command received",
            Self::RejectedByUser => "rejected on the device",
            Self::InvalidCla => "invalid class byte",
            Self::InvalidIns => "unknown instruction",
            Self::WrongDataLength => "wrong data length",
            Self::InvalidState => "invalid state",
            Self::InvalidPath => "invalid key path",
            Self::InvalidParam => "invalid parameter",
            Self::InvalidTransaction => "invalid transaction",
            Self::UnsupportedCbor => "unsupported CBOR",
            Self::BufferOverflow => "buffer overflow",
            Self::CryptoFailed => "cryptographic operation failed",
            Self::InvalidSourceLength => "invalid source length",
            Self::InvalidModuleRef => "invalid module reference",
            Self::InvalidNameLength => "invalid name length",
            Self::InvalidParamsLength => "invalid parameters length",
            Self::InvalidCoinInfoOrTrustedName => "invalid coin info or trusted name",
            Self::PltError(_) => "token (PLT) error",
            Self::DeviceLocked | Self::LockedDevice | Self::SecurityStatusLocked => "device locked",
            Self::AppNotOpen | Self::UnknownApdu => "app not open",
            Self::Other(_) => "unknown status",
        }
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({:04X})", self.description(), self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_word_round_trips() {
        let words = [
            0x9000, 0x6982, 0x6985, 0x6E00, 0x6D00, 0x6A87, 0x6B01, 0x6B02, 0x6B03, 0x6B04, 0x6B05,
            0x6B06, 0x6B07, 0x6B08, 0x6B09, 0x6B0A, 0x6B0B, 0x6B0C, 0x6B0D, 0x6B11, 0x530C, 0x5515,
            0x6804, 0x6E01, 0x6511, 0x1234,
        ];
        for w in words {
            assert_eq!(StatusWord::from_u16(w).code(), w, "{w:04X}");
        }
        assert_eq!(StatusWord::from_u16(0x6985), StatusWord::RejectedByUser);
        assert_eq!(StatusWord::from_u16(0x6B0F), StatusWord::PltError(0x6B0F));
        assert_eq!(StatusWord::from_u16(0x6B12), StatusWord::Other(0x6B12));
        assert_eq!(
            StatusWord::from_u16(0x6B02).to_string(),
            "invalid key path (6B02)"
        );
    }

    #[test]
    fn locked_and_not_open_words() {
        for w in [0x530C, 0x5515, 0x6804] {
            assert!(StatusWord::from_u16(w).means_locked(), "{w:04X}");
        }
        assert!(!StatusWord::from_u16(0x6B0C).means_locked());
        assert!(StatusWord::from_u16(0x6E01).means_app_not_open());
        assert!(StatusWord::from_u16(0x6511).means_app_not_open());
        assert!(!StatusWord::from_u16(0x6E00).means_app_not_open());
    }
}
