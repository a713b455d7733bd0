//! Concordium account addresses: Base58Check with version byte 1 over SHA-256 of the first
//! credential's id.

use std::fmt;
use std::str::FromStr;

use super::KeyError;

/// The Base58Check version byte of Concordium account addresses.
pub const ACCOUNT_ADDRESS_VERSION: u8 = 1;

/// A Concordium account address: 32 bytes, shown as Base58Check with version byte 1 (50
/// characters). An account's address is SHA-256 of its first credential's id. Public.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountAddress(pub [u8; 32]);

impl AccountAddress {
    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The Base58Check form (version byte 1).
    pub fn to_base58(&self) -> String {
        bs58::encode(self.0)
            .with_check_version(ACCOUNT_ADDRESS_VERSION)
            .into_string()
    }
}

impl fmt::Display for AccountAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base58())
    }
}

impl fmt::Debug for AccountAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountAddress({})", self.to_base58())
    }
}

impl FromStr for AccountAddress {
    type Err = KeyError;

    /// Parses the Base58Check form, checking the checksum, the version byte and the length.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let decoded = bs58::decode(s.trim())
            .with_check(Some(ACCOUNT_ADDRESS_VERSION))
            .into_vec()
            .map_err(|_| KeyError::InvalidAddress)?;
        // `decoded` is the version byte followed by the payload.
        match decoded.as_slice() {
            [ACCOUNT_ADDRESS_VERSION, payload @ ..] if payload.len() == 32 => {
                let mut bytes = [0u8; 32];
                bytes.copy_from_slice(payload);
                Ok(AccountAddress(bytes))
            }
            _ => Err(KeyError::InvalidAddress),
        }
    }
}

/// Checks that `s` is exactly a Concordium account address, as it must be stored: Base58Check
/// with a matching checksum, version byte 1 and a 32-byte payload, and nothing around it (no
/// whitespace: an address in a file or typed into the address book is taken as it is, and a
/// stored address with a stray space would never match the account). Every place where an
/// address enters the wallet (import, the address book) goes through this.
pub fn validate_address(s: &str) -> Result<AccountAddress, KeyError> {
    if s.trim() != s {
        return Err(KeyError::InvalidAddress);
    }
    s.parse()
}
