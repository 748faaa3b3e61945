//! The cluster's kubeconfig: taken from server 0, renamed `capstan-<name>`,
//! pointed at the published port, and merged into the user's kubeconfig
//! through capstan-kube's one writer (`capstan_kube::kubeconfig_writer`:
//! locks, backups, atomic rename), which also picks the file as kubectl does.

use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::Error;

/// The context, cluster and user name Capstan gives a local cluster.
pub fn entry_name(cluster: &str) -> String {
    format!("capstan-{cluster}")
}

/// One named cluster, user and context, ready to merge.
#[derive(Debug, Clone, PartialEq)]
pub struct Entries {
    pub name: String,
    pub cluster: Value,
    pub user: Value,
    pub context: Value,
}

fn bad(detail: impl Into<String>) -> Error {
    Error::ServerKubeconfig {
        detail: detail.into(),
        source: None,
    }
}

fn unparsable(e: serde_yaml::Error) -> Error {
    Error::ServerKubeconfig {
        detail: e.to_string(),
        source: Some(e),
    }
}

fn first_of<'a>(doc: &'a Value, list: &str) -> Result<&'a Value, Error> {
    doc.get(list)
        .and_then(Value::as_sequence)
        .and_then(|s| s.first())
        .and_then(|e| e.get(list.trim_end_matches('s')))
        .ok_or_else(|| bad(format!("the server's kubeconfig has no {list}")))
}

/// Renames the k3s kubeconfig's (first) cluster/user/context to
/// `capstan-<cluster>` and sets the server URL to `https://127.0.0.1:<port>`.
pub fn from_k3s(raw: &str, cluster: &str, api_port: u16) -> Result<Entries, Error> {
    let doc: Value = serde_yaml::from_str(raw).map_err(unparsable)?;
    let name = entry_name(cluster);
    let mut c = first_of(&doc, "clusters")?.clone();
    let u = first_of(&doc, "users")?.clone();
    let mut ctx = Mapping::new();
    ctx.insert("cluster".into(), name.clone().into());
    ctx.insert("user".into(), name.clone().into());
    let cm = c
        .as_mapping_mut()
        .ok_or_else(|| bad("the server's cluster entry is not a mapping"))?;
    cm.insert(
        "server".into(),
        format!("https://127.0.0.1:{api_port}").into(),
    );
    Ok(Entries {
        name,
        cluster: c,
        user: u,
        context: Value::Mapping(ctx),
    })
}

fn named(name: &str, key: &str, body: &Value) -> Value {
    let mut m = Mapping::new();
    m.insert("name".into(), name.into());
    m.insert(key.into(), body.clone());
    Value::Mapping(m)
}

fn list_mut<'a>(doc: &'a mut Mapping, key: &str) -> Result<&'a mut Vec<Value>, Error> {
    let v = doc
        .entry(key.into())
        .or_insert_with(|| Value::Sequence(Vec::new()));
    if v.is_null() {
        *v = Value::Sequence(Vec::new());
    }
    v.as_sequence_mut()
        .ok_or_else(|| bad(format!("`{key}` in your kubeconfig is not a list")))
}

fn parse_or_empty(existing: &str) -> Result<Mapping, Error> {
    if existing.trim().is_empty() {
        let mut m = Mapping::new();
        m.insert("apiVersion".into(), "v1".into());
        m.insert("kind".into(), "Config".into());
        return Ok(m);
    }
    match serde_yaml::from_str::<Value>(existing).map_err(unparsable)? {
        Value::Mapping(m) => Ok(m),
        _ => Err(bad("your kubeconfig is not a YAML mapping")),
    }
}

fn has_name(e: &Value, name: &str) -> bool {
    e.get("name").and_then(Value::as_str) == Some(name)
}

/// `existing` with the entries added (replacing same-named ones), and
/// current-context set when asked. Other entries are kept as they were.
pub fn merge(existing: &str, entries: &Entries, make_current: bool) -> Result<String, Error> {
    let mut doc = parse_or_empty(existing)?;
    for (list, key, body) in [
        ("clusters", "cluster", &entries.cluster),
        ("users", "user", &entries.user),
        ("contexts", "context", &entries.context),
    ] {
        let l = list_mut(&mut doc, list)?;
        l.retain(|e| !has_name(e, &entries.name));
        l.push(named(&entries.name, key, body));
    }
    if make_current {
        doc.insert("current-context".into(), entries.name.clone().into());
    }
    serde_yaml::to_string(&doc).map_err(unparsable)
}

/// `existing` without the entries named `name`; current-context is cleared if
/// it pointed at them. `None` when nothing was there (leave the file alone).
pub fn remove(existing: &str, name: &str) -> Result<Option<String>, Error> {
    let mut doc = parse_or_empty(existing)?;
    let mut changed = false;
    for list in ["clusters", "users", "contexts"] {
        if let Some(l) = doc.get_mut(list).and_then(Value::as_sequence_mut) {
            let before = l.len();
            l.retain(|e| !has_name(e, name));
            changed |= l.len() != before;
        }
    }
    if doc.get("current-context").and_then(Value::as_str) == Some(name) {
        doc.insert("current-context".into(), "".into());
        changed = true;
    }
    if !changed {
        return Ok(None);
    }
    serde_yaml::to_string(&doc).map(Some).map_err(unparsable)
}

/// The user's kubeconfig file new entries go to, by kubectl's rule (see
/// `capstan_kube::kubeconfig_writer::default_file`).
pub fn user_kubeconfig_path() -> Result<PathBuf, Error> {
    capstan_kube::kubeconfig_writer::default_file().map_err(|source| Error::Kubeconfig { source })
}

/// Rewrites `file` with `edit(current text)` through the one kubeconfig
/// writer. `edit` returning `None` leaves the file untouched. A text this
/// crate cannot edit is reported as that file being invalid.
pub fn edit_file(
    file: &Path,
    edit: impl FnOnce(&str) -> Result<Option<String>, Error>,
) -> Result<(), Error> {
    capstan_kube::kubeconfig_writer::edit(file, |current| {
        edit(current.unwrap_or("")).map_err(|e| capstan_kube::Error::KubeconfigInvalid {
            path: file.to_path_buf(),
            detail: e.to_string(),
        })
    })
    .map(drop)
    .map_err(|source| Error::Kubeconfig { source })
}

pub fn merge_into_file(file: &Path, entries: &Entries, make_current: bool) -> Result<(), Error> {
    edit_file(file, |cur| merge(cur, entries, make_current).map(Some))
}

/// [`merge_into_file`] or [`remove_from_file`] off the async workers: the
/// writer may wait for another program's lock.
pub(crate) async fn off_runtime(
    job: impl FnOnce() -> Result<(), Error> + Send + 'static,
) -> Result<(), Error> {
    tokio::task::spawn_blocking(job)
        .await
        .map_err(|e| Error::Io {
            what: "the kubeconfig write".to_owned(),
            source: std::io::Error::other(e),
        })?
}

pub fn remove_from_file(file: &Path, name: &str) -> Result<(), Error> {
    if !file.exists() {
        return Ok(());
    }
    edit_file(file, |cur| remove(cur, name))
}

#[cfg(test)]
#[path = "kubeconfig_tests.rs"]
mod tests;
