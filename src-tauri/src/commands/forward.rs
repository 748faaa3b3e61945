//! Port-forwards held by the shell: thin wrappers over
//! `capstan_kube::forward::ForwardRegistry`. Status changes stream to the UI
//! over the Channel passed to `start_forward`.

use std::net::IpAddr;
use std::sync::Arc;

use capstan_kube::forward::{
    ForwardOptions, ForwardRegistry, ForwardSink, ForwardStatus, PortMapping, TargetKind, TargetRef,
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
) -> Result<ForwardStatus, IpcError> {
    let address = match address.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(text) => {
            let ip: IpAddr = text.parse().map_err(|_| {
                capstan_kube::Error::InvalidInput(format!("{text} is not an IP address"))
            })?;
            if !ip.is_loopback() && !allow_non_loopback {
                return Err(capstan_kube::Error::InvalidInput(format!(
                    "binding to {ip} exposes the pod beyond this machine; confirm it explicitly"
                ))
                .into());
            }
            Some(ip)
        }
    };
    let client = clients.get(&context).await?;
    tracing::debug!(%context, %namespace, ?target, "starting forward");
    let status = registry
        .start(
            client,
            &namespace,
            target,
            ports,
            ForwardOptions { address },
            Arc::new(ChannelSink(channel)),
        )
        .await?;
    Ok(status)
}

#[tauri::command]
pub fn list_forwards(registry: tauri::State<'_, ForwardRegistry>) -> Vec<ForwardStatus> {
    registry.list()
}

/// Stops one forward; false when it was already gone.
#[tauri::command]
pub fn stop_forward(id: u64, registry: tauri::State<'_, ForwardRegistry>) -> bool {
    registry.stop(id)
}

#[tauri::command]
pub fn stop_all_forwards(registry: tauri::State<'_, ForwardRegistry>) {
    registry.stop_all();
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
