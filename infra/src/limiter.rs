//! A bounded queue for CPU-heavy work (password hashing, photo processing): at most `parallel`
//! jobs run at once (one per core by default), callers queue in arrival order, and beyond
//! `max_waiting` waiting callers a bounded `acquire` refuses with [`RepoError::Overloaded`]
//! (a 503 with `Retry-After`). Without such a bound, a flood runs as many jobs at once as there
//! are blocking threads: the CPU is starved for every other request and the memory balloons.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::RepoError;

/// The queue of one kind of work: how many run, how many wait, and whose turn it is.
pub struct Limiter {
    /// What is limited, for the refusal's message ("password hashing").
    what: &'static str,
    state: Mutex<Queue>,
    turn: Condvar,
}

struct Queue {
    parallel: usize,
    max_waiting: usize,
    running: usize,
    waiting: usize,
    next_ticket: u64,
    serving: u64,
}

/// One job per core.
pub fn default_parallel() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A refused caller is told to come back after about the time the queue needs to drain.
const RETRY_AFTER_SECS: u64 = 1;

/// A slot to work in; freed on drop.
pub struct Permit<'a>(&'a Limiter);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut q = self.0.lock();
        q.running -= 1;
        drop(q);
        self.0.turn.notify_all();
    }
}

impl Limiter {
    /// `parallel` 0 means one per core.
    pub const fn new(what: &'static str, parallel: usize, max_waiting: usize) -> Self {
        Self {
            what,
            state: Mutex::new(Queue {
                parallel,
                max_waiting,
                running: 0,
                waiting: 0,
                next_ticket: 0,
                serving: 0,
            }),
            turn: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        // The counters stay consistent even if a holder panicked (each update is one step).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Set the limits (`parallel` 0 means one per core). Takes effect for the next callers.
    pub fn configure(&self, parallel: usize, max_waiting: usize) {
        let mut q = self.lock();
        q.parallel = parallel;
        q.max_waiting = max_waiting;
        drop(q);
        self.turn.notify_all();
    }

    /// Jobs running and callers waiting right now (for the metrics).
    pub fn stats(&self) -> (usize, usize) {
        let q = self.lock();
        (q.running, q.waiting)
    }

    /// Wait for a slot in arrival order; `bounded` refuses when the queue is full.
    pub fn acquire(&self, bounded: bool) -> Result<Permit<'_>, RepoError> {
        let mut q = self.lock();
        if q.waiting == 0 && q.running < q.parallel() {
            q.running += 1;
            return Ok(Permit(self));
        }
        if bounded && q.waiting >= q.max_waiting {
            return Err(RepoError::Overloaded {
                what: self.what,
                retry_after: RETRY_AFTER_SECS,
            });
        }
        let ticket = q.next_ticket;
        q.next_ticket += 1;
        q.waiting += 1;
        while !(q.serving == ticket && q.running < q.parallel()) {
            q = self.turn.wait(q).unwrap_or_else(PoisonError::into_inner);
        }
        q.serving += 1;
        q.waiting -= 1;
        q.running += 1;
        drop(q);
        // The next ticket may be able to start too (several slots free).
        self.turn.notify_all();
        Ok(Permit(self))
    }
}

impl Queue {
    fn parallel(&self) -> usize {
        if self.parallel == 0 {
            default_parallel()
        } else {
            self.parallel
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_full_queue_refuses_and_a_queued_caller_gets_its_turn() {
        // One slot and one waiting place: while the slot is held and one caller waits, the
        // next is refused; once the slot is freed the waiting caller runs.
        let limiter = Limiter::new("testing", 1, 1);
        let held = limiter.acquire(true).unwrap();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| limiter.acquire(true).map(|_| ()).is_ok());
            while limiter.stats().1 == 0 {
                std::thread::yield_now();
            }
            assert!(matches!(
                limiter.acquire(true).map(|_| ()),
                Err(RepoError::Overloaded {
                    what: "testing",
                    ..
                })
            ));
            drop(held);
            assert!(waiter.join().unwrap());
        });
        assert_eq!(limiter.stats(), (0, 0));
    }
}
