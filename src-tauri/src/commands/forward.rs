//! Port-forwards held by the shell: thin wrappers over
//! `capstan_kube::forward::ForwardRegistry`. Status changes stream to the UI
//! over the Channel passed to `start_forward`.
//!
//! Saved forwards (opt-in per context, `capstan_kube::forward::saved`): the
//! file is rewritten whenever a forward of an enabled context starts or
//! stops. They come back on the first use of their context in a session —
//! when the UI opens that context — as Lens does with a cluster's forwards:
//! starting the app never reaches out to clusters the user is not opening
//! (exec plugins, VPNs, production), and the context opened at start (the
//! kubeconfig's current one) gets its forwards back right away. A forward
//! that cannot come back is listed as failed with the reason (no dialog).

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use capstan_kube::forward::saved::{self, SavedForward};
use capstan_kube::forward::{
    ForwardOptions, ForwardRegistry, ForwardSink, ForwardStatus, NoSink, PortMapping, TargetKind,
    TargetRef,
};
use capstan_kube::ClientCache;
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::core::v1::{Container, Pod, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;
use tauri::ipc::Channel;
use ts_rs::TS;

use crate::IpcError;

struct ChannelSink(Channel<ForwardStatus>);

impl ForwardSink for ChannelSink {
    fn status(&self, status: &ForwardStatus) {
        // A closed channel means the page is gone; list_forwards still works.
        if self.0.send(status.clone()).is_err() {
            tracing::debug!(
                id = status.id,
                "forward status not delivered: channel closed"
            );
        }
    }
}

/// A saved forward that did not come back, shown in the panel until it is
/// retried successfully or dismissed (it stays saved meanwhile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FailedForward {
    #[ts(type = "number")]
    pub id: u64,
    pub context: String,
    pub forward: SavedForward,
    pub reason: String,
}

/// What the panel shows about saving for one context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavedForwardsView {
    pub enabled: bool,
    pub failed: Vec<FailedForward>,
}

/// What a restore did, so the UI can open the panel when there is news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestoreOutcome {
    pub restored: u32,
    pub failed: u32,
}

#[derive(Default)]
struct SavedInner {
    /// Forwards started through the app: registry id -> (context, as saved).
    running: BTreeMap<u64, (String, SavedForward)>,
    failed: BTreeMap<u64, FailedForward>,
    next_failed: u64,
    /// Contexts whose saved forwards were restored (or deliberately not)
    /// this session: restore happens once per context.
    restored: BTreeSet<String>,
}

/// Tauri-managed: which running forward belongs to which context, and the
/// saved forwards that failed to come back.
#[derive(Default)]
pub struct SavedForwardsState(Mutex<SavedInner>);

impl SavedForwardsState {
    fn lock(&self) -> MutexGuard<'_, SavedInner> {
        // Plain maps: a panic elsewhere cannot leave them inconsistent.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// What `context` should have saved: its running forwards, then the
    /// ones still failing (they stay saved until dismissed).
    fn wanted(&self, context: &str) -> Vec<SavedForward> {
        let inner = self.lock();
        let running = inner
            .running
            .values()
            .filter(|(c, _)| c == context)
            .map(|(_, f)| f.clone());
        let failed = inner
            .failed
            .values()
            .filter(|f| f.context == context)
            .map(|f| f.forward.clone());
        running.chain(failed).collect()
    }

    /// Writes `context`'s list when saving is on for it. A failure is
    /// logged: the forward itself is fine, and the panel shows a bad file.
    fn persist(&self, context: &str) {
        let wanted = self.wanted(context);
        let result = saved::saved_forwards_path()
            .and_then(|path| saved::update(&path, |s| s.set_forwards(context, wanted)));
        if let Err(e) = result {
            tracing::warn!(%context, error = %e, "saved forwards not updated");
        }
    }

    fn view(&self, context: &str) -> Result<SavedForwardsView, capstan_kube::Error> {
        let enabled =
            saved::SavedForwards::load_from(&saved::saved_forwards_path()?)?.enabled(context);
        let failed = self
            .lock()
            .failed
            .values()
            .filter(|f| f.context == context)
            .cloned()
            .collect();
        Ok(SavedForwardsView { enabled, failed })
    }
}

fn parse_address(
    address: Option<&str>,
    allow_non_loopback: bool,
) -> Result<Option<IpAddr>, capstan_kube::Error> {
    match address.map(str::trim).filter(|a| !a.is_empty()) {
        None => Ok(None),
        Some(text) => {
            let ip: IpAddr = text.parse().map_err(|_| {
                capstan_kube::Error::InvalidInput(format!("{text} is not an IP address"))
            })?;
            if !ip.is_loopback() && !allow_non_loopback {
                return Err(capstan_kube::Error::InvalidInput(format!(
                    "binding to {ip} exposes the pod beyond this machine; confirm it explicitly"
                )));
            }
            Ok(Some(ip))
        }
    }
}

/// Starts `forward` in `context` and records it for saving.
async fn start_recorded(
    context: &str,
    forward: SavedForward,
    ip: Option<IpAddr>,
    sink: Arc<dyn ForwardSink>,
    clients: &ClientCache,
    registry: &ForwardRegistry,
    saved_state: &SavedForwardsState,
) -> Result<ForwardStatus, capstan_kube::Error> {
    let client = clients.get(context).await?;
    tracing::debug!(%context, namespace = %forward.namespace, target = %forward.target, "starting forward");
    let status = registry
        .start(
            client,
            &forward.namespace,
            forward.target.clone(),
            forward.ports.clone(),
            ForwardOptions { address: ip },
            sink,
        )
        .await?;
    let bound = registry.local_ports(status.id).unwrap_or_default();
    let pinned = SavedForward::pinned(
        &forward.namespace,
        forward.target,
        &forward.ports,
        &bound,
        forward.address,
    );
    saved_state
        .lock()
        .running
        .insert(status.id, (context.to_string(), pinned));
    Ok(status)
}

/// Starts forwarding `ports` of `target`. Loopback unless `address` is set
/// AND `allow_non_loopback` is true: any other address exposes the pod to
/// whoever can reach it, so the UI must ask for it explicitly.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn start_forward(
    context: String,
    namespace: String,
    target: TargetRef,
    ports: Vec<PortMapping>,
    address: Option<String>,
    allow_non_loopback: bool,
    channel: Channel<ForwardStatus>,
    clients: tauri::State<'_, Arc<ClientCache>>,
    registry: tauri::State<'_, ForwardRegistry>,
    saved_state: tauri::State<'_, SavedForwardsState>,
) -> Result<ForwardStatus, IpcError> {
    let ip = parse_address(address.as_deref(), allow_non_loopback)?;
    let forward = SavedForward {
        namespace,
        target,
        ports,
        address: ip.map(|a| a.to_string()),
    };
    let status = start_recorded(
        &context,
        forward,
        ip,
        Arc::new(ChannelSink(channel)),
        &clients,
        &registry,
        &saved_state,
    )
    .await?;
    saved_state.persist(&context);
    Ok(status)
}

#[tauri::command]
pub fn list_forwards(registry: tauri::State<'_, ForwardRegistry>) -> Vec<ForwardStatus> {
    registry.list()
}

/// Stops one forward; false when it was already gone.
#[tauri::command]
pub fn stop_forward(
    id: u64,
    registry: tauri::State<'_, ForwardRegistry>,
    saved_state: tauri::State<'_, SavedForwardsState>,
) -> bool {
    let stopped = registry.stop(id);
    let owner = saved_state.lock().running.remove(&id);
    if let Some((context, _)) = owner {
        saved_state.persist(&context);
    }
    stopped
}

#[tauri::command]
pub fn stop_all_forwards(
    registry: tauri::State<'_, ForwardRegistry>,
    saved_state: tauri::State<'_, SavedForwardsState>,
) {
    registry.stop_all();
    let contexts: BTreeSet<String> = std::mem::take(&mut saved_state.lock().running)
        .into_values()
        .map(|(c, _)| c)
        .collect();
    for context in contexts {
        saved_state.persist(&context);
    }
}

/// Whether `context`'s forwards are saved, and which saved ones failed to
/// come back.
#[tauri::command]
pub fn saved_forwards(
    context: String,
    saved_state: tauri::State<'_, SavedForwardsState>,
) -> Result<SavedForwardsView, IpcError> {
    Ok(saved_state.view(&context)?)
}

/// Turns saving on (the context's running forwards are written at once) or
/// off (its list is deleted and failed entries dropped).
#[tauri::command]
pub fn set_saved_forwards(
    context: String,
    enabled: bool,
    saved_state: tauri::State<'_, SavedForwardsState>,
) -> Result<SavedForwardsView, IpcError> {
    let path = saved::saved_forwards_path()?;
    {
        let mut inner = saved_state.lock();
        // What runs now is what gets saved: no later restore on top of it.
        inner.restored.insert(context.clone());
        if !enabled {
            inner.failed.retain(|_, f| f.context != context);
        }
    }
    let wanted = saved_state.wanted(&context);
    saved::update(&path, |s| {
        let was = s.enabled(&context);
        s.set_enabled(&context, enabled);
        let listed = enabled && s.set_forwards(&context, wanted);
        listed || was != enabled
    })?;
    Ok(saved_state.view(&context)?)
}

/// Starts `context`'s saved forwards, once per session (later calls do
/// nothing). Each one that fails is kept as a failed entry with its reason.
#[tauri::command]
pub async fn restore_saved_forwards(
    context: String,
    clients: tauri::State<'_, Arc<ClientCache>>,
    registry: tauri::State<'_, ForwardRegistry>,
    saved_state: tauri::State<'_, SavedForwardsState>,
) -> Result<RestoreOutcome, IpcError> {
    if !saved_state.lock().restored.insert(context.clone()) {
        return Ok(RestoreOutcome {
            restored: 0,
            failed: 0,
        });
    }
    let file = saved::SavedForwards::load_from(&saved::saved_forwards_path()?)?;
    let mut outcome = RestoreOutcome {
        restored: 0,
        failed: 0,
    };
    for forward in file.forwards(&context).to_vec() {
        let already = saved_state
            .lock()
            .running
            .values()
            .any(|(c, f)| c == &context && f == &forward);
        if already {
            continue;
        }
        match restore_one(&context, forward.clone(), &clients, &registry, &saved_state).await {
            Ok(_) => outcome.restored += 1,
            Err(e) => {
                tracing::info!(%context, target = %forward.target, error = %e, "saved forward not restored");
                let mut inner = saved_state.lock();
                inner.next_failed += 1;
                let id = inner.next_failed;
                inner.failed.insert(
                    id,
                    FailedForward {
                        id,
                        context: context.clone(),
                        forward,
                        reason: e.to_string(),
                    },
                );
                outcome.failed += 1;
            }
        }
    }
    Ok(outcome)
}

async fn restore_one(
    context: &str,
    forward: SavedForward,
    clients: &ClientCache,
    registry: &ForwardRegistry,
    saved_state: &SavedForwardsState,
) -> Result<ForwardStatus, capstan_kube::Error> {
    // A non-loopback address was confirmed when the forward was first
    // started, and the user opted in to getting it back.
    let ip = parse_address(forward.address.as_deref(), true)?;
    let sink: Arc<dyn ForwardSink> = Arc::new(NoSink);
    start_recorded(context, forward, ip, sink, clients, registry, saved_state).await
}

/// Tries a failed saved forward again; on success it leaves the failed list.
#[tauri::command]
pub async fn retry_saved_forward(
    id: u64,
    clients: tauri::State<'_, Arc<ClientCache>>,
    registry: tauri::State<'_, ForwardRegistry>,
    saved_state: tauri::State<'_, SavedForwardsState>,
) -> Result<ForwardStatus, IpcError> {
    let entry = saved_state.lock().failed.get(&id).cloned();
    let Some(entry) = entry else {
        return Err(capstan_kube::Error::InvalidInput(
            "that saved forward is no longer listed: refresh the panel".into(),
        )
        .into());
    };
    match restore_one(
        &entry.context,
        entry.forward.clone(),
        &clients,
        &registry,
        &saved_state,
    )
    .await
    {
        Ok(status) => {
            saved_state.lock().failed.remove(&id);
            saved_state.persist(&entry.context);
            Ok(status)
        }
        Err(e) => {
            if let Some(f) = saved_state.lock().failed.get_mut(&id) {
                f.reason = e.to_string();
            }
            Err(e.into())
        }
    }
}

/// Drops a failed saved forward from the panel and from the saved list.
#[tauri::command]
pub fn dismiss_saved_forward(id: u64, saved_state: tauri::State<'_, SavedForwardsState>) {
    let removed = saved_state.lock().failed.remove(&id);
    if let Some(f) = removed {
        saved_state.persist(&f.context);
    }
}

/// A port the UI offers for a target: `remote` is what to ask the forward
/// for (a service port for services, a container port otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OfferedPort {
    pub name: Option<String>,
    pub remote: u16,
    /// Where the traffic lands: "8080" or "http" (a service's targetPort),
    /// or the container name for pods and workloads.
    pub detail: String,
    pub protocol: String,
}

fn container_ports(containers: &[Container]) -> Vec<OfferedPort> {
    containers
        .iter()
        .flat_map(|c| {
            c.ports.iter().flatten().filter_map(move |p| {
                Some(OfferedPort {
                    name: p.name.clone(),
                    remote: u16::try_from(p.container_port).ok()?,
                    detail: c.name.clone(),
                    protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                })
            })
        })
        .collect()
}

fn service_ports(svc: &Service) -> Vec<OfferedPort> {
    let ports = svc.spec.as_ref().and_then(|s| s.ports.as_ref());
    ports
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let remote = u16::try_from(p.port).ok()?;
            let detail = match &p.target_port {
                Some(IntOrString::Int(n)) => n.to_string(),
                Some(IntOrString::String(s)) => s.clone(),
                None => remote.to_string(),
            };
            Some(OfferedPort {
                name: p.name.clone(),
                remote,
                detail,
                protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
            })
        })
        .collect()
}

fn read_failed(target: &TargetRef, namespace: &str, e: kube::Error) -> capstan_kube::Error {
    let detail = match e {
        kube::Error::Api(s) => s.message,
        other => other.to_string(),
    };
    capstan_kube::Error::InvalidInput(format!(
        "cannot read the ports of {:?} {} in {namespace}: {detail}",
        target.kind, target.name
    ))
}

/// The TCP ports a target declares, for the "Port forward" dialog.
#[tauri::command]
pub async fn forward_ports(
    context: String,
    namespace: String,
    target: TargetRef,
    clients: tauri::State<'_, Arc<ClientCache>>,
) -> Result<Vec<OfferedPort>, IpcError> {
    let client = clients.get(&context).await?;
    let fail = |e| read_failed(&target, &namespace, e);
    let ports = match target.kind {
        TargetKind::Pod => {
            let pod = kube::Api::<Pod>::namespaced(client, &namespace)
                .get(&target.name)
                .await
                .map_err(fail)?;
            container_ports(pod.spec.as_ref().map(|s| &s.containers[..]).unwrap_or(&[]))
        }
        TargetKind::Service => service_ports(
            &kube::Api::<Service>::namespaced(client, &namespace)
                .get(&target.name)
                .await
                .map_err(fail)?,
        ),
        TargetKind::Deployment => {
            let d = kube::Api::<Deployment>::namespaced(client, &namespace)
                .get(&target.name)
                .await
                .map_err(fail)?;
            let spec = d.spec.and_then(|s| s.template.spec);
            container_ports(spec.as_ref().map(|s| &s.containers[..]).unwrap_or(&[]))
        }
        TargetKind::StatefulSet => {
            let d = kube::Api::<StatefulSet>::namespaced(client, &namespace)
                .get(&target.name)
                .await
                .map_err(fail)?;
            let spec = d.spec.and_then(|s| s.template.spec);
            container_ports(spec.as_ref().map(|s| &s.containers[..]).unwrap_or(&[]))
        }
    };
    // Port-forward carries TCP only.
    Ok(ports.into_iter().filter(|p| p.protocol == "TCP").collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{ServicePort, ServiceSpec};

    #[test]
    fn service_ports_name_their_target() {
        let svc = Service {
            spec: Some(ServiceSpec {
                ports: Some(vec![
                    ServicePort {
                        name: Some("web".into()),
                        port: 80,
                        target_port: Some(IntOrString::String("http".into())),
                        ..Default::default()
                    },
                    ServicePort {
                        port: 9000,
                        target_port: Some(IntOrString::Int(9001)),
                        protocol: Some("UDP".into()),
                        ..Default::default()
                    },
                ]),
                ..Default::default()
            }),
            ..Default::default()
        };
        let ports = service_ports(&svc);
        assert_eq!(ports.len(), 2);
        assert_eq!(ports[0].remote, 80);
        assert_eq!(ports[0].detail, "http");
        assert_eq!(ports[1].detail, "9001");
        assert_eq!(ports[1].protocol, "UDP");
    }
}
