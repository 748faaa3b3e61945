//! Drain a node like `kubectl drain --ignore-daemonsets
//! --delete-emptydir-data`: cordon, evict through the Eviction subresource
//! (so PodDisruptionBudgets are respected), wait until the pods are gone.

use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, PostParams};
use serde_json::json;

use super::actions::set_unschedulable;
use super::common::{map_err, status_code};
use super::{DrainReport, SkippedPod};
use crate::Error;

/// How a drain behaves.
#[derive(Debug, Clone)]
pub struct DrainOptions {
    /// Also evict pods no controller manages (they will not come back).
    pub force: bool,
    /// Budget for evictions refused by a PodDisruptionBudget (retried) and
    /// for waiting until evicted pods are gone.
    pub timeout: Duration,
    /// Only pods of this namespace (None: every pod on the node).
    pub namespace: Option<String>,
    /// Grace period for the evicted pods; None keeps each pod's own.
    pub grace_period_seconds: Option<i64>,
}

impl Default for DrainOptions {
    fn default() -> Self {
        Self {
            force: false,
            timeout: Duration::from_secs(300),
            namespace: None,
            grace_period_seconds: None,
        }
    }
}

/// Which pods a drain evicts and which it leaves, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrainPlan {
    /// `(namespace, name)`.
    pub evict: Vec<(String, String)>,
    pub skipped: Vec<SkippedPod>,
    /// Pods no controller manages: a drain without force refuses them.
    pub unmanaged: Vec<String>,
}

/// Sorts the node's pods into evict / skip / unmanaged. Pure, so the rules
/// are tested on recorded pod lists.
pub fn plan_drain(pods: &[Pod], force: bool) -> DrainPlan {
    let mut plan = DrainPlan {
        evict: Vec::new(),
        skipped: Vec::new(),
        unmanaged: Vec::new(),
    };
    for p in pods {
        let ns = p.metadata.namespace.clone().unwrap_or_default();
        let name = p.metadata.name.clone().unwrap_or_default();
        let id = format!("{ns}/{name}");
        let skip = |reason: &str| SkippedPod {
            pod: id.clone(),
            reason: reason.to_string(),
        };
        if p.metadata.deletion_timestamp.is_some() {
            plan.skipped.push(skip("already terminating"));
            continue;
        }
        let annotations = p.metadata.annotations.clone().unwrap_or_default();
        if annotations.contains_key("kubernetes.io/config.mirror") {
            plan.skipped
                .push(skip("mirror (static) pod: managed by the node's kubelet"));
            continue;
        }
        let controller = p
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true));
        let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
        let finished = matches!(phase, Some("Succeeded" | "Failed"));
        match controller {
            Some(c) if c.kind == "DaemonSet" && !finished => {
                plan.skipped.push(skip(
                    "managed by DaemonSet: it would be recreated on this node",
                ));
            }
            None if !finished && !force => plan.unmanaged.push(id),
            _ => plan.evict.push((ns, name)),
        }
    }
    plan
}

/// Cordons `node` and evicts its pods (those of `opts.namespace` only, if
/// set). Refuses, before evicting anything, when unmanaged pods are there
/// and `opts.force` is false. The node stays cordoned afterwards, as with
/// kubectl; uncordon with [`super::set_unschedulable`].
pub async fn drain(
    client: &kube::Client,
    context: &str,
    node: &str,
    opts: &DrainOptions,
) -> Result<DrainReport, Error> {
    set_unschedulable(client, context, node, true).await?;
    let pods: Api<Pod> = match &opts.namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    };
    let lp = ListParams::default().fields(&format!("spec.nodeName={node}"));
    let list = pods
        .list(&lp)
        .await
        .map_err(|e| map_err(context, "list", &format!("the pods on node \"{node}\""), e))?;
    let plan = plan_drain(&list.items, opts.force);
    if !plan.unmanaged.is_empty() {
        return Err(Error::DrainFailed {
            node: node.to_string(),
            detail: format!(
                "these pods are not managed by a controller and would be lost: {}; drain with force to delete them anyway",
                plan.unmanaged.join(", ")
            ),
        });
    }
    let deadline = Instant::now() + opts.timeout;
    let mut evicted = Vec::new();
    let mut uids = Vec::new();
    for (ns, name) in &plan.evict {
        let uid = list
            .items
            .iter()
            .find(|p| {
                p.metadata.namespace.as_deref() == Some(ns)
                    && p.metadata.name.as_deref() == Some(name)
            })
            .and_then(|p| p.metadata.uid.clone())
            .unwrap_or_default();
        evict_until(
            client,
            context,
            ns,
            name,
            opts.grace_period_seconds,
            deadline,
        )
        .await
        .map_err(|e| match e {
            Error::DrainFailed { .. } => e,
            other => Error::DrainFailed {
                node: node.to_string(),
                detail: format!(
                    "evicting {ns}/{name} failed ({other}); evicted so far: {}",
                    evicted.join(", ")
                ),
            },
        })?;
        evicted.push(format!("{ns}/{name}"));
        uids.push((ns.clone(), name.clone(), uid));
    }
    for (ns, name, uid) in &uids {
        wait_gone(client, context, ns, name, uid, deadline)
            .await
            .map_err(|detail| Error::DrainFailed {
                node: node.to_string(),
                detail,
            })?;
    }
    tracing::info!(
        node,
        evicted = evicted.len(),
        skipped = plan.skipped.len(),
        "drained"
    );
    Ok(DrainReport {
        node: node.to_string(),
        evicted,
        skipped: plan.skipped,
    })
}

/// Evicts one pod (one attempt); a PodDisruptionBudget refusal is an error
/// here. The Eviction body's version comes from the server (policy/v1beta1
/// on 1.20, policy/v1 on newer clusters).
pub async fn evict(
    client: &kube::Client,
    context: &str,
    namespace: &str,
    name: &str,
) -> Result<(), Error> {
    let api_version = eviction_version(client).await;
    post_eviction(client, &api_version, namespace, name, None)
        .await
        .map_err(|e| {
            map_err(
                context,
                "evict",
                &format!("pod \"{name}\" in namespace \"{namespace}\""),
                e,
            )
        })
}

/// The group/version the server declares for `pods/eviction`.
async fn eviction_version(client: &kube::Client) -> String {
    let found = client
        .list_core_api_resources("v1")
        .await
        .ok()
        .and_then(|l| {
            l.resources
                .into_iter()
                .find(|r| r.name == "pods/eviction")
                .and_then(|r| Some(format!("{}/{}", r.group?, r.version?)))
        });
    found.unwrap_or_else(|| "policy/v1".to_string())
}

async fn post_eviction(
    client: &kube::Client,
    api_version: &str,
    namespace: &str,
    name: &str,
    grace: Option<i64>,
) -> Result<(), kube::Error> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let mut body = json!({
        "apiVersion": api_version,
        "kind": "Eviction",
        "metadata": { "name": name, "namespace": namespace },
    });
    if let Some(g) = grace {
        body["deleteOptions"] = json!({ "gracePeriodSeconds": g });
    }
    pods.create_subresource::<_, serde_json::Value>("eviction", name, &PostParams::default(), &body)
        .await
        .map(|_| ())
}

/// Evicts, retrying while a PodDisruptionBudget says no (429) until
/// `deadline`. A pod already gone counts as evicted.
async fn evict_until(
    client: &kube::Client,
    context: &str,
    namespace: &str,
    name: &str,
    grace: Option<i64>,
    deadline: Instant,
) -> Result<(), Error> {
    let api_version = eviction_version(client).await;
    let mut wait = Duration::from_millis(500);
    loop {
        match post_eviction(client, &api_version, namespace, name, grace).await {
            Ok(()) => return Ok(()),
            Err(e) if status_code(&e) == Some(404) => return Ok(()),
            Err(e) if status_code(&e) == Some(429) => {
                if Instant::now() + wait > deadline {
                    return Err(Error::DrainFailed {
                        node: String::new(),
                        detail: format!(
                            "pod {namespace}/{name} could not be evicted before the timeout: a PodDisruptionBudget keeps refusing ({e})"
                        ),
                    });
                }
                tracing::debug!(
                    namespace,
                    name,
                    "eviction refused by a disruption budget, retrying"
                );
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
            Err(e) => {
                return Err(map_err(
                    context,
                    "evict",
                    &format!("pod \"{name}\" in namespace \"{namespace}\""),
                    e,
                ))
            }
        }
    }
}

/// Polls until the pod is gone (or replaced by a new pod of the same name).
async fn wait_gone(
    client: &kube::Client,
    context: &str,
    namespace: &str,
    name: &str,
    uid: &str,
    deadline: Instant,
) -> Result<(), String> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    loop {
        match pods.get_opt(name).await {
            Ok(None) => return Ok(()),
            Ok(Some(p)) if p.metadata.uid.as_deref() != Some(uid) => return Ok(()),
            Ok(Some(_)) => {}
            Err(e) => {
                tracing::debug!(context, namespace, name, error = %e, "checking an evicted pod")
            }
        }
        if Instant::now() > deadline {
            return Err(format!(
                "pod {namespace}/{name} was evicted but is still terminating at the timeout"
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(v: serde_json::Value) -> Pod {
        serde_json::from_value(v).expect("test value")
    }

    fn owned(kind: &str) -> serde_json::Value {
        json!([{"apiVersion": "apps/v1", "kind": kind, "name": "o", "uid": "u", "controller": true}])
    }

    #[test]
    fn plan_skips_daemonset_and_mirror_pods_and_refuses_unmanaged() {
        let pods = vec![
            pod(
                json!({"metadata": {"name": "rs-pod", "namespace": "a", "ownerReferences": owned("ReplicaSet")}}),
            ),
            pod(
                json!({"metadata": {"name": "ds-pod", "namespace": "kube-system", "ownerReferences": owned("DaemonSet")}}),
            ),
            pod(
                json!({"metadata": {"name": "static", "namespace": "kube-system", "annotations": {"kubernetes.io/config.mirror": "x"}}}),
            ),
            pod(json!({"metadata": {"name": "bare", "namespace": "a"}})),
            pod(
                json!({"metadata": {"name": "done", "namespace": "a"}, "status": {"phase": "Succeeded"}}),
            ),
            pod(
                json!({"metadata": {"name": "going", "namespace": "a", "deletionTimestamp": "2024-01-01T00:00:00Z"}}),
            ),
        ];
        let plan = plan_drain(&pods, false);
        assert_eq!(
            plan.evict,
            vec![("a".into(), "rs-pod".into()), ("a".into(), "done".into())]
        );
        assert_eq!(plan.unmanaged, vec!["a/bare".to_string()]);
        let skipped: Vec<&str> = plan.skipped.iter().map(|s| s.pod.as_str()).collect();
        assert_eq!(
            skipped,
            vec!["kube-system/ds-pod", "kube-system/static", "a/going"]
        );
        assert!(plan.skipped[0].reason.contains("DaemonSet"));
        assert!(plan.skipped[1].reason.contains("mirror"));

        let forced = plan_drain(&pods, true);
        assert!(forced.unmanaged.is_empty());
        assert!(forced.evict.contains(&("a".into(), "bare".into())));
    }
}
