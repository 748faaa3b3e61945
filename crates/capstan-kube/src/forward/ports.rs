//! The ports a forward target declares, offered by the "Port forward"
//! dialog: a pod's or workload template's container ports, a service's
//! ports with their targetPort.

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::core::v1::{Container, Pod, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::{Api, Client};
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::spec::{TargetKind, TargetRef};
use crate::Error;

/// A port the UI offers for a target: `remote` is what to ask the forward
/// for (a service port for services, a container port otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct OfferedPort {
    pub name: Option<String>,
    pub remote: u16,
    /// Where the traffic lands: "8080" or "http" (a service's targetPort),
    /// or the container name for pods and workloads.
    pub detail: String,
    pub protocol: String,
}

/// The TCP ports `target` declares (port-forward carries TCP only).
pub async fn forward_ports(
    client: Client,
    namespace: &str,
    target: &TargetRef,
) -> Result<Vec<OfferedPort>, Error> {
    let fail = |e| read_failed(target, namespace, e);
    let ports = match target.kind {
        TargetKind::Pod => {
            let pod = Api::<Pod>::namespaced(client, namespace)
                .get(&target.name)
                .await
                .map_err(fail)?;
            container_ports(pod.spec.as_ref().map(|s| &s.containers[..]).unwrap_or(&[]))
        }
        TargetKind::Service => service_ports(
            &Api::<Service>::namespaced(client, namespace)
                .get(&target.name)
                .await
                .map_err(fail)?,
        ),
        TargetKind::Deployment => {
            let d = Api::<Deployment>::namespaced(client, namespace)
                .get(&target.name)
                .await
                .map_err(fail)?;
            let spec = d.spec.and_then(|s| s.template.spec);
            container_ports(spec.as_ref().map(|s| &s.containers[..]).unwrap_or(&[]))
        }
        TargetKind::StatefulSet => {
            let d = Api::<StatefulSet>::namespaced(client, namespace)
                .get(&target.name)
                .await
                .map_err(fail)?;
            let spec = d.spec.and_then(|s| s.template.spec);
            container_ports(spec.as_ref().map(|s| &s.containers[..]).unwrap_or(&[]))
        }
    };
    Ok(ports.into_iter().filter(|p| p.protocol == "TCP").collect())
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

fn read_failed(target: &TargetRef, namespace: &str, e: kube::Error) -> Error {
    let detail = match e {
        kube::Error::Api(s) => s.message,
        other => other.to_string(),
    };
    Error::InvalidInput(format!(
        "cannot read the ports of {:?} {} in {namespace}: {detail}",
        target.kind, target.name
    ))
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
