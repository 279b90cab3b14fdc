//! Cross-process wake-ups for status events. Every commit that records a status event bumps
//! this process's watch channel (server-sent event streams and the webhook worker wait on
//! it). On PostgreSQL the same commit also sends `NOTIFY widgetry_events`, and a listener task
//! in every process bumps its own channel when one arrives, so a client of process B hears of
//! an approval made through process A at once. On SQLite, listeners poll instead.
//!
//! A notification sent while a listener is reconnecting is lost; the listener bumps its
//! channel after every (re)connection, so waiters look again, and they keep a slow poll as a
//! last resort.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::watch;

/// The PostgreSQL channel.
pub(crate) const CHANNEL: &str = "widgetry_events";
/// Pause before connecting again after a failure.
const RETRY_AFTER: Duration = Duration::from_secs(2);

/// A running listener; aborted when the last handle to it is dropped.
#[derive(Debug)]
pub(crate) struct Listener {
    task: tokio::task::JoinHandle<()>,
    connected: Arc<AtomicBool>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Listener {
    /// Whether notifications are being received now.
    pub(crate) fn connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }

    /// Starts listening on `database_url`; bumps `events` on every notification.
    pub(crate) fn spawn(database_url: String, events: Weak<watch::Sender<u64>>) -> Listener {
        let connected = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn(listen(database_url, events, connected.clone()));
        Listener { task, connected }
    }
}

fn bump(events: &Weak<watch::Sender<u64>>) -> bool {
    match events.upgrade() {
        Some(tx) => {
            tx.send_modify(|n| *n = n.wrapping_add(1));
            true
        }
        None => false,
    }
}

async fn listen(url: String, events: Weak<watch::Sender<u64>>, connected: Arc<AtomicBool>) {
    loop {
        let listener = async {
            let mut l = sqlx::postgres::PgListener::connect(&url).await?;
            l.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        }
        .await;
        let mut listener = match listener {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for events of other processes; retrying");
                tokio::time::sleep(RETRY_AFTER).await;
                continue;
            }
        };
        connected.store(true, Ordering::Relaxed);
        // Anything committed while no one listened: let waiters look.
        if !bump(&events) {
            return;
        }
        loop {
            match listener.try_recv().await {
                Ok(Some(_)) => {
                    if !bump(&events) {
                        return;
                    }
                }
                // The connection was lost and made again: notifications may be lost.
                Ok(None) => {
                    if !bump(&events) {
                        return;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "lost the events listener; reconnecting");
                    connected.store(false, Ordering::Relaxed);
                    tokio::time::sleep(RETRY_AFTER).await;
                    break;
                }
            }
        }
    }
}
