//! Current-thread runtimes, each with its own connection pool, lent to blocking whole-response calls.
//!
//! On the shared multi-thread runtime a blocking call hands its request to a worker thread (which
//! owns the connection's task and the I/O driver) and is woken when the reply is in: cross-thread
//! wake-ups on every call. Measured with `core/examples/floor.rs --runtime multi`, that shape costs
//! 20-80 us more CPU per call than a current-thread runtime driven by the caller. So a blocking
//! `send` borrows a current-thread runtime from a free list, drives the whole call on its own thread
//! and gives it back: connections belong to the runtime that drives them, so they are reused by the
//! next call on any thread (a thread per call, as some servers do, keeps its warm connections). The
//! process-wide bound on requests in flight is shared (`Net::sibling`); the list keeps at most
//! `KEEP` runtimes, and a runtime unused for `IDLE_TIMEOUT` is closed with its connections by a task
//! on the shared runtime, as the shared pool expires its idle ones. A stream opened by a blocking
//! call keeps its runtime until it ends (`crate::python::stream`); async calls and the streams they
//! open use the shared runtime.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use tokio::runtime::Runtime;

use crate::error::CoreError;
use crate::limits::IDLE_TIMEOUT;
use crate::transport::{shared, Net};

/// Runtimes kept for reuse; beyond it a returned one is closed (as many as sync calls ever ran at
/// once are otherwise kept, each with its idle connections).
const KEEP: usize = 64;

pub struct Local {
    #[cfg_attr(not(test), allow(dead_code))] // tells runtimes apart in the tests
    id: u64,
    runtime: Option<Runtime>,
    pub net: Net,
    idle_since: Instant,
    /// The process that built it: a forked child must not close the parent's I/O driver.
    pid: u32,
}

impl Local {
    pub fn runtime(&self) -> Result<&Runtime, CoreError> {
        self.runtime.as_ref().ok_or_else(|| CoreError::Transport {
            detail: "the borrowed runtime is gone".into(),
        })
    }
}

impl Drop for Local {
    fn drop(&mut self) {
        // Also dropped on the shared runtime (the reaper): never block there, nor wait for a
        // blocking task (a DNS lookup) to finish.
        if let Some(runtime) = self.runtime.take() {
            if self.pid == std::process::id() {
                runtime.shutdown_background();
            } else {
                std::mem::forget(runtime);
            }
        }
    }
}

struct Free {
    pid: u32,
    list: Vec<Local>,
}

static FREE: Mutex<Option<Free>> = Mutex::new(None);
static REAPER_PID: AtomicU32 = AtomicU32::new(0);
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn free() -> MutexGuard<'static, Option<Free>> {
    FREE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn build() -> Result<Local, CoreError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| CoreError::Transport {
            detail: format!("cannot start a runtime for the call: {e}"),
        })?;
    let net = shared()?.net.sibling()?;
    start_reaper();
    Ok(Local {
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        runtime: Some(runtime),
        net,
        idle_since: Instant::now(),
        pid: std::process::id(),
    })
}

/// A runtime for one call: the most recently returned one (its connections are the warmest), else a
/// new one. In a forked child the parent's list is left alone, never dropped (its I/O drivers'
/// descriptors are shared with the parent).
pub fn checkout() -> Result<Local, CoreError> {
    let pid = std::process::id();
    {
        let mut guard = free();
        match guard.as_mut() {
            Some(f) if f.pid == pid => {
                if let Some(local) = f.list.pop() {
                    return Ok(local);
                }
            }
            Some(_) => std::mem::forget(guard.take()),
            None => {}
        }
    }
    build()
}

/// Lets the runtime's other tasks run before it is put away: hyper returns a connection to the pool
/// from a task of its own once the connection has seen the end of the reply, and that task runs
/// only while someone drives this runtime. Without it the next call could find no idle connection
/// and open another.
fn settle(local: &Local) {
    if let Some(runtime) = local.runtime.as_ref() {
        runtime.block_on(async {
            for _ in 0..SETTLE_YIELDS {
                tokio::task::yield_now().await;
            }
        });
    }
}

/// Enough turns for the connection task, then the pool's re-insertion task, to run.
const SETTLE_YIELDS: usize = 3;

/// Gives a runtime back after its call (closed instead when `KEEP` are already waiting).
pub fn checkin(mut local: Local) {
    settle(&local);
    let pid = std::process::id();
    local.idle_since = Instant::now();
    let surplus = {
        let mut guard = free();
        let f = guard.get_or_insert_with(|| Free {
            pid,
            list: Vec::new(),
        });
        if f.pid != pid || f.list.len() >= KEEP {
            Some(local)
        } else {
            f.list.push(local);
            None
        }
    };
    drop(surplus); // outside the lock
}

/// `checkin` from a thread that must not block (any thread, a runtime's own included): a blocking
/// thread of the shared runtime lets this one run (so a connection whose response was dropped
/// mid-body is closed at once) and gives it back.
pub fn checkin_soon(local: Local) {
    match shared() {
        Ok(s) => drop(s.runtime.spawn_blocking(move || checkin(local))),
        Err(_) => drop(local),
    }
}

/// Closes runtimes (and their connections) unused for `IDLE_TIMEOUT`, checking twice per period.
fn start_reaper() {
    let pid = std::process::id();
    if REAPER_PID.swap(pid, Ordering::SeqCst) == pid {
        return;
    }
    if let Ok(s) = shared() {
        s.runtime.spawn(async {
            let mut tick = tokio::time::interval(IDLE_TIMEOUT / 2);
            loop {
                tick.tick().await;
                drop(take_stale());
            }
        });
    }
}

fn take_stale() -> Vec<Local> {
    let mut guard = free();
    let Some(f) = guard.as_mut() else {
        return Vec::new();
    };
    let (stale, fresh): (Vec<Local>, Vec<Local>) = std::mem::take(&mut f.list)
        .into_iter()
        .partition(|l| l.idle_since.elapsed() >= IDLE_TIMEOUT);
    f.list = fresh;
    stale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtimes_are_lent_again_bounded_and_closed_when_idle() -> Result<(), CoreError> {
        let first = checkout()?;
        let id = first.id;
        checkin(first);
        let again = checkout()?;
        assert_eq!(again.id, id);
        let many = (0..KEEP + 3)
            .map(|_| checkout())
            .collect::<Result<Vec<Local>, CoreError>>()?;
        many.into_iter().for_each(checkin);
        checkin(again);
        assert_eq!(free().as_ref().map(|f| f.list.len()), Some(KEEP));
        // One test, not two: the list is the process's, and tests run side by side.
        let mut old = checkout()?;
        let id = old.id;
        checkin(checkout()?);
        old.idle_since = Instant::now();
        checkin(old);
        if let Some(f) = free().as_mut() {
            for l in f.list.iter_mut().filter(|l| l.id == id) {
                l.idle_since -= IDLE_TIMEOUT;
            }
        }
        let stale = take_stale();
        assert_eq!(stale.iter().map(|l| l.id).collect::<Vec<_>>(), vec![id]);
        assert!(free()
            .as_ref()
            .is_some_and(|f| f.list.iter().all(|l| l.id != id)));
        Ok(())
    }
}
