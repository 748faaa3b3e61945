//! Services as `kubectl get services -o wide` shows them (printService).

use super::labels::format_labels;
use super::{Cell, Column, Row};
use k8s_openapi::api::core::v1::{LoadBalancerStatus, Service, ServicePort};

pub fn service_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("TYPE", 0),
        Column::new("CLUSTER-IP", 0),
        Column::new("EXTERNAL-IP", 0),
        Column::new("PORT(S)", 0),
        Column::new("AGE", 0),
        Column::new("SELECTOR", 1),
    ]
}

pub fn project_service(svc: &Service) -> Row {
    let spec = svc.spec.clone().unwrap_or_default();
    let cluster_ip = spec
        .cluster_ips
        .as_ref()
        .and_then(|ips| ips.first())
        .or(spec.cluster_ip.as_ref())
        .filter(|ip| !ip.is_empty())
        .cloned()
        .unwrap_or_else(|| "<none>".to_owned());
    let ports = port_string(spec.ports.as_deref().unwrap_or_default());
    let cells = vec![
        Cell::text(svc.metadata.name.clone().unwrap_or_default()),
        Cell::text(spec.type_.clone().unwrap_or_default()),
        Cell::text(cluster_ip),
        // The table is the wide one; the UI can elide long cells itself.
        Cell::text(external_ip(svc, true)),
        Cell::text_or_none(Some(&ports)),
        Cell::age(svc.metadata.creation_timestamp.as_ref()),
        Cell::text(format_labels(spec.selector.as_ref())),
    ];
    Row::new(&svc.metadata, cells)
}

/// `80/TCP,443:30443/TCP`.
fn port_string(ports: &[ServicePort]) -> String {
    ports
        .iter()
        .map(|p| {
            let protocol = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port {
                Some(np) if np > 0 => format!("{}:{np}/{protocol}", p.port),
                _ => format!("{}/{protocol}", p.port),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn load_balancer_ips(status: Option<&LoadBalancerStatus>, wide: bool) -> String {
    let joined = status
        .and_then(|s| s.ingress.as_ref())
        .map(|ingress| {
            ingress
                .iter()
                .filter_map(|i| {
                    i.ip.as_deref()
                        .filter(|s| !s.is_empty())
                        .or(i.hostname.as_deref().filter(|s| !s.is_empty()))
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    // kubectl shortens long lists outside -o wide.
    if !wide && joined.len() > 16 {
        format!("{}...", &joined[..13])
    } else {
        joined
    }
}

fn external_ip(svc: &Service, wide: bool) -> String {
    let Some(spec) = svc.spec.as_ref() else {
        return "<unknown>".to_owned();
    };
    let external = spec.external_ips.as_deref().unwrap_or_default();
    match spec.type_.as_deref().unwrap_or("ClusterIP") {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                "<none>".to_owned()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_ips(
                svc.status.as_ref().and_then(|s| s.load_balancer.as_ref()),
                wide,
            );
            if !external.is_empty() {
                let mut all: Vec<&str> = lb.split(',').filter(|s| !s.is_empty()).collect();
                all.extend(external.iter().map(String::as_str));
                all.join(",")
            } else if !lb.is_empty() {
                lb
            } else {
                "<pending>".to_owned()
            }
        }
        "ExternalName" => spec.external_name.clone().unwrap_or_default(),
        _ => "<unknown>".to_owned(),
    }
}
