//! The operating system's secure random source.

use crate::error::BackupError;

/// Fills `buf` from the OS's secure random number generator.
pub fn fill(buf: &mut [u8]) -> Result<(), BackupError> {
    getrandom::fill(buf).map_err(|_| BackupError::Randomness)
}
