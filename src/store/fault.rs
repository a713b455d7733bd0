//! A fault to inject in tests: an import that fails after a given number of row writes, to show
//! that a failure halfway rolls everything back. The switch ([`FailAfterWrites::set`]) exists only
//! with the `testing` feature; without it the counter never fails.

use std::sync::atomic::{AtomicU64, Ordering};

use super::StoreError;

/// How many writes the next apply may make before it fails (`u64::MAX`: no limit).
#[derive(Debug)]
pub(crate) struct FailAfterWrites(AtomicU64);

impl FailAfterWrites {
    /// No failure set.
    pub(crate) fn new() -> Self {
        Self(AtomicU64::new(u64::MAX))
    }

    /// Makes the next apply fail after `n` writes (`None` turns it off).
    #[cfg(any(test, feature = "testing"))]
    pub(crate) fn set(&self, n: Option<u64>) {
        self.0.store(n.unwrap_or(u64::MAX), Ordering::SeqCst);
    }

    /// The counter for one apply; it takes the limit, so the next apply runs without one.
    pub(crate) fn counter(&self) -> WriteCounter {
        WriteCounter {
            budget: self.0.swap(u64::MAX, Ordering::SeqCst),
            writes: 0,
        }
    }
}

/// Counts the writes of one apply.
#[derive(Debug)]
pub(crate) struct WriteCounter {
    budget: u64,
    writes: u64,
}

impl WriteCounter {
    /// Counts one write; fails once the limit is passed.
    pub(crate) fn wrote(&mut self) -> Result<(), StoreError> {
        self.writes += 1;
        if self.writes > self.budget {
            return Err(StoreError::Database("injected failure (testing)".into()));
        }
        Ok(())
    }
}
