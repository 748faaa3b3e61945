//! Why metrics could not be had, each case phrased so the user can act.

use crate::access::Denial;

/// Why one source gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// The server does not offer it (no `metrics.k8s.io` APIService, no
    /// Prometheus service found).
    NotInstalled,
    /// RBAC refused the request (boxed: errors stay small).
    Forbidden(Box<Denial>),
    /// It is there but did not answer (503 from the aggregator, a kubelet
    /// down, a connection error). The text is the server's or kube's.
    Unreachable(String),
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotInstalled => write!(f, "not installed"),
            Self::Forbidden(d) => write!(f, "forbidden ({}: {})", d.describe(), d.reason),
            Self::Unreachable(why) => write!(f, "unreachable ({why})"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// Neither `metrics.k8s.io` nor the kubelet Summary API gave figures.
    #[error("no metrics source works: metrics.k8s.io is {metrics_api}; the kubelet Summary API is {summary}. Install metrics-server, or allow get on nodes/proxy")]
    NoSource {
        metrics_api: Unavailable,
        summary: Unavailable,
    },

    /// A range other than live needs Prometheus.
    #[error("history before the app was opened needs Prometheus, which is {reason}: install one (e.g. kube-prometheus-stack) or set its service for this context in the settings")]
    NoHistory { reason: Unavailable },

    /// Prometheus answered with an error, or something that is not its API.
    #[error("the Prometheus query failed: {detail}")]
    PrometheusQuery { detail: String },

    /// A request to the cluster failed outright.
    #[error("cannot {action}: {source}")]
    Request {
        action: String,
        #[source]
        source: kube::Error,
    },

    /// A 403 on a request metrics need (other than the sources themselves).
    #[error("not allowed to {}: {}", denial.describe(), denial.reason)]
    Forbidden { denial: Box<Denial> },

    /// The answer was not what the API documents.
    #[error("cannot read {what}: {detail}")]
    Parse { what: String, detail: String },

    /// The pod, node or workload asked for does not exist.
    #[error("{what} was not found")]
    NotFound { what: String },
}

impl MetricsError {
    pub(crate) fn request(action: impl Into<String>, source: kube::Error) -> Self {
        Self::Request {
            action: action.into(),
            source,
        }
    }
}

/// A kube error as a source's reason: 404 is "not installed", 403
/// "forbidden", anything else "unreachable".
pub(crate) fn classify(
    e: &kube::Error,
    verb: &str,
    group: &str,
    resource: &str,
    namespace: Option<&str>,
) -> Unavailable {
    if let Some(denial) = Denial::from_kube(e, verb, group, resource, namespace) {
        return Unavailable::Forbidden(Box::new(denial));
    }
    match e {
        kube::Error::Api(status) if status.code == 404 => Unavailable::NotInstalled,
        kube::Error::Api(status) => {
            Unavailable::Unreachable(format!("{} {}", status.code, status.message))
        }
        other => Unavailable::Unreachable(other.to_string()),
    }
}
