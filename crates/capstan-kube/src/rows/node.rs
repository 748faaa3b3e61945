//! Nodes as `kubectl get nodes -o wide` shows them (printNode).

use std::collections::BTreeSet;

use super::{Cell, Column, Row};
use k8s_openapi::api::core::v1::Node;

pub fn node_columns() -> Vec<Column> {
    [
        ("NAME", 0),
        ("STATUS", 0),
        ("ROLES", 0),
        ("AGE", 0),
        ("VERSION", 0),
        ("INTERNAL-IP", 1),
        ("EXTERNAL-IP", 1),
        ("OS-IMAGE", 1),
        ("KERNEL-VERSION", 1),
        ("CONTAINER-RUNTIME", 1),
    ]
    .iter()
    .map(|(n, p)| Column::new(n, *p))
    .collect()
}

pub fn project_node(node: &Node) -> Row {
    let status = node.status.as_ref();
    // Only the Ready condition decides the status text, as in kubectl.
    let mut states: Vec<String> = status
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().rfind(|c| c.type_ == "Ready"))
        .map(|c| {
            if c.status == "True" {
                "Ready".to_owned()
            } else {
                "NotReady".to_owned()
            }
        })
        .into_iter()
        .collect();
    if states.is_empty() {
        states.push("Unknown".to_owned());
    }
    if node
        .spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false)
    {
        states.push("SchedulingDisabled".to_owned());
    }
    let mut roles = BTreeSet::new();
    for (k, v) in node.metadata.labels.iter().flatten() {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.insert(role.to_owned());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.insert(v.clone());
        }
    }
    let roles = roles.into_iter().collect::<Vec<_>>().join(",");
    let address = |type_: &str| {
        status
            .and_then(|s| s.addresses.as_ref())
            .and_then(|a| a.iter().find(|a| a.type_ == type_))
            .map(|a| a.address.as_str())
    };
    let info = status.and_then(|s| s.node_info.as_ref());
    let unknown = |s: Option<&String>| match s {
        Some(s) if !s.is_empty() => Cell::text(s.clone()),
        _ => Cell::text("<unknown>"),
    };
    let cells = vec![
        Cell::text(node.metadata.name.clone().unwrap_or_default()),
        Cell::text(states.join(",")),
        Cell::text_or_none(Some(&roles)),
        Cell::age(node.metadata.creation_timestamp.as_ref()),
        Cell::text(info.map(|i| i.kubelet_version.clone()).unwrap_or_default()),
        Cell::text_or_none(address("InternalIP")),
        Cell::text_or_none(address("ExternalIP")),
        unknown(info.map(|i| &i.os_image)),
        unknown(info.map(|i| &i.kernel_version)),
        unknown(info.map(|i| &i.container_runtime_version)),
    ];
    Row::new(&node.metadata, cells)
}
