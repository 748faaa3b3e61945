//! Reading releases from the cluster: both drivers' records, a release's
//! history, one revision's details.

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::{Api, ListParams};
use serde::Serialize;
use serde_json::Value;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::manifest::{split_manifest, ManifestResource};
use super::release::{Hook, Release};
use super::storage::{Driver, Record, OWNER_SELECTOR};
use super::values::computed_values;
use crate::objects::common::map_err;
use crate::Error;

/// One row of `helm history`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmRevision"))]
pub struct HistoryEntry {
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub revision: i64,
    /// As stored (RFC 3339).
    pub updated: Option<String>,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
    pub updated_ms: Option<i64>,
    pub status: String,
    /// `name-version`.
    pub chart: String,
    pub app_version: String,
    pub description: String,
    /// Set when this record could not be decoded; the other fields then
    /// come from its labels.
    pub error: Option<String>,
}

/// One revision, as the details panel shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmReleaseDetails"))]
pub struct ReleaseDetails {
    pub name: String,
    pub namespace: String,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub revision: i64,
    pub driver: Driver,
    pub status: String,
    pub description: String,
    pub notes: String,
    pub first_deployed: Option<String>,
    pub last_deployed: Option<String>,
    pub chart: String,
    pub chart_version: String,
    pub app_version: String,
    /// `helm get values -o json`.
    #[cfg_attr(any(test, feature = "ts"), ts(type = "Record<string, unknown>"))]
    pub user_values: serde_json::Map<String, Value>,
    /// `helm get values --all -o json`.
    #[cfg_attr(any(test, feature = "ts"), ts(type = "Record<string, unknown>"))]
    pub computed_values: serde_json::Map<String, Value>,
    pub user_values_yaml: String,
    pub computed_values_yaml: String,
    /// `helm get manifest`.
    pub manifest: String,
    pub resources: Vec<ManifestResource>,
    pub hooks: Vec<Hook>,
}

impl ReleaseDetails {
    pub fn from_release(release: &Release, driver: Driver) -> Self {
        let user = release.user_values();
        let computed = computed_values(release.chart.values.as_ref(), &user);
        ReleaseDetails {
            name: release.name.clone(),
            namespace: release.namespace.clone(),
            revision: release.version,
            driver,
            status: release.info.status.clone(),
            description: release.info.description.clone(),
            notes: release.info.notes.clone(),
            first_deployed: release.info.first_deployed.clone(),
            last_deployed: release.info.last_deployed.clone(),
            chart: release.chart_name().to_string(),
            chart_version: release.chart_version().to_string(),
            app_version: release.app_version().to_string(),
            user_values_yaml: super::diff::values_yaml(&user),
            computed_values_yaml: super::diff::values_yaml(&computed),
            user_values: user,
            computed_values: computed,
            manifest: release.manifest.clone(),
            resources: split_manifest(&release.manifest),
            hooks: release.hooks().to_vec(),
        }
    }
}

/// Every record (both drivers) in `namespace` (None: all), optionally of
/// one release. Records of one driver the user may not list are skipped
/// when the other driver can be read; if neither can, the error says why.
pub async fn list_records(
    client: &kube::Client,
    context: &str,
    namespace: Option<&str>,
    release: Option<&str>,
) -> Result<Vec<Record>, Error> {
    let mut selector = OWNER_SELECTOR.to_string();
    if let Some(name) = release {
        selector.push_str(&format!(",name={name}"));
    }
    let lp = ListParams::default().labels(&selector);
    let (secrets, configmaps): (Api<Secret>, Api<ConfigMap>) = match namespace {
        Some(ns) => (
            Api::namespaced(client.clone(), ns),
            Api::namespaced(client.clone(), ns),
        ),
        None => (Api::all(client.clone()), Api::all(client.clone())),
    };
    let where_ = namespace.map_or("all namespaces".to_string(), |ns| format!("namespace {ns}"));
    let (s, c) = tokio::join!(secrets.list(&lp), configmaps.list(&lp));
    let mut records = Vec::new();
    let mut failures = Vec::new();
    match s {
        Ok(list) => records.extend(list.items.iter().filter_map(Record::from_secret)),
        Err(e) => failures.push(map_err(context, "list", &format!("secrets in {where_}"), e)),
    }
    match c {
        Ok(list) => records.extend(list.items.iter().filter_map(Record::from_configmap)),
        Err(e) => failures.push(map_err(
            context,
            "list",
            &format!("configmaps in {where_}"),
            e,
        )),
    }
    match failures.len() {
        0 => Ok(records),
        1 => {
            // One driver is still readable: go on without the other.
            let only = failures.remove(0);
            tracing::warn!(error = %only, "helm: one storage driver could not be read");
            Ok(records)
        }
        _ => Err(failures.remove(0)),
    }
}

/// The records of one release, oldest revision first. A record whose
/// revision label is missing is decoded to learn it.
async fn release_records(
    client: &kube::Client,
    context: &str,
    namespace: &str,
    name: &str,
) -> Result<Vec<Record>, Error> {
    let mut records: Vec<Record> = list_records(client, context, Some(namespace), Some(name))
        .await?
        .into_iter()
        .filter(|r| r.release == name)
        .collect();
    for r in &mut records {
        if r.revision.is_none() {
            r.revision = r.decode().ok().map(|rel| rel.version);
        }
    }
    // Secrets first, so a revision held by both drivers is read from the
    // default one.
    records.sort_by_key(|r| (r.revision, r.driver == Driver::ConfigMap));
    records.dedup_by_key(|r| r.revision);
    if records.is_empty() {
        return Err(Error::HelmReleaseNotFound {
            context: context.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
            revision: None,
        });
    }
    Ok(records)
}

/// `helm history`: every revision, oldest first; a broken record is a row
/// with its error.
pub async fn history(
    client: &kube::Client,
    context: &str,
    namespace: &str,
    name: &str,
) -> Result<Vec<HistoryEntry>, Error> {
    let records = release_records(client, context, namespace, name).await?;
    Ok(records.iter().map(history_entry).collect())
}

pub fn history_entry(record: &Record) -> HistoryEntry {
    match record.decode() {
        Ok(r) => HistoryEntry {
            revision: r.version,
            updated_ms: r.updated_ms(),
            updated: r.info.last_deployed.clone(),
            status: r.info.status.clone(),
            chart: r.chart_label(),
            app_version: r.app_version().to_string(),
            description: r.info.description.clone(),
            error: None,
        },
        Err(e) => HistoryEntry {
            revision: record.revision.unwrap_or_default(),
            updated: None,
            updated_ms: None,
            status: record.status.clone().unwrap_or_default(),
            chart: String::new(),
            app_version: String::new(),
            description: String::new(),
            error: Some(e.to_string()),
        },
    }
}

/// The newest record of a release (its driver is the one helm uses for it).
pub(crate) async fn latest_record(
    client: &kube::Client,
    context: &str,
    namespace: &str,
    name: &str,
) -> Result<Record, Error> {
    let mut records = release_records(client, context, namespace, name).await?;
    records.pop().ok_or_else(|| Error::HelmReleaseNotFound {
        context: context.to_string(),
        namespace: namespace.to_string(),
        name: name.to_string(),
        revision: None,
    })
}

fn pick<'a>(
    records: &'a [Record],
    context: &str,
    namespace: &str,
    name: &str,
    revision: Option<i64>,
) -> Result<&'a Record, Error> {
    match revision {
        None => records.last(),
        Some(rev) => records.iter().find(|r| r.revision == Some(rev)),
    }
    .ok_or_else(|| Error::HelmReleaseNotFound {
        context: context.to_string(),
        namespace: namespace.to_string(),
        name: name.to_string(),
        revision,
    })
}

/// One revision decoded (the latest when `revision` is None, as `helm get`).
pub async fn read_release(
    client: &kube::Client,
    context: &str,
    namespace: &str,
    name: &str,
    revision: Option<i64>,
) -> Result<(Release, Driver), Error> {
    let records = release_records(client, context, namespace, name).await?;
    let record = pick(&records, context, namespace, name, revision)?;
    Ok((record.decode()?, record.driver))
}

/// [`read_release`] as the details panel shows it.
pub async fn release_details(
    client: &kube::Client,
    context: &str,
    namespace: &str,
    name: &str,
    revision: Option<i64>,
) -> Result<ReleaseDetails, Error> {
    let (release, driver) = read_release(client, context, namespace, name, revision).await?;
    Ok(ReleaseDetails::from_release(&release, driver))
}

/// The structural and text diff between two revisions.
pub async fn diff_revisions(
    client: &kube::Client,
    context: &str,
    namespace: &str,
    name: &str,
    from: i64,
    to: i64,
) -> Result<super::diff::RevisionDiff, Error> {
    let records = release_records(client, context, namespace, name).await?;
    let a = pick(&records, context, namespace, name, Some(from))?.decode()?;
    let b = pick(&records, context, namespace, name, Some(to))?.decode()?;
    Ok(super::diff::diff_releases(&a, &b))
}
