//! Owners (from ownerReferences) and owned objects (listed with the
//! owner's selector, kept when their ownerReferences name its uid).

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DynamicObject, ListParams};
use serde_json::Value;

use super::common::{at, map_err, to_json};
use super::details::{pod_status, status_line};
use super::{ObjectRef, RelatedObject};
use crate::discovery::{discover_kinds, KindInfo};
use crate::Error;

/// What each owning kind owns (by the plural discovery knows it under).
fn owned_plural(r: &ObjectRef) -> Option<&'static str> {
    match (r.group.as_str(), r.kind.as_str()) {
        ("apps", "Deployment") => Some("replicasets"),
        ("apps", "ReplicaSet" | "StatefulSet" | "DaemonSet") | ("batch", "Job") => Some("pods"),
        ("", "ReplicationController") => Some("pods"),
        ("batch", "CronJob") => Some("jobs"),
        _ => None,
    }
}

/// Owners and owned objects of `obj`. Discovery runs only when one of the
/// two can be non-empty.
pub(crate) async fn related(
    client: &kube::Client,
    context: &str,
    r: &ObjectRef,
    obj: &DynamicObject,
) -> Result<(Vec<RelatedObject>, Vec<RelatedObject>), Error> {
    let refs = obj.metadata.owner_references.clone().unwrap_or_default();
    let plural = owned_plural(r);
    if refs.is_empty() && plural.is_none() {
        return Ok((Vec::new(), Vec::new()));
    }
    let kinds = discover_kinds(client, context).await?;
    let owners = refs
        .iter()
        .map(|o| {
            let group = o.api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
            let found = kinds.iter().find(|k| k.group == group && k.kind == o.kind);
            let version = o.api_version.rsplit('/').next().unwrap_or_default();
            RelatedObject {
                reference: ObjectRef {
                    group: group.to_string(),
                    version: found.map_or_else(|| version.to_string(), |k| k.version.clone()),
                    kind: o.kind.clone(),
                    plural: found.map_or_else(
                        || format!("{}s", o.kind.to_ascii_lowercase()),
                        |k| k.plural.clone(),
                    ),
                    // Owners are in the same namespace, or cluster-scoped.
                    namespace: if found.is_some_and(|k| !k.namespaced) {
                        None
                    } else {
                        r.namespace.clone()
                    },
                    name: o.name.clone(),
                },
                state: None,
            }
        })
        .collect();
    let owned = match plural {
        Some(p) => owned(client, context, r, obj, &kinds, p).await?,
        None => Vec::new(),
    };
    Ok((owners, owned))
}

async fn owned(
    client: &kube::Client,
    context: &str,
    r: &ObjectRef,
    obj: &DynamicObject,
    kinds: &[KindInfo],
    plural: &str,
) -> Result<Vec<RelatedObject>, Error> {
    let group = if plural == "pods" {
        ""
    } else if plural == "jobs" {
        "batch"
    } else {
        "apps"
    };
    let Some(child) = kinds
        .iter()
        .find(|k| k.group == group && k.plural == plural)
    else {
        return Ok(Vec::new());
    };
    let Some(ns) = &r.namespace else {
        return Ok(Vec::new());
    };
    let uid = obj.metadata.uid.clone().unwrap_or_default();
    let json = to_json(obj);
    let mut lp = ListParams::default();
    if let Some(sel) = selector(&json) {
        lp = lp.labels(&sel);
    }
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &child.api_resource());
    let list = api.list(&lp).await.map_err(|e| {
        map_err(
            context,
            "list",
            &format!("{} in namespace \"{ns}\"", child.plural),
            e,
        )
    })?;
    let mut out: Vec<RelatedObject> = list
        .items
        .into_iter()
        .filter(|o| {
            o.metadata
                .owner_references
                .iter()
                .flatten()
                .any(|or| or.uid == uid)
        })
        .map(|o| {
            let v = to_json(&o);
            let state = if child.kind == "Pod" {
                serde_json::from_value::<Pod>(v.clone())
                    .ok()
                    .map(|p| pod_status(&p))
            } else {
                status_line(&child.kind, &v)
            };
            RelatedObject {
                reference: ObjectRef {
                    group: child.group.clone(),
                    version: child.version.clone(),
                    kind: child.kind.clone(),
                    plural: child.plural.clone(),
                    namespace: Some(ns.clone()),
                    name: o.metadata.name.unwrap_or_default(),
                },
                state,
            }
        })
        .collect();
    out.sort_by(|a, b| a.reference.name.cmp(&b.reference.name));
    Ok(out)
}

/// `spec.selector` as a label selector string (matchLabels and the
/// set-based matchExpressions; a replication controller's plain map).
/// None when there is none (a cron job: its jobs are matched by uid alone).
pub(crate) fn selector(v: &Value) -> Option<String> {
    let sel = at(v, &["spec", "selector"])?.as_object()?;
    let mut parts: Vec<String> = Vec::new();
    let labels = sel
        .get("matchLabels")
        .and_then(Value::as_object)
        .or_else(|| (!sel.contains_key("matchExpressions")).then_some(sel));
    for (k, val) in labels.into_iter().flatten() {
        if let Some(s) = val.as_str() {
            parts.push(format!("{k}={s}"));
        }
    }
    for e in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
        let vals: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        match e
            .get("operator")
            .and_then(Value::as_str)
            .unwrap_or_default()
        {
            "In" => parts.push(format!("{key} in ({})", vals.join(","))),
            "NotIn" => parts.push(format!("{key} notin ({})", vals.join(","))),
            "Exists" => parts.push(key.to_string()),
            "DoesNotExist" => parts.push(format!("!{key}")),
            _ => {}
        }
    }
    (!parts.is_empty()).then(|| parts.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selectors_render_like_kubectl() {
        let v = json!({"spec": {"selector": {"matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}]}}});
        assert_eq!(selector(&v).as_deref(), Some("app=web,tier in (a,b)"));
        let rc = json!({"spec": {"selector": {"app": "x"}}});
        assert_eq!(selector(&rc).as_deref(), Some("app=x"));
        assert_eq!(selector(&json!({"spec": {}})), None);
    }
}
