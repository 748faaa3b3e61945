//! Every listable kind the server offers, at each group's preferred version,
//! grouped for the navigation sidebar. Versions come from the server, never
//! from us: a 1.20 cluster serves Ingress at networking.k8s.io/v1 and
//! CronJob only at batch/v1beta1. `resolve_kind` reads a resource argument
//! (`sa`, `deployments.apps`, a CRD's short name) the way kubectl does, from
//! these kinds and their server-given names alone.

mod navigation;
mod resolve;

pub use navigation::{navigation, NavSection};
pub use resolve::resolve_kind;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{APIResource, APIResourceList};
use kube::core::Version;
use kube::discovery::{verbs, ApiResource};
use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::Error;

/// One kind as the server serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct KindInfo {
    /// "" for the core group.
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    /// The server's singular name; "" when discovery leaves it out (built-in
    /// kinds before Kubernetes 1.27), where kubectl uses the lowercased kind.
    #[serde(default)]
    pub singular: String,
    /// The server's short names (`po`, `deploy`, a CRD's `shortNames`).
    #[serde(default)]
    pub short_names: Vec<String>,
    pub namespaced: bool,
    pub verbs: Vec<String>,
}

impl KindInfo {
    fn from_discovery(res: &APIResource, group: &str, version: &str) -> Self {
        Self {
            group: res.group.clone().unwrap_or_else(|| group.to_string()),
            version: res.version.clone().unwrap_or_else(|| version.to_string()),
            kind: res.kind.clone(),
            plural: res.name.clone(),
            singular: res.singular_name.clone(),
            short_names: res.short_names.clone().unwrap_or_default(),
            namespaced: res.namespaced,
            verbs: res.verbs.clone(),
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

/// One API group as discovery serves it: its preferred version and the
/// resource list of every version it serves.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServedGroup {
    /// "" for the core group.
    name: String,
    preferred_version: Option<String>,
    resource_lists: Vec<APIResourceList>,
}

/// Runs discovery against `client` and returns every listable, watchable
/// kind at its group's preferred version (or, for a kind that version
/// lacks, its most stable one), with the server's short and singular names.
///
/// The resource lists are read here rather than through kube's `Discovery`,
/// which drops `shortNames` and `singularName`; the requests are the same
/// (`/api`, `/apis`, then one per group version).
pub async fn discover_kinds(client: &kube::Client, context: &str) -> Result<Vec<KindInfo>, Error> {
    let failed = |e: kube::Error| Error::ClusterRequest {
        context: context.to_string(),
        action: "discover the API resources",
        detail: e.to_string(),
    };
    let mut groups = Vec::new();
    let core = client.list_core_api_versions().await.map_err(failed)?;
    let mut resource_lists = Vec::with_capacity(core.versions.len());
    for version in &core.versions {
        resource_lists.push(
            client
                .list_core_api_resources(version)
                .await
                .map_err(failed)?,
        );
    }
    groups.push(ServedGroup {
        name: String::new(),
        preferred_version: Some("v1".to_string()),
        resource_lists,
    });
    for group in client.list_api_groups().await.map_err(failed)?.groups {
        let mut resource_lists = Vec::with_capacity(group.versions.len());
        for version in &group.versions {
            resource_lists.push(
                client
                    .list_api_group_resources(&version.group_version)
                    .await
                    .map_err(failed)?,
            );
        }
        groups.push(ServedGroup {
            name: group.name,
            preferred_version: group.preferred_version.map(|v| v.version),
            resource_lists,
        });
    }
    Ok(kinds_from_discovery(&groups))
}

/// The kinds `discover_kinds` returns, from the groups' resource lists.
fn kinds_from_discovery(groups: &[ServedGroup]) -> Vec<KindInfo> {
    let mut kinds: Vec<KindInfo> = groups
        .iter()
        .flat_map(preferred_resources)
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
    kinds
}

/// The group's preferred version (else its most stable one), plus kinds
/// that version lacks at their most stable version (1.20 prefers batch/v1
/// but serves CronJob only at batch/v1beta1). Subresources are left out.
fn preferred_resources(group: &ServedGroup) -> Vec<KindInfo> {
    let version_of = |list: &APIResourceList| -> String {
        let gv = list.group_version.as_str();
        gv.rsplit_once('/').map_or(gv, |(_, v)| v).to_string()
    };
    let mut lists: Vec<(String, &APIResourceList)> = group
        .resource_lists
        .iter()
        .map(|list| (version_of(list), list))
        .collect();
    // Most stable first (v1 > v1beta2 > v1beta1 > v1alpha1), then the
    // preferred version ahead of all (a stable sort keeps the rest in order).
    lists.sort_by_cached_key(|(v, _)| std::cmp::Reverse(Version::parse(v).priority()));
    let preferred = group.preferred_version.as_deref();
    lists.sort_by_key(|(v, _)| preferred != Some(v.as_str()));
    let mut out: Vec<KindInfo> = Vec::new();
    for (i, (version, list)) in lists.iter().enumerate() {
        let first = i == 0;
        for res in list.resources.iter().filter(|r| !r.name.contains('/')) {
            if first || !out.iter().any(|k| k.kind == res.kind) {
                out.push(KindInfo::from_discovery(res, &group.name, version));
            }
        }
    }
    out
}

#[cfg(test)]
mod export_ts;
#[cfg(test)]
pub(crate) use export_ts::bindings_dir;
#[cfg(test)]
mod tests;
