//! The cluster's kubeconfig: taken from server 0, renamed `capstan-<name>`,
//! pointed at the published port, and merged into the user's kubeconfig under a
//! `<file>.lock` (client-go's convention) with a backup and an atomic rename.

use std::fs::OpenOptions;
use std::io::Write;
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
    Error::Kubeconfig {
        detail: detail.into(),
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
    let doc: Value = serde_yaml::from_str(raw).map_err(|e| bad(e.to_string()))?;
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
    match serde_yaml::from_str::<Value>(existing).map_err(|e| bad(e.to_string()))? {
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
    serde_yaml::to_string(&doc).map_err(|e| bad(e.to_string()))
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
    serde_yaml::to_string(&doc)
        .map(Some)
        .map_err(|e| bad(e.to_string()))
}

/// The user's kubeconfig file: the first of KUBECONFIG, else ~/.kube/config.
pub fn user_kubeconfig_path() -> Result<PathBuf, Error> {
    if let Some(v) = std::env::var_os("KUBECONFIG") {
        if let Some(first) = std::env::split_paths(&v).find(|p| !p.as_os_str().is_empty()) {
            return Ok(first);
        }
    }
    directories::BaseDirs::new()
        .map(|d| d.home_dir().join(".kube").join("config"))
        .ok_or_else(|| bad("no home directory: set KUBECONFIG"))
}

/// Holds `<file>.lock` (created with O_EXCL) until dropped.
struct Lock(PathBuf);

impl Lock {
    fn take(file: &Path) -> Result<Lock, Error> {
        let mut p = file.as_os_str().to_owned();
        p.push(".lock");
        let p = PathBuf::from(p);
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
            .map_err(|e| {
                bad(format!(
                    "could not lock {} ({e}): another program may be writing it; remove the lock file if none is",
                    p.display()
                ))
            })?;
        Ok(Lock(p))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Rewrites `file` with `edit(current text)` under the lock: a backup
/// `<file>.capstan-backup` first, then a temporary file renamed over it.
/// `edit` returning `None` leaves the file untouched.
pub fn edit_file(
    file: &Path,
    edit: impl FnOnce(&str) -> Result<Option<String>, Error>,
) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Io {
        detail: format!("{}: {e}", file.display()),
    };
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let _lock = Lock::take(file)?;
    let current = match std::fs::read_to_string(file) {
        Ok(s) => Some(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    let Some(next) = edit(current.as_deref().unwrap_or(""))? else {
        return Ok(());
    };
    if let Some(cur) = &current {
        let mut b = file.as_os_str().to_owned();
        b.push(".capstan-backup");
        std::fs::write(PathBuf::from(b), cur).map_err(io)?;
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(next.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Kubeconfigs hold credentials: owner-only, as kubectl writes them.
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    tmp.persist(file).map_err(|e| io(e.error))?;
    Ok(())
}

pub fn merge_into_file(file: &Path, entries: &Entries, make_current: bool) -> Result<(), Error> {
    edit_file(file, |cur| merge(cur, entries, make_current).map(Some))
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
