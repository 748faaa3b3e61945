//! Sidebar sections: the built-in kinds kubectl users know by heart, then
//! custom resources by API group.

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::KindInfo;

/// One sidebar section and its kinds, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct NavSection {
    /// "Workloads", "Network", "Config", "Storage", "Cluster", or an API
    /// group name for custom resources.
    pub title: String,
    /// True for a section of custom resources (one per API group).
    pub custom: bool,
    pub kinds: Vec<KindInfo>,
}

/// (section, group, kind) of the built-ins, in the order shown.
const BUILT_IN: &[(&str, &str, &str)] = &[
    ("Workloads", "", "Pod"),
    ("Workloads", "apps", "Deployment"),
    ("Workloads", "apps", "StatefulSet"),
    ("Workloads", "apps", "DaemonSet"),
    ("Workloads", "apps", "ReplicaSet"),
    ("Workloads", "batch", "Job"),
    ("Workloads", "batch", "CronJob"),
    ("Network", "", "Service"),
    ("Network", "", "Endpoints"),
    ("Network", "networking.k8s.io", "Ingress"),
    ("Network", "networking.k8s.io", "NetworkPolicy"),
    ("Config", "", "ConfigMap"),
    ("Config", "", "Secret"),
    ("Storage", "", "PersistentVolumeClaim"),
    ("Storage", "", "PersistentVolume"),
    ("Storage", "storage.k8s.io", "StorageClass"),
    ("Cluster", "", "Node"),
    ("Cluster", "", "Namespace"),
    ("Cluster", "", "Event"),
    // The definitions of custom resources, as Lens lists them; their objects
    // follow in the custom sections.
    (
        "Cluster",
        "apiextensions.k8s.io",
        "CustomResourceDefinition",
    ),
];

const SECTIONS: &[&str] = &["Workloads", "Network", "Config", "Storage", "Cluster"];

/// Groups that belong to Kubernetes itself: their other kinds (leases,
/// RBAC, webhooks …) are not custom resources, so they are left out of the
/// custom sections. Every other group is a CRD or an aggregated API.
pub(super) fn is_built_in_group(group: &str) -> bool {
    group.is_empty() || group.ends_with(".k8s.io") || !group.contains('.')
}

/// Sections for the kinds `kinds` (from discovery): the five built-in
/// sections with the kinds this server has (a kind it lacks is left out),
/// then one section per custom API group, sorted by group.
pub fn navigation(kinds: &[KindInfo]) -> Vec<NavSection> {
    let mut out: Vec<NavSection> = SECTIONS
        .iter()
        .map(|title| NavSection {
            title: (*title).to_string(),
            custom: false,
            kinds: BUILT_IN
                .iter()
                .filter(|(s, _, _)| s == title)
                .filter_map(|(_, g, k)| kinds.iter().find(|x| x.group == *g && x.kind == *k))
                .cloned()
                .collect(),
        })
        .filter(|s| !s.kinds.is_empty())
        .collect();
    let mut custom: Vec<&KindInfo> = kinds
        .iter()
        .filter(|k| !is_built_in_group(&k.group))
        .collect();
    custom.sort_by(|a, b| (&a.group, &a.kind).cmp(&(&b.group, &b.kind)));
    for k in custom {
        match out.last_mut() {
            Some(s) if s.custom && s.title == k.group => s.kinds.push(k.clone()),
            _ => out.push(NavSection {
                title: k.group.clone(),
                custom: true,
                kinds: vec![k.clone()],
            }),
        }
    }
    out
}
