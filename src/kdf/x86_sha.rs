//! The PBKDF2-HMAC-SHA256 iteration loop on x86-64 SHA extensions (SHA-NI).
//!
//! Why this exists next to the `sha2` crate (whose SHA-NI compression the portable loop uses):
//! calling `sha2::block_api::compress256` twice per iteration costs about 9 % against the C
//! `fastpbkdf2` reference (measured with `scripts/bench`), the goal is 5 %. Per call the
//! crate checks the CPU features, converts the state between its `[u32; 8]` layout and the
//! instructions' ABEF/CDGH register layout, and the caller has to serialise the 32-byte message
//! to big-endian bytes that the crate immediately loads back (a store-forwarding stall: four
//! 4-byte stores read as one 16-byte load). Here the whole chain stays in registers: the output
//! of one compression is turned into the message words of the next with two shuffles, and the
//! XOR accumulator lives in the same layout.
//!
//! The round structure (`rounds4`, `schedule_rounds16`, the layout conversions) follows the
//! `sha2` 0.11 crate's `x86_sha` backend line by line; Intel's "SHA extensions" white paper
//! describes the instructions. Correctness is pinned by the tests in `super`: RFC 7914 and
//! Concordium vectors, and agreement with the portable loop and RustCrypto `pbkdf2` on many
//! inputs, which run on this path on any SHA-NI machine.

#![allow(unsafe_code)]

#[cfg(target_arch = "x86")]
use core::arch::x86::*;
#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;

/// SHA-256 round constants (FIPS 180-4 §4.2.2), four per vector.
const K32: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// Proof that this CPU has the instructions the loop needs; only [`ShaNi::detect`] makes one.
#[derive(Clone, Copy)]
pub(super) struct ShaNi(());

impl ShaNi {
    /// Checks the CPU (once per derivation; the standard library caches the CPUID answer).
    pub(super) fn detect() -> Option<Self> {
        let ok = std::arch::is_x86_feature_detected!("sha")
            && std::arch::is_x86_feature_detected!("sse2")
            && std::arch::is_x86_feature_detected!("ssse3")
            && std::arch::is_x86_feature_detected!("sse4.1");
        ok.then_some(Self(()))
    }

    /// Runs `n` PBKDF2 iterations (see [`chain_impl`]).
    pub(super) fn chain(
        self,
        inner: &[u32; 8],
        outer: &[u32; 8],
        u: &mut [u32; 8],
        acc: &mut [u32; 8],
        n: u32,
    ) {
        // SAFETY: a `ShaNi` exists only when `detect` found every required target feature.
        unsafe { chain_impl(inner, outer, u, acc, n) }
    }
}

/// Four rounds with message words `w` (already scheduled).
#[inline]
#[target_feature(enable = "sha,sse2")]
fn rounds4(r: usize, abef: &mut __m128i, cdgh: &mut __m128i, w: __m128i) {
    let rk = _mm_set_epi32(
        K32[4 * r + 3] as i32,
        K32[4 * r + 2] as i32,
        K32[4 * r + 1] as i32,
        K32[4 * r] as i32,
    );
    let t1 = _mm_add_epi32(w, rk);
    *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, t1);
    let t2 = _mm_shuffle_epi32(t1, 0x0E);
    *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, t2);
}

/// Sixteen rounds, scheduling the next sixteen message words in place.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3")]
fn schedule_rounds16(r: usize, abef: &mut __m128i, cdgh: &mut __m128i, w: &mut [__m128i; 4]) {
    for i in 0..4 {
        let w0 = w[i];
        let w1 = w[(i + 1) % 4];
        let w2 = w[(i + 2) % 4];
        let w3 = w[(i + 3) % 4];
        let t1 = _mm_sha256msg1_epu32(w0, w1);
        let t2 = _mm_alignr_epi8(w3, w2, 4);
        let t3 = _mm_add_epi32(t1, t2);
        w[i] = _mm_sha256msg2_epu32(t3, w3);
        rounds4(r + i, abef, cdgh, w[i]);
    }
}

/// One SHA-256 compression of the block `w` (message words, lane 0 first) into the state
/// `(abef, cdgh)`.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn compress(state: (__m128i, __m128i), mut w: [__m128i; 4]) -> (__m128i, __m128i) {
    let (mut abef, mut cdgh) = state;
    rounds4(0, &mut abef, &mut cdgh, w[0]);
    rounds4(1, &mut abef, &mut cdgh, w[1]);
    rounds4(2, &mut abef, &mut cdgh, w[2]);
    rounds4(3, &mut abef, &mut cdgh, w[3]);
    schedule_rounds16(4, &mut abef, &mut cdgh, &mut w);
    schedule_rounds16(8, &mut abef, &mut cdgh, &mut w);
    schedule_rounds16(12, &mut abef, &mut cdgh, &mut w);
    (_mm_add_epi32(abef, state.0), _mm_add_epi32(cdgh, state.1))
}

/// `[a..h]` (state words in order) to the instructions' `(abef, cdgh)` layout.
#[inline]
#[target_feature(enable = "sse2,ssse3,sse4.1")]
fn to_lanes(words: &[u32; 8]) -> (__m128i, __m128i) {
    // SAFETY: `words` is 32 readable bytes; unaligned loads.
    let (dcba, hgfe) = unsafe {
        let p: *const __m128i = words.as_ptr().cast();
        (_mm_loadu_si128(p), _mm_loadu_si128(p.add(1)))
    };
    let cdab = _mm_shuffle_epi32(dcba, 0xB1);
    let efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    (
        _mm_alignr_epi8(cdab, efgh, 8),
        _mm_blend_epi16(efgh, cdab, 0xF0),
    )
}

/// The inverse of [`to_lanes`], as two vectors: words a..d and e..h (lane 0 first). These are
/// also the first eight message words when the digest is hashed as a 32-byte message.
#[inline]
#[target_feature(enable = "sse2,ssse3,sse4.1")]
fn from_lanes((abef, cdgh): (__m128i, __m128i)) -> [__m128i; 2] {
    let feba = _mm_shuffle_epi32(abef, 0x1B);
    let dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    [
        _mm_blend_epi16(feba, dchg, 0xF0),
        _mm_alignr_epi8(dchg, feba, 8),
    ]
}

/// Runs `n` PBKDF2 iterations: `u ← HMAC(u)` as two compressions continuing the precomputed
/// inner and outer pad states, and `acc ^= u`.
///
/// The message block after a 64-byte pad is `u ‖ 0x80 ‖ 0… ‖ 768 as a 64-bit length`, so only
/// its first eight words change between iterations.
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn chain_impl(inner: &[u32; 8], outer: &[u32; 8], u: &mut [u32; 8], acc: &mut [u32; 8], n: u32) {
    let inner = to_lanes(inner);
    let outer = to_lanes(outer);
    let pad_lo = _mm_set_epi32(0, 0, 0, 0x8000_0000u32 as i32);
    let pad_hi = _mm_set_epi32(768, 0, 0, 0);
    let mut msg = from_lanes(to_lanes(u));
    let mut acc_l = to_lanes(acc);
    for _ in 0..n {
        let ih = from_lanes(compress(inner, [msg[0], msg[1], pad_lo, pad_hi]));
        let out = compress(outer, [ih[0], ih[1], pad_lo, pad_hi]);
        acc_l = (_mm_xor_si128(acc_l.0, out.0), _mm_xor_si128(acc_l.1, out.1));
        msg = from_lanes(out);
    }
    // SAFETY: `u` and `acc` are 32 writable bytes each; unaligned stores.
    unsafe {
        let p: *mut __m128i = u.as_mut_ptr().cast();
        _mm_storeu_si128(p, msg[0]);
        _mm_storeu_si128(p.add(1), msg[1]);
        let [a_lo, a_hi] = from_lanes(acc_l);
        let p: *mut __m128i = acc.as_mut_ptr().cast();
        _mm_storeu_si128(p, a_lo);
        _mm_storeu_si128(p.add(1), a_hi);
    }
}
