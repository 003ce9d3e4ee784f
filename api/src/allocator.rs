//! mimalloc's settings for a long-running server. By default mimalloc commits arena memory
//! eagerly (on Linux, where memory is overcommitted) and gives freed pages back to the system
//! only after a delay, and only when the thread that freed them allocates again. A server's
//! threads mostly sleep between requests, so memory that start-up work (the search index's
//! first sync, the OpenAPI document) used and freed stayed resident: `faro serve` sat at about
//! 100 MB idle. Committing on demand and purging freed pages at once brings it to about 60 MB
//! with no measurable cost to throughput (docs/benchmarks.md).
//!
//! The option numbers are those of the `mi_option_e` enum in the mimalloc v3 header that
//! libmimalloc-sys 0.1.49 builds (`c_src/mimalloc/v3/include/mimalloc.h`); its Rust bindings
//! do not name these two. The test below checks them against their documented defaults.

use std::os::raw::{c_int, c_long};

// The symbols below are mimalloc's: link it even where nothing else names the crate.
use mimalloc as _;

unsafe extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    fn mi_option_get(option: c_int) -> c_long;
}

/// `mi_option_arena_eager_commit`: 0 commits arena memory only as it is used.
const ARENA_EAGER_COMMIT: c_int = 4;
/// `mi_option_purge_delay`: milliseconds before freed pages go back to the system; 0 is at once.
const PURGE_DELAY: c_int = 15;

/// Applies the settings before `main`, before mimalloc reserves its first arena, so even the
/// memory the runtime's start-up takes is committed on demand (set later, the first arena is
/// already committed: 75 MB idle instead of 60). A constructor in `.init_array`, as the
/// platform's C runtime runs them; every binary that links this crate gets it.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static TUNE_BEFORE_MAIN: extern "C" fn() = {
    extern "C" fn before_main() {
        tune();
    }
    before_main
};

/// Applies the server's settings (again: harmless).
pub fn tune() {
    // SAFETY: plain setters of mimalloc's option table, valid at any time from any thread.
    unsafe {
        mi_option_set(ARENA_EAGER_COMMIT, 0);
        mi_option_set(PURGE_DELAY, 0);
    }
}

/// The current value of an option (for the test and for diagnostics).
pub fn option(number: c_int) -> c_long {
    // SAFETY: a plain getter of mimalloc's option table.
    unsafe { mi_option_get(number) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_numbers_are_the_ones_meant() {
        // Their defaults as the v3 header documents them, unless someone tuned this process.
        // Set before `main` by the constructor: the two options, and nothing else moved (the
        // options after them keep their documented defaults).
        assert_eq!((option(ARENA_EAGER_COMMIT), option(PURGE_DELAY)), (0, 0));
        assert_eq!(
            option(ARENA_EAGER_COMMIT + 1),
            1,
            "purge_decommits keeps its default"
        );
        assert_eq!(
            option(PURGE_DELAY + 1),
            0,
            "use_numa_nodes keeps its default"
        );
        assert_eq!(
            option(PURGE_DELAY - 1),
            1,
            "the option before purge_delay is not it"
        );
    }
}
