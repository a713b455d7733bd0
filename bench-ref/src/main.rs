//! Reference benchmarks for the wallet core (docs/references.md §F), in one run, interleaved:
//!
//! - PBKDF2-HMAC-SHA256, 600,000 iterations, 32-byte key: ours (`wallet_core::kdf::pbkdf2_sha256`
//!   with `NoProgress`, and its portable loop `pbkdf2_sha256_portable`, which ARM phones run), the C `fastpbkdf2` (cargo feature `fastpbkdf2`, on by default; it links
//!   the system libcrypto), RustCrypto `pbkdf2` 0.13, and OpenSSL through Python's
//!   `hashlib.pbkdf2_hmac` (timed inside Python, so interpreter start-up is excluded).
//! - AES-256-GCM throughput on a 1 MiB buffer, encrypt + decrypt in place, 12-byte nonce, empty
//!   AAD: RustCrypto `aes-gcm` 0.11 (what the core uses) against `ring` 0.17.
//!
//! Implementations run round-robin (the starting one rotates every round); figures are medians of
//! the calling thread's CPU time (wall time is shown too). Every output is checked: the PBKDF2
//! known answer and agreement of all implementations; the AES-GCM round trip and equal
//! ciphertexts and tags between the two libraries. There are no timed assertions.
//!
//! Environment: `BENCH_ROUNDS` (default 5), `BENCH_RUNS` (default 3, PBKDF2 derivations per
//! implementation per round), `BENCH_AES_REPS` (default 64, 1 MiB operations per AES sample),
//! `BENCH_AES_RUNS` (default 3, AES samples per implementation per round), `BENCH_PYTHON`
//! (default `python3`).
//!
//! Output: a markdown table, then one `name: value` line per figure.

use std::hint::black_box;

use aes_gcm::aead::{AeadInOut, KeyInit};
use wallet_core::kdf::{pbkdf2_sha256, NoProgress};

// The timing harness and the workload of benches/kdf.rs.
#[path = "../../benches/common/pbkdf2_workload.rs"]
mod pbkdf2_workload;
#[path = "../../benches/common/timing.rs"]
mod timing;
use timing::{cpu_model, env_or, load_mark, median, other_cores, python_pbkdf2};

const ITERATIONS: u32 = 600_000;
/// PBKDF2-HMAC-SHA256("password", "salt", 600000), 32 bytes.
const KNOWN_600K: &str = "669cfe52482116fda1aa2cbe409b2f56c8e4563752b7a28f6eaab614ee005178";
const AES_BYTES: usize = 1 << 20;

/// (thread CPU ms, or wall ms where there is no thread clock; wall ms)
fn time<T>(f: impl FnOnce() -> T) -> ((f64, f64), T) {
    let (took, out) = timing::time(f);
    ((took.ms(), took.wall_ms), out)
}

// ---------------------------------------------------------------------------------------------
// PBKDF2

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kdf {
    Ours,
    OursPortable,
    Fast,
    RustCrypto,
    OpenSsl,
}

impl Kdf {
    const ALL: [Kdf; 5] = [
        Kdf::Ours,
        Kdf::OursPortable,
        Kdf::Fast,
        Kdf::RustCrypto,
        Kdf::OpenSsl,
    ];
    fn label(self) -> &'static str {
        match self {
            Kdf::Ours => "ours: wallet_core::kdf::pbkdf2_sha256 (NoProgress)",
            Kdf::OursPortable => {
                "ours, portable loop (2 sha2 compress256 calls/iteration, as on ARM)"
            }
            Kdf::Fast => "C fastpbkdf2 0.1 (crate `fastpbkdf2`, system libcrypto SHA256_Transform)",
            Kdf::RustCrypto => "RustCrypto pbkdf2 0.13 + sha2 0.11",
            Kdf::OpenSsl => "OpenSSL via Python hashlib.pbkdf2_hmac",
        }
    }
    fn key(self) -> &'static str {
        match self {
            Kdf::Ours => "pbkdf2_ours_ms",
            Kdf::OursPortable => "pbkdf2_ours_portable_ms",
            Kdf::Fast => "pbkdf2_fastpbkdf2_ms",
            Kdf::RustCrypto => "pbkdf2_rustcrypto_ms",
            Kdf::OpenSsl => "pbkdf2_openssl_hashlib_ms",
        }
    }
}

fn kdf_ours() -> [u8; 32] {
    pbkdf2_workload::ours(pbkdf2_sha256, ITERATIONS, &NoProgress)
}

fn kdf_ours_portable() -> [u8; 32] {
    let portable = wallet_core::kdf::pbkdf2_sha256_portable;
    pbkdf2_workload::ours(portable, ITERATIONS, &NoProgress)
}

fn kdf_rustcrypto() -> [u8; 32] {
    pbkdf2_workload::rustcrypto(ITERATIONS)
}

#[cfg(feature = "fastpbkdf2")]
fn kdf_fast() -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    fastpbkdf2::pbkdf2_hmac_sha256(
        black_box(pbkdf2_workload::PASSWORD),
        black_box(pbkdf2_workload::SALT),
        black_box(ITERATIONS),
        &mut out,
    );
    Some(black_box(out))
}

#[cfg(not(feature = "fastpbkdf2"))]
fn kdf_fast() -> Option<[u8; 32]> {
    None
}

// ---------------------------------------------------------------------------------------------
// AES-256-GCM

const AES_KEY: [u8; 32] = [0x42; 32];

fn nonce_for(i: u64) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[4..].copy_from_slice(&i.to_be_bytes());
    n
}

/// Encrypts `buf` in place `reps` times with distinct nonces, then decrypts in reverse order;
/// returns the time of each half and checks the round trip.
trait Gcm {
    fn seal(&self, nonce: [u8; 12], buf: &mut [u8]) -> [u8; 16];
    fn open(&self, nonce: [u8; 12], buf: &mut [u8], tag: [u8; 16]);
}

struct RustCryptoGcm(aes_gcm::Aes256Gcm);
impl Gcm for RustCryptoGcm {
    fn seal(&self, nonce: [u8; 12], buf: &mut [u8]) -> [u8; 16] {
        self.0
            .encrypt_inout_detached(&nonce.into(), b"", buf.into())
            .expect("aes-gcm encrypt")
            .into()
    }
    fn open(&self, nonce: [u8; 12], buf: &mut [u8], tag: [u8; 16]) {
        self.0
            .decrypt_inout_detached(&nonce.into(), b"", buf.into(), &tag.into())
            .expect("aes-gcm decrypt: tag mismatch");
    }
}

struct RingGcm(ring::aead::LessSafeKey);
impl Gcm for RingGcm {
    fn seal(&self, nonce: [u8; 12], buf: &mut [u8]) -> [u8; 16] {
        let tag = self
            .0
            .seal_in_place_separate_tag(
                ring::aead::Nonce::assume_unique_for_key(nonce),
                ring::aead::Aad::empty(),
                buf,
            )
            .expect("ring seal");
        tag.as_ref().try_into().unwrap()
    }
    fn open(&self, nonce: [u8; 12], buf: &mut [u8], tag: [u8; 16]) {
        let tag = ring::aead::Tag::from(tag);
        self.0
            .open_in_place_separate_tag(
                ring::aead::Nonce::assume_unique_for_key(nonce),
                ring::aead::Aad::empty(),
                tag,
                buf,
                0..,
            )
            .expect("ring open: tag mismatch");
    }
}

/// One sample: `reps` encryptions, then the matching decryptions in reverse order.
/// Returns (enc_ms, dec_ms) of thread CPU time.
fn gcm_sample(g: &dyn Gcm, buf: &mut [u8], plain_check: u64, reps: usize, base: u64) -> (f64, f64) {
    let mut tags = Vec::with_capacity(reps);
    let ((enc, _), ()) = time(|| {
        for i in 0..reps {
            tags.push(g.seal(nonce_for(base + i as u64), black_box(&mut *buf)));
        }
    });
    let ((dec, _), ()) = time(|| {
        for i in (0..reps).rev() {
            g.open(nonce_for(base + i as u64), black_box(&mut *buf), tags[i]);
        }
    });
    assert_eq!(
        checksum(buf),
        plain_check,
        "AES-GCM round trip did not restore the plaintext"
    );
    (enc, dec)
}

fn checksum(b: &[u8]) -> u64 {
    b.iter().enumerate().fold(0u64, |h, (i, &x)| {
        h.wrapping_mul(31).wrapping_add(x as u64 ^ i as u64)
    })
}

// ---------------------------------------------------------------------------------------------

fn main() {
    let rounds: usize = env_or("BENCH_ROUNDS", 5).max(1);
    let runs: usize = env_or("BENCH_RUNS", 3).max(1);
    let aes_reps: usize = env_or("BENCH_AES_REPS", 64).max(1);
    let aes_runs: usize = env_or("BENCH_AES_RUNS", 3).max(1);
    let python: String = env_or("BENCH_PYTHON", "python3".to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());

    println!("# Reference benchmarks (bench-ref)");
    println!();
    println!(
        "CPU: {}, {cores} logical cores, {}",
        cpu_model(),
        std::env::consts::ARCH
    );
    #[cfg(target_arch = "x86_64")]
    println!(
        "runtime detection: sha={} aes={} pclmulqdq={} avx2={} vaes={}",
        std::arch::is_x86_feature_detected!("sha"),
        std::arch::is_x86_feature_detected!("aes"),
        std::arch::is_x86_feature_detected!("pclmulqdq"),
        std::arch::is_x86_feature_detected!("avx2"),
        std::arch::is_x86_feature_detected!("vaes"),
    );
    println!(
        "profile: {}; {rounds} interleaved rounds; PBKDF2 {runs} runs/impl/round, {ITERATIONS} \
         iterations; AES-GCM {aes_runs} samples/impl/round of {aes_reps} x 1 MiB enc + dec; \
         timing basis: median thread CPU time",
        if cfg!(debug_assertions) {
            "debug (figures meaningless)"
        } else {
            "optimised"
        }
    );

    let mut notes: Vec<String> = Vec::new();

    // --- Correctness first, and warm-up.
    let reference = kdf_ours();
    assert_eq!(
        hex::encode(reference),
        KNOWN_600K,
        "our KDF disagrees with the known answer"
    );
    assert_eq!(kdf_rustcrypto(), reference, "RustCrypto pbkdf2 disagrees");
    let fast_ok = match kdf_fast() {
        Some(k) => {
            assert_eq!(k, reference, "fastpbkdf2 disagrees with the known answer");
            true
        }
        None => {
            notes.push(
                "fastpbkdf2: not built (bench-ref built without the `fastpbkdf2` feature); \
                 figure skipped"
                    .into(),
            );
            false
        }
    };
    let mut openssl_version = "unknown".to_string();
    let py_ok = match python_pbkdf2(&python, 1, ITERATIONS) {
        Ok(batch) => {
            openssl_version = batch.version;
            assert_eq!(
                batch.runs[0].1, KNOWN_600K,
                "Python hashlib disagrees with the known answer"
            );
            true
        }
        Err(e) => {
            notes.push(format!("OpenSSL via Python hashlib: skipped: {e}"));
            false
        }
    };

    let mut plain = vec![0u8; AES_BYTES];
    for (i, b) in plain.iter_mut().enumerate() {
        *b = (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3];
    }
    let plain_check = checksum(&plain);
    let rc = RustCryptoGcm(aes_gcm::Aes256Gcm::new(&AES_KEY.into()));
    let rg = RingGcm(ring::aead::LessSafeKey::new(
        ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, &AES_KEY).expect("ring key"),
    ));
    {
        // Equal ciphertexts and tags between the two libraries, and each opens the other's.
        let (mut a, mut b) = (plain.clone(), plain.clone());
        let ta = rc.seal(nonce_for(7), &mut a);
        let tb = rg.seal(nonce_for(7), &mut b);
        assert!(a != plain, "aes-gcm did not encrypt");
        assert!(
            a == b && ta == tb,
            "aes-gcm and ring produced different ciphertexts or tags"
        );
        rc.open(nonce_for(7), &mut b, tb);
        rg.open(nonce_for(7), &mut a, ta);
        assert!(a == plain && b == plain, "AES-GCM cross round trip failed");
        // A flipped bit must be rejected by both.
        let mut c = plain.clone();
        let t = rc.seal(nonce_for(8), &mut c);
        c[12345] ^= 1;
        let mut c2 = c.clone();
        assert!(rc
            .0
            .decrypt_inout_detached(&nonce_for(8).into(), b"", (&mut c[..]).into(), &t.into())
            .is_err());
        assert!(rg
            .0
            .open_in_place_separate_tag(
                ring::aead::Nonce::assume_unique_for_key(nonce_for(8)),
                ring::aead::Aad::empty(),
                ring::aead::Tag::from(t),
                &mut c2,
                0..
            )
            .is_err());
    }
    let mut buf = plain.clone();
    let _ = gcm_sample(&rc, &mut buf, plain_check, aes_reps.min(8), 1 << 32);
    let _ = gcm_sample(&rg, &mut buf, plain_check, aes_reps.min(8), 1 << 33);
    println!(
        "checks: PBKDF2 known answer and agreement OK; AES-GCM round trip, cross-library \
              ciphertext/tag equality and tamper rejection OK"
    );
    println!();

    let kdfs: Vec<Kdf> = Kdf::ALL
        .iter()
        .copied()
        .filter(|k| (*k != Kdf::Fast || fast_ok) && (*k != Kdf::OpenSsl || py_ok))
        .collect();
    // samples: (cpu ms, wall ms)
    let mut kdf_samples: Vec<Vec<(f64, f64)>> = vec![Vec::new(); Kdf::ALL.len()];
    // AES: GB/s per sample (enc+dec, enc, dec); index 0 = RustCrypto, 1 = ring
    let mut aes_samples: Vec<Vec<(f64, f64, f64)>> = vec![Vec::new(); 2];
    // Per round: the median enc+dec GB/s of each AES implementation, for the per-round ratio.
    let mut aes_round_ratios: Vec<f64> = Vec::new();
    let mut loads: Vec<f64> = Vec::new();
    let mut nonce_base: u64 = 1 << 40;

    // Jobs per round: each KDF, then the two AES implementations; rotated each round.
    let njobs = kdfs.len() + 2;
    for round in 0..rounds {
        let start = load_mark();
        for k in 0..njobs {
            let j = (round + k) % njobs;
            if j < kdfs.len() {
                let imp = kdfs[j];
                let slot = Kdf::ALL.iter().position(|x| *x == imp).unwrap();
                if imp == Kdf::OpenSsl {
                    match python_pbkdf2(&python, runs, ITERATIONS) {
                        Ok(batch) => {
                            for (took, digest) in batch.runs {
                                assert_eq!(digest, KNOWN_600K, "Python hashlib disagrees");
                                kdf_samples[slot].push((took.ms(), took.wall_ms));
                            }
                        }
                        Err(e) => eprintln!("note: Python round {round} failed, skipped: {e}"),
                    }
                    continue;
                }
                for _ in 0..runs {
                    let ((cpu, wall), out) = match imp {
                        Kdf::Ours => time(kdf_ours),
                        Kdf::OursPortable => time(kdf_ours_portable),
                        Kdf::RustCrypto => time(kdf_rustcrypto),
                        _ => time(|| kdf_fast().unwrap()),
                    };
                    assert_eq!(out, reference, "{} disagrees", imp.label());
                    kdf_samples[slot].push((cpu, wall));
                }
            } else {
                let a = j - kdfs.len();
                let g: &dyn Gcm = if a == 0 { &rc } else { &rg };
                for _ in 0..aes_runs {
                    let (enc, dec) = gcm_sample(g, &mut buf, plain_check, aes_reps, nonce_base);
                    nonce_base += aes_reps as u64;
                    let bytes = (AES_BYTES * aes_reps) as f64;
                    let gbps = |ms: f64| bytes / (ms / 1e3) / 1e9;
                    aes_samples[a].push((
                        2.0 * bytes / ((enc + dec) / 1e3) / 1e9,
                        gbps(enc),
                        gbps(dec),
                    ));
                }
            }
        }
        if let Some(l) = other_cores(start, load_mark()) {
            loads.push(l);
        }
        let this_round = |a: usize| {
            let s = &aes_samples[a];
            median(
                &s[s.len() - aes_runs..]
                    .iter()
                    .map(|x| x.0)
                    .collect::<Vec<_>>(),
            )
        };
        aes_round_ratios.push(this_round(0) / this_round(1));
    }

    // --- Report.
    let kdf_med = |k: Kdf| -> Option<(f64, f64, usize)> {
        let s = &kdf_samples[Kdf::ALL.iter().position(|x| *x == k).unwrap()];
        (!s.is_empty()).then(|| {
            let cpu: Vec<f64> = s.iter().map(|x| x.0).collect();
            let wall: Vec<f64> = s.iter().map(|x| x.1).collect();
            (median(&cpu), median(&wall), s.len())
        })
    };
    let ours_ms = kdf_med(Kdf::Ours).map(|x| x.0).unwrap();
    println!("## PBKDF2-HMAC-SHA256, 600,000 iterations, 32-byte key");
    println!();
    println!("| implementation | n | median CPU ms | median wall ms | iterations/s | ours is faster by |");
    println!("|---|---|---|---|---|---|");
    for k in Kdf::ALL {
        let label = if k == Kdf::OpenSsl {
            format!("{} ({openssl_version})", k.label())
        } else {
            k.label().to_string()
        };
        match kdf_med(k) {
            Some((cpu, wall, n)) => println!(
                "| {label} | {n} | {cpu:.1} | {wall:.1} | {:.2} M | {} |",
                ITERATIONS as f64 / (cpu / 1e3) / 1e6,
                if k == Kdf::Ours {
                    "—".to_string()
                } else {
                    format!("{:.2}×", cpu / ours_ms)
                }
            ),
            None => println!("| {label} | 0 | — | — | — | not measured |"),
        }
    }
    println!();
    let aes_med = |a: usize| -> (f64, f64, f64, usize) {
        let s = &aes_samples[a];
        let m = |f: fn(&(f64, f64, f64)) -> f64| median(&s.iter().map(f).collect::<Vec<_>>());
        (m(|x| x.0), m(|x| x.1), m(|x| x.2), s.len())
    };
    let (rc_gbps, rc_enc, rc_dec, rc_n) = aes_med(0);
    let (rg_gbps, rg_enc, rg_dec, rg_n) = aes_med(1);
    println!("## AES-256-GCM, 1 MiB buffer, in place, 12-byte nonce, empty AAD (GB/s = 1e9 B/s)");
    println!();
    println!(
        "| implementation | n | encrypt GB/s | decrypt GB/s | enc+dec GB/s (median) | vs ring |"
    );
    println!("|---|---|---|---|---|---|");
    println!(
        "| RustCrypto aes-gcm 0.11 (ours) | {rc_n} | {rc_enc:.2} | {rc_dec:.2} | {rc_gbps:.2} | {:.2} |",
        rc_gbps / rg_gbps
    );
    println!(
        "| ring 0.17 AES_256_GCM | {rg_n} | {rg_enc:.2} | {rg_dec:.2} | {rg_gbps:.2} | 1.00 |"
    );
    println!();
    let ratio_min = aes_round_ratios
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let ratio_max = aes_round_ratios.iter().copied().fold(0.0, f64::max);
    println!(
        "ours / ring per round ({} rounds): min {ratio_min:.3}, median {:.3}, max {ratio_max:.3}",
        aes_round_ratios.len(),
        median(&aes_round_ratios)
    );
    println!();
    let (load_med, load_max) = if loads.is_empty() {
        (f64::NAN, f64::NAN)
    } else {
        (median(&loads), loads.iter().copied().fold(0.0, f64::max))
    };
    println!(
        "load: other processes used {load_med:.2} cores (median over rounds), {load_max:.2} max, \
         of {cores}"
    );
    for n in &notes {
        println!("NOTE: {n}");
    }
    println!();

    // --- name: value lines.
    let na = "n/a".to_string();
    let ms = |k: Kdf| kdf_med(k).map_or(na.clone(), |x| format!("{:.1}", x.0));
    let speed = |k: Kdf| kdf_med(k).map_or(na.clone(), |x| format!("{:.3}", x.0 / ours_ms));
    for k in Kdf::ALL {
        println!("{}: {}", k.key(), ms(k));
    }
    println!("pbkdf2_speed_vs_fastpbkdf2: {}", speed(Kdf::Fast));
    println!("pbkdf2_speed_vs_openssl: {}", speed(Kdf::OpenSsl));
    println!("pbkdf2_speed_vs_rustcrypto: {}", speed(Kdf::RustCrypto));
    println!("aes_gcm_rustcrypto_gbps: {rc_gbps:.2}");
    println!("aes_gcm_ring_gbps: {rg_gbps:.2}");
    println!("aes_gcm_speed_vs_ring: {:.3}", rc_gbps / rg_gbps);
    println!("aes_gcm_speed_vs_ring_round_min: {ratio_min:.3}");
    println!("aes_gcm_speed_vs_ring_round_max: {ratio_max:.3}");
    println!("bench_ref_other_cores_median: {load_med:.2}");
    println!("bench_ref_other_cores_max: {load_max:.2}");
}
