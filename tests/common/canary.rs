//! A heap checker for the secret-hygiene tests: an allocator that, while armed, searches every
//! heap block for a canary *as it is freed* (before it goes back to the system allocator), so
//! "freed without wiping" is seen without reading freed memory (no undefined behaviour).
//!
//! A test binary installs it with `#[global_allocator] static GLOBAL: CanaryAlloc = CanaryAlloc;`
//! (or wrapped, e.g. in a wiping allocator, to check what reaches the system allocator).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// While armed, every heap block is searched for the canaries just before it is freed (and on
/// reallocation, when the old block is freed).
pub struct CanaryAlloc;

const SLOTS: usize = 4;
static ARMED: AtomicBool = AtomicBool::new(false);
static CANARY_PTR: [AtomicPtr<u8>; SLOTS] = [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];
static CANARY_LEN: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static FOUND: AtomicUsize = AtomicUsize::new(0);

impl CanaryAlloc {
    /// # Safety
    /// `ptr` points to `size` live, initialised-or-not bytes that this allocator handed out.
    unsafe fn scan(ptr: *const u8, size: usize) {
        // Bytes never written read as whatever the allocator left; comparing them is fine here
        // (they are plain `u8` and only compared).
        let block = unsafe { std::slice::from_raw_parts(ptr, size) };
        for i in 0..SLOTS {
            let p = CANARY_PTR[i].load(Ordering::Acquire);
            let n = CANARY_LEN[i].load(Ordering::Acquire);
            if p.is_null() || n == 0 || n > size {
                continue;
            }
            let canary = unsafe { std::slice::from_raw_parts(p, n) };
            if block.windows(n).any(|w| w == canary) {
                FOUND.fetch_add(1, Ordering::AcqRel);
            }
        }
    }
}

unsafe impl GlobalAlloc for CanaryAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::Acquire) {
            unsafe { Self::scan(ptr, layout.size()) };
        }
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !ARMED.load(Ordering::Acquire) {
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        // Move by hand, so the old block is searched as it is freed.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        new
    }
}

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// A canary that lives for the rest of the process (so its own memory is never freed, and never
/// reported).
pub fn leak(bytes: &[u8]) -> &'static [u8] {
    Box::leak(bytes.to_vec().into_boxed_slice())
}

/// Runs `f` with the canaries armed; returns how many freed heap blocks held one of them.
/// Canaries are unique to each test (no other test in this binary uses them), so other tests'
/// frees during the window cannot be counted.
pub fn freed_blocks_holding(canaries: &[&'static [u8]], f: impl FnOnce()) -> usize {
    assert!(canaries.len() <= SLOTS);
    let _serial = serial();
    for (i, c) in canaries.iter().enumerate() {
        assert!(c.len() >= 8, "a canary needs at least 8 bytes");
        CANARY_LEN[i].store(c.len(), Ordering::Release);
        CANARY_PTR[i].store(c.as_ptr() as *mut u8, Ordering::Release);
    }
    FOUND.store(0, Ordering::Release);
    ARMED.store(true, Ordering::Release);
    f();
    ARMED.store(false, Ordering::Release);
    for i in 0..SLOTS {
        CANARY_PTR[i].store(std::ptr::null_mut(), Ordering::Release);
        CANARY_LEN[i].store(0, Ordering::Release);
    }
    FOUND.load(Ordering::Acquire)
}

/// Frees a box's memory without running its destructor: what a type without a wiping `Drop`
/// would leave behind (the positive control of each check).
pub fn free_without_drop<T>(b: Box<T>) {
    let raw = Box::into_raw(b);
    // SAFETY: `raw` came from `Box::into_raw` with `T`'s layout; the value is not used again
    // and its destructor is deliberately not run (`T` owns no heap memory in these tests).
    unsafe { std::alloc::dealloc(raw.cast::<u8>(), Layout::new::<T>()) }
}

/// Wallet JSON holding `secret` twice (a private-key field), once followed by a `\u` escape,
/// which makes serde_json unescape the string through its scratch buffer.
pub fn escaped_secret_wallet_json(secret: &str) -> String {
    format!(
        r#"{{"type":"concordium-mobile-wallet-data","v":1,"environment":"mainnet",
        "value":{{"identities":[{{"name":"I\u0041","privateIdObjectData":{{"aci":{{"prfKey":"{secret}\u0041"}},"randomness":"{secret}"}},
          "accounts":[]}}],"recipients":[]}}}}"#
    )
}
