//! Progress on stderr while a key is derived or a recovery scan runs, drawn by indicatif with an
//! ETA and a steady redraw. Nothing is drawn with `--json` or when stderr is not a terminal
//! (indicatif hides a bar there), so scripts and pipes see no escape sequences.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use wallet_core::kdf::KdfObserver;
#[cfg(feature = "wallet-proxy")]
use wallet_core::recovery::{ScanObserver, ScanProgress};

/// How often a bar is redrawn while the work it shows reports nothing new.
const TICK: Duration = Duration::from_millis(120);

/// A bar on stderr, or a hidden one with `--json`.
fn bar_on_stderr(json: bool, style: ProgressStyle) -> ProgressBar {
    if json {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(style);
    if !bar.is_hidden() {
        bar.enable_steady_tick(TICK);
    }
    bar
}

/// The progress of a key derivation (PBKDF2 iterations): `Deriving key [####....]  42% ETA 3s`.
pub struct KdfBar(ProgressBar);

impl KdfBar {
    /// A bar labelled `label`.
    pub fn new(label: &'static str, json: bool) -> Self {
        let style = ProgressStyle::with_template("{prefix} [{bar:30}] {percent:>3}% ETA {eta}")
            .expect("the template is valid")
            .progress_chars("#>.");
        let bar = bar_on_stderr(json, style);
        bar.set_prefix(label);
        Self(bar)
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl KdfObserver for KdfBar {
    fn on_progress(&self, done: u32, total: u32) {
        self.0.set_length(u64::from(total.max(1)));
        self.0.set_position(u64::from(done));
    }
    fn is_cancelled(&self) -> bool {
        false
    }
}

#[cfg(feature = "wallet-proxy")]
/// The progress of a recovery scan, which has no known end: the counts so far and the time
/// taken, with a spinner.
pub struct ScanBar(ProgressBar);

#[cfg(feature = "wallet-proxy")]
impl ScanBar {
    /// A spinner with the scan's counts.
    pub fn new(json: bool) -> Self {
        let style = ProgressStyle::with_template("{spinner} Scanning: {msg} ({elapsed})")
            .expect("the template is valid");
        let bar = bar_on_stderr(json, style);
        bar.set_message(counts(&ScanProgress::default()));
        Self(bar)
    }

    /// Removes the spinner from the terminal.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

#[cfg(feature = "wallet-proxy")]
impl ScanObserver for ScanBar {
    fn progress(&self, p: &ScanProgress) {
        self.0.set_message(counts(p));
    }
}

#[cfg(feature = "wallet-proxy")]
fn counts(p: &ScanProgress) -> String {
    format!(
        "{} identities, {} credentials, {} accounts found",
        p.identities_scanned, p.credentials_scanned, p.accounts_found
    )
}
