//! A stream opened ahead of the next connection (DESIGN.md §5): a new
//! connection then skips the TLS handshake, the upgrade and the kubelet's
//! set-up, so its first byte is not slower than kubectl's (which opens a
//! stream on a connection it already has).
//!
//! Per mapping, a pool of up to [`WARM_POOL`] streams (ready or being
//! opened) for the forward's current pod.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use tokio::io::AsyncReadExt;

use super::forwarder::Shared;
use super::stream::{self, PodStream};
use super::target::Resolved;

/// Older warm streams are replaced, not used: the pod side may have given
/// up on an idle connection.
const MAX_AGE: Duration = Duration::from_secs(30);

pub(crate) struct Warm {
    pub pod: String,
    pub port: u16,
    opened: Instant,
    stream: PodStream,
}

/// A usable warm stream and what the pod already sent on it.
pub(crate) struct Taken {
    pub early: Vec<u8>,
    pub stream: PodStream,
}

impl Warm {
    pub fn new(pod: String, port: u16, stream: PodStream) -> Self {
        Self {
            pod,
            port,
            opened: Instant::now(),
            stream,
        }
    }

    /// The stream when it is fresh, for `pod`/`port`, and still open.
    /// (Dropping an unused one closes its WebSocket.)
    pub fn take(mut self, pod: &str, port: u16) -> Option<Taken> {
        if self.pod != pod
            || self.port != port
            || self.opened.elapsed() > MAX_AGE
            || self.stream.guard.finished()
        {
            return None;
        }
        if let Some(errors) = self.stream.errors.as_mut() {
            if errors.as_mut().now_or_never().is_some() {
                return None;
            }
        }
        let mut early = Vec::new();
        let mut buf = vec![0u8; 16 * 1024];
        // Whatever is already buffered (a greeting), without waiting.
        while let Some(r) = self.stream.io.read(&mut buf).now_or_never() {
            match r {
                Ok(0) | Err(_) => return None,
                Ok(n) => early.extend_from_slice(&buf[..n]),
            }
        }
        Some(Taken {
            early,
            stream: self.stream,
        })
    }
}

/// One mapping's pool.
#[derive(Default)]
pub(super) struct Slot {
    warm: VecDeque<Warm>,
    warming: usize,
    /// Connections waiting for a stream being opened (at most `warming`,
    /// so a burst beyond that opens its own streams at once).
    waiting: usize,
}

/// How long a connection waits for a warm stream already being opened.
const WARM_WAIT: Duration = Duration::from_secs(2);

/// Warm streams kept per mapping: two cover connections opened back to
/// back (a browser's burst) while the next ones are being opened.
const WARM_POOL: usize = 2;

impl Shared {
    pub(super) fn clear_warm(&self) {
        if let Ok(mut slots) = self.warm.lock() {
            for slot in slots.iter_mut() {
                slot.warm.clear();
            }
        }
    }

    /// The oldest usable warm stream to `pod`:`port`; unusable ones are dropped.
    fn take_warm(&self, index: usize, pod: &str, port: u16) -> Option<Taken> {
        let mut slots = self.warm.lock().ok()?;
        let slot = slots.get_mut(index)?;
        while let Some(w) = slot.warm.pop_front() {
            if let Some(t) = w.take(pod, port) {
                return Some(t);
            }
        }
        None
    }

    /// A warm stream: one ready, else one being opened (its remaining set-up
    /// is shorter than a new one's), else None.
    pub(super) async fn wait_warm(&self, index: usize, pod: &str, port: u16) -> Option<Taken> {
        let deadline = tokio::time::Instant::now() + WARM_WAIT;
        loop {
            let landed = self.warm_ready.notified();
            tokio::pin!(landed);
            landed.as_mut().enable();
            if let Some(t) = self.take_warm(index, pod, port) {
                return Some(t);
            }
            {
                let mut slots = self.warm.lock().ok()?;
                let slot = slots.get_mut(index)?;
                if slot.waiting >= slot.warming {
                    return None;
                }
                slot.waiting += 1;
            }
            let woke = tokio::time::timeout_at(deadline, landed).await.is_ok();
            if let Ok(mut slots) = self.warm.lock() {
                if let Some(slot) = slots.get_mut(index) {
                    slot.waiting = slot.waiting.saturating_sub(1);
                }
            }
            if !woke {
                return None;
            }
        }
    }

    /// Opens the next connections' streams in the background (up to
    /// `WARM_POOL` per mapping, ready or being opened).
    pub(super) fn spawn_warm(self: &Arc<Self>, index: usize) {
        let stopped = self.is_stopped();
        let Some(r) = self.current().filter(|_| !stopped) else {
            return;
        };
        let missing = match self.warm.lock() {
            Ok(mut slots) => match slots.get_mut(index) {
                Some(slot) => {
                    let n = WARM_POOL.saturating_sub(slot.warm.len() + slot.warming);
                    slot.warming += n;
                    n
                }
                None => 0,
            },
            Err(_) => 0,
        };
        for _ in 0..missing {
            self.open_warm(index, r.clone());
        }
    }

    fn open_warm(self: &Arc<Self>, index: usize, r: Resolved) {
        let shared = self.clone();
        self.spawn_background(async move {
            let port = r.ports[index];
            let warm = match stream::open(&shared.client, &shared.namespace, &r.pod, port).await {
                Ok(s) => Some(Warm::new(r.pod.clone(), port, s)),
                Err(e) => {
                    tracing::debug!(%e, "warm stream failed");
                    None
                }
            };
            if let Ok(mut slots) = shared.warm.lock() {
                if let Some(slot) = slots.get_mut(index) {
                    slot.warming = slot.warming.saturating_sub(1);
                    // A pod change meanwhile makes it useless.
                    if shared.current().is_some_and(|c| c.pod == r.pod) {
                        slot.warm.extend(warm);
                    }
                }
            }
            shared.warm_ready.notify_waiters();
        });
    }
}
