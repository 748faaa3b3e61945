//! Every listable kind the server offers, at each group's preferred version,
//! grouped for the navigation sidebar. Versions come from the server, never
//! from us: a 1.20 cluster serves Ingress at networking.k8s.io/v1 and
//! CronJob only at batch/v1beta1.

mod navigation;

pub use navigation::{navigation, NavSection};

use kube::discovery::{verbs, ApiCapabilities, ApiResource, Discovery, Scope};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Error;

/// One kind as the server serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KindInfo {
    /// "" for the core group.
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
    pub verbs: Vec<String>,
}

impl KindInfo {
    fn from_kube(ar: &ApiResource, caps: &ApiCapabilities) -> Self {
        Self {
            group: ar.group.clone(),
            version: ar.version.clone(),
            kind: ar.kind.clone(),
            plural: ar.plural.clone(),
            namespaced: matches!(caps.scope, Scope::Namespaced),
            verbs: caps.operations.clone(),
        }
    }

    /// What kube needs to list and watch this kind as `DynamicObject`s.
    pub fn api_resource(&self) -> ApiResource {
        let api_version = if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        };
        ApiResource {
            group: self.group.clone(),
            version: self.version.clone(),
            api_version,
            kind: self.kind.clone(),
            plural: self.plural.clone(),
        }
    }

    /// The table can only show kinds it can list and keep live.
    pub fn is_listable(&self) -> bool {
        self.verbs.iter().any(|v| v == verbs::LIST) && self.verbs.iter().any(|v| v == verbs::WATCH)
    }
}

/// Runs discovery against `client` and returns every listable, watchable
/// kind at its group's preferred version (or, for a kind that version
/// lacks, its most stable one).
pub async fn discover_kinds(client: &kube::Client, context: &str) -> Result<Vec<KindInfo>, Error> {
    let discovery =
        Discovery::new(client.clone())
            .run()
            .await
            .map_err(|e| Error::ClusterRequest {
                context: context.to_string(),
                action: "discover the API resources",
                detail: e.to_string(),
            })?;
    let mut kinds: Vec<KindInfo> = discovery
        .groups()
        .flat_map(preferred_resources)
        .map(|(ar, caps)| KindInfo::from_kube(&ar, &caps))
        .filter(KindInfo::is_listable)
        .collect();
    // extensions/v1beta1 still serves Ingress (and more) on old clusters as
    // a deprecated alias of the real group: show each kind once.
    let elsewhere: Vec<(String, String)> = kinds
        .iter()
        .filter(|k| k.group != "extensions")
        .map(|k| (k.kind.clone(), k.plural.clone()))
        .collect();
    kinds.retain(|k| {
        k.group != "extensions" || !elsewhere.contains(&(k.kind.clone(), k.plural.clone()))
    });
    kinds.sort_by(|a, b| (&a.group, &a.kind).cmp(&(&b.group, &b.kind)));
    Ok(kinds)
}

/// The group's preferred version, plus kinds that version lacks at their
/// most stable version (1.20 prefers batch/v1 but serves CronJob only at
/// batch/v1beta1; kube's `recommended_resources` alone would drop it).
fn preferred_resources(group: &kube::discovery::ApiGroup) -> Vec<(ApiResource, ApiCapabilities)> {
    let mut out = group.recommended_resources();
    for (ar, caps) in group.resources_by_stability() {
        if !out.iter().any(|(have, _)| have.kind == ar.kind) {
            out.push((ar, caps));
        }
    }
    out
}

/// Finds a kind by plural, kind name (case-insensitive) and optional group,
/// the way `kubectl get <x>` resolves what it is given.
pub fn find_kind<'a>(kinds: &'a [KindInfo], name: &str) -> Option<&'a KindInfo> {
    let (name, group) = match name.split_once('.') {
        Some((n, g)) => (n, Some(g)),
        None => (name, None),
    };
    let name = name.to_ascii_lowercase();
    // Core and well-known groups win over a CRD reusing the same plural.
    kinds
        .iter()
        .filter(|k| group.is_none_or(|g| k.group == g))
        .find(|k| k.plural == name || k.kind.to_ascii_lowercase() == name)
}

#[cfg(test)]
mod tests;
