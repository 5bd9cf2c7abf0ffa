//! A global allocator that quarantines freed blocks on request.
//!
//! A test binary installs it with
//! `#[global_allocator] static ALLOCATOR: Quarantine = Quarantine;`. Until a
//! thread calls [`Quarantine::record`], every call goes straight to the
//! system allocator. While a thread records, each block that thread frees
//! (including the old block of a reallocation) is kept untouched, with its
//! address and layout noted; [`Recording::finish`] then searches all those
//! blocks, and any extra memory the test names, for windows of the secrets
//! it is given, and only then releases them. A wipe that is missing anywhere
//! in the code under test shows up as a hit.
//!
//! Other threads, and the recording thread inside [`Recording::pause`], are
//! not recorded, so a test harness running tests in parallel is unaffected
//! and a test can keep its own bookkeeping out of the scan.

use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
    collections::{HashMap, HashSet},
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

/// The global allocator. See the module documentation.
pub struct Quarantine;

/// How many freed blocks all recordings together may hold; more is a test
/// bug (a life too long to scan) and fails the recording.
const CAPACITY: usize = 1 << 18;

/// The length of the windows searched for: any 16 bytes of a secret left in
/// freed memory count as a hit.
const WINDOW: usize = 16;

#[derive(Clone, Copy)]
struct Freed {
    recording: u64,
    address: usize,
    size: usize,
    align: usize,
}

/// All zero, so the table lives in zero-initialised memory.
const NONE: Freed = Freed {
    recording: 0,
    address: 0,
    size: 0,
    align: 0,
};

struct Blocks {
    freed: [Freed; CAPACITY],
    len: usize,
    overflowed: bool,
}

static BLOCKS: Mutex<Blocks> = Mutex::new(Blocks {
    freed: [NONE; CAPACITY],
    len: 0,
    overflowed: false,
});

static NEXT_RECORDING: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// The recording this thread frees into, or 0.
    static RECORDING: Cell<u64> = const { Cell::new(0) };
}

fn current() -> u64 {
    // `try_with` fails only while the thread is being torn down.
    RECORDING.try_with(Cell::get).unwrap_or(0)
}

fn set_current(id: u64) {
    let _ = RECORDING.try_with(|r| r.set(id));
}

// SAFETY: every allocation is the system allocator's, with the caller's
// layout; a quarantined block is released later through `System.dealloc`
// with the layout it was allocated with, exactly once.
unsafe impl GlobalAlloc for Quarantine {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout (non-zero size, as
        // `GlobalAlloc` requires of the caller).
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let recording = current();
        if recording != 0 {
            // A poisoned lock still holds consistent data: entries are
            // written whole.
            let mut blocks = BLOCKS.lock().unwrap_or_else(|e| e.into_inner());
            let len = blocks.len;
            if let Some(slot) = blocks.freed.get_mut(len) {
                *slot = Freed {
                    recording,
                    address: ptr as usize,
                    size: layout.size(),
                    align: layout.align(),
                };
                blocks.len = len + 1;
                return;
            }
            blocks.overflowed = true;
        }
        // SAFETY: `ptr` was allocated by `System` with this layout (above).
        unsafe { System.dealloc(ptr, layout) }
    }

    // `realloc` keeps its default: allocate, copy, `dealloc` the old block,
    // so the old block of a growing `Vec` is quarantined too.
}

/// One recording at a time in a process: a thread that frees its own
/// blocks while another records can hand memory back and forth through the
/// system allocator in ways that make one life's reads depend on another's.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A search of freed memory for secrets, started by [`Quarantine::record`].
pub struct Recording {
    id: u64,
    extra: Vec<(String, Vec<u8>)>,
    _turn: std::sync::MutexGuard<'static, ()>,
}

/// Where a secret was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The name the test gave the secret.
    pub secret: String,
    /// What held it: `"freed block of N bytes"` or the name of extra memory.
    pub place: String,
    /// The offset of the first matching window in that place.
    pub offset: usize,
}

/// What [`Recording::finish`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// How many freed blocks were scanned.
    pub blocks: usize,
    /// How many bytes they held.
    pub bytes: usize,
    /// How many secrets were searched for.
    pub secrets: usize,
    /// Every place a window of a secret was found, at most one per secret
    /// and place.
    pub hits: Vec<Hit>,
}

impl Quarantine {
    /// Starts recording the frees of this thread, once no other thread
    /// records. Panics if the thread already records.
    pub fn record() -> Recording {
        assert_eq!(current(), 0, "this thread already records");
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let id = NEXT_RECORDING.fetch_add(1, Ordering::Relaxed);
        set_current(id);
        Recording {
            id,
            extra: Vec::new(),
            _turn: turn,
        }
    }
}

impl Recording {
    /// Runs `f` with recording off: what it frees is released at once.
    pub fn pause<T>(&self, f: impl FnOnce() -> T) -> T {
        set_current(0);
        let result = f();
        set_current(self.id);
        result
    }

    /// Adds memory to scan besides the freed blocks, such as the bytes an
    /// object occupied after it was cleared: a copy taken now.
    pub fn scan_also(&mut self, name: &str, memory: &[u8]) {
        set_current(0);
        self.extra.push((name.to_owned(), memory.to_vec()));
        set_current(self.id);
    }

    /// Stops recording, searches every block this recording quarantined and
    /// the extra memory for any 16-byte window of each secret (the whole
    /// secret if shorter), then releases the blocks.
    pub fn finish(self, secrets: &[(String, Vec<u8>)]) -> Report {
        set_current(0);
        // Every window of every secret, and the first secret it belongs to.
        let mut owner: HashMap<&[u8], usize> = HashMap::new();
        let mut widths = Vec::new();
        for (index, (_, secret)) in secrets.iter().enumerate() {
            let width = WINDOW.min(secret.len());
            if width == 0 {
                continue;
            }
            widths.push(width);
            for window in secret.windows(width) {
                owner.entry(window).or_insert(index);
            }
        }
        widths.sort_unstable();
        widths.dedup();
        let mut hits = Vec::new();
        let mut search = |place: String, memory: &[u8]| {
            let mut found = HashSet::new();
            for &width in &widths {
                for (offset, window) in memory.windows(width).enumerate() {
                    if let Some(&index) = owner.get(window)
                        && found.insert(index)
                    {
                        hits.push(Hit {
                            secret: secrets.get(index).map(|(name, _)| name.clone()).unwrap_or_default(),
                            place: place.clone(),
                            offset,
                        });
                    }
                }
            }
        };

        let mut blocks = BLOCKS.lock().unwrap_or_else(|e| e.into_inner());
        let overflowed = blocks.overflowed;
        let (mut scanned, mut bytes, mut kept) = (0, 0, 0);
        for i in 0..blocks.len {
            let block = blocks.freed[i];
            if block.recording != self.id {
                blocks.freed[kept] = block;
                kept += 1;
                continue;
            }
            // SAFETY: the block was allocated with this size and alignment
            // and quarantined instead of freed, so it is still allocated,
            // readable and unchanged; nothing else refers to it.
            let memory = unsafe { std::slice::from_raw_parts(block.address as *const u8, block.size) };
            search(format!("freed block of {} bytes", block.size), memory);
            scanned += 1;
            bytes += block.size;
            // SAFETY: released once, with the layout it was allocated with,
            // which was a valid layout then.
            unsafe {
                System.dealloc(
                    block.address as *mut u8,
                    Layout::from_size_align_unchecked(block.size, block.align),
                )
            };
        }
        blocks.len = kept;
        drop(blocks);
        assert!(!overflowed, "more than {CAPACITY} freed blocks: scan a shorter life");
        for (name, memory) in &self.extra {
            search(name.clone(), memory);
        }
        Report {
            blocks: scanned,
            bytes,
            secrets: secrets.len(),
            hits,
        }
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        // A recording dropped without `finish` (a panicking test) stops
        // recording; its blocks stay quarantined, which only leaks.
        if current() == self.id {
            set_current(0);
        }
    }
}
