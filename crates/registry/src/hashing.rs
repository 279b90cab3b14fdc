//! A bound on password hashing: each argon2 run takes 19 MiB and a core for tens of
//! milliseconds, and anyone on the internet can ask for one (a sign-in with any e-mail
//! address). At most one run per core happens at once; a short queue waits for a turn; past
//! it, or after waiting too long, the caller is told the server is busy
//! ([`Error::Busy`](crate::Error::Busy): HTTP 503 with `Retry-After`), which costs nothing.

use crate::error::{Error, Result};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Callers waiting per hashing slot before new ones are turned away.
const QUEUE_PER_SLOT: usize = 8;
/// Longest wait for a turn.
const MAX_WAIT: Duration = Duration::from_secs(5);
/// What a turned-away caller is told to wait.
pub const BUSY_RETRY_AFTER: Duration = Duration::from_secs(2);

/// The gate; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct HashingGate {
    slots: Arc<tokio::sync::Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
}

/// A turn to hash; the slot is freed when dropped.
#[derive(Debug)]
pub(crate) struct Turn(#[allow(dead_code)] tokio::sync::OwnedSemaphorePermit);

/// Decrements the waiting count however the wait ends.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HashingGate {
    /// A gate with `slots` hashes at once.
    pub(crate) fn new(slots: usize) -> HashingGate {
        let slots = slots.max(1);
        HashingGate {
            slots: Arc::new(tokio::sync::Semaphore::new(slots)),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting: slots * QUEUE_PER_SLOT,
        }
    }

    /// Callers waiting for a turn now.
    pub(crate) fn waiting(&self) -> i64 {
        i64::try_from(self.waiting.load(Ordering::Relaxed)).unwrap_or(i64::MAX)
    }

    /// Waits for a turn, or fails at once with [`Error::Busy`] when the queue is full, or
    /// after [`MAX_WAIT`].
    pub(crate) async fn turn(&self) -> Result<Turn> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Ok(Turn(permit));
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Error::Busy(BUSY_RETRY_AFTER));
        }
        let _waiting = Waiting(&self.waiting);
        match tokio::time::timeout(MAX_WAIT, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Turn(permit)),
            Ok(Err(e)) => Err(Error::internal(e)),
            Err(_) => Err(Error::Busy(BUSY_RETRY_AFTER)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn past_the_queue_callers_are_turned_away_at_once() {
        let gate = HashingGate::new(1);
        let first = gate.turn().await.unwrap();
        // The queue holds QUEUE_PER_SLOT waiters.
        let mut waiters = Vec::new();
        for _ in 0..QUEUE_PER_SLOT {
            let g = gate.clone();
            waiters.push(tokio::spawn(async move { g.turn().await.map(|_| ()) }));
        }
        while gate.waiting.load(Ordering::SeqCst) < QUEUE_PER_SLOT {
            tokio::task::yield_now().await;
        }
        assert!(matches!(gate.turn().await, Err(Error::Busy(_))));
        drop(first);
        for w in waiters {
            w.await.unwrap().unwrap();
        }
        assert_eq!(gate.waiting.load(Ordering::SeqCst), 0);
        assert!(gate.turn().await.is_ok());
    }
}
