//! The kubelet's Summary API (`/stats/summary`) through the API server's
//! node proxy: what metrics-server itself reads, for clusters without it.
//! Needs `get nodes/proxy`.

use k8s_openapi::api::core::v1::Node;
use serde::Deserialize;

use super::error::{classify, MetricsError, Unavailable};
use super::metrics_api::get_text;
use super::usage::{unix_seconds, ContainerUsage, NodeUsage, PodUsage, Usage};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    node: RawNode,
    #[serde(default)]
    pods: Vec<RawPod>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawNode {
    node_name: String,
    #[serde(default)]
    cpu: Option<Cpu>,
    #[serde(default)]
    memory: Option<Memory>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PodRef {
    name: String,
    namespace: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPod {
    pod_ref: PodRef,
    #[serde(default)]
    containers: Vec<RawContainer>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawContainer {
    name: String,
    #[serde(default)]
    cpu: Option<Cpu>,
    #[serde(default)]
    memory: Option<Memory>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cpu {
    #[serde(default)]
    time: String,
    /// Missing until the kubelet has two readings of a new container.
    #[serde(default)]
    usage_nano_cores: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Memory {
    #[serde(default)]
    working_set_bytes: Option<u64>,
}

fn usage(cpu: &Option<Cpu>, memory: &Option<Memory>) -> Option<(Usage, i64)> {
    // A container without a CPU rate yet is left out, as metrics-server does.
    let cpu = cpu.as_ref()?;
    let nanocores = cpu.usage_nano_cores?;
    let bytes = memory.as_ref().and_then(|m| m.working_set_bytes)?;
    Some((
        Usage {
            cpu_nanocores: nanocores,
            memory_bytes: bytes,
        },
        unix_seconds(&cpu.time),
    ))
}

/// Parses one node's summary into its pods (those in `namespace`, or all)
/// and the node itself.
pub fn parse(
    json: &str,
    namespace: Option<&str>,
) -> Result<(Vec<PodUsage>, Option<NodeUsage>), MetricsError> {
    let summary: Summary = serde_json::from_str(json).map_err(|e| MetricsError::Parse {
        what: "kubelet summary".into(),
        detail: e.to_string(),
    })?;
    let node = usage(&summary.node.cpu, &summary.node.memory).map(|(usage, timestamp)| NodeUsage {
        name: summary.node.node_name.clone(),
        timestamp,
        usage,
    });
    let pods = summary
        .pods
        .into_iter()
        .filter(|p| namespace.is_none_or(|ns| p.pod_ref.namespace == ns))
        .filter_map(|p| {
            let mut timestamp = 0;
            let containers: Vec<ContainerUsage> = p
                .containers
                .iter()
                .filter_map(|c| {
                    let (usage, t) = usage(&c.cpu, &c.memory)?;
                    timestamp = timestamp.max(t);
                    Some(ContainerUsage {
                        name: c.name.clone(),
                        usage,
                    })
                })
                .collect();
            if containers.is_empty() {
                return None;
            }
            Some(PodUsage {
                namespace: p.pod_ref.namespace,
                name: p.pod_ref.name,
                timestamp,
                containers,
            })
        })
        .collect();
    Ok((pods, node))
}

/// Every node's summary. The first refusal or failure of a node is the
/// reason when no node answers; nodes that answer are used.
pub async fn read(
    client: &kube::Client,
    namespace: Option<&str>,
) -> Result<Result<(Vec<PodUsage>, Vec<NodeUsage>), Unavailable>, MetricsError> {
    let nodes: kube::Api<Node> = kube::Api::all(client.clone());
    let list = match nodes.list(&Default::default()).await {
        Ok(list) => list,
        Err(e) => return Ok(Err(classify(&e, "list", "", "nodes", None))),
    };
    let names: Vec<String> = list
        .items
        .iter()
        .filter_map(|n| n.metadata.name.clone())
        .collect();
    let answers = futures_util::future::join_all(names.iter().map(|name| async move {
        get_text(client, &format!("/api/v1/nodes/{name}/proxy/stats/summary")).await
    }))
    .await;
    let mut pods = Vec::new();
    let mut node_usage = Vec::new();
    let mut first_failure = None;
    for (name, answer) in names.iter().zip(answers) {
        match answer {
            Ok(text) => {
                let (p, n) = parse(&text, namespace)?;
                pods.extend(p);
                node_usage.extend(n);
            }
            Err(e) => {
                tracing::debug!(node = %name, error = %e, "kubelet summary failed");
                first_failure.get_or_insert(classify(&e, "get", "", "nodes/proxy", None));
            }
        }
    }
    match first_failure {
        Some(reason) if node_usage.is_empty() => Ok(Err(match reason {
            // A 404 through the node proxy is a kubelet without the API.
            Unavailable::NotInstalled => Unavailable::NotInstalled,
            other => other,
        })),
        _ if names.is_empty() => Ok(Err(Unavailable::Unreachable(
            "the cluster has no nodes".into(),
        ))),
        _ => {
            pods.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
            node_usage.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(Ok((pods, node_usage)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_and_pods() {
        let (pods, node) = parse(include_str!("fixtures/summary.json"), None).expect("parses");
        let node = node.expect("node figures");
        assert_eq!(node.name, "capstan-node");
        assert_eq!(node.usage.cpu_nanocores, 1_982_664_306);
        assert_eq!(node.usage.memory_bytes, 8_713_637_888);
        // The pod whose container has no CPU rate yet is left out.
        assert_eq!(pods.len(), 1);
        assert_eq!(pods[0].name, "web-79fdb54c4d-wsfl2");
        assert_eq!(pods[0].containers[0].usage.cpu_nanocores, 1_246_995);
        assert_eq!(pods[0].containers[0].usage.memory_bytes, 753_664);
        assert_eq!(pods[0].timestamp, unix_seconds("2026-12-03T18:00:44Z"));
    }

    #[test]
    fn namespace_filter() {
        let (pods, _) =
            parse(include_str!("fixtures/summary.json"), Some("elsewhere")).expect("parses");
        assert!(pods.is_empty());
    }
}
