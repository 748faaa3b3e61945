//! The cluster overview's figures: CPU and memory used against allocatable,
//! pods by phase, the latest warning events.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Event, Node, Pod};
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::error::{classify, MetricsError, Unavailable};
use super::series::allocatable;
use super::source::{read_sample, SampleScope};
use super::usage::MetricsSource;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct WarningEvent {
    pub namespace: String,
    /// `Kind/name` of the object the event is about.
    pub object: String,
    pub reason: String,
    pub message: String,
    pub count: i32,
    /// RFC 3339; None when the event has no time.
    pub last_seen: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ClusterOverview {
    /// None with `unavailable` set when no source works.
    pub source: Option<MetricsSource>,
    pub unavailable: Option<String>,
    pub cpu_used_cores: Option<f64>,
    pub cpu_allocatable_cores: f64,
    pub memory_used_bytes: Option<f64>,
    pub memory_allocatable_bytes: f64,
    pub nodes: u32,
    pub pods_by_phase: BTreeMap<String, u32>,
    /// Newest first, at most `WARNINGS`.
    pub warnings: Vec<WarningEvent>,
}

const WARNINGS: usize = 20;

fn forbidden_or(e: kube::Error, resource: &str, action: &str) -> MetricsError {
    match classify(&e, "list", "", resource, None) {
        Unavailable::Forbidden(denial) => MetricsError::Forbidden { denial },
        _ => MetricsError::request(action, e),
    }
}

fn event_time(e: &Event) -> Option<String> {
    e.last_timestamp
        .as_ref()
        .map(|t| t.0.to_string())
        .or_else(|| e.event_time.as_ref().map(|t| t.0.to_string()))
        .or_else(|| {
            e.metadata
                .creation_timestamp
                .as_ref()
                .map(|t| t.0.to_string())
        })
}

/// The newest warnings first.
pub fn warnings(events: &[Event], limit: usize) -> Vec<WarningEvent> {
    let mut w: Vec<WarningEvent> = events
        .iter()
        .filter(|e| e.type_.as_deref() == Some("Warning"))
        .map(|e| WarningEvent {
            namespace: e.metadata.namespace.clone().unwrap_or_default(),
            object: format!(
                "{}/{}",
                e.involved_object.kind.clone().unwrap_or_default(),
                e.involved_object.name.clone().unwrap_or_default()
            ),
            reason: e.reason.clone().unwrap_or_default(),
            message: e.message.clone().unwrap_or_default(),
            count: e.count.unwrap_or(1),
            last_seen: event_time(e),
        })
        .collect();
    w.sort_by(|a, b| b.last_seen.cmp(&a.last_seen));
    w.truncate(limit);
    w
}

pub async fn cluster_overview(client: &kube::Client) -> Result<ClusterOverview, MetricsError> {
    let nodes: kube::Api<Node> = kube::Api::all(client.clone());
    let pods: kube::Api<Pod> = kube::Api::all(client.clone());
    let events: kube::Api<Event> = kube::Api::all(client.clone());
    let warn = kube::api::ListParams::default().fields("type=Warning");
    let all = kube::api::ListParams::default();
    let scope = SampleScope::nodes();
    let (nodes, pods, events, sample) = tokio::join!(
        nodes.list(&all),
        pods.list(&all),
        events.list(&warn),
        read_sample(client, &scope),
    );
    let nodes = nodes.map_err(|e| forbidden_or(e, "nodes", "list nodes"))?;
    let events = events.map_err(|e| forbidden_or(e, "events", "list events"))?;
    let pods = pods.map_err(|e| forbidden_or(e, "pods", "list pods"))?;
    let mut pods_by_phase = BTreeMap::new();
    for p in &pods.items {
        let phase = p
            .status
            .as_ref()
            .and_then(|s| s.phase.clone())
            .unwrap_or_else(|| "Unknown".into());
        *pods_by_phase.entry(phase).or_insert(0u32) += 1;
    }
    let (cpu_alloc, mem_alloc) = nodes
        .items
        .iter()
        .map(allocatable)
        .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
    let (source, unavailable, cpu_used, mem_used) = match sample {
        Ok(s) => {
            let cpu = s.nodes.iter().map(|n| n.usage.cores()).sum();
            let mem = s.nodes.iter().map(|n| n.usage.memory_bytes as f64).sum();
            (Some(s.source), None, Some(cpu), Some(mem))
        }
        Err(e) => (None, Some(e.to_string()), None, None),
    };
    Ok(ClusterOverview {
        source,
        unavailable,
        cpu_used_cores: cpu_used,
        cpu_allocatable_cores: cpu_alloc,
        memory_used_bytes: mem_used,
        memory_allocatable_bytes: mem_alloc,
        nodes: u32::try_from(nodes.items.len()).unwrap_or(u32::MAX),
        pods_by_phase,
        warnings: warnings(&events.items, WARNINGS),
    })
}
