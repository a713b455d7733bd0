//! Address-book entries (Concordium's recipients).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An address-book entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// The contact's name.
    pub name: String,
    /// The contact's Base58Check account address.
    pub address: String,
    /// Fields this library does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
