//! The forwards a shell holds: start, list, stop one or all, and `follow`,
//! which pushes the list to a watcher when it changes.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kube::Client;
use tokio::sync::watch;

use super::forwarder::{Forward, ForwardOptions, ForwardSink, ForwardStatus};
use super::spec::{PortMapping, TargetRef};
use crate::Error;

pub struct ForwardRegistry {
    next: AtomicU64,
    forwards: Mutex<BTreeMap<u64, Forward>>,
    /// Bumped when a forward starts, stops or changes state, so `follow`
    /// answers at once rather than at its next tick.
    changes: watch::Sender<u64>,
}

impl Default for ForwardRegistry {
    fn default() -> Self {
        Self {
            next: AtomicU64::new(0),
            forwards: Mutex::default(),
            changes: watch::Sender::new(0),
        }
    }
}

/// Passes a forward's state changes on and tells the registry's watchers.
struct Notifying {
    inner: Arc<dyn ForwardSink>,
    changes: watch::Sender<u64>,
}

impl ForwardSink for Notifying {
    fn status(&self, status: &ForwardStatus) {
        self.inner.status(status);
        self.changes.send_modify(|v| *v = v.wrapping_add(1));
    }

    fn connection_error(&self, id: u64, message: &str) {
        self.inner.connection_error(id, message);
    }
}

impl ForwardRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    fn changed(&self) {
        self.changes.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// Calls `send` with the list now and whenever it differs from the last
    /// one sent: at once when a forward starts, stops or changes state, and
    /// for the traffic counters (which move with every read) at most every
    /// `period`. Ends when `send` returns false (the watcher is gone).
    pub async fn follow(&self, period: Duration, mut send: impl FnMut(Vec<ForwardStatus>) -> bool) {
        let mut changes = self.changes.subscribe();
        let mut last: Option<Vec<ForwardStatus>> = None;
        loop {
            let list = self.list();
            if last.as_ref() != Some(&list) {
                if !send(list.clone()) {
                    return;
                }
                last = Some(list);
            }
            tokio::select! {
                _ = changes.changed() => {}
                () = tokio::time::sleep(period) => {}
            }
        }
    }

    pub async fn start(
        &self,
        client: Client,
        namespace: &str,
        target: TargetRef,
        mappings: Vec<PortMapping>,
        options: ForwardOptions,
        sink: Arc<dyn ForwardSink>,
    ) -> Result<ForwardStatus, Error> {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let sink = Arc::new(Notifying {
            inner: sink,
            changes: self.changes.clone(),
        });
        let fwd = Forward::start(id, client, namespace, target, mappings, options, sink).await?;
        let status = fwd.status();
        self.lock()?.insert(id, fwd);
        self.changed();
        Ok(status)
    }

    pub fn list(&self) -> Vec<ForwardStatus> {
        self.lock()
            .map(|m| m.values().map(Forward::status).collect())
            .unwrap_or_default()
    }

    /// The local port of each mapping of forward `id` (see [`Forward::local_ports`]).
    pub fn local_ports(&self, id: u64) -> Option<Vec<u16>> {
        self.lock()
            .ok()
            .and_then(|m| m.get(&id).map(|f| f.local_ports().to_vec()))
    }

    /// Stops one forward; false when there was none with that id.
    pub fn stop(&self, id: u64) -> bool {
        let removed = self.lock().ok().and_then(|mut m| m.remove(&id));
        match removed {
            Some(mut f) => {
                f.stop();
                self.changed();
                true
            }
            None => false,
        }
    }

    pub fn stop_all(&self) {
        let all = self
            .lock()
            .map(|mut m| std::mem::take(&mut *m))
            .unwrap_or_default();
        for (_, mut f) in all {
            f.stop();
        }
        self.changed();
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, BTreeMap<u64, Forward>>, Error> {
        self.forwards
            .lock()
            .map_err(|_| Error::InvalidInput("forward registry unavailable".into()))
    }
}
