//! Is a cluster up: the API server's `/readyz`, and each node's Ready
//! condition with its last heartbeat. Used by local clusters while they
//! start; callers decide how long to wait.

use k8s_openapi::api::core::v1::Node;
use k8s_openapi::jiff::Timestamp;

use crate::Error;

/// One node's Ready condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeState {
    pub name: String,
    pub ready: bool,
    /// When the kubelet last reported the condition.
    pub last_heartbeat: Option<Timestamp>,
}

fn request_failed(context: &str, action: &'static str, detail: String) -> Error {
    Error::ClusterRequest {
        context: context.to_owned(),
        action,
        detail,
    }
}

/// Whether the API server answers `/readyz` with `ok`. An error is a server
/// that does not answer at all (not started, refusing connections).
pub async fn api_ready(client: &kube::Client, context: &str) -> Result<bool, Error> {
    let req = http::Request::get("/readyz")
        .body(Vec::new())
        .map_err(|e| request_failed(context, "ask /readyz", e.to_string()))?;
    match client.request_text(req).await {
        Ok(body) => Ok(body.trim() == "ok"),
        Err(e) => Err(request_failed(context, "ask /readyz", e.to_string())),
    }
}

/// Every node with its Ready condition.
pub async fn node_states(client: &kube::Client, context: &str) -> Result<Vec<NodeState>, Error> {
    let nodes: kube::Api<Node> = kube::Api::all(client.clone());
    let list = nodes
        .list(&Default::default())
        .await
        .map_err(|e| request_failed(context, "list nodes", e.to_string()))?;
    Ok(list.items.iter().map(node_state).collect())
}

fn node_state(n: &Node) -> NodeState {
    let ready = n
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"));
    NodeState {
        name: n.metadata.name.clone().unwrap_or_default(),
        ready: ready.is_some_and(|c| c.status == "True"),
        last_heartbeat: ready.and_then(|c| c.last_heartbeat_time.as_ref().map(|t| t.0)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_node_is_ready_only_with_a_true_ready_condition() {
        let node = |conditions: serde_json::Value| -> super::Node {
            serde_json::from_value(serde_json::json!({
                "metadata": {"name": "n1"},
                "status": {"conditions": conditions}
            }))
            .expect("node")
        };
        let ready = super::node_state(&node(serde_json::json!([
            {"type": "MemoryPressure", "status": "False"},
            {"type": "Ready", "status": "True", "lastHeartbeatTime": "2026-01-02T03:04:05Z"}
        ])));
        assert_eq!(ready.name, "n1");
        assert!(ready.ready);
        assert_eq!(
            ready.last_heartbeat.map(|t| t.to_string()).as_deref(),
            Some("2026-01-02T03:04:05Z")
        );
        let not = super::node_state(&node(serde_json::json!([
            {"type": "Ready", "status": "Unknown"}
        ])));
        assert!(!not.ready);
        assert_eq!(not.last_heartbeat, None);
        assert!(!super::node_state(&node(serde_json::json!([]))).ready);
    }
}
