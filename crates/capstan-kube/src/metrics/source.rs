//! Picks the source for a reading: `metrics.k8s.io` when discovery lists it
//! and it answers, else the kubelet Summary API; never by server version.

use super::error::{MetricsError, Unavailable};
use super::usage::{MetricsSource, Sample};
use super::{metrics_api, summary};

/// What a reading covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleScope {
    /// `None`: no pods. `Some(None)`: pods of every namespace.
    pub pods: Option<Option<String>>,
    pub nodes: bool,
}

impl SampleScope {
    pub fn everything() -> Self {
        Self {
            pods: Some(None),
            nodes: true,
        }
    }

    pub fn pods(namespace: Option<&str>) -> Self {
        Self {
            pods: Some(namespace.map(str::to_string)),
            nodes: false,
        }
    }

    pub fn nodes() -> Self {
        Self {
            pods: None,
            nodes: true,
        }
    }
}

/// One reading of what `scope` asks for, from the first source that works.
pub async fn read_sample(
    client: &kube::Client,
    scope: &SampleScope,
) -> Result<Sample, MetricsError> {
    let metrics_api = match metrics_api::offered(client).await? {
        false => Unavailable::NotInstalled,
        true => match from_metrics_api(client, scope).await? {
            Ok(sample) => return Ok(sample),
            Err(reason) => reason,
        },
    };
    tracing::debug!(reason = %metrics_api, "metrics.k8s.io unusable; trying the kubelet Summary API");
    let ns = scope.pods.as_ref().and_then(|n| n.as_deref());
    match summary::read(client, ns).await? {
        Ok((pods, nodes)) => Ok(Sample {
            source: MetricsSource::KubeletSummary,
            pods: if scope.pods.is_some() {
                pods
            } else {
                Vec::new()
            },
            nodes: if scope.nodes { nodes } else { Vec::new() },
        }),
        Err(summary) => Err(MetricsError::NoSource {
            metrics_api,
            summary,
        }),
    }
}

async fn from_metrics_api(
    client: &kube::Client,
    scope: &SampleScope,
) -> Result<Result<Sample, Unavailable>, MetricsError> {
    let pods = match &scope.pods {
        None => Vec::new(),
        Some(ns) => match metrics_api::pods(client, ns.as_deref()).await? {
            Ok(p) => p,
            Err(reason) => return Ok(Err(reason)),
        },
    };
    let nodes = if scope.nodes {
        match metrics_api::nodes(client).await? {
            Ok(n) => n,
            Err(reason) => return Ok(Err(reason)),
        }
    } else {
        Vec::new()
    };
    Ok(Ok(Sample {
        source: MetricsSource::MetricsApi,
        pods,
        nodes,
    }))
}
