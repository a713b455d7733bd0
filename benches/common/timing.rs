//! The timing harness of the KDF benchmarks (benches/kdf.rs and bench-ref/, which include this
//! file with `#[path]`): the calling thread's CPU clock, the load other processes put on the
//! machine, medians, environment settings and OpenSSL's PBKDF2 timed inside Python.
#![allow(dead_code)]

use std::process::Command;
use std::time::Instant;

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
mod thread_clock {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock_id: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;

    /// CPU time consumed by the calling thread, in milliseconds.
    pub fn now_ms() -> Option<f64> {
        let mut ts = Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable `struct timespec` (two 64-bit fields on 64-bit Linux)
        // and the clock id is a constant the kernel knows.
        let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        (rc == 0).then(|| ts.tv_sec as f64 * 1e3 + ts.tv_nsec as f64 / 1e6)
    }
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
mod thread_clock {
    pub fn now_ms() -> Option<f64> {
        None
    }
}

pub use thread_clock::now_ms as thread_cpu_ms;

/// How long one call took.
#[derive(Clone, Copy, Debug)]
pub struct Took {
    /// Thread CPU time, when the platform offers it.
    pub cpu_ms: Option<f64>,
    pub wall_ms: f64,
}

impl Took {
    /// The thread CPU time, or the wall time where there is no thread clock.
    pub fn ms(&self) -> f64 {
        self.cpu_ms.unwrap_or(self.wall_ms)
    }
}

/// Runs `f` once under both clocks.
pub fn time<T>(f: impl FnOnce() -> T) -> (Took, T) {
    let c0 = thread_cpu_ms();
    let w0 = Instant::now();
    let out = f();
    let wall_ms = w0.elapsed().as_secs_f64() * 1e3;
    let cpu_ms = thread_cpu_ms().zip(c0).map(|(b, a)| b - a);
    (Took { cpu_ms, wall_ms }, out)
}

/// Busy jiffies of the whole machine and of this process (including waited-for children).
#[derive(Clone, Copy)]
pub struct LoadMark {
    at: Instant,
    system_busy: u64,
    own: u64,
}

pub fn load_mark() -> Option<LoadMark> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal …; guest time is already inside user.
    let system_busy = [0usize, 1, 2, 5, 6, 7]
        .iter()
        .map(|&i| cpu.get(i).copied().unwrap_or(0))
        .sum();
    let own_stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest: Vec<&str> = own_stat.rsplit_once(')')?.1.split_whitespace().collect();
    // Fields 14–17 of /proc/self/stat: utime stime cutime cstime (rest[0] is field 3).
    let own = (11..=14)
        .map(|i| rest.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0))
        .sum();
    Some(LoadMark {
        at: Instant::now(),
        system_busy,
        own,
    })
}

/// Average number of cores used by other processes between two marks (USER_HZ = 100).
pub fn other_cores(a: Option<LoadMark>, b: Option<LoadMark>) -> Option<f64> {
    let (a, b) = (a?, b?);
    let secs = b.at.duration_since(a.at).as_secs_f64();
    if secs <= 0.0 {
        return None;
    }
    let other =
        b.system_busy.saturating_sub(a.system_busy) as f64 - b.own.saturating_sub(a.own) as f64;
    Some((other / 100.0 / secs).max(0.0))
}

/// Median of a non-empty slice (mean of the two middle values for even lengths).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The environment variable `name` parsed, or `default` when it is unset or does not parse.
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| {
            eprintln!("note: ignoring unparsable {name}={v:?}");
            default
        }),
        Err(_) => default,
    }
}

/// The CPU's model name from /proc/cpuinfo ("unknown" where there is none).
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("model name") || l.starts_with("CPU part"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Python side: 1 warm-up and `runs` timed derivations, one line per run: `wall_ms cpu_ms hex`.
const PY_SCRIPT: &str = r#"
import hashlib, sys, time
runs, iterations = int(sys.argv[1]), int(sys.argv[2])
try:
    import ssl
    print("version", ssl.OPENSSL_VERSION.replace(" ", "_"))
except Exception:
    print("version unknown")
hashlib.pbkdf2_hmac("sha256", b"password", b"salt", iterations, 32)
for _ in range(runs):
    w0 = time.perf_counter(); c0 = time.thread_time()
    dk = hashlib.pbkdf2_hmac("sha256", b"password", b"salt", iterations, 32)
    c1 = time.thread_time(); w1 = time.perf_counter()
    print("run", f"{(w1 - w0) * 1e3:.6f}", f"{(c1 - c0) * 1e3:.6f}", dk.hex())
sys.stdout.flush()
"#;

/// One batch of OpenSSL derivations timed inside Python.
pub struct PythonBatch {
    /// OpenSSL's version as Python reports it.
    pub version: String,
    /// Each timed derivation and the key it gave, in hex.
    pub runs: Vec<(Took, String)>,
}

/// One Python process (`python`): PBKDF2-HMAC-SHA256("password", "salt", `iterations`), 32
/// bytes, through `hashlib.pbkdf2_hmac`, once to warm up and `runs` times timed, so that
/// interpreter start-up is excluded.
pub fn python_pbkdf2(python: &str, runs: usize, iterations: u32) -> Result<PythonBatch, String> {
    let output = Command::new(python)
        .arg("-c")
        .arg(PY_SCRIPT)
        .arg(runs.to_string())
        .arg(iterations.to_string())
        .output()
        .map_err(|e| format!("could not start `{python}`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{python}` exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let mut batch = PythonBatch {
        version: "unknown".into(),
        runs: Vec::new(),
    };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            ["version", v] => batch.version = v.replace('_', " "),
            ["run", wall, cpu, digest] => {
                let parse = |s: &str| {
                    s.parse::<f64>()
                        .map_err(|e| format!("bad number {s:?} from Python: {e}"))
                };
                let took = Took {
                    cpu_ms: Some(parse(cpu)?),
                    wall_ms: parse(wall)?,
                };
                batch.runs.push((took, digest.to_string()));
            }
            _ => return Err(format!("unexpected line from Python: {line:?}")),
        }
    }
    if batch.runs.len() != runs {
        return Err(format!(
            "Python printed {} runs, expected {runs}",
            batch.runs.len()
        ));
    }
    Ok(batch)
}
