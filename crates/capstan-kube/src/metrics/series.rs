//! What charts get: series of `[unix seconds, value]` for a target and a
//! range, from the in-app history (live) or Prometheus (1 h … 7 d), with
//! the lines to draw against (requests, limits, allocatable).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::{Node, Pod};
use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::error::{classify, MetricsError, Unavailable};
use super::history::{History, PodKey, Point, Retention};
use super::owners::{deployments_by_replicaset, workload_of, WorkloadKind};
use super::prometheus::{discover, step_for, Prometheus, PrometheusService, Queries, RangeSeries};
use super::quantity;
use super::sampler::{MetricsHub, Subscription};
use super::usage::MetricsSource;

/// What to chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(tag = "kind", rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum MetricsTarget {
    Pod {
        namespace: String,
        name: String,
    },
    Node {
        name: String,
    },
    Workload {
        workload: WorkloadKind,
        namespace: String,
        name: String,
    },
    Cluster,
}

/// Live is the in-app ring; the others are Prometheus ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum MetricsRange {
    Live,
    H1,
    H6,
    H24,
    D7,
}

impl MetricsRange {
    pub fn seconds(&self) -> Option<i64> {
        match self {
            Self::Live => None,
            Self::H1 => Some(3_600),
            Self::H6 => Some(6 * 3_600),
            Self::H24 => Some(24 * 3_600),
            Self::D7 => Some(7 * 24 * 3_600),
        }
    }
}

/// One line: x = unix seconds, y = cores or bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct Series {
    pub name: String,
    pub points: Vec<[f64; 2]>,
}

/// A horizontal line: a request, a limit, allocatable.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct Mark {
    pub name: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct MetricsSeries {
    pub source: MetricsSource,
    pub cpu: Vec<Series>,
    pub memory: Vec<Series>,
    pub cpu_marks: Vec<Mark>,
    pub memory_marks: Vec<Mark>,
}

/// Where history before the app came from: found, a given service, or none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PrometheusChoice {
    #[default]
    Auto,
    Service(PrometheusService),
    Off,
}

/// Metrics of one cluster: the sampler and history, and Prometheus.
pub struct Metrics {
    hub: MetricsHub,
    choice: PrometheusChoice,
    found: tokio::sync::Mutex<Option<PrometheusService>>,
}

impl Metrics {
    pub fn new(client: kube::Client, retention: Retention, prometheus: PrometheusChoice) -> Self {
        Self {
            hub: MetricsHub::new(client, retention),
            choice: prometheus,
            found: tokio::sync::Mutex::new(None),
        }
    }

    pub fn hub(&self) -> &MetricsHub {
        &self.hub
    }

    /// Keeps the live history filling while held.
    pub fn subscribe(&self) -> Subscription {
        self.hub.subscribe()
    }

    fn client(&self) -> &kube::Client {
        self.hub.client()
    }

    /// The Prometheus in use, found once and remembered; a failed search is
    /// tried again on the next call.
    pub async fn prometheus(&self) -> Result<Prometheus, Unavailable> {
        let service = match &self.choice {
            PrometheusChoice::Off => return Err(Unavailable::NotInstalled),
            PrometheusChoice::Service(s) => s.clone(),
            PrometheusChoice::Auto => {
                let mut found = self.found.lock().await;
                match &*found {
                    Some(s) => s.clone(),
                    None => {
                        let s = discover(self.client()).await?;
                        *found = Some(s.clone());
                        s
                    }
                }
            }
        };
        Ok(Prometheus::new(self.client().clone(), service))
    }

    /// The series of `target` over `range`.
    pub async fn series(
        &self,
        target: MetricsTarget,
        range: MetricsRange,
    ) -> Result<MetricsSeries, MetricsError> {
        let (cpu_marks, memory_marks, pods) = self.marks(&target).await?;
        let (source, cpu, memory) = match range.seconds() {
            None => self.live(&target, &pods)?,
            Some(seconds) => {
                let prometheus = self
                    .prometheus()
                    .await
                    .map_err(|reason| MetricsError::NoHistory { reason })?;
                let end = jiff::Timestamp::now().as_second();
                let (cpu, memory) = ranged(&prometheus, &target, end - seconds, end).await?;
                let s = prometheus.service;
                (
                    MetricsSource::Prometheus {
                        namespace: s.namespace,
                        service: s.service,
                        port: s.port,
                    },
                    cpu,
                    memory,
                )
            }
        };
        Ok(MetricsSeries {
            source,
            cpu,
            memory,
            cpu_marks,
            memory_marks,
        })
    }

    fn live(
        &self,
        target: &MetricsTarget,
        pods: &[PodKey],
    ) -> Result<(MetricsSource, Vec<Series>, Vec<Series>), MetricsError> {
        let history = self.hub.history();
        let h = history.read().map_err(|_| MetricsError::Parse {
            what: "the metrics history".into(),
            detail: "a sampler panicked".into(),
        })?;
        let Some(source) = h.source().cloned() else {
            // Nothing read yet: the reason, if the last try failed.
            return Err(match h.last_error() {
                Some(e) => rewrap(&e),
                None => MetricsError::NotFound {
                    what: "a first metrics reading (subscribe and wait for one)".into(),
                },
            });
        };
        let (cpu, memory) = live_series(&h, target, pods);
        Ok((source, cpu, memory))
    }

    /// Request/limit or allocatable lines, and for workloads their pods.
    async fn marks(
        &self,
        target: &MetricsTarget,
    ) -> Result<(Vec<Mark>, Vec<Mark>, Vec<PodKey>), MetricsError> {
        let client = self.client().clone();
        match target {
            MetricsTarget::Pod { namespace, name } => {
                let api: kube::Api<Pod> = kube::Api::namespaced(client, namespace);
                let pod = get(
                    api,
                    name,
                    "pods",
                    Some(namespace),
                    &format!("pod {namespace}/{name}"),
                )
                .await?;
                let (c, m) = pod_marks(std::slice::from_ref(&pod));
                Ok((c, m, vec![(namespace.clone(), name.clone())]))
            }
            MetricsTarget::Node { name } => {
                let api: kube::Api<Node> = kube::Api::all(client);
                let node = get(api, name, "nodes", None, &format!("node {name}")).await?;
                let (cpu, mem) = allocatable(&node);
                Ok((
                    vec![Mark {
                        name: "allocatable".into(),
                        value: cpu,
                    }],
                    vec![Mark {
                        name: "allocatable".into(),
                        value: mem,
                    }],
                    Vec::new(),
                ))
            }
            MetricsTarget::Cluster => {
                let api: kube::Api<Node> = kube::Api::all(client);
                let nodes = api
                    .list(&Default::default())
                    .await
                    .map_err(|e| forbidden_or(e, "list", "nodes", None, "list nodes"))?;
                let (cpu, mem) = nodes
                    .items
                    .iter()
                    .map(allocatable)
                    .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
                Ok((
                    vec![Mark {
                        name: "allocatable".into(),
                        value: cpu,
                    }],
                    vec![Mark {
                        name: "allocatable".into(),
                        value: mem,
                    }],
                    Vec::new(),
                ))
            }
            MetricsTarget::Workload {
                workload,
                namespace,
                name,
            } => {
                let pods = workload_pods(&client, *workload, namespace, name).await?;
                let (c, m) = pod_marks(&pods);
                let keys = pods
                    .iter()
                    .filter_map(|p| Some((namespace.clone(), p.metadata.name.clone()?)))
                    .collect();
                Ok((c, m, keys))
            }
        }
    }
}

/// Errors are not Clone (they keep kube's source); a stored one is shown
/// again by its text, with the type of reason kept where it matters.
fn rewrap(e: &MetricsError) -> MetricsError {
    match e {
        MetricsError::NoSource {
            metrics_api,
            summary,
        } => MetricsError::NoSource {
            metrics_api: metrics_api.clone(),
            summary: summary.clone(),
        },
        MetricsError::Forbidden { denial } => MetricsError::Forbidden {
            denial: denial.clone(),
        },
        other => MetricsError::Parse {
            what: "metrics".into(),
            detail: other.to_string(),
        },
    }
}

fn forbidden_or(
    e: kube::Error,
    verb: &str,
    resource: &str,
    ns: Option<&str>,
    action: &str,
) -> MetricsError {
    match classify(&e, verb, "", resource, ns) {
        Unavailable::Forbidden(denial) => MetricsError::Forbidden { denial },
        _ => MetricsError::request(action, e),
    }
}

async fn get<K>(
    api: kube::Api<K>,
    name: &str,
    resource: &str,
    ns: Option<&str>,
    what: &str,
) -> Result<K, MetricsError>
where
    K: Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    match api.get(name).await {
        Ok(o) => Ok(o),
        Err(kube::Error::Api(s)) if s.code == 404 => Err(MetricsError::NotFound {
            what: what.to_string(),
        }),
        Err(e) => Err(forbidden_or(
            e,
            "get",
            resource,
            ns,
            &format!("read {what}"),
        )),
    }
}

/// The current pods of a workload.
pub async fn workload_pods(
    client: &kube::Client,
    kind: WorkloadKind,
    namespace: &str,
    name: &str,
) -> Result<Vec<Pod>, MetricsError> {
    let pods: kube::Api<Pod> = kube::Api::namespaced(client.clone(), namespace);
    let pods = pods
        .list(&Default::default())
        .await
        .map_err(|e| forbidden_or(e, "list", "pods", Some(namespace), "list pods"))?;
    let rs_map = if kind == WorkloadKind::Deployment {
        let rs: kube::Api<ReplicaSet> = kube::Api::namespaced(client.clone(), namespace);
        let list = rs.list(&Default::default()).await.map_err(|e| {
            forbidden_or(
                e,
                "list",
                "replicasets",
                Some(namespace),
                "list replicasets",
            )
        })?;
        deployments_by_replicaset(&list.items)
    } else {
        HashMap::new()
    };
    Ok(pods
        .items
        .into_iter()
        .filter(|p| workload_of(p, &rs_map).is_some_and(|(k, n)| k == kind && n == name))
        .collect())
}

/// Sums of requests and limits over the pods' containers: a limit line only
/// when every container has one (else the pod may use the node's all).
pub fn pod_marks(pods: &[Pod]) -> (Vec<Mark>, Vec<Mark>) {
    let mut cpu = (0u128, 0u128, true);
    let mut mem = (0u128, 0u128, true);
    let mut any = false;
    for pod in pods {
        for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
            any = true;
            let r = c.resources.as_ref();
            let get =
                |m: Option<
                    &BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
                >,
                 key: &str| { m.and_then(|m| m.get(key)).map(|q| q.0.clone()) };
            let requests = r.and_then(|r| r.requests.as_ref());
            let limits = r.and_then(|r| r.limits.as_ref());
            // A limit without a request defaults the request to it.
            let cpu_limit = get(limits, "cpu").and_then(|q| quantity::nano(&q));
            let mem_limit = get(limits, "memory").and_then(|q| quantity::bytes(&q));
            cpu.0 += get(requests, "cpu")
                .and_then(|q| quantity::nano(&q))
                .or(cpu_limit)
                .unwrap_or(0);
            mem.0 += get(requests, "memory")
                .and_then(|q| quantity::bytes(&q))
                .or(mem_limit)
                .unwrap_or(0);
            match cpu_limit {
                Some(l) => cpu.1 += l,
                None => cpu.2 = false,
            }
            match mem_limit {
                Some(l) => mem.1 += l,
                None => mem.2 = false,
            }
        }
    }
    let lines = |(request, limit, all_limited): (u128, u128, bool), scale: f64| {
        let mut marks = Vec::new();
        if request > 0 {
            marks.push(Mark {
                name: "request".into(),
                value: request as f64 / scale,
            });
        }
        if any && all_limited && limit > 0 {
            marks.push(Mark {
                name: "limit".into(),
                value: limit as f64 / scale,
            });
        }
        marks
    };
    (lines(cpu, 1e9), lines(mem, 1.0))
}

/// A node's allocatable CPU (cores) and memory (bytes).
pub fn allocatable(node: &Node) -> (f64, f64) {
    let a = node.status.as_ref().and_then(|s| s.allocatable.as_ref());
    let q = |key: &str| a.and_then(|a| a.get(key)).map(|q| q.0.clone());
    (
        q("cpu").and_then(|v| quantity::nano(&v)).unwrap_or(0) as f64 / 1e9,
        q("memory").and_then(|v| quantity::bytes(&v)).unwrap_or(0) as f64,
    )
}

fn to_series(name: &str, points: &[Point]) -> (Series, Series) {
    (
        Series {
            name: name.to_string(),
            points: points
                .iter()
                .map(|p| [f64::from(p.t), f64::from(p.cpu)])
                .collect(),
        },
        Series {
            name: name.to_string(),
            points: points
                .iter()
                .map(|p| [f64::from(p.t), f64::from(p.memory)])
                .collect(),
        },
    )
}

/// Live series from the history: a pod per container, a node, a workload's
/// pods summed, the cluster's nodes summed.
pub fn live_series(
    h: &History,
    target: &MetricsTarget,
    pods: &[PodKey],
) -> (Vec<Series>, Vec<Series>) {
    let mut cpu = Vec::new();
    let mut memory = Vec::new();
    let mut add = |name: &str, points: Vec<Point>| {
        let (c, m) = to_series(name, &points);
        cpu.push(c);
        memory.push(m);
    };
    match target {
        MetricsTarget::Pod { namespace, name } => {
            for (container, ring) in h.pod(namespace, name).unwrap_or_default() {
                add(container, ring.points().copied().collect());
            }
        }
        MetricsTarget::Node { name } => {
            if let Some(ring) = h.node(name) {
                add(name, ring.points().copied().collect());
            }
        }
        MetricsTarget::Workload { name, .. } => add(name, h.sum_pods(pods.iter())),
        MetricsTarget::Cluster => add("cluster", h.cluster().points().copied().collect()),
    }
    (cpu, memory)
}

fn named(series: Vec<RangeSeries>, label: &str, fallback: &str) -> Vec<Series> {
    series
        .into_iter()
        .map(|s| Series {
            name: s
                .labels
                .get(label)
                .cloned()
                .unwrap_or_else(|| fallback.to_string()),
            points: s.points,
        })
        .collect()
}

async fn ranged(
    prometheus: &Prometheus,
    target: &MetricsTarget,
    start: i64,
    end: i64,
) -> Result<(Vec<Series>, Vec<Series>), MetricsError> {
    let (step, window) = step_for(end - start);
    let (queries, label, fallback) = match target {
        MetricsTarget::Pod { namespace, name } => (
            Queries::pod(namespace, name, window),
            "container",
            name.clone(),
        ),
        MetricsTarget::Node { name } => (Queries::node(name, window), "", name.clone()),
        MetricsTarget::Workload {
            workload,
            namespace,
            name,
        } => (
            Queries::pods_matching(namespace, &workload.pod_name_regex(name), window),
            "",
            name.clone(),
        ),
        MetricsTarget::Cluster => (Queries::cluster(window), "", "cluster".to_string()),
    };
    let (cpu, memory) = tokio::try_join!(
        prometheus.query_range(&queries.cpu, start, end, step),
        prometheus.query_range(&queries.memory, start, end, step),
    )?;
    Ok((
        named(cpu, label, &fallback),
        named(memory, label, &fallback),
    ))
}

/// Shared so the shell can hand one to several commands.
pub type SharedMetrics = Arc<Metrics>;
