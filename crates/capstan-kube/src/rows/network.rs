//! Endpoints, Ingresses and NetworkPolicies as `kubectl get -o wide` shows
//! them (printEndpoints, printIngress, printNetworkPolicy).

use super::labels::format_selector;
use super::{Cell, Column, Row};
use k8s_openapi::api::core::v1::Endpoints;
use k8s_openapi::api::networking::v1::{Ingress, IngressRule, IngressTLS, NetworkPolicy};

pub fn endpoints_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("ENDPOINTS", 0),
        Column::new("AGE", 0),
    ]
}

pub fn project_endpoints(ep: &Endpoints) -> Row {
    let cells = vec![
        Cell::text(ep.metadata.name.clone().unwrap_or_default()),
        Cell::text(format_endpoints(ep)),
        Cell::age(ep.metadata.creation_timestamp.as_ref()),
    ];
    Row::new(&ep.metadata, cells)
}

/// The first three `ip:port` pairs (bare IPs for port-less subsets), then
/// `+ N more...` counting every address/port pair.
fn format_endpoints(ep: &Endpoints) -> String {
    const MAX: usize = 3;
    let subsets = ep.subsets.as_deref().unwrap_or_default();
    if subsets.is_empty() {
        return "<none>".to_owned();
    }
    let mut list: Vec<String> = Vec::new();
    let mut count = 0;
    for ss in subsets {
        let addresses = ss.addresses.as_deref().unwrap_or_default();
        let ports = ss.ports.as_deref().unwrap_or_default();
        if ports.is_empty() {
            count += addresses.len();
            list.extend(
                addresses
                    .iter()
                    .take(MAX.saturating_sub(list.len()))
                    .map(|a| a.ip.clone()),
            );
            continue;
        }
        for port in ports {
            count += addresses.len();
            for a in addresses.iter().take(MAX.saturating_sub(list.len())) {
                list.push(host_port(&a.ip, port.port));
            }
        }
    }
    let joined = list.join(",");
    if count > list.len() {
        format!("{joined} + {} more...", count - list.len())
    } else {
        joined
    }
}

/// Go's net.JoinHostPort: IPv6 addresses in brackets.
fn host_port(ip: &str, port: i32) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

pub fn ingress_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("CLASS", 0),
        Column::new("HOSTS", 0),
        Column::new("ADDRESS", 0),
        Column::new("PORTS", 0),
        Column::new("AGE", 0),
    ]
}

pub fn project_ingress(ing: &Ingress) -> Row {
    let spec = ing.spec.as_ref();
    let class = spec.and_then(|s| s.ingress_class_name.as_deref());
    let address = ing
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
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
    let cells = vec![
        Cell::text(ing.metadata.name.clone().unwrap_or_default()),
        Cell::text_or_none(class),
        Cell::text(format_hosts(
            spec.and_then(|s| s.rules.as_deref()).unwrap_or_default(),
        )),
        Cell::text(address),
        Cell::text(format_ports(
            spec.and_then(|s| s.tls.as_deref()).unwrap_or_default(),
        )),
        Cell::age(ing.metadata.creation_timestamp.as_ref()),
    ];
    Row::new(&ing.metadata, cells)
}

/// Up to three hosts, `*` when no rule names one.
fn format_hosts(rules: &[IngressRule]) -> String {
    const MAX: usize = 3;
    let hosts: Vec<&str> = rules
        .iter()
        .filter_map(|r| r.host.as_deref().filter(|h| !h.is_empty()))
        .collect();
    match hosts.len() {
        0 => "*".to_owned(),
        n if n > MAX => format!("{} + {} more...", hosts[..MAX].join(","), n - MAX),
        _ => hosts.join(","),
    }
}

fn format_ports(tls: &[IngressTLS]) -> String {
    if tls.is_empty() {
        "80".to_owned()
    } else {
        "80, 443".to_owned()
    }
}

pub fn networkpolicy_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("POD-SELECTOR", 0),
        Column::new("AGE", 0),
    ]
}

pub fn project_networkpolicy(np: &NetworkPolicy) -> Row {
    // An empty selector (all pods) prints as <none>, as in kubectl.
    let selector = format_selector(np.spec.as_ref().and_then(|s| s.pod_selector.as_ref()));
    let cells = vec![
        Cell::text(np.metadata.name.clone().unwrap_or_default()),
        Cell::text_or_none(Some(&selector)),
        Cell::age(np.metadata.creation_timestamp.as_ref()),
    ];
    Row::new(&np.metadata, cells)
}
