//! One reading of the cluster: what each container and node uses, from
//! whichever source answered. Exact integers, as the APIs give them.

use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// Where figures come from. Always reported with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(tag = "kind", rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum MetricsSource {
    /// `metrics.k8s.io` (metrics-server or another implementation).
    MetricsApi,
    /// The kubelets' Summary API through the API server's node proxy.
    KubeletSummary,
    /// A Prometheus reached through the API server's service proxy.
    Prometheus {
        namespace: String,
        service: String,
        port: String,
    },
}

impl MetricsSource {
    /// A short label for the UI and the CLI.
    pub fn describe(&self) -> String {
        match self {
            Self::MetricsApi => "metrics.k8s.io".into(),
            Self::KubeletSummary => "kubelet Summary API".into(),
            Self::Prometheus {
                namespace,
                service,
                port,
            } => format!("Prometheus {namespace}/{service}:{port}"),
        }
    }
}

/// CPU in nanocores and memory (working set) in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub cpu_nanocores: u64,
    pub memory_bytes: u64,
}

impl Usage {
    pub fn plus(self, other: Usage) -> Usage {
        Usage {
            cpu_nanocores: self.cpu_nanocores.saturating_add(other.cpu_nanocores),
            memory_bytes: self.memory_bytes.saturating_add(other.memory_bytes),
        }
    }

    pub fn cores(&self) -> f64 {
        self.cpu_nanocores as f64 / 1e9
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerUsage {
    pub name: String,
    pub usage: Usage,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodUsage {
    pub namespace: String,
    pub name: String,
    /// When the figures were measured (unix seconds).
    pub timestamp: i64,
    pub containers: Vec<ContainerUsage>,
}

impl PodUsage {
    /// The pod's total, as kubectl top sums its containers.
    pub fn total(&self) -> Usage {
        self.containers
            .iter()
            .fold(Usage::default(), |acc, c| acc.plus(c.usage))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeUsage {
    pub name: String,
    pub timestamp: i64,
    pub usage: Usage,
}

/// One reading: every pod in scope and every node, and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub source: MetricsSource,
    pub pods: Vec<PodUsage>,
    pub nodes: Vec<NodeUsage>,
}

/// Unix seconds of an RFC 3339 timestamp; 0 when it cannot be read.
pub(crate) fn unix_seconds(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .unwrap_or(0)
}
