//! Reading kubeconfig files: which files, parsing, and making relative paths
//! absolute against the file that names them (as client-go's loader does).

use std::path::{Path, PathBuf};

use kube::config::{Kubeconfig, NamedContext};

use super::merge::merge_into;
use super::{ContextSummary, KubeconfigOverview};
use crate::Error;

/// The kubeconfig files kubectl would consider, in precedence order:
/// every entry of `KUBECONFIG` (empty entries skipped), else `~/.kube/config`.
pub fn default_kubeconfig_paths() -> Vec<PathBuf> {
    match std::env::var_os("KUBECONFIG") {
        Some(list) if !list.is_empty() => std::env::split_paths(&list)
            .filter(|p| !p.as_os_str().is_empty())
            .collect(),
        _ => directories::BaseDirs::new()
            .map(|b| vec![b.home_dir().join(".kube").join("config")])
            .unwrap_or_default(),
    }
}

/// A merged kubeconfig plus the file each entry came from.
#[derive(Debug, Clone, Default)]
pub struct LoadedKubeconfig {
    pub merged: Kubeconfig,
    pub searched: Vec<PathBuf>,
    pub files: Vec<PathBuf>,
    /// For each merged context (same order), the file that defined it.
    pub context_sources: Vec<PathBuf>,
    /// For each merged cluster (same order), the file that defined it.
    pub cluster_sources: Vec<PathBuf>,
    /// For each merged user (same order), the file that defined it.
    pub user_sources: Vec<PathBuf>,
    /// The app-managed file, when it joined the view (see `managed`).
    pub managed_file: Option<PathBuf>,
    /// Where restored secrets of managed contexts live; `None` without a
    /// managed file.
    pub credential_store: Option<crate::credentials::StoreKind>,
}

impl LoadedKubeconfig {
    pub fn overview(&self) -> KubeconfigOverview {
        let current = self
            .merged
            .current_context
            .clone()
            .filter(|c| !c.is_empty());
        let contexts = self
            .merged
            .contexts
            .iter()
            .zip(&self.context_sources)
            .map(|(named, source)| self.summarize(named, source, current.as_deref()))
            .collect();
        KubeconfigOverview {
            files: self.files.iter().map(|p| p.display().to_string()).collect(),
            searched: self
                .searched
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            current_context: current,
            contexts,
            credential_store: self.credential_store,
        }
    }

    /// The file that defines `context` (first file wins).
    pub fn context_source(&self, context: &str) -> Option<&Path> {
        self.merged
            .contexts
            .iter()
            .position(|c| c.name == context)
            .and_then(|i| self.context_sources.get(i))
            .map(PathBuf::as_path)
    }

    pub(crate) fn cluster_source(&self, cluster: &str) -> Option<&Path> {
        self.merged
            .clusters
            .iter()
            .position(|c| c.name == cluster)
            .and_then(|i| self.cluster_sources.get(i))
            .map(PathBuf::as_path)
    }

    pub(crate) fn user_source(&self, user: &str) -> Option<&Path> {
        self.merged
            .auth_infos
            .iter()
            .position(|u| u.name == user)
            .and_then(|i| self.user_sources.get(i))
            .map(PathBuf::as_path)
    }

    pub(crate) fn searched_list(&self) -> String {
        let list: Vec<_> = self
            .searched
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        list.join(", ")
    }

    fn summarize(
        &self,
        named: &NamedContext,
        source: &Path,
        current: Option<&str>,
    ) -> ContextSummary {
        let config = &self.merged;
        let ctx = named.context.clone().unwrap_or_default();
        let cluster = config.clusters.iter().find(|c| c.name == ctx.cluster);
        let server = cluster
            .and_then(|c| c.cluster.as_ref())
            .and_then(|c| c.server.clone());
        let user = ctx.user.clone().unwrap_or_default();
        // Problems kubectl would only report on use; the sidebar shows them
        // up front instead of failing the whole list.
        let problem = if named.context.is_none() {
            Some("the context has no `context:` entry".to_string())
        } else if cluster.is_none() {
            Some(format!(
                "cluster \"{}\" is not defined in any file",
                ctx.cluster
            ))
        } else if !user.is_empty() && !config.auth_infos.iter().any(|u| u.name == user) {
            Some(format!("user \"{user}\" is not defined in any file"))
        } else {
            None
        };
        ContextSummary {
            name: named.name.clone(),
            cluster: ctx.cluster,
            user,
            namespace: ctx.namespace,
            server,
            source: source.display().to_string(),
            is_current: current == Some(named.name.as_str()),
            managed: self.managed_file.as_deref() == Some(source),
            problem,
        }
    }
}

/// Reads and merges `paths` with kubectl's rules: files that do not exist are
/// skipped, the first file to define a name wins, and `current-context` comes
/// from the first file that sets it. A file that exists but cannot be read or
/// parsed is an error naming it, as kubectl refuses to go on.
pub fn load_kubeconfig(paths: &[PathBuf]) -> Result<LoadedKubeconfig, Error> {
    let mut out = LoadedKubeconfig {
        searched: paths.to_vec(),
        ..Default::default()
    };
    for path in paths {
        if out.files.contains(path) {
            continue;
        }
        let Some(file) = read_file(path)? else {
            continue;
        };
        tracing::debug!(path = %path.display(), contexts = file.contexts.len(), "kubeconfig read");
        merge_into(&mut out, file, path);
        out.files.push(path.clone());
    }
    Ok(out)
}

/// One file, parsed and with its relative paths resolved; `None` when it
/// does not exist.
pub(crate) fn read_file(path: &Path) -> Result<Option<Kubeconfig>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::KubeconfigRead {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let mut file = parse(path, &text)?;
    resolve_relative_paths(&mut file, path);
    Ok(Some(file))
}

pub(crate) fn parse(path: &Path, text: &str) -> Result<Kubeconfig, Error> {
    if text.trim().is_empty() {
        return Ok(Kubeconfig::default());
    }
    let invalid = |detail: String| Error::KubeconfigInvalid {
        path: path.to_path_buf(),
        detail,
    };
    // Parse to a generic value first so the shape check can name the problem
    // ("not a mapping") instead of a serde type message.
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| invalid(e.to_string()))?;
    if value.is_null() {
        return Ok(Kubeconfig::default());
    }
    if !value.is_mapping() {
        return Err(invalid(
            "the top level must be a mapping (apiVersion, clusters, contexts, users)".into(),
        ));
    }
    serde_yaml::from_value(value.clone()).map_err(|e| {
        let msg = redact_serde_message(&e.to_string());
        match locate(&value) {
            Some(field) => invalid(format!("{field}: {msg}")),
            None => invalid(msg),
        }
    })
}

/// Which entry a type error is in (`users[alice]`, `contexts`): a value
/// parsed without its file position does not say, so try each part alone.
fn locate(value: &serde_yaml::Value) -> Option<String> {
    use kube::config::{NamedAuthInfo, NamedCluster, NamedContext};
    fn fails<T: serde::de::DeserializeOwned>(v: &serde_yaml::Value) -> bool {
        serde_yaml::from_value::<T>(v.clone()).is_err()
    }
    fn section<T: serde::de::DeserializeOwned>(key: &str, v: &serde_yaml::Value) -> Option<String> {
        let items = v.get(key)?;
        if items.is_null() {
            return None;
        }
        let Some(seq) = items.as_sequence() else {
            return Some(format!("field `{key}` must be a list"));
        };
        seq.iter()
            .enumerate()
            .find(|(_, item)| fails::<T>(item))
            .map(
                |(i, item)| match item.get("name").and_then(|n| n.as_str()) {
                    Some(name) => format!("{key}[{name}]"),
                    None => format!("{key}[{i}]"),
                },
            )
    }
    section::<NamedCluster>("clusters", value)
        .or_else(|| section::<NamedContext>("contexts", value))
        .or_else(|| section::<NamedAuthInfo>("users", value))
        .or_else(|| {
            value
                .get("current-context")
                .filter(|c| !c.is_null() && !c.is_string())
                .map(|_| "field `current-context` must be a string".to_string())
        })
}

/// serde's "invalid type: string \"...\"" messages quote the offending value,
/// which may be a token: keep the position and expectation, drop the quote.
fn redact_serde_message(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut in_quote = false;
    for ch in msg.chars() {
        if ch == '"' {
            if in_quote {
                out.push_str("\"…\"");
            }
            in_quote = !in_quote;
            continue;
        }
        if !in_quote {
            out.push(ch);
        }
    }
    out
}

/// client-go's `ResolveLocalPaths`: certificate-authority, client-certificate,
/// client-key, tokenFile, and an exec command that contains a path separator
/// (a bare name is looked up on PATH) are relative to the file's directory.
fn resolve_relative_paths(file: &mut Kubeconfig, path: &Path) {
    let Some(dir) = path.parent() else { return };
    let base = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let fix = |p: &mut Option<String>| {
        if let Some(s) = p.as_mut() {
            if !s.is_empty() && Path::new(s.as_str()).is_relative() {
                *s = base.join(s.as_str()).display().to_string();
            }
        }
    };
    for c in file.clusters.iter_mut().filter_map(|c| c.cluster.as_mut()) {
        fix(&mut c.certificate_authority);
    }
    for u in file
        .auth_infos
        .iter_mut()
        .filter_map(|u| u.auth_info.as_mut())
    {
        fix(&mut u.client_certificate);
        fix(&mut u.client_key);
        fix(&mut u.token_file);
        if let Some(exec) = u.exec.as_mut() {
            if exec
                .command
                .as_deref()
                .is_some_and(|c| c.contains(std::path::MAIN_SEPARATOR))
            {
                fix(&mut exec.command);
            }
        }
    }
}
