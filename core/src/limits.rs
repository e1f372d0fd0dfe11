//! How many connections the process may have open at once, and how long an idle one is kept.
//!
//! Without a bound, thousands of concurrent calls open thousands of sockets: under `ulimit -n 1024`
//! (macOS defaults to 256) the process runs out of file descriptors, the calls fail with a raw
//! "Too many open files", and for as long as idle sockets linger the process cannot open a file.
//! litellm's SDK routes use the openai SDK's httpx limits (1,000 connections, 100 kept idle for
//! 5 s); edgequake takes the same numbers, and a smaller in-flight bound when the process's own file
//! limit would not fit 1,000 sockets beside its files. Calls beyond the bound wait for a free slot
//! (within their timeout) instead of failing. `EDGEQUAKE_MAX_CONNECTIONS` overrides the bound.

use std::time::Duration;

/// The openai SDK's `max_connections`.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1000;
/// The openai SDK's `max_keepalive_connections` (reqwest counts it per host).
pub const MAX_IDLE_PER_HOST: usize = 100;
/// httpx's `keepalive_expiry`.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// File descriptors left to the rest of the process (its files, pipes, the interpreter's own).
const RESERVED_FDS: u64 = 64;
const MIN_CONNECTIONS: usize = 8;

/// The in-flight connection bound for this process.
pub fn max_connections() -> usize {
    if let Some(n) = std::env::var("EDGEQUAKE_MAX_CONNECTIONS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return n;
    }
    bound_for(open_file_limit())
}

/// Half of what the file limit leaves after the reserve (idle sockets and in-flight ones share it),
/// never more than the SDK's bound nor fewer than a handful.
fn bound_for(limit: Option<u64>) -> usize {
    let Some(limit) = limit else {
        return DEFAULT_MAX_CONNECTIONS;
    };
    let usable = limit.saturating_sub(RESERVED_FDS) / 2;
    usize::try_from(usable)
        .unwrap_or(usize::MAX)
        .clamp(MIN_CONNECTIONS, DEFAULT_MAX_CONNECTIONS)
}

#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit into the struct we own; it has no other effect.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    if rc != 0 || limit.rlim_cur == libc::RLIM_INFINITY {
        return None;
    }
    #[allow(clippy::useless_conversion)] // rlim_t is u64 here, but not on every unix
    u64::try_from(limit.rlim_cur).ok()
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_fits_the_file_limit() {
        assert_eq!(bound_for(None), 1000);
        assert_eq!(bound_for(Some(1_048_576)), 1000);
        assert_eq!(bound_for(Some(1024)), 480);
        assert_eq!(bound_for(Some(256)), 96);
        assert_eq!(bound_for(Some(10)), MIN_CONNECTIONS);
    }
}
