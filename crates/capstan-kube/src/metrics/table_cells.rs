//! CPU and MEM cells for the resource tables, sent apart from the rows: per
//! open view, a loop reads the view's namespaces every interval (only while
//! the view is open: dropping [`TableMetrics`] aborts it) and sends only the
//! rows whose figures changed, keyed `namespace/name` (or `name` for
//! cluster-scoped rows), so the UI updates those cells and nothing else.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::Pod;
use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::error::MetricsError;
use super::owners::{deployments_by_replicaset, workload_of, WorkloadKind};
use super::series::pod_marks;
use super::source::{read_sample, SampleScope};
use super::usage::{MetricsSource, PodUsage, Usage};

/// The tables that get metrics columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum MetricsTableKind {
    Pods,
    Nodes,
    Deployments,
    StatefulSets,
    DaemonSets,
    Namespaces,
}

impl MetricsTableKind {
    /// The kind of a table by its API group and plural; None for tables
    /// without metrics.
    pub fn of(group: &str, plural: &str) -> Option<Self> {
        match (group, plural) {
            ("", "pods") => Some(Self::Pods),
            ("", "nodes") => Some(Self::Nodes),
            ("", "namespaces") => Some(Self::Namespaces),
            ("apps", "deployments") => Some(Self::Deployments),
            ("apps", "statefulsets") => Some(Self::StatefulSets),
            ("apps", "daemonsets") => Some(Self::DaemonSets),
            _ => None,
        }
    }

    fn workload(&self) -> Option<WorkloadKind> {
        match self {
            Self::Deployments => Some(WorkloadKind::Deployment),
            Self::StatefulSets => Some(WorkloadKind::StatefulSet),
            Self::DaemonSets => Some(WorkloadKind::DaemonSet),
            _ => None,
        }
    }
}

/// One row's figures: CPU in cores, memory in bytes, and for pods the
/// percentages of request and limit (None: not set).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct MetricCells {
    pub cpu: f64,
    pub memory: f64,
    pub cpu_of_request: Option<f64>,
    pub cpu_of_limit: Option<f64>,
    pub memory_of_request: Option<f64>,
    pub memory_of_limit: Option<f64>,
}

impl MetricCells {
    fn plain(u: Usage) -> Self {
        Self {
            cpu: u.cores(),
            memory: u.memory_bytes as f64,
            cpu_of_request: None,
            cpu_of_limit: None,
            memory_of_request: None,
            memory_of_limit: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct KeyedCells {
    pub key: String,
    pub cells: MetricCells,
}

/// What a table's metrics channel carries.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(tag = "type", rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum MetricsEvent {
    /// Rows whose figures changed, and rows that have none any more.
    Update {
        source: MetricsSource,
        upserts: Vec<KeyedCells>,
        removes: Vec<String>,
    },
    /// No figures: why (the table keeps its other columns).
    Unavailable { reason: String },
}

pub trait MetricsSink: Send + Sync {
    /// False once nobody listens (the loop then ends).
    fn send(&self, event: MetricsEvent) -> bool;
}

fn key(namespace: &str, name: &str) -> String {
    format!("{namespace}/{name}")
}

fn percent(used: f64, of: Option<f64>) -> Option<f64> {
    of.filter(|v| *v > 0.0).map(|v| used / v * 100.0)
}

/// Pods' cells, with % of request and limit from their specs.
pub fn pod_cells(usage: &[PodUsage], pods: &[Pod]) -> BTreeMap<String, MetricCells> {
    let specs: HashMap<(&str, &str), &Pod> = pods
        .iter()
        .filter_map(|p| {
            Some((
                (
                    p.metadata.namespace.as_deref()?,
                    p.metadata.name.as_deref()?,
                ),
                p,
            ))
        })
        .collect();
    usage
        .iter()
        .map(|u| {
            let mut cells = MetricCells::plain(u.total());
            if let Some(pod) = specs.get(&(u.namespace.as_str(), u.name.as_str())) {
                let (cpu, memory) = pod_marks(std::slice::from_ref(*pod));
                let mark = |marks: &[super::series::Mark], name: &str| {
                    marks.iter().find(|m| m.name == name).map(|m| m.value)
                };
                cells.cpu_of_request = percent(cells.cpu, mark(&cpu, "request"));
                cells.cpu_of_limit = percent(cells.cpu, mark(&cpu, "limit"));
                cells.memory_of_request = percent(cells.memory, mark(&memory, "request"));
                cells.memory_of_limit = percent(cells.memory, mark(&memory, "limit"));
            }
            (key(&u.namespace, &u.name), cells)
        })
        .collect()
}

/// Workloads' cells: the sum over their pods.
pub fn workload_cells(
    kind: WorkloadKind,
    usage: &[PodUsage],
    pods: &[Pod],
    replicasets: &[ReplicaSet],
) -> BTreeMap<String, MetricCells> {
    let rs = deployments_by_replicaset(replicasets);
    let owner: HashMap<(&str, &str), (WorkloadKind, String)> = pods
        .iter()
        .filter_map(|p| {
            let w = workload_of(p, &rs)?;
            Some((
                (
                    p.metadata.namespace.as_deref()?,
                    p.metadata.name.as_deref()?,
                ),
                w,
            ))
        })
        .collect();
    let mut sums: BTreeMap<String, Usage> = BTreeMap::new();
    for u in usage {
        if let Some((k, name)) = owner.get(&(u.namespace.as_str(), u.name.as_str())) {
            if *k == kind {
                let e = sums.entry(key(&u.namespace, name)).or_default();
                *e = e.plus(u.total());
            }
        }
    }
    sums.into_iter()
        .map(|(k, u)| (k, MetricCells::plain(u)))
        .collect()
}

/// Namespaces' cells: the sum over their pods.
pub fn namespace_cells(usage: &[PodUsage]) -> BTreeMap<String, MetricCells> {
    let mut sums: BTreeMap<String, Usage> = BTreeMap::new();
    for u in usage {
        let e = sums.entry(u.namespace.clone()).or_default();
        *e = e.plus(u.total());
    }
    sums.into_iter()
        .map(|(k, u)| (k, MetricCells::plain(u)))
        .collect()
}

/// What changed from `before` to `after`.
pub fn diff(
    before: &BTreeMap<String, MetricCells>,
    after: &BTreeMap<String, MetricCells>,
) -> (Vec<KeyedCells>, Vec<String>) {
    let upserts = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| KeyedCells {
            key: k.clone(),
            cells: v.clone(),
        })
        .collect();
    let removes = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    (upserts, removes)
}

/// The metrics of one open table; dropping it stops the loop.
pub struct TableMetrics {
    task: JoinHandle<()>,
}

impl Drop for TableMetrics {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts reading `kind`'s figures for `namespaces` (empty: all) every
/// `interval`, at once first. Must be called inside a Tokio runtime.
pub fn open_table_metrics(
    client: kube::Client,
    kind: MetricsTableKind,
    namespaces: Vec<String>,
    interval: Duration,
    sink: Arc<dyn MetricsSink>,
) -> TableMetrics {
    let task = tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut shown: BTreeMap<String, MetricCells> = BTreeMap::new();
        let mut failing = false;
        loop {
            ticker.tick().await;
            let event = match cells(&client, kind, &namespaces).await {
                Ok((source, now)) => {
                    let (upserts, removes) = diff(&shown, &now);
                    let changed =
                        failing || !upserts.is_empty() || !removes.is_empty() || shown.is_empty();
                    shown = now;
                    failing = false;
                    changed.then_some(MetricsEvent::Update {
                        source,
                        upserts,
                        removes,
                    })
                }
                Err(e) => {
                    tracing::debug!(error = %e, "table metrics failed");
                    // The next success sends every row again.
                    shown.clear();
                    failing = true;
                    Some(MetricsEvent::Unavailable {
                        reason: e.to_string(),
                    })
                }
            };
            if let Some(event) = event {
                if !sink.send(event) {
                    return;
                }
            }
        }
    });
    TableMetrics { task }
}

async fn list<K>(client: &kube::Client, namespace: Option<&str>) -> Result<Vec<K>, MetricsError>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + serde::de::DeserializeOwned
        + std::fmt::Debug,
    K::DynamicType: Default,
{
    let api: kube::Api<K> = match namespace {
        Some(ns) => kube::Api::namespaced(client.clone(), ns),
        None => kube::Api::all(client.clone()),
    };
    api.list(&Default::default())
        .await
        .map(|l| l.items)
        .map_err(|e| MetricsError::request(format!("list {}", K::plural(&Default::default())), e))
}

/// One reading of a table's cells.
pub async fn cells(
    client: &kube::Client,
    kind: MetricsTableKind,
    namespaces: &[String],
) -> Result<(MetricsSource, BTreeMap<String, MetricCells>), MetricsError> {
    if kind == MetricsTableKind::Nodes {
        let sample = read_sample(client, &SampleScope::nodes()).await?;
        let cells = sample
            .nodes
            .iter()
            .map(|n| (n.name.clone(), MetricCells::plain(n.usage)))
            .collect();
        return Ok((sample.source, cells));
    }
    // Namespaces tables list every namespace; other views their own.
    let scopes: Vec<Option<&str>> = if namespaces.is_empty() || kind == MetricsTableKind::Namespaces
    {
        vec![None]
    } else {
        namespaces.iter().map(|n| Some(n.as_str())).collect()
    };
    let mut source = None;
    let mut usage = Vec::new();
    let mut pods: Vec<Pod> = Vec::new();
    let mut replicasets: Vec<ReplicaSet> = Vec::new();
    for ns in scopes {
        let sample = read_sample(client, &SampleScope::pods(ns)).await?;
        source.get_or_insert(sample.source);
        usage.extend(sample.pods);
        match kind {
            MetricsTableKind::Pods => pods.extend(list::<Pod>(client, ns).await?),
            MetricsTableKind::Deployments => {
                pods.extend(list::<Pod>(client, ns).await?);
                replicasets.extend(list::<ReplicaSet>(client, ns).await?);
            }
            MetricsTableKind::StatefulSets | MetricsTableKind::DaemonSets => {
                pods.extend(list::<Pod>(client, ns).await?)
            }
            _ => {}
        }
    }
    let cells = match (kind, kind.workload()) {
        (MetricsTableKind::Pods, _) => pod_cells(&usage, &pods),
        (MetricsTableKind::Namespaces, _) => namespace_cells(&usage),
        (_, Some(w)) => workload_cells(w, &usage, &pods, &replicasets),
        _ => BTreeMap::new(),
    };
    Ok((source.unwrap_or(MetricsSource::MetricsApi), cells))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::parse_pods;

    fn pod(
        ns: &str,
        name: &str,
        resources: serde_json::Value,
        owner: Option<(&str, &str, &str)>,
    ) -> Pod {
        let mut meta = serde_json::json!({"name": name, "namespace": ns});
        if let Some((kind, owner_name, uid)) = owner {
            meta["ownerReferences"] = serde_json::json!([{"apiVersion": "apps/v1", "kind": kind, "name": owner_name, "uid": uid, "controller": true}]);
        }
        serde_json::from_value(serde_json::json!({
            "metadata": meta,
            "spec": {"containers": [{"name": "c", "resources": resources}]}
        }))
        .expect("pod")
    }

    #[test]
    fn pods_get_percentages_of_request_and_limit() {
        let usage = parse_pods(
            r#"{"items":[{"metadata":{"name":"a","namespace":"n"},"timestamp":"2025-12-03T18:00:00Z","containers":[{"name":"c","usage":{"cpu":"50m","memory":"32Mi"}}]},
            {"metadata":{"name":"b","namespace":"n"},"timestamp":"2025-12-03T18:00:00Z","containers":[{"name":"c","usage":{"cpu":"10m","memory":"1Mi"}}]}]}"#,
        )
        .expect("parses");
        let pods = [
            pod(
                "n",
                "a",
                serde_json::json!({"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "200m", "memory": "32Mi"}}),
                None,
            ),
            pod("n", "b", serde_json::json!({}), None),
        ];
        let cells = pod_cells(&usage, &pods);
        let a = &cells["n/a"];
        assert!((a.cpu - 0.05).abs() < 1e-9);
        assert_eq!(a.memory, 32.0 * 1024.0 * 1024.0);
        assert_eq!(a.cpu_of_request.map(f64::round), Some(50.0));
        assert_eq!(a.cpu_of_limit.map(f64::round), Some(25.0));
        assert_eq!(a.memory_of_request.map(f64::round), Some(50.0));
        assert_eq!(a.memory_of_limit.map(f64::round), Some(100.0));
        let b = &cells["n/b"];
        assert_eq!((b.cpu_of_request, b.memory_of_limit), (None, None));
    }

    #[test]
    fn workloads_and_namespaces_sum_their_pods() {
        let usage = parse_pods(
            r#"{"items":[{"metadata":{"name":"web-1","namespace":"n"},"timestamp":"","containers":[{"name":"c","usage":{"cpu":"10m","memory":"1Mi"}}]},
            {"metadata":{"name":"web-2","namespace":"n"},"timestamp":"","containers":[{"name":"c","usage":{"cpu":"30m","memory":"3Mi"}}]},
            {"metadata":{"name":"db-0","namespace":"n"},"timestamp":"","containers":[{"name":"c","usage":{"cpu":"5m","memory":"2Mi"}}]}]}"#,
        )
        .expect("parses");
        let pods = [
            pod(
                "n",
                "web-1",
                serde_json::json!({}),
                Some(("ReplicaSet", "web-x", "rs1")),
            ),
            pod(
                "n",
                "web-2",
                serde_json::json!({}),
                Some(("ReplicaSet", "web-x", "rs1")),
            ),
            pod(
                "n",
                "db-0",
                serde_json::json!({}),
                Some(("StatefulSet", "db", "s1")),
            ),
        ];
        let rs: ReplicaSet = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web-x", "namespace": "n", "uid": "rs1",
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "d1", "controller": true}]}
        }))
        .expect("rs");
        let d = workload_cells(WorkloadKind::Deployment, &usage, &pods, &[rs]);
        assert_eq!(d.keys().collect::<Vec<_>>(), ["n/web"]);
        assert!((d["n/web"].cpu - 0.04).abs() < 1e-9);
        let s = workload_cells(WorkloadKind::StatefulSet, &usage, &pods, &[]);
        assert_eq!(s["n/db"].memory, 2.0 * 1024.0 * 1024.0);
        let ns = namespace_cells(&usage);
        assert!((ns["n"].cpu - 0.045).abs() < 1e-9);
    }

    #[test]
    fn only_changes_are_sent() {
        let mut before = BTreeMap::new();
        before.insert(
            "a".to_string(),
            MetricCells::plain(Usage {
                cpu_nanocores: 1,
                memory_bytes: 1,
            }),
        );
        before.insert("gone".to_string(), MetricCells::plain(Usage::default()));
        let mut after = before.clone();
        after.remove("gone");
        after.insert("new".to_string(), MetricCells::plain(Usage::default()));
        let (upserts, removes) = diff(&before, &after);
        assert_eq!(
            upserts.iter().map(|u| u.key.as_str()).collect::<Vec<_>>(),
            ["new"]
        );
        assert_eq!(removes, ["gone"]);
    }

    #[test]
    fn kinds_with_columns() {
        assert_eq!(
            MetricsTableKind::of("", "pods"),
            Some(MetricsTableKind::Pods)
        );
        assert_eq!(
            MetricsTableKind::of("apps", "daemonsets"),
            Some(MetricsTableKind::DaemonSets)
        );
        assert_eq!(MetricsTableKind::of("", "services"), None);
        assert_eq!(MetricsTableKind::of("extensions", "deployments"), None);
    }
}
