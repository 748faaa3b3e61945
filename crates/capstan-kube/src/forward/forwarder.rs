//! A running forward: what it is forwarding, its state and counters, and
//! the tasks that serve it — the listeners (`listener`), the healer that
//! re-resolves the target pod when it goes away while the local ports stay
//! the same (`heal`), and the streams opened ahead (`warm`).

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::{Api, Client};
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::heal::heal_loop;
use super::listener::{accept_loop, bind};
use super::spec::{PortMapping, RemotePort, TargetKind, TargetRef};
use super::target::{resolve, Resolved};
use super::warm::Slot;
use crate::Error;

/// How long a new connection waits for a ready pod before it is dropped.
const CONNECT_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Default)]
pub struct ForwardOptions {
    /// Bind here instead of 127.0.0.1 and ::1. Anyone who can reach that
    /// address reaches the pod: callers must warn the user.
    pub address: Option<IpAddr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum ForwardState {
    Active,
    Reconnecting,
    Failed,
    Stopped,
}

/// One local listener and the container port behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ListenerInfo {
    /// "127.0.0.1:8080" or "[::1]:8080".
    #[cfg_attr(any(test, feature = "ts"), ts(type = "string"))]
    pub local: SocketAddr,
    pub remote: u16,
    /// The port name asked for (`:https`), when one was: the UI guesses
    /// http or https from it.
    pub remote_name: Option<String>,
}

/// A snapshot of a forward for lists and status lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ForwardStatus {
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub id: u64,
    pub namespace: String,
    pub target: String,
    pub pod: Option<String>,
    pub listeners: Vec<ListenerInfo>,
    pub state: ForwardState,
    pub reason: Option<String>,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub active_connections: u64,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub total_connections: u64,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub bytes_sent: u64,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub bytes_received: u64,
}

/// Receives state changes (the shell turns them into IPC events; the CLI
/// prints them). Called from runtime tasks: must not block.
pub trait ForwardSink: Send + Sync + 'static {
    fn status(&self, status: &ForwardStatus);
    /// One connection failed; the forward goes on.
    fn connection_error(&self, _id: u64, _message: &str) {}
}

/// A sink that ignores everything.
pub struct NoSink;
impl ForwardSink for NoSink {
    fn status(&self, _status: &ForwardStatus) {}
}

/// What every task of one forward shares.
pub(super) struct Shared {
    pub(super) id: u64,
    pub(super) namespace: String,
    pub(super) target: TargetRef,
    mappings: Vec<PortMapping>,
    pub(super) client: Client,
    pub(super) pods: Api<Pod>,
    current: Mutex<Option<Resolved>>,
    state: Mutex<(ForwardState, Option<String>)>,
    listeners: Mutex<Vec<ListenerInfo>>,
    pub(super) active: AtomicU64,
    pub(super) total: AtomicU64,
    pub(super) sent: AtomicU64,
    pub(super) received: AtomicU64,
    pub(super) sink: Arc<dyn ForwardSink>,
    /// A stream error may mean the pod is going: check now, not in 2 s.
    pub(super) heal_now: Notify,
    /// Per mapping: a stream opened ahead of the next connection.
    pub(super) warm: Mutex<Vec<Slot>>,
    pub(super) warm_ready: Notify,
    /// Short-lived tasks (warm streams being opened): owned here so that
    /// stopping the forward aborts them too.
    background: Mutex<JoinSet<()>>,
}

impl Shared {
    fn status(&self) -> ForwardStatus {
        let (state, reason) = self
            .state
            .lock()
            .map(|s| s.clone())
            .unwrap_or((ForwardState::Failed, Some("internal lock poisoned".into())));
        ForwardStatus {
            id: self.id,
            namespace: self.namespace.clone(),
            target: self.target.to_string(),
            pod: self.current().map(|r| r.pod),
            listeners: self.listeners.lock().map(|l| l.clone()).unwrap_or_default(),
            state,
            reason,
            active_connections: self.active.load(Ordering::Relaxed),
            total_connections: self.total.load(Ordering::Relaxed),
            bytes_sent: self.sent.load(Ordering::Relaxed),
            bytes_received: self.received.load(Ordering::Relaxed),
        }
    }

    pub(super) fn current(&self) -> Option<Resolved> {
        self.current.lock().ok().and_then(|c| c.clone())
    }

    pub(super) fn is_stopped(&self) -> bool {
        self.state
            .lock()
            .map(|s| s.0 == ForwardState::Stopped)
            .unwrap_or(true)
    }

    /// Runs `task` until it ends or the forward stops.
    pub(super) fn spawn_background(
        &self,
        task: impl std::future::Future<Output = ()> + Send + 'static,
    ) {
        let mut set = self.background_tasks();
        // Reap what has finished so the set stays as small as what runs.
        while set.try_join_next().is_some() {}
        set.spawn(task);
    }

    fn background_tasks(&self) -> MutexGuard<'_, JoinSet<()>> {
        // A JoinSet stays usable after a panic elsewhere.
        self.background
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn set_state(&self, state: ForwardState, reason: Option<String>) {
        let changed = match self.state.lock() {
            Ok(mut s) => {
                let changed = s.0 != state || s.1 != reason;
                *s = (state, reason);
                changed
            }
            Err(_) => false,
        };
        if changed {
            tracing::info!(id = self.id, target = %self.target, ?state, "forward state");
            self.sink.status(&self.status());
        }
    }

    pub(super) fn invalidate(&self, reason: String) {
        if let Ok(mut c) = self.current.lock() {
            *c = None;
        }
        self.clear_warm();
        self.set_state(ForwardState::Reconnecting, Some(reason));
    }

    pub(super) async fn try_resolve(&self) -> Result<Resolved, Error> {
        let r = resolve(&self.client, &self.namespace, &self.target, &self.mappings).await;
        match &r {
            Ok(res) => {
                if let Ok(mut c) = self.current.lock() {
                    *c = Some(res.clone());
                }
                self.set_state(ForwardState::Active, None);
            }
            Err(e) => {
                let reason = match self.target.kind {
                    TargetKind::Pod => format!("{e}; waiting for a pod of the same name"),
                    _ => format!("{e}; waiting for a ready pod"),
                };
                self.set_state(ForwardState::Reconnecting, Some(reason));
            }
        }
        r
    }

    /// The pod for a new connection, waiting a while for one when healing.
    pub(super) async fn pod_for_connection(&self) -> Result<Resolved, Error> {
        if let Some(r) = self.current() {
            return Ok(r);
        }
        let deadline = tokio::time::Instant::now() + CONNECT_WAIT;
        loop {
            match self.try_resolve().await {
                Ok(r) => return Ok(r),
                Err(e) if tokio::time::Instant::now() >= deadline => return Err(e),
                Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
            }
        }
    }
}

/// A running forward. Dropping it (or [`Forward::stop`]) closes the
/// listeners and every connection.
pub struct Forward {
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
    /// The local port bound for each mapping (same order).
    local_ports: Vec<u16>,
}

impl Forward {
    /// Resolves the target, binds the listeners, and starts serving. Bad
    /// input fails here, before any listener stays open.
    pub async fn start(
        id: u64,
        client: Client,
        namespace: &str,
        target: TargetRef,
        mappings: Vec<PortMapping>,
        options: ForwardOptions,
        sink: Arc<dyn ForwardSink>,
    ) -> Result<Self, Error> {
        if mappings.is_empty() {
            return Err(Error::InvalidInput(
                "give at least one port to forward ([LOCAL:]REMOTE)".into(),
            ));
        }
        let resolved = resolve(&client, namespace, &target, &mappings).await?;
        let mut bound: Vec<(usize, TcpListener)> = Vec::new();
        let mut infos = Vec::new();
        let mut local_ports = Vec::with_capacity(mappings.len());
        for (i, m) in mappings.iter().enumerate() {
            let remote = resolved.ports[i];
            let wanted = m.local.unwrap_or(remote);
            let listeners = bind(wanted, options.address).await?;
            local_ports.push(listeners.first().map_or(wanted, |(_, a)| a.port()));
            for (l, addr) in listeners {
                infos.push(ListenerInfo {
                    local: addr,
                    remote,
                    remote_name: match &m.remote {
                        RemotePort::Name(n) => Some(n.clone()),
                        RemotePort::Number(_) => None,
                    },
                });
                bound.push((i, l));
            }
        }
        let count = mappings.len();
        let shared = Arc::new(Shared {
            id,
            namespace: namespace.to_string(),
            target,
            mappings,
            pods: Api::namespaced(client.clone(), namespace),
            client,
            current: Mutex::new(Some(resolved)),
            state: Mutex::new((ForwardState::Active, None)),
            listeners: Mutex::new(infos),
            active: AtomicU64::new(0),
            total: AtomicU64::new(0),
            sent: AtomicU64::new(0),
            received: AtomicU64::new(0),
            sink,
            heal_now: Notify::new(),
            warm: Mutex::new((0..count).map(|_| Slot::default()).collect()),
            warm_ready: Notify::new(),
            background: Mutex::new(JoinSet::new()),
        });
        for i in 0..count {
            shared.spawn_warm(i);
        }
        let mut tasks: Vec<JoinHandle<()>> = bound
            .into_iter()
            .map(|(i, l)| tokio::spawn(accept_loop(shared.clone(), i, l)))
            .collect();
        tasks.push(tokio::spawn(heal_loop(shared.clone())));
        shared.sink.status(&shared.status());
        Ok(Self {
            shared,
            tasks,
            local_ports,
        })
    }

    pub fn id(&self) -> u64 {
        self.shared.id
    }

    pub fn status(&self) -> ForwardStatus {
        self.shared.status()
    }

    /// The local port of each mapping, in the order given to `start` (what
    /// `:REMOTE` resolved to), so a saved forward comes back on the same port.
    pub fn local_ports(&self) -> &[u16] {
        &self.local_ports
    }

    /// Closes the listeners and all connections.
    pub fn stop(&mut self) {
        self.abort_tasks();
        self.shared.set_state(ForwardState::Stopped, None);
        self.shared.clear_warm();
    }

    fn abort_tasks(&mut self) {
        for t in self.tasks.drain(..) {
            t.abort();
        }
        self.shared.background_tasks().abort_all();
    }
}

impl Drop for Forward {
    fn drop(&mut self) {
        self.abort_tasks();
    }
}
