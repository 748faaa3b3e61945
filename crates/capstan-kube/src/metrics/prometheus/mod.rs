//! Prometheus for history, reached through the API server's service proxy
//! (no port-forward, no extra credentials): found among the usual services
//! (`discover`) or named per context in the settings, and asked for ranges
//! of cAdvisor's series (`query`, `promql`).

mod discover;
mod promql;
mod query;

pub use discover::{discover, rank_service, PrometheusService};
pub use promql::{step_for, Queries};
pub use query::{parse_matrix, Prometheus, RangeSeries};
