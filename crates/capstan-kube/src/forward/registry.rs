//! The forwards a shell holds: start, list, stop one or all.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use kube::Client;

use super::forwarder::{Forward, ForwardOptions, ForwardSink, ForwardStatus};
use super::spec::{PortMapping, TargetRef};
use crate::Error;

#[derive(Default)]
pub struct ForwardRegistry {
    next: AtomicU64,
    forwards: Mutex<BTreeMap<u64, Forward>>,
}

impl ForwardRegistry {
    pub fn new() -> Self {
        Self::default()
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
        let fwd = Forward::start(id, client, namespace, target, mappings, options, sink).await?;
        let status = fwd.status();
        self.lock()?.insert(id, fwd);
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
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, BTreeMap<u64, Forward>>, Error> {
        self.forwards
            .lock()
            .map_err(|_| Error::InvalidInput("forward registry unavailable".into()))
    }
}
