//! A running forward: loopback listeners, one port-forward stream per
//! accepted connection, and a healer that re-resolves the target pod when it
//! goes away while the local ports stay the same.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::runtime::watcher;
use kube::runtime::WatchStreamExt;
use kube::{Api, Client};
use serde::Serialize;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};
use ts_rs::TS;

use super::pump::{pump, LINGER};
use super::spec::{PortMapping, RemotePort, TargetKind, TargetRef};
use super::stream::{self, PodStream};
use super::target::{is_ready, resolve, Resolved};
use super::warm::{Taken, Warm};
use crate::Error;

/// How often a forward without a ready pod tries to resolve one (the
/// current pod itself is watched).
const HEAL_INTERVAL: Duration = Duration::from_secs(2);
/// How long a new connection waits for a ready pod before it is dropped.
const CONNECT_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Default)]
pub struct ForwardOptions {
    /// Bind here instead of 127.0.0.1 and ::1. Anyone who can reach that
    /// address reaches the pod: callers must warn the user.
    pub address: Option<IpAddr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ForwardState {
    Active,
    Reconnecting,
    Failed,
    Stopped,
}

/// One local listener and the container port behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListenerInfo {
    /// "127.0.0.1:8080" or "[::1]:8080".
    #[ts(type = "string")]
    pub local: SocketAddr,
    pub remote: u16,
    /// The port name asked for (`:https`), when one was: the UI guesses
    /// http or https from it.
    pub remote_name: Option<String>,
}

/// A snapshot of a forward for lists and status lines.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ForwardStatus {
    #[ts(type = "number")]
    pub id: u64,
    pub namespace: String,
    pub target: String,
    pub pod: Option<String>,
    pub listeners: Vec<ListenerInfo>,
    pub state: ForwardState,
    pub reason: Option<String>,
    #[ts(type = "number")]
    pub active_connections: u64,
    #[ts(type = "number")]
    pub total_connections: u64,
    #[ts(type = "number")]
    pub bytes_sent: u64,
    #[ts(type = "number")]
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

struct Shared {
    id: u64,
    namespace: String,
    target: TargetRef,
    mappings: Vec<PortMapping>,
    client: Client,
    pods: Api<Pod>,
    current: Mutex<Option<Resolved>>,
    state: Mutex<(ForwardState, Option<String>)>,
    listeners: Mutex<Vec<ListenerInfo>>,
    active: AtomicU64,
    total: AtomicU64,
    sent: AtomicU64,
    received: AtomicU64,
    sink: Arc<dyn ForwardSink>,
    /// A stream error may mean the pod is going: check now, not in 2 s.
    heal_now: Notify,
    /// Per mapping: a stream opened ahead of the next connection.
    warm: Mutex<Vec<Slot>>,
    warm_ready: Notify,
}

#[derive(Default)]
struct Slot {
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

    fn current(&self) -> Option<Resolved> {
        self.current.lock().ok().and_then(|c| c.clone())
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

    fn invalidate(&self, reason: String) {
        if let Ok(mut c) = self.current.lock() {
            *c = None;
        }
        self.clear_warm();
        self.set_state(ForwardState::Reconnecting, Some(reason));
    }

    fn clear_warm(&self) {
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
    async fn wait_warm(&self, index: usize, pod: &str, port: u16) -> Option<Taken> {
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
    fn spawn_warm(self: &Arc<Self>, index: usize) {
        let stopped = self
            .state
            .lock()
            .map(|s| s.0 == ForwardState::Stopped)
            .unwrap_or(true);
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
        tokio::spawn(async move {
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

    async fn try_resolve(&self) -> Result<Resolved, Error> {
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
    async fn pod_for_connection(&self) -> Result<Resolved, Error> {
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
        for t in self.tasks.drain(..) {
            t.abort();
        }
        self.shared.set_state(ForwardState::Stopped, None);
        self.shared.clear_warm();
    }
}

impl Drop for Forward {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Binds `port` on `address`, or on 127.0.0.1 and (when the system has it)
/// ::1. Port 0 lets the OS pick; ::1 then takes the same number.
async fn bind(port: u16, address: Option<IpAddr>) -> Result<Vec<(TcpListener, SocketAddr)>, Error> {
    let busy = |addr: SocketAddr, e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Error::PortInUse {
                address: addr.ip().to_string(),
                port: addr.port(),
            }
        } else {
            Error::ListenFailed {
                address: addr.to_string(),
                detail: e.to_string(),
            }
        }
    };
    let first = SocketAddr::new(address.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)), port);
    let l = TcpListener::bind(first).await.map_err(|e| busy(first, e))?;
    let a = l.local_addr().map_err(|e| busy(first, e))?;
    let mut out = vec![(l, a)];
    if address.is_none() {
        let v6 = SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), a.port());
        match TcpListener::bind(v6).await {
            Ok(l) => {
                let a6 = l.local_addr().map_err(|e| busy(v6, e))?;
                out.push((l, a6));
            }
            // No IPv6 loopback here: IPv4 alone is fine.
            Err(e) if e.kind() == std::io::ErrorKind::AddrNotAvailable => {}
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => return Err(busy(v6, e)),
            Err(e) => tracing::debug!(%e, "no IPv6 loopback listener"),
        }
    }
    Ok(out)
}

async fn accept_loop(shared: Arc<Shared>, index: usize, listener: TcpListener) {
    // Connections live in the set so aborting this task ends them all.
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    tracing::debug!(%peer, "forward connection");
                    conns.spawn(connection(shared.clone(), index, stream));
                }
                Err(e) => {
                    // Per-connection accept errors (EMFILE, aborted) pass.
                    tracing::warn!(%e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
}

async fn connection(shared: Arc<Shared>, index: usize, stream: TcpStream) {
    shared.total.fetch_add(1, Ordering::Relaxed);
    shared.active.fetch_add(1, Ordering::Relaxed);
    if let Err(msg) = serve(&shared, index, stream).await {
        tracing::warn!(id = shared.id, %msg, "forward connection failed");
        shared.sink.connection_error(shared.id, &msg);
    }
    shared.active.fetch_sub(1, Ordering::Relaxed);
}

async fn serve(shared: &Arc<Shared>, index: usize, mut stream: TcpStream) -> Result<(), String> {
    // Two tries: a first failure may be a pod that just went away.
    let mut last = String::new();
    for attempt in 0..2 {
        let r = shared
            .pod_for_connection()
            .await
            .map_err(|e| e.to_string())?;
        let port = r.ports[index];
        let warm = if attempt == 0 {
            shared.wait_warm(index, &r.pod, port).await
        } else {
            None
        };
        shared.spawn_warm(index);
        let (upstream, early) = match warm {
            Some(t) => (t.stream, t.early),
            None => match stream::open(&shared.client, &shared.namespace, &r.pod, port).await {
                Ok(s) => (s, Vec::new()),
                Err(e) => {
                    last = format!("cannot open a stream to pod {}: {e}", r.pod);
                    shared.invalidate(last.clone());
                    continue;
                }
            },
        };
        let PodStream {
            io: upstream,
            errors,
            guard,
        } = upstream;
        let pod = r.pod.clone();
        if let Some(errors) = errors {
            let shared = shared.clone();
            tokio::spawn(async move {
                if let Some(e) = errors.await {
                    // The kubelet's words, e.g. "connection refused" inside the pod.
                    tracing::warn!(%pod, port, error = %e, "port-forward error");
                    shared.heal_now.notify_one();
                }
            });
        }
        let result = async {
            if !early.is_empty() {
                stream.write_all(&early).await?;
                shared
                    .received
                    .fetch_add(early.len() as u64, Ordering::Relaxed);
            }
            pump(stream, upstream, &shared.sent, &shared.received, LINGER).await
        }
        .await;
        drop(guard);
        return result.map_err(|e| format!("connection to pod {} port {port}: {e}", r.pod));
    }
    Err(last)
}

/// Watches the current pod; when it is gone or not ready, re-resolves.
/// Without a current pod (none ready yet), tries to resolve every
/// [`HEAL_INTERVAL`] or when a stream error asks for it.
async fn heal_loop(shared: Arc<Shared>) {
    loop {
        match shared.current() {
            Some(r) => watch_pod(&shared, &r.pod).await,
            None => {
                tokio::select! {
                    () = tokio::time::sleep(HEAL_INTERVAL) => {}
                    () = shared.heal_now.notified() => {}
                }
                let _ = shared.try_resolve().await;
            }
        }
    }
}

/// What a watch event says about the pod a forward uses.
#[derive(Debug, PartialEq, Eq)]
enum PodNews {
    Fine,
    NotReady,
    Gone,
}

fn news(event: &watcher::Event<Pod>, seen_in_listing: &mut bool) -> Option<PodNews> {
    match event {
        watcher::Event::Init => {
            *seen_in_listing = false;
            None
        }
        watcher::Event::InitApply(p) | watcher::Event::Apply(p) => {
            *seen_in_listing = true;
            Some(if is_ready(p) {
                PodNews::Fine
            } else {
                PodNews::NotReady
            })
        }
        watcher::Event::Delete(_) => Some(PodNews::Gone),
        // A (re)listing without the pod: it went while we were not watching.
        watcher::Event::InitDone => (!*seen_in_listing).then_some(PodNews::Gone),
    }
}

/// Returns once `pod` is gone or not ready (the forward is then
/// reconnecting), or is no longer the forward's pod. A watch, not polling:
/// a replaced pod is noticed as soon as the API server says so.
async fn watch_pod(shared: &Arc<Shared>, pod: &str) {
    let config = watcher::Config::default().fields(&format!("metadata.name={pod}"));
    // Without the backoff an unreachable server turns the watch into a busy loop.
    let mut events = watcher::watcher(shared.pods.clone(), config)
        .default_backoff()
        .boxed();
    let mut seen = false;
    loop {
        let event = tokio::select! {
            e = events.next() => e,
            // A stream error or someone else's re-resolve: look again.
            () = shared.heal_now.notified() => {
                if shared.current().is_none_or(|c| c.pod != pod) {
                    return;
                }
                continue;
            }
        };
        let Some(event) = event else { return };
        let event = match event {
            Ok(e) => e,
            // API unreachable: keep the pod; connections will tell.
            Err(e) => {
                tracing::debug!(%e, pod, "pod watch failed; retrying");
                continue;
            }
        };
        if shared.current().is_none_or(|c| c.pod != pod) {
            return;
        }
        match news(&event, &mut seen) {
            Some(PodNews::NotReady) => {
                shared.invalidate(format!("pod {pod} is not ready"));
                return;
            }
            Some(PodNews::Gone) => {
                shared.invalidate(format!("target gone: pod {pod} was deleted"));
                return;
            }
            Some(PodNews::Fine) | None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{Pod, PodCondition, PodStatus};
    use kube::runtime::watcher::Event;

    use super::{news, PodNews};

    fn pod(ready: bool) -> Pod {
        Pod {
            status: Some(PodStatus {
                phase: Some("Running".into()),
                conditions: Some(vec![PodCondition {
                    type_: "Ready".into(),
                    status: if ready { "True" } else { "False" }.into(),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn watch_events_say_what_became_of_the_pod() {
        let mut seen = false;
        assert_eq!(news(&Event::Init, &mut seen), None);
        assert_eq!(
            news(&Event::InitApply(pod(true)), &mut seen),
            Some(PodNews::Fine)
        );
        assert_eq!(news(&Event::InitDone, &mut seen), None);
        assert_eq!(
            news(&Event::Apply(pod(false)), &mut seen),
            Some(PodNews::NotReady)
        );
        assert_eq!(
            news(&Event::Delete(pod(true)), &mut seen),
            Some(PodNews::Gone)
        );
        // A relisting (after a watch error) that no longer has the pod.
        assert_eq!(news(&Event::Init, &mut seen), None);
        assert_eq!(news(&Event::InitDone, &mut seen), Some(PodNews::Gone));
    }
}
