//! A gate that threads pass through and that can be closed once, waiting for those inside to leave.
//! The Python glue keeps one in front of the interpreter, which must not be entered from another
//! thread once it finalises (docs/adr/0007-exit-protocol.md); nothing here knows of Python.
//!
//! The state is one atomic word rather than a mutex: a `fork()` while another thread held a mutex
//! would leave it locked forever in the child. The word carries the pid of the process it counts for,
//! so a forked child, whose copy counts threads that do not exist there, starts from an open, empty
//! gate (as it starts from a fresh runtime, see `transport::shared`).

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Bits 63..32: the pid the state belongs to; bit 31: closed; bits 30..0: passes out.
const CLOSED: u64 = 1 << 31;
const COUNT: u64 = CLOSED - 1;
const POLL: Duration = Duration::from_millis(1);

std::thread_local! {
    /// Set on a thread that closed a gate: it still gets passes (the interpreter's finalising thread
    /// may run more `atexit` hooks after ours, and is the one thread that may attach then).
    static CLOSER: Cell<bool> = const { Cell::new(false) };
}

pub struct Gate {
    word: AtomicU64,
}

impl Default for Gate {
    fn default() -> Self {
        Self::new()
    }
}

/// Permission to be inside; returned on drop.
#[must_use = "the pass is returned as soon as it is dropped"]
pub struct Pass<'g> {
    gate: &'g Gate,
    pid: u64,
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        let _ = self
            .gate
            .word
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |word| {
                // A pass taken before a fork is not in the child's count.
                (word >> 32 == self.pid && word & COUNT > 0).then(|| word - 1)
            });
    }
}

fn pid() -> u64 {
    u64::from(std::process::id())
}

/// The state as it holds for process `pid`: one inherited across `fork()` reads as open and empty.
fn for_process(word: u64, pid: u64) -> u64 {
    if word >> 32 == pid {
        word
    } else {
        pid << 32
    }
}

fn is_closer() -> bool {
    CLOSER.try_with(Cell::get).unwrap_or(false)
}

impl Gate {
    pub const fn new() -> Self {
        Gate {
            word: AtomicU64::new(0),
        }
    }

    /// A pass, or `None` once the gate is closed (a thread that closed a gate always gets one).
    /// Enter and close change the same word, so either the pass is counted before the gate closes
    /// (and `close` waits for it), or the pass sees the gate closed.
    pub fn enter(&self) -> Option<Pass<'_>> {
        let pid = pid();
        let closer = is_closer();
        self.word
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |word| {
                let word = for_process(word, pid);
                if word & CLOSED != 0 && !closer {
                    return None;
                }
                // 2^31 passes out at once would need as many threads: not reachable.
                Some(word + 1)
            })
            .ok()
            .map(|_| Pass { gate: self, pid })
    }

    pub fn is_closed(&self) -> bool {
        for_process(self.word.load(Ordering::SeqCst), pid()) & CLOSED != 0
    }

    /// How many passes are out.
    pub fn inside(&self) -> u64 {
        for_process(self.word.load(Ordering::SeqCst), pid()) & COUNT
    }

    /// Closes the gate, then waits until every pass is back or `bound` has passed; true if all are.
    /// Closing again only waits again.
    pub fn close(&self, bound: Duration) -> bool {
        let _ = CLOSER.try_with(|c| c.set(true));
        let pid = pid();
        let _ = self
            .word
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |word| {
                Some(for_process(word, pid) | CLOSED)
            });
        let deadline = Instant::now() + bound;
        loop {
            if self.inside() == 0 {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(POLL);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::thread;

    #[test]
    fn open_gate_counts_passes() {
        let gate = Gate::new();
        let a = gate.enter();
        let b = gate.enter();
        assert!(a.is_some() && b.is_some());
        assert_eq!(gate.inside(), 2);
        drop(a);
        drop(b);
        assert_eq!(gate.inside(), 0);
        assert!(!gate.is_closed());
    }

    #[test]
    fn closed_gate_refuses_other_threads_but_not_the_closer() {
        static GATE: Gate = Gate::new();
        // A thread of its own closes: the test thread must not become a closer of other tests' gates.
        let closer_still_enters = thread::spawn(|| {
            assert!(GATE.close(Duration::from_secs(1)));
            GATE.enter().is_some()
        })
        .join();
        assert!(matches!(closer_still_enters, Ok(true)));
        assert!(GATE.is_closed());
        assert!(GATE.enter().is_none());
        assert_eq!(GATE.inside(), 0);
    }

    #[test]
    fn close_waits_for_the_passes_out() {
        static GATE: Gate = Gate::new();
        let (entered, wait_entered) = mpsc::channel();
        let holder = thread::spawn(move || {
            let pass = GATE.enter();
            let _ = entered.send(());
            thread::sleep(Duration::from_millis(200));
            drop(pass);
        });
        assert!(wait_entered.recv().is_ok());
        let started = Instant::now();
        let closing = thread::spawn(|| GATE.close(Duration::from_secs(10))).join();
        assert!(matches!(closing, Ok(true)));
        assert!(
            started.elapsed() >= Duration::from_millis(150),
            "returned before the pass was back"
        );
        assert!(holder.join().is_ok());
    }

    #[test]
    fn close_gives_up_after_its_bound() {
        static GATE: Gate = Gate::new();
        let pass = GATE.enter();
        let started = Instant::now();
        let closing = thread::spawn(|| GATE.close(Duration::from_millis(50))).join();
        assert!(matches!(closing, Ok(false)));
        assert!(started.elapsed() < Duration::from_secs(5));
        drop(pass);
        assert_eq!(GATE.inside(), 0);
    }

    #[test]
    fn state_of_another_process_reads_as_open_and_empty() {
        let parents = (7u64 << 32) | CLOSED | 3;
        assert_eq!(for_process(parents, 8), 8 << 32);
        assert_eq!(for_process(parents, 7), parents);
        // A pass taken in the parent and dropped in the child leaves the child's count alone.
        let gate = Gate {
            word: AtomicU64::new(pid() << 32 | 1),
        };
        drop(Pass {
            gate: &gate,
            pid: pid() + 1,
        });
        assert_eq!(gate.inside(), 1);
    }
}
