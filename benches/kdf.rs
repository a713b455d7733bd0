//! PBKDF2-HMAC-SHA256 benchmark: our hand-rolled KDF against RustCrypto `pbkdf2` and OpenSSL.
//!
//! Run with `cargo bench --bench kdf` (the bench profile inherits the shipped release profile:
//! opt-level 3, fat LTO, codegen-units 1). Method as in docs/references.md §F:
//! implementations are interleaved round-robin (the starting implementation rotates every round),
//! each sample is one 600,000-iteration derivation of a 32-byte key, and the figures are medians of
//! the calling thread's CPU time (wall time is shown too). OpenSSL is reached through Python's
//! `hashlib.pbkdf2_hmac`, timed inside Python so that interpreter start-up is excluded.
//!
//! Every output is checked against the known answer and against the other implementations. There
//! are no timed assertions: the bench never fails because something is slow.
//!
//! Environment variables:
//! - `BENCH_ROUNDS` (default 5): interleaved rounds.
//! - `BENCH_RUNS` (default 3): timed derivations per implementation per round.
//! - `BENCH_ITERATIONS` (default 600000): PBKDF2 iteration count; the known-answer check applies
//!   only to 600000, other counts are checked for agreement between implementations.
//! - `BENCH_PYTHON` (default `python3`): the interpreter for the OpenSSL figure.
//! - `BENCH_QUIET_CORES` (default 0.1): a round counts as "quiet" when other processes used less
//!   than this many cores on average during it.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use wallet_core::kdf::{pbkdf2_sha256, KdfObserver, NoProgress, PROGRESS_STEP};

// The timing harness and the workload shared with bench-ref/.
#[path = "common/pbkdf2_workload.rs"]
mod pbkdf2_workload;
#[path = "common/timing.rs"]
mod timing;
use timing::{cpu_model, env_or, load_mark, median, other_cores, python_pbkdf2, time, Took};

/// PBKDF2-HMAC-SHA256("password", "salt", 600000), 32 bytes (RustCrypto `pbkdf2` doc vector).
const KNOWN_600K_PREFIX: &str = "669cfe52482116fda1aa2cbe409b2f56c8e45637";
const KNOWN_ITERATIONS: u32 = 600_000;

/// One derivation with a way of timing it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Impl {
    Ours,
    OursWithProgress,
    RustCrypto,
    OpenSslHashlib,
}

impl Impl {
    const ALL: [Impl; 4] = [
        Impl::Ours,
        Impl::OursWithProgress,
        Impl::RustCrypto,
        Impl::OpenSslHashlib,
    ];

    fn label(self) -> &'static str {
        match self {
            Impl::Ours => "ours: wallet_core::kdf::pbkdf2_sha256 (NoProgress)",
            Impl::OursWithProgress => "ours + counting observer + AtomicBool cancel check",
            Impl::RustCrypto => "RustCrypto pbkdf2::pbkdf2_hmac::<sha2::Sha256>",
            Impl::OpenSslHashlib => "OpenSSL via Python hashlib.pbkdf2_hmac",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Impl::Ours => "pbkdf2_ours",
            Impl::OursWithProgress => "pbkdf2_ours_with_progress",
            Impl::RustCrypto => "pbkdf2_rustcrypto",
            Impl::OpenSslHashlib => "pbkdf2_openssl_hashlib",
        }
    }
}

/// Counts progress callbacks and checks a cancellation flag, as the mobile bindings do.
struct CountingObserver {
    calls: AtomicU32,
    last_done: AtomicU32,
    cancel: AtomicBool,
}

impl KdfObserver for CountingObserver {
    fn on_progress(&self, done: u32, _total: u32) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.last_done.store(done, Ordering::Relaxed);
    }
    fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// One timed derivation.
#[derive(Clone, Copy)]
struct Sample {
    took: Took,
    round: usize,
}

impl Sample {
    fn ms(&self) -> f64 {
        self.took.ms()
    }
}

// ---------------------------------------------------------------------------------------------
// The implementations

/// Runs `f` once under both clocks.
fn timed(round: usize, f: impl FnOnce() -> [u8; 32]) -> (Sample, [u8; 32]) {
    let (took, out) = time(f);
    (Sample { took, round }, out)
}

fn run_ours(iterations: u32) -> [u8; 32] {
    pbkdf2_workload::ours(pbkdf2_sha256, iterations, &NoProgress)
}

fn run_ours_with_progress(iterations: u32, observer: &CountingObserver) -> [u8; 32] {
    observer.calls.store(0, Ordering::Relaxed);
    observer.last_done.store(0, Ordering::Relaxed);
    let key = pbkdf2_workload::ours(pbkdf2_sha256, iterations, observer);
    assert_eq!(
        observer.last_done.load(Ordering::Relaxed),
        iterations,
        "the observer was not told that the derivation completed"
    );
    key
}

/// OpenSSL's version, and each timed derivation with the key it gave.
struct OpenSslBatch {
    version: String,
    runs: Vec<(Sample, [u8; 32])>,
}

/// OpenSSL through Python.
fn run_python(
    python: &str,
    runs: usize,
    iterations: u32,
    round: usize,
) -> Result<OpenSslBatch, String> {
    let batch = python_pbkdf2(python, runs, iterations)?;
    let runs = batch
        .runs
        .into_iter()
        .map(|(took, digest)| {
            let bytes = hex::decode(digest).map_err(|e| format!("bad hex from Python: {e}"))?;
            let out: [u8; 32] = bytes
                .try_into()
                .map_err(|_| "Python returned a key that is not 32 bytes".to_string())?;
            Ok((Sample { took, round }, out))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(OpenSslBatch {
        version: batch.version,
        runs,
    })
}

// ---------------------------------------------------------------------------------------------
// Statistics and reporting

/// Interquartile range by linear interpolation.
fn iqr(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let pos = p * (v.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
    };
    q(0.75) - q(0.25)
}

struct Stats {
    n: usize,
    n_quiet: usize,
    median: f64,
    iqr: f64,
    min: f64,
    max: f64,
    median_wall: f64,
    median_quiet: Option<f64>,
}

fn stats(samples: &[Sample], quiet_rounds: &[bool]) -> Option<Stats> {
    if samples.is_empty() {
        return None;
    }
    let ms: Vec<f64> = samples.iter().map(Sample::ms).collect();
    let wall: Vec<f64> = samples.iter().map(|s| s.took.wall_ms).collect();
    let quiet: Vec<f64> = samples
        .iter()
        .filter(|s| quiet_rounds.get(s.round).copied().unwrap_or(false))
        .map(Sample::ms)
        .collect();
    Some(Stats {
        n: ms.len(),
        n_quiet: quiet.len(),
        median: median(&ms),
        iqr: iqr(&ms),
        min: ms.iter().copied().fold(f64::INFINITY, f64::min),
        max: ms.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        median_wall: median(&wall),
        median_quiet: (!quiet.is_empty()).then(|| median(&quiet)),
    })
}

/// The CPU features that decide SHA-256 and AES speed, from /proc/cpuinfo and runtime detection.
fn print_cpu_features() {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu_model();
    let flags: Vec<&str> = cpuinfo
        .lines()
        .find(|l| l.starts_with("flags") || l.starts_with("Features"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.split_whitespace().collect())
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "CPU: {model}, {cores} logical cores, {} {}",
        std::env::consts::ARCH,
        std::env::consts::OS
    );
    if flags.is_empty() {
        println!("CPU flags: /proc/cpuinfo not available");
    } else {
        let wanted = ["sha_ni", "aes", "avx2", "sha1", "sha2", "pmull"];
        let shown: Vec<String> = wanted
            .iter()
            .filter(|w| {
                std::env::consts::ARCH == "aarch64" || !["sha1", "sha2", "pmull"].contains(w)
            })
            .map(|w| format!("{w}={}", if flags.contains(w) { "yes" } else { "no" }))
            .collect();
        println!("CPU flags (/proc/cpuinfo): {}", shown.join(" "));
    }
    #[cfg(target_arch = "x86_64")]
    println!(
        "runtime detection: sha={} aes={} avx2={}",
        std::arch::is_x86_feature_detected!("sha"),
        std::arch::is_x86_feature_detected!("aes"),
        std::arch::is_x86_feature_detected!("avx2"),
    );
    #[cfg(target_arch = "aarch64")]
    println!(
        "runtime detection: sha2={} aes={}",
        std::arch::is_aarch64_feature_detected!("sha2"),
        std::arch::is_aarch64_feature_detected!("aes"),
    );
}

fn main() {
    // Cargo passes `--bench` (and possibly a filter) to harness-less benches; nothing to parse.
    let rounds: usize = env_or("BENCH_ROUNDS", 5).max(1);
    let runs: usize = env_or("BENCH_RUNS", 3).max(1);
    let iterations: u32 = env_or("BENCH_ITERATIONS", KNOWN_ITERATIONS).max(1);
    let python: String = env_or("BENCH_PYTHON", "python3".to_string());
    let quiet_cores: f64 = env_or("BENCH_QUIET_CORES", 0.1);

    println!("# PBKDF2-HMAC-SHA256 benchmark");
    println!();
    print_cpu_features();
    println!(
        "profile: {} (debug_assertions={})",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "optimised"
        },
        cfg!(debug_assertions)
    );
    println!(
        "workload: password=\"password\" salt=\"salt\" iterations={iterations} output=32 bytes; \
         {rounds} interleaved rounds x {runs} runs per implementation; timing basis: median \
         thread CPU time"
    );

    let observer = CountingObserver {
        calls: AtomicU32::new(0),
        last_done: AtomicU32::new(0),
        cancel: AtomicBool::new(false),
    };

    // Warm-up (page-in, CPU frequency ramp, Python availability check).
    let reference = run_ours(iterations);
    let _ = run_ours_with_progress(iterations, &observer);
    let _ = pbkdf2_workload::rustcrypto(iterations);
    let mut python_note: Option<String> = None;
    let mut openssl_version = String::from("unknown");
    match run_python(&python, 1, iterations, 0) {
        Ok(batch) => openssl_version = batch.version,
        Err(e) => python_note = Some(e),
    }
    if let Some(note) = &python_note {
        println!("NOTE: skipping the OpenSSL (Python hashlib) figure: {note}");
    } else {
        println!("OpenSSL (through Python hashlib): {openssl_version}");
    }

    let active: Vec<Impl> = Impl::ALL
        .iter()
        .copied()
        .filter(|i| *i != Impl::OpenSslHashlib || python_note.is_none())
        .collect();
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); Impl::ALL.len()];
    let mut outputs: Vec<(Impl, [u8; 32])> = Vec::new();
    let mut round_load: Vec<Option<f64>> = Vec::new();
    let mut python_failed_rounds = 0usize;

    for round in 0..rounds {
        let start = load_mark();
        for k in 0..active.len() {
            // Rotate the starting implementation so no one always runs first in a round.
            let imp = active[(round + k) % active.len()];
            let slot = Impl::ALL.iter().position(|i| *i == imp).unwrap();
            match imp {
                Impl::OpenSslHashlib => match run_python(&python, runs, iterations, round) {
                    Ok(batch) => {
                        for (s, out) in batch.runs {
                            samples[slot].push(s);
                            outputs.push((imp, out));
                        }
                    }
                    Err(e) => {
                        python_failed_rounds += 1;
                        eprintln!("note: Python round {round} failed, skipped: {e}");
                    }
                },
                _ => {
                    for _ in 0..runs {
                        let (s, out) = match imp {
                            Impl::Ours => timed(round, || run_ours(iterations)),
                            Impl::OursWithProgress => {
                                timed(round, || run_ours_with_progress(iterations, &observer))
                            }
                            _ => timed(round, || pbkdf2_workload::rustcrypto(iterations)),
                        };
                        samples[slot].push(s);
                        outputs.push((imp, out));
                    }
                }
            }
        }
        round_load.push(other_cores(start, load_mark()));
    }

    // Correctness: the known answer, and every implementation agreeing on all 32 bytes.
    let reference_hex = hex::encode(reference);
    if iterations == KNOWN_ITERATIONS {
        assert!(
            reference_hex.starts_with(KNOWN_600K_PREFIX),
            "our KDF gave {reference_hex}, the known answer starts with {KNOWN_600K_PREFIX}"
        );
    }
    for (imp, out) in &outputs {
        assert_eq!(
            hex::encode(out),
            reference_hex,
            "{} disagrees with the reference output",
            imp.label()
        );
    }
    let progress_calls = observer.calls.load(Ordering::Relaxed);
    let expected_calls = if iterations == 1 {
        1
    } else {
        (iterations - 1).div_ceil(PROGRESS_STEP)
    };

    let quiet_rounds: Vec<bool> = round_load
        .iter()
        .map(|l| l.is_some_and(|c| c < quiet_cores))
        .collect();
    let all_stats: Vec<Option<Stats>> = samples.iter().map(|s| stats(s, &quiet_rounds)).collect();
    let fastest = all_stats
        .iter()
        .flatten()
        .map(|s| s.median)
        .fold(f64::INFINITY, f64::min);

    println!();
    println!(
        "correctness: {} outputs checked; all equal {reference_hex}{}",
        outputs.len() + 1,
        if iterations == KNOWN_ITERATIONS {
            " (known answer OK)"
        } else {
            " (no known answer for this iteration count; agreement only)"
        }
    );
    println!(
        "progress observer: {progress_calls} callbacks per derivation (expected {expected_calls}, \
         one every {PROGRESS_STEP} iterations)"
    );
    let loads: Vec<String> = round_load
        .iter()
        .map(|l| l.map_or("?".into(), |c| format!("{c:.2}")))
        .collect();
    println!(
        "other-process CPU per round (cores): [{}]; quiet (< {quiet_cores} core) rounds: {}/{}",
        loads.join(", "),
        quiet_rounds.iter().filter(|q| **q).count(),
        rounds
    );
    println!();
    println!(
        "| implementation | n (quiet) | median thread-CPU ms | IQR | min | max | median wall ms \
         | median ms, quiet rounds | PBKDF2 iterations/s | time vs fastest |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (imp, st) in Impl::ALL.iter().zip(&all_stats) {
        match st {
            Some(s) => println!(
                "| {} | {} ({}) | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {:.2} M | {:.2}x |",
                imp.label(),
                s.n,
                s.n_quiet,
                s.median,
                s.iqr,
                s.min,
                s.max,
                s.median_wall,
                s.median_quiet.map_or("-".into(), |m| format!("{m:.1}")),
                f64::from(iterations) / s.median / 1e3,
                s.median / fastest
            ),
            None => println!(
                "| {} | 0 | skipped | - | - | - | - | - | - | - |",
                imp.label()
            ),
        }
    }
    if python_failed_rounds > 0 {
        println!("note: {python_failed_rounds} Python round(s) failed and were skipped");
    }

    // Machine-readable figures, one `name: value` per line.
    let median_of = |imp: Impl| {
        let slot = Impl::ALL.iter().position(|i| *i == imp).unwrap();
        all_stats[slot].as_ref().map(|s| s.median)
    };
    let fmt = |v: Option<f64>, digits: usize| v.map_or("n/a".into(), |v| format!("{v:.digits$}"));
    let ours = median_of(Impl::Ours);
    let progress = median_of(Impl::OursWithProgress);
    let rustcrypto = median_of(Impl::RustCrypto);
    let openssl = median_of(Impl::OpenSslHashlib);
    let ratio = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a / b);
    println!();
    println!("pbkdf2_iterations: {iterations}");
    println!("pbkdf2_samples_per_impl: {}", rounds * runs);
    for imp in Impl::ALL {
        println!("{}_ms: {}", imp.key(), fmt(median_of(imp), 2));
    }
    for (imp, st) in Impl::ALL.iter().zip(&all_stats) {
        println!(
            "{}_wall_ms: {}",
            imp.key(),
            fmt(st.as_ref().map(|s| s.median_wall), 2)
        );
    }
    println!("pbkdf2_speed_vs_openssl: {}", fmt(ratio(openssl, ours), 3));
    println!(
        "pbkdf2_speed_vs_rustcrypto: {}",
        fmt(ratio(rustcrypto, ours), 3)
    );
    println!(
        "pbkdf2_progress_overhead_pct: {}",
        fmt(ratio(progress, ours).map(|r| (r - 1.0) * 100.0), 2)
    );
    println!(
        "pbkdf2_ours_iterations_per_sec: {}",
        fmt(ours.map(|ms| f64::from(iterations) / ms * 1e3), 0)
    );
    println!(
        "pbkdf2_rustcrypto_iterations_per_sec: {}",
        fmt(rustcrypto.map(|ms| f64::from(iterations) / ms * 1e3), 0)
    );
    println!(
        "pbkdf2_openssl_hashlib_iterations_per_sec: {}",
        fmt(openssl.map(|ms| f64::from(iterations) / ms * 1e3), 0)
    );
    println!("pbkdf2_progress_callbacks: {progress_calls}");
    let finite: Vec<f64> = round_load.iter().flatten().copied().collect();
    println!(
        "pbkdf2_other_process_cores_median: {}",
        fmt((!finite.is_empty()).then(|| median(&finite)), 3)
    );
}
