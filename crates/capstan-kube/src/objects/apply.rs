//! Edit-and-apply: a replace (PUT) carrying the resourceVersion the user
//! opened, so a concurrent change is a conflict shown to the user instead
//! of being overwritten.

use kube::api::PostParams;
use serde_yaml::Value;

use super::common::{api, describe, map_err, status_code};
use super::yaml::{get_raw, render};
use super::{ApplyOutcome, ObjectRef};
use crate::Error;

/// Replaces the object with the edited YAML. Refuses YAML naming another
/// object, and YAML without `metadata.resourceVersion` (without it the
/// server would overwrite whatever changed since the editor was opened).
pub async fn apply_yaml(
    client: &kube::Client,
    context: &str,
    r: &ObjectRef,
    yaml: &str,
) -> Result<ApplyOutcome, Error> {
    let what = describe(r);
    let body = check(r, yaml)?;
    let bytes = serde_json::to_vec(&body).map_err(|e| Error::Invalid {
        what: "the edited YAML".into(),
        detail: e.to_string(),
    })?;
    let api = api(client, r);
    let req = kube::core::Request::new(api.resource_url())
        .replace(&r.name, &PostParams::default(), bytes)
        .map_err(|e| Error::RequestBuild {
            what: format!("saving {}", r.name),
            detail: e.to_string(),
        })?;
    match client.request_text(req).await {
        Ok(text) => {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let resource_version = v
                .pointer("/metadata/resourceVersion")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_string();
            tracing::info!(object = %what, %resource_version, "applied edited object");
            Ok(ApplyOutcome::Applied { resource_version })
        }
        Err(e) if status_code(&e) == Some(409) => {
            let current = render(&get_raw(client, context, r).await?).map_err(|detail| {
                Error::ClusterRequest {
                    context: context.to_string(),
                    action: "read the object",
                    detail,
                }
            })?;
            Ok(ApplyOutcome::Conflict {
                yours: yaml.to_string(),
                theirs: current.yaml,
                server_resource_version: current.resource_version,
            })
        }
        Err(e) => Err(map_err(context, "update", &what, e)),
    }
}

/// Parses the edited YAML and checks it still names `r`; fills a missing
/// namespace from `r`.
pub(crate) fn check(r: &ObjectRef, yaml: &str) -> Result<Value, Error> {
    let invalid = |detail: String| Error::Invalid {
        what: "the edited YAML".into(),
        detail,
    };
    let mut v: Value = serde_yaml::from_str(yaml).map_err(|e| invalid(e.to_string()))?;
    if !v.is_mapping() {
        return Err(invalid("it is not a single object (a YAML mapping)".into()));
    }
    if super::yaml::holds_masked_values(&mut v) {
        return Err(invalid(format!(
            "it still holds masked secret values ({}); the YAML view never shows secret values, so it cannot save them: \
             change values in the secret's own editor, or replace each masked value with the real one",
            crate::secrets::MASK
        )));
    }
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or_default();
    if kind != r.kind {
        return Err(invalid(format!(
            "its kind is \"{kind}\" but the object edited is a {}; use Create for a new object",
            r.kind
        )));
    }
    let api_version = v
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    if group != r.group {
        return Err(invalid(format!(
            "its apiVersion \"{api_version}\" is not in the object's API group \"{}\"",
            r.group
        )));
    }
    let meta = v
        .get_mut("metadata")
        .and_then(Value::as_mapping_mut)
        .ok_or_else(|| invalid("it has no metadata".into()))?;
    let name = meta.get("name").and_then(Value::as_str).unwrap_or_default();
    if name != r.name {
        return Err(invalid(format!(
            "its name is \"{name}\" but the object edited is \"{}\"; renaming is not possible, create a new object instead",
            r.name
        )));
    }
    let ns = meta
        .get("namespace")
        .and_then(Value::as_str)
        .map(str::to_string);
    match (&ns, &r.namespace) {
        (Some(a), Some(b)) if a != b => {
            return Err(invalid(format!(
                "its namespace is \"{a}\" but the object edited is in \"{b}\""
            )))
        }
        (None, Some(b)) => {
            meta.insert("namespace".into(), Value::String(b.clone()));
        }
        _ => {}
    }
    let rv = meta
        .get("resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if rv.is_empty() {
        return Err(invalid(
            "metadata.resourceVersion was removed: it is needed to detect changes made by others since you opened the editor; reopen the object and edit again".into(),
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cm() -> ObjectRef {
        ObjectRef {
            group: String::new(),
            version: "v1".into(),
            kind: "ConfigMap".into(),
            plural: "configmaps".into(),
            namespace: Some("a".into()),
            name: "x".into(),
        }
    }

    #[test]
    fn refuses_other_objects_and_missing_resource_version() {
        let ok = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  resourceVersion: '5'\n";
        let v = check(&cm(), ok).expect("test value");
        assert_eq!(v["metadata"]["namespace"].as_str(), Some("a"));
        for (bad, want) in [
            ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n  resourceVersion: '5'\n", "kind"),
            ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n  resourceVersion: '5'\n", "name"),
            ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: b\n  resourceVersion: '5'\n", "namespace"),
            ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", "resourceVersion"),
            ("apiVersion: apps/v1\nkind: ConfigMap\nmetadata:\n  name: x\n  resourceVersion: '5'\n", "group"),
            ("kind: [unclosed\n", "line"),
        ] {
            let e = check(&cm(), bad).expect_err("should fail").to_string();
            assert!(e.contains(want), "{bad:?}: {e}");
        }
    }

    #[test]
    fn a_secret_with_masked_values_is_never_applied() {
        let secret = ObjectRef {
            kind: "Secret".into(),
            plural: "secrets".into(),
            ..cm()
        };
        let mask = crate::secrets::MASK;
        let masked = format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n  resourceVersion: '5'\ndata:\n  k: {mask}\n");
        let e = check(&secret, &masked)
            .expect_err("should fail")
            .to_string();
        assert!(e.contains("masked secret values"), "{e}");
        let real = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n  resourceVersion: '5'\ndata:\n  k: dmFsdWU=\n";
        assert!(check(&secret, real).is_ok());
    }
}
