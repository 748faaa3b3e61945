//! Contexts: list, check, switch, namespaces, add/rename/remove added clusters.

use std::sync::Mutex;

use capstan_kube::contexts::{
    self, ConnectionCheck, KubeconfigChanged, KubeconfigOverview, KubeconfigWatch,
    MakeCurrentOutcome, MakeCurrentPreview,
};
use capstan_kube::credentials::CredentialStore;
use capstan_kube::managed::{self, AddedClusters};
use capstan_kube::settings::{self, NamespaceSelection};
use tauri::ipc::Channel;

use crate::{ErrorKind, IpcError};

/// The live kubeconfig watch; replacing it drops (stops) the previous one.
#[derive(Default)]
pub struct WatchSlot(Mutex<Option<KubeconfigWatch>>);

/// Runs blocking file work off the async runtime's workers.
pub(super) async fn blocking<T, F>(f: F) -> Result<T, IpcError>
where
    F: FnOnce() -> Result<T, capstan_kube::Error> + Send + 'static,
    T: Send + 'static,
{
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| {
            IpcError::new(
                ErrorKind::Internal,
                "A background task failed unexpectedly",
                Some(e.to_string()),
            )
        })?
        .map_err(IpcError::from)
}

/// The user's kubeconfig merged as kubectl merges it, plus clusters added in Capstan.
#[tauri::command]
pub async fn list_contexts() -> Result<KubeconfigOverview, IpcError> {
    Ok(blocking(managed::load_all).await?.overview())
}

/// Reachability, auth and TLS state of one context, bounded in time.
#[tauri::command]
pub async fn check_connection(context: String) -> Result<ConnectionCheck, IpcError> {
    let loaded = blocking(managed::load_all).await?;
    Ok(contexts::check_connection(&loaded, &context, contexts::DEFAULT_CHECK_TIMEOUT).await)
}

/// Which file "make current" would write and what the rewrite may lose.
#[tauri::command]
pub async fn make_current_preview(context: String) -> Result<MakeCurrentPreview, IpcError> {
    blocking(move || contexts::make_current_preview(&managed::load_all()?, &context)).await
}

/// Writes `current-context` (atomically, with a timestamped backup).
#[tauri::command]
pub async fn make_current(context: String) -> Result<MakeCurrentOutcome, IpcError> {
    blocking(move || {
        let loaded = managed::load_all()?;
        let outcome = contexts::make_current(&loaded, &context)?;
        tracing::info!(%context, file = %outcome.file, "current-context written");
        Ok(outcome)
    })
    .await
}

#[tauri::command]
pub async fn list_namespaces(context: String) -> Result<Vec<String>, IpcError> {
    let loaded = blocking(managed::load_all).await?;
    Ok(contexts::list_namespaces(&loaded, &context).await?)
}

/// The namespace last used with `context`, if any.
#[tauri::command]
pub async fn get_namespace(context: String) -> Result<Option<NamespaceSelection>, IpcError> {
    blocking(move || settings::remembered_namespace(&context)).await
}

#[tauri::command]
pub async fn set_namespace(context: String, selection: NamespaceSelection) -> Result<(), IpcError> {
    blocking(move || settings::remember_namespace(&context, selection)).await
}

/// Validates a pasted kubeconfig against its server, then stores it in the
/// app-managed file with its secrets in the keyring.
#[tauri::command]
pub async fn add_cluster(kubeconfig: String) -> Result<AddedClusters, IpcError> {
    let current = blocking(managed::load_all).await?;
    let (path, store) = blocking(|| {
        let path = managed::managed_kubeconfig_path()?;
        let dir = capstan_kube::paths::config_dir().ok_or(capstan_kube::Error::NoConfigDir)?;
        Ok((path, CredentialStore::open(&dir)?))
    })
    .await?;
    let added = managed::add_kubeconfig(
        &current,
        &path,
        &store,
        &kubeconfig,
        managed::reach_and_list_namespaces,
    )
    .await?;
    tracing::info!(contexts = ?added.contexts, store = ?added.credential_store, "cluster added");
    Ok(added)
}

#[tauri::command]
pub async fn remove_context(context: String) -> Result<(), IpcError> {
    blocking(move || {
        let loaded = managed::load_all()?;
        let dir = capstan_kube::paths::config_dir().ok_or(capstan_kube::Error::NoConfigDir)?;
        managed::remove_context(&loaded, &CredentialStore::open(&dir)?, &context)?;
        tracing::info!(%context, "added context removed");
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn rename_context(from: String, to: String) -> Result<(), IpcError> {
    blocking(move || {
        let loaded = managed::load_all()?;
        managed::rename_context(&loaded, &from, &to)?;
        // The remembered namespace follows the context.
        let path = settings::settings_path()?;
        let mut s = settings::Settings::load_from(&path)?;
        s.rename_context(&from, &to);
        s.save_to(&path)
    })
    .await
}

/// Watches every kubeconfig file in the merged view (and the app-managed
/// one); each settled change is sent on `on_change`. Calling it again
/// replaces the previous watch.
#[tauri::command]
pub async fn watch_kubeconfig(
    on_change: Channel<KubeconfigChanged>,
    slot: tauri::State<'_, WatchSlot>,
    clients: tauri::State<'_, std::sync::Arc<capstan_kube::ClientCache>>,
) -> Result<(), IpcError> {
    let clients = clients.inner().clone();
    let mut files = contexts::default_kubeconfig_paths();
    if let Ok(p) = managed::managed_kubeconfig_path() {
        files.push(p);
    }
    let watch = contexts::watch_kubeconfig_files(&files, move |changed| {
        // Servers or credentials may have changed: build clients afresh.
        clients.clear();
        if let Err(e) = on_change.send(changed) {
            tracing::debug!(error = %e, "kubeconfig change not delivered (window gone?)");
        }
    })?;
    let mut guard = slot.0.lock().map_err(|_| {
        IpcError::new(
            ErrorKind::Internal,
            "The kubeconfig watch state is poisoned",
            None,
        )
    })?;
    *guard = Some(watch);
    Ok(())
}
