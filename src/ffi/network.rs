//! The network through the bindings: the domain [`Network`] itself, described to UniFFI here so
//! that the domain module carries no UniFFI attribute and no FFI copy of it needs converting.
//! The variants must match `crate::network::Network` (the compiler checks it).

pub use crate::network::Network;

/// A Concordium network (Kotlin/Swift `Network`). Every network but Mainnet derives keys as
/// Testnet.
#[uniffi::remote(Enum)]
pub enum Network {
    /// Concordium mainnet (coin type 919).
    Mainnet,
    /// Concordium testnet (coin type 1).
    Testnet,
    /// Concordium stagenet (files write `staging`; derives as testnet).
    Stagenet,
    /// A wallet built for a mock backend (developer builds only; derives as testnet).
    Mock,
    /// A wallet built for a local chain (Android developer builds only; derives as testnet).
    Local,
}
