//! Routing the library's log records to the app: Logcat on Android, OSLog on iOS.
//!
//! The library logs through the `log` crate (Ledger exchanges, recovery scans, flow steps, file
//! formats, wallet-proxy requests; never a secret). An app hands a [`LogSink`] to
//! [`set_log_sink`], which installs a `log` logger for the whole process the first time and
//! swaps the sink on later calls. Only records of this library (target `wallet_core…`) are
//! forwarded: its dependencies' records (the HTTP client's full URLs, say) stay out.

use std::cell::Cell;
use std::sync::{Arc, RwLock};

/// How much a record matters, most severe first (the `log` crate's levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LogLevel {
    /// Something failed.
    Error,
    /// Something went wrong that the library handled, or a call that does not fit.
    Warn,
    /// Milestones: a file opened, a scan's result, the Ledger app's version.
    Info,
    /// Each step: flow screens, Ledger commands and status words, lookups.
    Debug,
    /// Every lookup answer of a recovery scan.
    Trace,
}

impl From<log::Level> for LogLevel {
    fn from(level: log::Level) -> Self {
        match level {
            log::Level::Error => Self::Error,
            log::Level::Warn => Self::Warn,
            log::Level::Info => Self::Info,
            log::Level::Debug => Self::Debug,
            log::Level::Trace => Self::Trace,
        }
    }
}

impl From<LogLevel> for log::LevelFilter {
    fn from(level: LogLevel) -> Self {
        match level {
            LogLevel::Error => Self::Error,
            LogLevel::Warn => Self::Warn,
            LogLevel::Info => Self::Info,
            LogLevel::Debug => Self::Debug,
            LogLevel::Trace => Self::Trace,
        }
    }
}

/// Receives the library's log records (implemented by the app: `android.util.Log`, `os.Logger`).
///
/// Called on whatever thread logged, possibly several at once. A record the sink causes while
/// it handles one (by calling back into the library) is dropped rather than passed back in.
/// `log` must not throw: an exception in a callback cannot become an error of the call that
/// logged, and ends it with an internal error.
#[uniffi::export(foreign)]
pub trait LogSink: Send + Sync {
    /// One record: its level, its target (the module, `wallet_core::ledger::bridge`) and its
    /// message.
    fn log(&self, level: LogLevel, target: String, message: String);
}

/// Why [`set_log_sink`] could not install its logger.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum LogSinkError {
    /// Something else in the process installed a `log` logger first (only possible when the
    /// library is linked into a Rust program that logs itself); its records go there.
    #[error("Another logger is already installed in this process; the library logs to it.")]
    OtherLoggerInstalled,
}

/// The process-wide logger that forwards to the current sink.
struct Forwarder {
    sink: RwLock<Option<Arc<dyn LogSink>>>,
}

static FORWARDER: Forwarder = Forwarder {
    sink: RwLock::new(None),
};

thread_local! {
    /// True while this thread is inside a sink's `log`.
    static IN_SINK: Cell<bool> = const { Cell::new(false) };
}

/// Marks this thread as inside a sink until dropped (also when the sink's call unwinds).
struct InSink;

impl InSink {
    fn enter() -> Self {
        IN_SINK.with(|f| f.set(true));
        Self
    }
}

impl Drop for InSink {
    fn drop(&mut self) {
        IN_SINK.with(|f| f.set(false));
    }
}

const OWN_TARGET: &str = "wallet_core";

impl log::Log for Forwarder {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target().starts_with(OWN_TARGET)
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) || IN_SINK.with(Cell::get) {
            return;
        }
        // Cloned out of the lock: the sink may take its time, and `set_log_sink` must not wait.
        let sink = match self.sink.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        if let Some(sink) = sink {
            let _in_sink = InSink::enter();
            sink.log(
                record.level().into(),
                record.target().to_string(),
                record.args().to_string(),
            );
        }
    }

    fn flush(&self) {}
}

fn replace_sink(sink: Option<Arc<dyn LogSink>>) {
    match FORWARDER.sink.write() {
        Ok(mut guard) => *guard = sink,
        Err(poisoned) => *poisoned.into_inner() = sink,
    }
}

/// Sends the library's records up to `max_level` to `sink`. The first call installs the
/// process's `log` logger; later calls replace the sink and the level.
#[uniffi::export]
pub fn set_log_sink(sink: Arc<dyn LogSink>, max_level: LogLevel) -> Result<(), LogSinkError> {
    static INSTALLED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*INSTALLED.get_or_init(|| log::set_logger(&FORWARDER).is_ok()) {
        return Err(LogSinkError::OtherLoggerInstalled);
    }
    replace_sink(Some(sink));
    log::set_max_level(max_level.into());
    log::debug!("log sink installed, level {max_level:?}");
    Ok(())
}

/// Stops logging: drops the sink and turns every level off.
#[uniffi::export]
pub fn clear_log_sink() {
    log::set_max_level(log::LevelFilter::Off);
    replace_sink(None);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Keeps the records of this test module (other tests of the binary log concurrently).
    #[derive(Default)]
    struct Collect(Mutex<Vec<(LogLevel, String, String)>>);

    const HERE: &str = "wallet_core::ffi::logging::tests";

    impl LogSink for Collect {
        fn log(&self, level: LogLevel, target: String, message: String) {
            // A record logged from inside the sink must not come back here.
            log::error!("from inside the sink");
            if target == HERE {
                self.0.lock().unwrap().push((level, target, message));
            }
        }
    }

    /// One test for the whole logger: it is process-wide.
    #[test]
    fn forwards_own_records_up_to_the_level_and_replaces_the_sink() {
        let first = Arc::new(Collect::default());
        set_log_sink(first.clone(), LogLevel::Info).unwrap();
        log::info!("kept");
        log::debug!("above the level");
        // A dependency's records are not forwarded.
        let of = |target| log::Metadata::builder().target(target).build();
        assert!(log::logger().enabled(&of("wallet_core::ledger::bridge")));
        assert!(!log::logger().enabled(&of("ureq::unit")));
        let got = first.0.lock().unwrap().clone();
        assert_eq!(
            got,
            vec![(LogLevel::Info, HERE.to_string(), "kept".to_string())]
        );

        let second = Arc::new(Collect::default());
        set_log_sink(second.clone(), LogLevel::Trace).unwrap();
        log::trace!("to the second");
        assert_eq!(first.0.lock().unwrap().len(), 1);
        let got = second.0.lock().unwrap();
        assert!(got
            .iter()
            .any(|(l, _, m)| *l == LogLevel::Trace && m == "to the second"));
        assert!(got.iter().all(|(_, _, m)| m != "from inside the sink"));
        drop(got);

        clear_log_sink();
        log::error!("after clearing");
        assert!(second
            .0
            .lock()
            .unwrap()
            .iter()
            .all(|(_, _, m)| m != "after clearing"));
    }
}
