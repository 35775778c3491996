//! Password hashing: argon2id with the OWASP parameters (m = 19 MiB, t = 2, p = 1), PHC strings,
//! run under a process-wide limit. Both are CPU-heavy: call them off the async worker.
//!
//! Every hash or verification takes a 19 MiB buffer and a core for tens of milliseconds. Without
//! a bound, a login flood runs as many at once as there are blocking threads: the CPU is
//! starved for every other request and the memory balloons. So at most `parallel` run at once
//! (one per core by default), callers queue in arrival order, and beyond `queue` waiting
//! callers `hash` and `try_verify` refuse with [`RepoError::Overloaded`] (a 503 with
//! `Retry-After`).

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

use crate::RepoError;

fn hasher() -> Argon2<'static> {
    // argon2 0.6's default is exactly argon2id v19, m=19456 KiB, t=2, p=1.
    Argon2::default()
}

/// The queue of hashing work: how many run, how many wait, and whose turn it is.
struct Limiter {
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

/// Waiting callers beyond which hashing refuses, unless configured.
pub const DEFAULT_QUEUE: usize = 32;

/// One hash per core, unless configured.
pub fn default_parallel() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A refused caller is told to come back after about the time the queue needs to drain.
const RETRY_AFTER_SECS: u64 = 1;

static LIMITER: Limiter = Limiter::new(0, DEFAULT_QUEUE);

/// Set the limits (`parallel` 0 means one per core). Takes effect for the next callers.
pub fn configure(parallel: usize, max_waiting: usize) {
    LIMITER.configure(parallel, max_waiting);
}

/// Hashes running and callers waiting right now (for the metrics).
pub fn queue_stats() -> (usize, usize) {
    let q = LIMITER.lock();
    (q.running, q.waiting)
}

/// A slot to hash in; freed on drop.
struct Permit<'a>(&'a Limiter);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut q = self.0.lock();
        q.running -= 1;
        drop(q);
        self.0.turn.notify_all();
    }
}

impl Limiter {
    const fn new(parallel: usize, max_waiting: usize) -> Self {
        Self {
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

    fn configure(&self, parallel: usize, max_waiting: usize) {
        let mut q = self.lock();
        q.parallel = parallel;
        q.max_waiting = max_waiting;
        drop(q);
        self.turn.notify_all();
    }

    /// Wait for a slot in arrival order; `bounded` refuses when the queue is full.
    fn acquire(&self, bounded: bool) -> Result<Permit<'_>, RepoError> {
        let mut q = self.lock();
        if q.waiting == 0 && q.running < q.parallel() {
            q.running += 1;
            return Ok(Permit(self));
        }
        if bounded && q.waiting >= q.max_waiting {
            return Err(RepoError::Overloaded {
                what: "password hashing",
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

/// Hash `password` into a PHC string; `Overloaded` when the hashing queue is full.
pub fn hash(password: &str) -> Result<String, RepoError> {
    let _permit = LIMITER.acquire(true)?;
    // `hash_password` draws a fresh 16-byte salt from the OS.
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| RepoError::Corrupt(format!("password hashing failed: {e}")))
}

/// Verify `password` against a stored PHC string; a malformed hash verifies as false. Waits
/// for its turn however long the queue is: prefer [`try_verify`] on paths a flood can reach.
pub fn verify(password: &str, phc: &str) -> bool {
    match LIMITER.acquire(false) {
        Ok(_permit) => hasher().verify_password(password.as_bytes(), phc).is_ok(),
        Err(_) => false,
    }
}

/// Like [`verify`], but refuses with `Overloaded` instead of joining a full queue.
pub fn try_verify(password: &str, phc: &str) -> Result<bool, RepoError> {
    let _permit = LIMITER.acquire(true)?;
    Ok(hasher().verify_password(password.as_bytes(), phc).is_ok())
}

/// A fixed valid hash to verify against when the phone is unknown, so that a login for an
/// unknown phone takes as long as one with a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        // Computed once, outside the limiter's bound: it must not fail under a flood.
        let _permit = LIMITER.acquire(false);
        hasher()
            .hash_password(b"linli-dummy-password-never-matches")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery", &h));
        assert!(!verify("wrong horse battery", &h));
        assert!(try_verify("correct horse battery", &h).unwrap());
        assert!(!verify("x", "not a phc string"));
        assert_ne!(h, hash("correct horse battery").unwrap(), "salted");
    }

    #[test]
    fn a_full_queue_refuses_and_a_queued_caller_gets_its_turn() {
        // One slot and one waiting place: while the slot is held and one caller waits, the
        // next is refused; once the slot is freed the waiting caller runs.
        let limiter = Limiter::new(1, 1);
        let held = limiter.acquire(true).unwrap();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| limiter.acquire(true).map(|_| ()).is_ok());
            while limiter.lock().waiting == 0 {
                std::thread::yield_now();
            }
            assert!(matches!(
                limiter.acquire(true).map(|_| ()),
                Err(RepoError::Overloaded { .. })
            ));
            drop(held);
            assert!(waiter.join().unwrap());
        });
        let q = limiter.lock();
        assert_eq!((q.running, q.waiting), (0, 0));
    }
}
