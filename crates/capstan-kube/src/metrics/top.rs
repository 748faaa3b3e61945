//! `kubectl top`'s tables from a reading: the same cells, rounded the same
//! way (CPU millicores up, memory MiB down, percentages of allocatable
//! truncated).

use k8s_openapi::api::core::v1::Node;

use super::error::{classify, MetricsError, Unavailable};
use super::quantity::{format_mebibytes, format_millicores, millicores};
use super::source::{read_sample, SampleScope};
use super::usage::{MetricsSource, NodeUsage, PodUsage};

/// One line of `top pods`: namespace, pod, container (with `--containers`),
/// CPU and memory cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodLine {
    pub namespace: String,
    pub pod: String,
    pub container: Option<String>,
    pub cpu: String,
    pub memory: String,
}

pub fn pod_lines(pods: &[PodUsage], containers: bool) -> Vec<PodLine> {
    let mut pods: Vec<&PodUsage> = pods.iter().collect();
    pods.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    let mut lines = Vec::new();
    for p in pods {
        if containers {
            for c in &p.containers {
                lines.push(PodLine {
                    namespace: p.namespace.clone(),
                    pod: p.name.clone(),
                    container: Some(c.name.clone()),
                    cpu: format_millicores(c.usage.cpu_nanocores),
                    memory: format_mebibytes(c.usage.memory_bytes),
                });
            }
        } else {
            let total = p.total();
            lines.push(PodLine {
                namespace: p.namespace.clone(),
                pod: p.name.clone(),
                container: None,
                cpu: format_millicores(total.cpu_nanocores),
                memory: format_mebibytes(total.memory_bytes),
            });
        }
    }
    lines
}

/// One line of `top nodes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeLine {
    pub name: String,
    pub cpu: String,
    pub cpu_percent: String,
    pub memory: String,
    pub memory_percent: String,
}

/// Nodes with figures, in name order; a node without allocatable shows
/// `<unknown>` percentages, as kubectl does.
pub fn node_lines(usage: &[NodeUsage], nodes: &[Node]) -> Vec<NodeLine> {
    let mut usage: Vec<&NodeUsage> = usage.iter().collect();
    usage.sort_by(|a, b| a.name.cmp(&b.name));
    usage
        .into_iter()
        .map(|u| {
            let node = nodes
                .iter()
                .find(|n| n.metadata.name.as_deref() == Some(&u.name));
            let alloc = node.and_then(|n| n.status.as_ref()?.allocatable.as_ref());
            let q = |key: &str, f: fn(&str) -> Option<u128>| {
                alloc.and_then(|a| a.get(key)).and_then(|q| f(&q.0))
            };
            let cpu_alloc_milli = q("cpu", super::quantity::nano).map(|n| n.div_ceil(1_000_000));
            let mem_alloc = q("memory", super::quantity::bytes);
            let percent = |used: f64, of: Option<u128>| match of {
                Some(of) if of > 0 => format!("{}%", (used / of as f64 * 100.0) as i64),
                _ => "<unknown>".to_string(),
            };
            NodeLine {
                name: u.name.clone(),
                cpu: format_millicores(u.usage.cpu_nanocores),
                cpu_percent: percent(millicores(u.usage.cpu_nanocores) as f64, cpu_alloc_milli),
                memory: format_mebibytes(u.usage.memory_bytes),
                memory_percent: percent(u.usage.memory_bytes as f64, mem_alloc),
            }
        })
        .collect()
}

/// `top pods`: the source used and the lines, for one namespace or all.
pub async fn pods(
    client: &kube::Client,
    namespace: Option<&str>,
    containers: bool,
) -> Result<(MetricsSource, Vec<PodLine>), MetricsError> {
    let sample = read_sample(client, &SampleScope::pods(namespace)).await?;
    Ok((sample.source, pod_lines(&sample.pods, containers)))
}

/// `top nodes`: the source used and the lines, with % of allocatable.
pub async fn nodes(client: &kube::Client) -> Result<(MetricsSource, Vec<NodeLine>), MetricsError> {
    let api: kube::Api<Node> = kube::Api::all(client.clone());
    let scope = SampleScope::nodes();
    let params = kube::api::ListParams::default();
    let (sample, list) = tokio::join!(read_sample(client, &scope), api.list(&params));
    let sample = sample?;
    let list = list.map_err(|e| match classify(&e, "list", "", "nodes", None) {
        Unavailable::Forbidden(denial) => MetricsError::Forbidden { denial },
        _ => MetricsError::request("list nodes", e),
    })?;
    Ok((sample.source, node_lines(&sample.nodes, &list.items)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{parse_nodes, parse_pods};

    #[test]
    fn pods_as_kubectl_prints_them() {
        let pods = parse_pods(include_str!("fixtures/pod_metrics.json")).expect("parses");
        let lines = pod_lines(&pods, false);
        assert_eq!(
            (lines[0].cpu.as_str(), lines[0].memory.as_str()),
            ("2m", "1Mi")
        );
        assert_eq!(
            (lines[1].cpu.as_str(), lines[1].memory.as_str()),
            ("252m", "64Mi")
        );
        let lines = pod_lines(&pods, true);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[2].container.as_deref(), Some("sidecar"));
        assert_eq!(lines[2].memory, "0Mi");
    }

    #[test]
    fn node_percentages() {
        let usage = parse_nodes(include_str!("fixtures/node_metrics.json")).expect("parses");
        let node: Node = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "capstan-node"},
            "status": {"allocatable": {"cpu": "2", "memory": "24000000Ki"}}
        }))
        .expect("node");
        let lines = node_lines(&usage, &[node]);
        assert_eq!(lines[0].cpu, "65m");
        assert_eq!(lines[0].cpu_percent, "3%");
        assert_eq!(lines[0].memory, "7402Mi");
        assert_eq!(lines[0].memory_percent, "31%");
        let lines = node_lines(&usage, &[]);
        assert_eq!(lines[0].cpu_percent, "<unknown>");
    }
}
