//! The table's one-click actions: delete, scale, rollout restart,
//! cordon/uncordon.

use k8s_openapi::api::core::v1::Node;
use kube::api::{Api, DeleteParams, Patch, PatchParams, PropagationPolicy};
use serde_json::json;

use super::common::{api, describe, map_err, status_code};
use super::{DeletePropagation, ObjectRef};
use crate::Error;

/// Deletes the object. With `Foreground` the call returns once the server
/// has accepted it; the object stays (with a deletionTimestamp) until its
/// dependents are gone.
pub async fn delete(
    client: &kube::Client,
    context: &str,
    r: &ObjectRef,
    propagation: DeletePropagation,
) -> Result<(), Error> {
    let dp = DeleteParams {
        propagation_policy: Some(match propagation {
            DeletePropagation::Foreground => PropagationPolicy::Foreground,
            DeletePropagation::Background => PropagationPolicy::Background,
            DeletePropagation::Orphan => PropagationPolicy::Orphan,
        }),
        ..DeleteParams::default()
    };
    api(client, r)
        .delete(&r.name, &dp)
        .await
        .map_err(|e| map_err(context, "delete", &describe(r), e))?;
    tracing::info!(object = %describe(r), ?propagation, "deleted");
    Ok(())
}

/// Sets the replica count through the scale subresource, which
/// deployments, stateful sets, replica sets (and CRDs that declare it) have.
pub async fn scale(
    client: &kube::Client,
    context: &str,
    r: &ObjectRef,
    replicas: u32,
) -> Result<(), Error> {
    let what = describe(r);
    let api = api(client, r);
    // Tells "no such object" apart from "this kind has no scale".
    api.get(&r.name)
        .await
        .map_err(|e| map_err(context, "get", &what, e))?;
    let patch = json!({ "spec": { "replicas": replicas } });
    match api
        .patch_scale(&r.name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
    {
        Ok(_) => {
            tracing::info!(object = %what, replicas, "scaled");
            Ok(())
        }
        Err(e) if status_code(&e) == Some(404) => Err(Error::NotSupported {
            action: "scale".into(),
            what,
            reason: format!("a {} has no scale subresource", r.kind),
        }),
        Err(e) => Err(map_err(context, "update", &what, e)),
    }
}

/// Restarts the pods of a deployment, stateful set or daemon set the way
/// `kubectl rollout restart` does: a timestamp annotation on the pod
/// template makes the controller roll out new pods.
pub async fn rollout_restart(
    client: &kube::Client,
    context: &str,
    r: &ObjectRef,
) -> Result<(), Error> {
    let what = describe(r);
    if r.group != "apps" || !matches!(r.kind.as_str(), "Deployment" | "StatefulSet" | "DaemonSet") {
        return Err(Error::NotSupported {
            action: "restart".into(),
            what,
            reason: "only deployments, stateful sets and daemon sets can be restarted".into(),
        });
    }
    let now = jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or(jiff::Timestamp::now());
    let patch = json!({ "spec": { "template": { "metadata": { "annotations": {
        "kubectl.kubernetes.io/restartedAt": now.to_string()
    }}}}});
    api(client, r)
        .patch(&r.name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .map_err(|e| map_err(context, "update", &what, e))?;
    tracing::info!(object = %what, "rollout restarted");
    Ok(())
}

/// Cordon (`true`) or uncordon (`false`) a node.
pub async fn set_unschedulable(
    client: &kube::Client,
    context: &str,
    node: &str,
    unschedulable: bool,
) -> Result<(), Error> {
    let nodes: Api<Node> = Api::all(client.clone());
    // Uncordon removes the field, as kubectl does.
    let value = if unschedulable {
        json!(true)
    } else {
        json!(null)
    };
    let patch = json!({ "spec": { "unschedulable": value } });
    nodes
        .patch(node, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .map_err(|e| map_err(context, "update", &format!("node \"{node}\""), e))?;
    tracing::info!(node, unschedulable, "node schedulability set");
    Ok(())
}
