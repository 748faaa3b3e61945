//! CPU and memory: readings from `metrics.k8s.io` or the kubelet Summary API
//! (`source`), the in-app history sampled while someone looks (`sampler`,
//! `history`), Prometheus for longer ranges (`prometheus`), and what charts,
//! tables and `capstan top` get (`series`, `overview`, `table_cells`, `top`).

mod config;
mod error;
mod history;
mod metrics_api;
mod overview;
mod owners;
pub mod prometheus;
pub mod quantity;
mod sampler;
mod series;
mod source;
mod summary;
pub mod table_cells;
pub mod top;
mod usage;

pub use config::{MetricsSettings, DEFAULT_INTERVAL_SECS};
pub use error::{MetricsError, Unavailable};
pub use history::{History, PodKey, Point, Retention, Ring};
pub use metrics_api::{parse_nodes, parse_pods};
pub use overview::{cluster_overview, warnings, ClusterOverview, WarningEvent};
pub use owners::{deployments_by_replicaset, workload_of, WorkloadKind};
pub use sampler::{MetricsHub, Subscription};
pub use series::{
    allocatable, live_series, pod_marks, workload_pods, Mark, Metrics, MetricsRange, MetricsSeries,
    MetricsTarget, PrometheusChoice, Series, SharedMetrics,
};
pub use source::{read_sample, SampleScope};
pub use summary::parse as parse_summary;
pub use usage::{ContainerUsage, MetricsSource, NodeUsage, PodUsage, Sample, Usage};
