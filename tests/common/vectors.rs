//! Published test vectors that several test files use.

/// docs/references.md §A.4.6: the 64-byte seed of Concordium's key-derivation vectors (a seed,
/// not a phrase).
pub const TEST_SEED_1: &str = "efa5e27326f8fa0902e647b52449bf335b7b605adc387015ec903f41d95080eb71361cbc7fb78721dcd4f3926a337340aa1406df83332c44c1cdcfe100603860";

/// BIP39's 24-word all-`abandon` phrase (entropy 0x00…00): public, so its accounts are nobody's.
pub const ART_24: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art";
