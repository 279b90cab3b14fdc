//! A bound on password hashing: each argon2 run takes 19 MiB and a core for tens of
//! milliseconds, and anyone on the internet can ask for one (a sign-in with any e-mail
//! address). A caller first enters the gate ([`HashingGate::enter`]), before any other work
//! for the password, so that at most a few sign-ins are under way at once; it then waits for
//! one of the slots (half the cores) to hash. Past the places, or after waiting too long, the
//! caller is told the server is busy ([`Error::Busy`](crate::Error::Busy): HTTP 503 with
//! `Retry-After`), which costs nothing: no database write, no hash.

use crate::error::{Error, Result};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Places per hashing slot for callers under way (hashing, or waiting to).
const PLACES_PER_SLOT: usize = 1 + 8;
/// Longest wait for a turn.
const MAX_WAIT: Duration = Duration::from_secs(5);
/// What a turned-away caller is told to wait.
pub const BUSY_RETRY_AFTER: Duration = Duration::from_secs(2);

/// The gate; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct HashingGate {
    slots: Arc<tokio::sync::Semaphore>,
    slot_count: usize,
    admitted: Arc<AtomicUsize>,
    max_admitted: usize,
}

/// A place among the callers under way; given back when dropped.
#[derive(Debug)]
pub(crate) struct Ticket(Arc<AtomicUsize>);

impl Drop for Ticket {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A turn to hash; the slot is freed when dropped.
#[derive(Debug)]
pub(crate) struct Turn(#[allow(dead_code)] tokio::sync::OwnedSemaphorePermit);

impl HashingGate {
    /// A gate with `slots` hashes at once.
    pub(crate) fn new(slots: usize) -> HashingGate {
        let slots = slots.max(1);
        HashingGate {
            slots: Arc::new(tokio::sync::Semaphore::new(slots)),
            slot_count: slots,
            admitted: Arc::new(AtomicUsize::new(0)),
            max_admitted: slots * PLACES_PER_SLOT,
        }
    }

    /// A place among the callers under way, or [`Error::Busy`] at once when they are all
    /// taken.
    pub(crate) fn enter(&self) -> Result<Ticket> {
        if self.admitted.fetch_add(1, Ordering::SeqCst) >= self.max_admitted {
            self.admitted.fetch_sub(1, Ordering::SeqCst);
            return Err(Error::Busy(BUSY_RETRY_AFTER));
        }
        Ok(Ticket(self.admitted.clone()))
    }

    /// Callers under way and not hashing now.
    pub(crate) fn waiting(&self) -> i64 {
        let hashing = self.slot_count - self.slots.available_permits();
        let waiting = self
            .admitted
            .load(Ordering::Relaxed)
            .saturating_sub(hashing);
        i64::try_from(waiting).unwrap_or(i64::MAX)
    }

    /// Waits for a turn for the holder of `_ticket`, or fails with [`Error::Busy`] after
    /// [`MAX_WAIT`].
    pub(crate) async fn turn(&self, _ticket: &Ticket) -> Result<Turn> {
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
    async fn past_the_places_callers_are_turned_away_at_once() {
        let gate = HashingGate::new(1);
        let tickets: Vec<Ticket> = (0..PLACES_PER_SLOT)
            .map(|_| gate.enter().unwrap())
            .collect();
        assert!(matches!(gate.enter(), Err(Error::Busy(_))));
        let turn = gate.turn(&tickets[0]).await.unwrap();
        assert_eq!(gate.waiting(), i64::try_from(PLACES_PER_SLOT - 1).unwrap());
        drop(turn);
        drop(tickets);
        assert_eq!(gate.admitted.load(Ordering::SeqCst), 0);
        assert_eq!(gate.waiting(), 0);
        let ticket = gate.enter().unwrap();
        assert!(gate.turn(&ticket).await.is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn a_caller_that_waits_too_long_for_a_turn_is_told_busy() {
        let gate = HashingGate::new(1);
        let (first, second) = (gate.enter().unwrap(), gate.enter().unwrap());
        let _turn = gate.turn(&first).await.unwrap();
        assert!(matches!(gate.turn(&second).await, Err(Error::Busy(_))));
    }
}
