//! Which pods use a secret, and how (so a user knows what an edit affects).

use k8s_openapi::api::core::v1::{Pod, PodSpec};
use kube::api::ListParams;
use kube::Api;
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::server_error::sanitize;
use crate::Error;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct SecretUse {
    pub pod: String,
    /// e.g. `env APP_PASSWORD (container app)`, `volume creds`,
    /// `imagePullSecrets`.
    pub how: Vec<String>,
}

/// Pods of `namespace` referring to secret `name`, sorted by pod name.
pub async fn secret_usage(
    client: kube::Client,
    namespace: &str,
    name: &str,
) -> Result<Vec<SecretUse>, Error> {
    let api: Api<Pod> = Api::namespaced(client, namespace);
    let pods = api
        .list(&ListParams::default())
        .await
        .map_err(|e| sanitize(e, "find the pods using", namespace, name))?;
    let mut uses: Vec<SecretUse> = pods
        .items
        .iter()
        .filter_map(|p| {
            let how = p
                .spec
                .as_ref()
                .map(|s| uses_in(s, name))
                .unwrap_or_default();
            (!how.is_empty()).then(|| SecretUse {
                pod: p.metadata.name.clone().unwrap_or_default(),
                how,
            })
        })
        .collect();
    uses.sort_by(|a, b| a.pod.cmp(&b.pod));
    Ok(uses)
}

/// How `spec` refers to secret `name` (empty when it does not).
pub fn uses_in(spec: &PodSpec, name: &str) -> Vec<String> {
    let mut how = Vec::new();
    let containers = spec
        .init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter());
    for c in containers {
        for e in c.env.iter().flatten() {
            let r = e
                .value_from
                .as_ref()
                .and_then(|v| v.secret_key_ref.as_ref());
            if r.is_some_and(|r| r.name == name) {
                how.push(format!("env {} (container {})", e.name, c.name));
            }
        }
        for f in c.env_from.iter().flatten() {
            if f.secret_ref.as_ref().is_some_and(|r| r.name == name) {
                how.push(format!("envFrom (container {})", c.name));
            }
        }
    }
    for v in spec.volumes.iter().flatten() {
        if v.secret
            .as_ref()
            .is_some_and(|s| s.secret_name.as_deref() == Some(name))
        {
            how.push(format!("volume {}", v.name));
        }
        let projected = v.projected.as_ref().and_then(|p| p.sources.as_ref());
        if projected
            .into_iter()
            .flatten()
            .any(|s| s.secret.as_ref().is_some_and(|s| s.name == name))
        {
            how.push(format!("projected volume {}", v.name));
        }
    }
    if spec
        .image_pull_secrets
        .iter()
        .flatten()
        .any(|r| r.name == name)
    {
        how.push("imagePullSecrets".into());
    }
    how
}
