//! Target resolution as kubectl does it: a ready pod for the target, and each
//! requested port turned into a container port of that pod (a service's
//! named targetPort is looked up in the chosen pod).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::api::ListParams;
use kube::{Api, Client};

use super::spec::{PortMapping, RemotePort, TargetKind, TargetRef};
use crate::Error;

/// A ready pod and the container port for each requested mapping (same order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub pod: String,
    pub ports: Vec<u16>,
}

fn request_error(action: &'static str, e: kube::Error) -> Error {
    Error::ClusterRequest {
        context: String::new(),
        action,
        detail: e.to_string(),
    }
}

fn not_found(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 404)
}

pub(crate) fn is_ready(pod: &Pod) -> bool {
    if pod.metadata.deletion_timestamp.is_some() {
        return false;
    }
    let status = match &pod.status {
        Some(s) => s,
        None => return false,
    };
    status.phase.as_deref() == Some("Running")
        && status
            .conditions
            .iter()
            .flatten()
            .any(|c| c.type_ == "Ready" && c.status == "True")
}

fn selector_string(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Resolves `target` in `namespace` to a ready pod and container ports.
pub async fn resolve(
    client: &Client,
    namespace: &str,
    target: &TargetRef,
    ports: &[PortMapping],
) -> Result<Resolved, Error> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    match target.kind {
        TargetKind::Pod => {
            let pod = match pods.get(&target.name).await {
                Ok(p) => p,
                Err(e) if not_found(&e) => return Err(missing(target, namespace)),
                Err(e) => return Err(request_error("read the pod", e)),
            };
            if !is_ready(&pod) {
                return Err(Error::PodNotReady {
                    pod: target.name.clone(),
                });
            }
            let ports = ports
                .iter()
                .map(|m| container_port(&pod, &m.remote))
                .collect::<Result<_, _>>()?;
            Ok(Resolved {
                pod: target.name.clone(),
                ports,
            })
        }
        TargetKind::Service => {
            let svcs: Api<Service> = Api::namespaced(client.clone(), namespace);
            let svc = match svcs.get(&target.name).await {
                Ok(s) => s,
                Err(e) if not_found(&e) => return Err(missing(target, namespace)),
                Err(e) => return Err(request_error("read the service", e)),
            };
            let spec = svc.spec.unwrap_or_default();
            let selector = spec.selector.unwrap_or_default();
            if selector.is_empty() {
                return Err(Error::ServiceWithoutSelector {
                    service: target.name.clone(),
                });
            }
            let svc_ports = spec.ports.unwrap_or_default();
            // Validate the service ports before choosing a pod: a typo is not "no pod".
            let mut targets = Vec::with_capacity(ports.len());
            for m in ports {
                let sp = svc_ports
                    .iter()
                    .find(|p| match &m.remote {
                        RemotePort::Number(n) => p.port == i32::from(*n),
                        RemotePort::Name(s) => p.name.as_deref() == Some(s.as_str()),
                    })
                    .ok_or_else(|| Error::UnknownServicePort {
                        service: target.name.clone(),
                        port: m.remote.to_string(),
                        available: list_or_none(svc_ports.iter().map(|p| match &p.name {
                            Some(n) => format!("{} ({n})", p.port),
                            None => p.port.to_string(),
                        })),
                    })?;
                targets.push(match &sp.target_port {
                    None => RemotePort::Number(port_u16(sp.port)?),
                    Some(IntOrString::Int(n)) => RemotePort::Number(port_u16(*n)?),
                    Some(IntOrString::String(s)) => match s.parse::<u16>() {
                        Ok(n) => RemotePort::Number(n),
                        Err(_) => RemotePort::Name(s.clone()),
                    },
                });
            }
            let pod = ready_pod(&pods, &selector_string(&selector), target).await?;
            finish(pod, &targets)
        }
        TargetKind::Deployment | TargetKind::StatefulSet => {
            let labels = if target.kind == TargetKind::Deployment {
                let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
                match api.get(&target.name).await {
                    Ok(d) => d.spec.and_then(|s| s.selector.match_labels),
                    Err(e) if not_found(&e) => None.ok_or_else(|| missing(target, namespace))?,
                    Err(e) => return Err(request_error("read the deployment", e)),
                }
            } else {
                let api: Api<StatefulSet> = Api::namespaced(client.clone(), namespace);
                match api.get(&target.name).await {
                    Ok(d) => d.spec.and_then(|s| s.selector.match_labels),
                    Err(e) if not_found(&e) => None.ok_or_else(|| missing(target, namespace))?,
                    Err(e) => return Err(request_error("read the statefulset", e)),
                }
            }
            .unwrap_or_default();
            if labels.is_empty() {
                return Err(Error::InvalidInput(format!(
                    "{target} has no matchLabels selector to find its pods"
                )));
            }
            let pod = ready_pod(&pods, &selector_string(&labels), target).await?;
            let remotes: Vec<RemotePort> = ports.iter().map(|m| m.remote.clone()).collect();
            finish(pod, &remotes)
        }
    }
}

fn missing(target: &TargetRef, namespace: &str) -> Error {
    Error::TargetNotFound {
        kind: match target.kind {
            TargetKind::Pod => "pod",
            TargetKind::Service => "service",
            TargetKind::Deployment => "deployment",
            TargetKind::StatefulSet => "statefulset",
        },
        name: target.name.clone(),
        namespace: namespace.to_string(),
    }
}

/// "a, b" or "none" for the hint in an unknown-port error.
fn list_or_none(items: impl Iterator<Item = String>) -> String {
    let all: Vec<String> = items.collect();
    if all.is_empty() {
        "none".into()
    } else {
        all.join(", ")
    }
}

fn port_u16(n: i32) -> Result<u16, Error> {
    u16::try_from(n)
        .ok()
        .filter(|p| *p != 0)
        .ok_or_else(|| Error::InvalidInput(format!("{n} is not a valid port")))
}

fn finish(pod: Pod, remotes: &[RemotePort]) -> Result<Resolved, Error> {
    let ports = remotes
        .iter()
        .map(|r| container_port(&pod, r))
        .collect::<Result<_, _>>()?;
    Ok(Resolved {
        pod: pod.metadata.name.unwrap_or_default(),
        ports,
    })
}

/// The newest ready pod matching `selector` (newest: after a rollout the
/// old ones are on their way out).
async fn ready_pod(api: &Api<Pod>, selector: &str, target: &TargetRef) -> Result<Pod, Error> {
    let list = api
        .list(&ListParams::default().labels(selector))
        .await
        .map_err(|e| request_error("list pods", e))?;
    list.items
        .into_iter()
        .filter(is_ready)
        .max_by(|a, b| {
            a.metadata
                .creation_timestamp
                .cmp(&b.metadata.creation_timestamp)
        })
        .ok_or_else(|| Error::NoReadyPod {
            target: target.to_string(),
        })
}

fn container_port(pod: &Pod, remote: &RemotePort) -> Result<u16, Error> {
    match remote {
        RemotePort::Number(n) => Ok(*n),
        RemotePort::Name(name) => {
            let declared = || {
                pod.spec
                    .iter()
                    .flat_map(|s| s.containers.iter())
                    .flat_map(|c| c.ports.iter().flatten())
            };
            match declared().find(|p| p.name.as_deref() == Some(name.as_str())) {
                Some(p) => port_u16(p.container_port),
                None => Err(Error::UnknownPortName {
                    pod: pod.metadata.name.clone().unwrap_or_default(),
                    name: name.clone(),
                    available: list_or_none(declared().filter_map(|p| p.name.clone())),
                }),
            }
        }
    }
}
