//! Metrics settings, kept in `settings.json` under `metrics`: the sampling
//! interval, and a Prometheus service per context for clusters where the
//! usual names do not find it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::history::Retention;
use super::prometheus::PrometheusService;
use super::series::PrometheusChoice;

pub const DEFAULT_INTERVAL_SECS: u32 = 15;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricsSettings {
    /// Seconds between readings (5–300; 15 unless set).
    #[serde(default = "default_interval")]
    pub interval_secs: u32,
    /// A Prometheus per context name, overriding discovery.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub prometheus: BTreeMap<String, PrometheusService>,
}

fn default_interval() -> u32 {
    DEFAULT_INTERVAL_SECS
}

impl Default for MetricsSettings {
    fn default() -> Self {
        Self {
            interval_secs: DEFAULT_INTERVAL_SECS,
            prometheus: BTreeMap::new(),
        }
    }
}

impl MetricsSettings {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The interval, clamped to what makes sense for metrics-server's 15 s
    /// resolution and an hour's ring.
    pub fn interval(&self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.interval_secs.clamp(5, 300)))
    }

    /// An hour of history at the interval.
    pub fn retention(&self) -> Retention {
        Retention {
            interval_secs: self.interval_secs.clamp(5, 300),
            keep_secs: 3_600,
        }
    }

    pub fn prometheus_for(&self, context: &str) -> PrometheusChoice {
        match self.prometheus.get(context) {
            Some(s) => PrometheusChoice::Service(s.clone()),
            None => PrometheusChoice::Auto,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_clamping() {
        let s: MetricsSettings = serde_json::from_str("{}").expect("parses");
        assert_eq!(s.interval().as_secs(), 15);
        assert_eq!(s.retention().capacity(), 241);
        let s: MetricsSettings = serde_json::from_str(r#"{"intervalSecs": 1}"#).expect("parses");
        assert_eq!(s.interval().as_secs(), 5);
        let s: MetricsSettings = serde_json::from_str(
            r#"{"prometheus": {"prod": {"namespace": "mon", "service": "prom", "port": "9090"}}}"#,
        )
        .expect("parses");
        assert!(
            matches!(s.prometheus_for("prod"), PrometheusChoice::Service(p) if p.scheme == "http")
        );
        assert_eq!(s.prometheus_for("other"), PrometheusChoice::Auto);
    }
}
