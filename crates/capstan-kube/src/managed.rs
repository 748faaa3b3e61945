//! The app-managed kubeconfig (`<config_dir>/kubeconfig.yaml`): clusters
//! added in Capstan. It joins the merged view after the user's files.
//!
//! Secrets never sit in that file. `token`, `client-key-data` and `password`
//! hold a reference `capstan-keyring:<user>/<field>` instead, and the value
//! lives in the [`CredentialStore`] under that id; loading puts the values
//! back in memory only.

use std::future::Future;
use std::path::{Path, PathBuf};

use kube::config::{AuthInfo, Kubeconfig};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::contexts::{self, LoadedKubeconfig};
use crate::credentials::{CredentialStore, StoreKind};
use crate::{atomic, paths, Error};

/// Prefix of a secret reference in the managed file.
pub const REFERENCE_PREFIX: &str = "capstan-keyring:";

/// `<config_dir>/kubeconfig.yaml`.
pub fn managed_kubeconfig_path() -> Result<PathBuf, Error> {
    Ok(paths::config_dir()
        .ok_or(Error::NoConfigDir)?
        .join("kubeconfig.yaml"))
}

/// The user's kubeconfig (KUBECONFIG, else ~/.kube/config) plus the
/// app-managed file, with its secrets restored. This is the view the app and
/// the CLI should use.
pub fn load_all() -> Result<LoadedKubeconfig, Error> {
    let paths = contexts::default_kubeconfig_paths();
    let Some(dir) = paths::config_dir() else {
        return contexts::load_kubeconfig(&paths);
    };
    let managed = dir.join("kubeconfig.yaml");
    if !managed.exists() {
        return contexts::load_kubeconfig(&paths);
    }
    let store = CredentialStore::open(&dir)?;
    load_with_managed(&paths, &managed, &store)
}

/// `paths` merged as kubectl does, then `managed` after them.
pub fn load_with_managed(
    paths: &[PathBuf],
    managed: &Path,
    store: &CredentialStore,
) -> Result<LoadedKubeconfig, Error> {
    let mut loaded = contexts::load_kubeconfig(paths)?;
    loaded.searched.push(managed.to_path_buf());
    loaded.managed_file = Some(managed.to_path_buf());
    loaded.credential_store = Some(store.kind());
    if loaded.files.iter().any(|f| f == managed) {
        return Ok(loaded);
    }
    let Some(mut file) = contexts::read_file(managed)? else {
        return Ok(loaded);
    };
    for user in &mut file.auth_infos {
        if let Some(auth) = user.auth_info.as_mut() {
            restore(auth, store)?;
        }
    }
    crate::contexts::merge_file(&mut loaded, file, managed);
    loaded.files.push(managed.to_path_buf());
    Ok(loaded)
}

/// What "Add cluster" saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct AddedClusters {
    pub contexts: Vec<String>,
    pub file: String,
    pub credential_store: StoreKind,
}

/// The default validation: reach the server and list namespaces.
pub async fn reach_and_list_namespaces(
    loaded: LoadedKubeconfig,
    context: String,
) -> Result<(), Error> {
    use k8s_openapi::api::core::v1::Namespace;
    let failed = |detail: String| Error::ValidationFailed {
        context: context.clone(),
        detail,
    };
    let client = tokio::time::timeout(
        contexts::DEFAULT_CHECK_TIMEOUT,
        contexts::client(&loaded, &context),
    )
    .await
    .map_err(|_| failed("the credential plugin did not finish in time".into()))??;
    let api: kube::Api<Namespace> = kube::Api::all(client);
    let list = tokio::time::timeout(
        contexts::DEFAULT_CHECK_TIMEOUT,
        api.list(&kube::api::ListParams::default().limit(1)),
    )
    .await
    .map_err(|_| failed("the server did not answer in time".into()))?;
    list.map(|_| ())
        .map_err(|e| failed(contexts::classify_error(&e).1))
}

/// Validates `pasted` (parse, no name clashes with `current`, each context
/// passes `validate`), moves its secrets into `store`, and appends it to
/// `managed`. Nothing is written unless every step passes.
pub async fn add_kubeconfig<V, Fut>(
    current: &LoadedKubeconfig,
    managed: &Path,
    store: &CredentialStore,
    pasted: &str,
    validate: V,
) -> Result<AddedClusters, Error>
where
    V: Fn(LoadedKubeconfig, String) -> Fut,
    Fut: Future<Output = Result<(), Error>>,
{
    let label = Path::new("(pasted kubeconfig)");
    let mut incoming = contexts::parse(label, pasted)?;
    if incoming.contexts.is_empty() {
        return Err(Error::InvalidInput(
            "the pasted kubeconfig has no contexts: paste a whole kubeconfig file".into(),
        ));
    }
    check_no_relative_paths(&incoming)?;
    check_duplicates(current, &incoming)?;

    let mut alone = LoadedKubeconfig {
        searched: vec![label.to_path_buf()],
        ..Default::default()
    };
    contexts::merge_file(&mut alone, incoming.clone(), label);
    for ctx in &incoming.contexts {
        contexts::single_context(&alone, &ctx.name)?;
        validate(alone.clone(), ctx.name.clone()).await?;
    }

    let mut stored = Vec::new();
    let result = (|| {
        for user in &mut incoming.auth_infos {
            let name = user.name.clone();
            if let Some(auth) = user.auth_info.as_mut() {
                stored.extend(stash(&name, auth, store)?);
            }
        }
        let mut file = match contexts::read_file(managed)? {
            Some(f) => f,
            None => Kubeconfig {
                api_version: Some("v1".into()),
                kind: Some("Config".into()),
                ..Default::default()
            },
        };
        incoming.current_context = None;
        file.clusters.extend(incoming.clusters.clone());
        file.auth_infos.extend(incoming.auth_infos.clone());
        file.contexts.extend(incoming.contexts.clone());
        write_managed(managed, &file)
    })();
    if let Err(e) = result {
        for id in &stored {
            let _ = store.delete(id);
        }
        return Err(e);
    }
    Ok(AddedClusters {
        contexts: incoming.contexts.iter().map(|c| c.name.clone()).collect(),
        file: managed.display().to_string(),
        credential_store: store.kind(),
    })
}

/// Removes a context added in Capstan, and its cluster, user and stored
/// secrets when no other managed context uses them.
pub fn remove_context(
    loaded: &LoadedKubeconfig,
    store: &CredentialStore,
    context: &str,
) -> Result<(), Error> {
    let managed = require_managed(loaded, context)?;
    let mut file = contexts::read_file(&managed)?.unwrap_or_default();
    let Some(pos) = file.contexts.iter().position(|c| c.name == context) else {
        return Err(not_found(loaded, context));
    };
    let removed = file.contexts.remove(pos).context.unwrap_or_default();
    let used =
        |f: &Kubeconfig, pick: &dyn Fn(&kube::config::Context) -> Option<String>, name: &str| {
            f.contexts
                .iter()
                .filter_map(|c| c.context.as_ref())
                .any(|c| pick(c).as_deref() == Some(name))
        };
    if !used(&file, &|c| Some(c.cluster.clone()), &removed.cluster) {
        file.clusters.retain(|c| c.name != removed.cluster);
    }
    let mut secrets = Vec::new();
    if let Some(user) = removed
        .user
        .filter(|u| !used(&file, &|c| c.user.clone(), u))
    {
        if let Some(u) = file.auth_infos.iter().find(|u| u.name == user) {
            secrets = references(u.auth_info.as_ref());
        }
        file.auth_infos.retain(|u| u.name != user);
    }
    write_managed(&managed, &file)?;
    for id in secrets {
        store.delete(&id)?;
    }
    Ok(())
}

/// Renames a context added in Capstan. The new name must be free in the
/// whole merged view.
pub fn rename_context(loaded: &LoadedKubeconfig, from: &str, to: &str) -> Result<(), Error> {
    let managed = require_managed(loaded, from)?;
    if to.trim().is_empty() {
        return Err(Error::InvalidInput("a context name cannot be empty".into()));
    }
    if let Some(existing) = loaded.context_source(to) {
        return Err(Error::DuplicateName {
            kind: "context",
            name: to.to_string(),
            existing: existing.to_path_buf(),
        });
    }
    let mut file = contexts::read_file(&managed)?.unwrap_or_default();
    let Some(ctx) = file.contexts.iter_mut().find(|c| c.name == from) else {
        return Err(not_found(loaded, from));
    };
    ctx.name = to.to_string();
    write_managed(&managed, &file)
}

fn require_managed(loaded: &LoadedKubeconfig, context: &str) -> Result<PathBuf, Error> {
    let source = loaded
        .context_source(context)
        .ok_or_else(|| not_found(loaded, context))?;
    match loaded.managed_file.as_deref() {
        Some(m) if m == source => Ok(m.to_path_buf()),
        _ => Err(Error::NotManaged {
            context: context.to_string(),
            path: source.to_path_buf(),
        }),
    }
}

fn not_found(loaded: &LoadedKubeconfig, context: &str) -> Error {
    Error::ContextNotFound {
        context: context.to_string(),
        searched: loaded.searched_list(),
    }
}

fn write_managed(path: &Path, file: &Kubeconfig) -> Result<(), Error> {
    let text = serde_yaml::to_string(file).map_err(|e| Error::KubeconfigInvalid {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    atomic::write_atomic(path, text.as_bytes(), Some(0o600))
}

/// A pasted file has no directory, so relative paths mean nothing.
fn check_no_relative_paths(k: &Kubeconfig) -> Result<(), Error> {
    let label = PathBuf::from("(pasted kubeconfig)");
    let bad = |field: String, p: &str| {
        Error::KubeconfigEntry {
        path: label.clone(),
        field,
        detail: format!("\"{p}\" is a relative path, which a pasted kubeconfig cannot resolve: use an absolute path or the -data field"),
    }
    };
    fn rel(p: &Option<String>) -> Option<&str> {
        p.as_deref()
            .filter(|p| !p.is_empty() && Path::new(p).is_relative())
    }
    for c in &k.clusters {
        if let Some(p) = rel(&c
            .cluster
            .as_ref()
            .and_then(|c| c.certificate_authority.clone()))
        {
            return Err(bad(
                format!("clusters[{}].cluster.certificate-authority", c.name),
                p,
            ));
        }
    }
    for u in &k.auth_infos {
        let Some(a) = u.auth_info.as_ref() else {
            continue;
        };
        for (key, v) in [
            ("client-certificate", &a.client_certificate),
            ("client-key", &a.client_key),
            ("tokenFile", &a.token_file),
        ] {
            if let Some(p) = rel(v) {
                return Err(bad(format!("users[{}].user.{key}", u.name), p));
            }
        }
    }
    Ok(())
}

fn check_duplicates(current: &LoadedKubeconfig, incoming: &Kubeconfig) -> Result<(), Error> {
    let dup = |kind: &'static str, name: &str, existing: Option<&Path>| {
        existing.map(|p| Error::DuplicateName {
            kind,
            name: name.to_string(),
            existing: p.to_path_buf(),
        })
    };
    for c in &incoming.contexts {
        if let Some(e) = dup("context", &c.name, current.context_source(&c.name)) {
            return Err(e);
        }
    }
    for c in &incoming.clusters {
        if let Some(e) = dup("cluster", &c.name, current.cluster_source(&c.name)) {
            return Err(e);
        }
    }
    for u in &incoming.auth_infos {
        if let Some(e) = dup("user", &u.name, current.user_source(&u.name)) {
            return Err(e);
        }
    }
    Ok(())
}

fn reference(user: &str, field: &str) -> String {
    format!("{REFERENCE_PREFIX}{user}/{field}")
}

/// The secret fields, by their kubeconfig names.
fn secret_fields(auth: &mut AuthInfo) -> [(&'static str, &mut Option<SecretString>); 3] {
    [
        ("token", &mut auth.token),
        ("client-key-data", &mut auth.client_key_data),
        ("password", &mut auth.password),
    ]
}

/// Moves `auth`'s secrets into `store`, leaving references; returns the ids.
fn stash(user: &str, auth: &mut AuthInfo, store: &CredentialStore) -> Result<Vec<String>, Error> {
    let mut ids = Vec::new();
    for (field, slot) in secret_fields(auth) {
        let Some(secret) = slot.as_ref().filter(|s| !s.expose_secret().is_empty()) else {
            continue;
        };
        let id = reference(user, field);
        store.set(&id[REFERENCE_PREFIX.len()..], secret.expose_secret())?;
        ids.push(id[REFERENCE_PREFIX.len()..].to_string());
        *slot = Some(SecretString::from(id));
    }
    Ok(ids)
}

/// Puts stored secrets back in place of their references (memory only).
fn restore(auth: &mut AuthInfo, store: &CredentialStore) -> Result<(), Error> {
    for (field, slot) in secret_fields(auth) {
        let Some(id) = slot.as_ref().and_then(|s| {
            s.expose_secret()
                .strip_prefix(REFERENCE_PREFIX)
                .map(str::to_string)
        }) else {
            continue;
        };
        match store.get(&id)? {
            Some(secret) => *slot = Some(SecretString::from(secret)),
            None => {
                // A reference without a value (keyutils after a reboot):
                // connect without it and let the check show "auth failed".
                tracing::warn!(id, field, "stored credential is missing");
                *slot = None;
            }
        }
    }
    Ok(())
}

fn references(auth: Option<&AuthInfo>) -> Vec<String> {
    let Some(auth) = auth else { return Vec::new() };
    [&auth.token, &auth.client_key_data, &auth.password]
        .into_iter()
        .flatten()
        .filter_map(|s| {
            s.expose_secret()
                .strip_prefix(REFERENCE_PREFIX)
                .map(str::to_string)
        })
        .collect()
}

#[cfg(test)]
#[path = "managed_tests.rs"]
mod tests;
