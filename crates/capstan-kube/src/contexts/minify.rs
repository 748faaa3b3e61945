//! A kubeconfig holding one context, for a terminal bound to that context:
//! `KUBECONFIG=<file>` makes `kubectl` and `helm` act on it and on the
//! namespace the user is looking at, whatever the user's current context is.
//!
//! The file is written 0600 (it may hold restored keyring secrets) and
//! removed when its [`ContextKubeconfig`] guard is dropped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use super::{single_context, LoadedKubeconfig};
use crate::Error;

/// A written one-context kubeconfig; dropping it removes the file.
#[derive(Debug)]
pub struct ContextKubeconfig {
    path: PathBuf,
}

impl ContextKubeconfig {
    /// Where the file is: the value for `KUBECONFIG`.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ContextKubeconfig {
    fn drop(&mut self) {
        match std::fs::remove_file(&self.path) {
            Ok(()) => tracing::debug!(path = %self.path.display(), "context kubeconfig removed"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "could not remove a context kubeconfig");
            }
        }
    }
}

/// The YAML of a kubeconfig with only `context`, its cluster and its user,
/// current, with `namespace` as its namespace when given. `loaded` must
/// come from [`crate::managed::load_all`] (or `load_with_managed`) so that
/// app-managed secrets are restored from the credential store; an exec
/// plugin stays as the user configured it, since kubectl runs it in a
/// terminal.
pub fn minified_kubeconfig(
    loaded: &LoadedKubeconfig,
    context: &str,
    namespace: Option<&str>,
) -> Result<String, Error> {
    let mut single = single_context(loaded, context)?;
    // single_context makes exec plugins non-interactive for the app itself;
    // the user's own kubectl gets the plugin exactly as written.
    for user in &mut single.auth_infos {
        let original = loaded
            .merged
            .auth_infos
            .iter()
            .find(|u| u.name == user.name)
            .and_then(|u| u.auth_info.as_ref())
            .and_then(|a| a.exec.clone());
        if let Some(auth) = user.auth_info.as_mut() {
            auth.exec = original;
        }
    }
    if let Some(ns) = namespace.filter(|n| !n.is_empty()) {
        for named in &mut single.contexts {
            if let Some(ctx) = named.context.as_mut() {
                ctx.namespace = Some(ns.to_string());
            }
        }
    }
    serde_yaml::to_string(&single).map_err(|e| Error::KubeconfigInvalid {
        path: format!("(the kubeconfig of context {context})").into(),
        detail: e.to_string(),
    })
}

/// Writes [`minified_kubeconfig`] to a new 0600 file in `dir`; the returned
/// guard removes it when dropped.
pub fn write_context_kubeconfig(
    loaded: &LoadedKubeconfig,
    context: &str,
    namespace: Option<&str>,
    dir: &Path,
) -> Result<ContextKubeconfig, Error> {
    let yaml = minified_kubeconfig(loaded, context, namespace)?;
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let path = dir.join(format!(
        "capstan-context-{}-{}.kubeconfig",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let err = |source| Error::WriteFile {
        path: path.clone(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    // create_new: never follow or reuse a file someone placed there.
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path).map_err(err)?;
    // The guard exists before the write, so a failed write removes the file.
    let guard = ContextKubeconfig { path: path.clone() };
    file.write_all(yaml.as_bytes()).map_err(err)?;
    file.sync_all().map_err(err)?;
    tracing::debug!(path = %path.display(), "context kubeconfig written");
    Ok(guard)
}

#[cfg(test)]
#[path = "minify_tests.rs"]
mod tests;
