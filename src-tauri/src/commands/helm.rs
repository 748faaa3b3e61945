//! Helm releases: thin wrappers over `capstan_kube::helm`. Reads come from
//! Helm's storage in the cluster; actions run the real `helm` (found on the
//! login shell's PATH or at the path in settings), its output streamed to
//! the page line by line.

use std::sync::Arc;

use capstan_kube::helm::{
    self, ActionOutcome, ActionTarget, HelmAction, HistoryEntry, OutputLine, ReleaseDetails,
    ReleaseView, RevisionDiff,
};
use capstan_kube::table::ViewEvent;
use capstan_kube::ClientCache;
use serde::Serialize;
use tauri::ipc::Channel;
#[cfg(test)]
use ts_rs::TS;

use crate::sessions::{ChannelSink, SessionRegistry};
use crate::IpcError;

type Clients<'a> = tauri::State<'a, Arc<ClientCache>>;

/// Open release tables by id.
pub type HelmViews = SessionRegistry<ReleaseView>;

/// Whether actions can run, and if not, how to enable them.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub struct HelmAvailability {
    /// The helm that actions run.
    pub path: Option<String>,
    /// Why there is none and what to do.
    pub message: Option<String>,
}

fn find_helm() -> Result<std::path::PathBuf, capstan_kube::Error> {
    let configured = capstan_kube::settings::load_settings()?.helm_path;
    helm::find_helm(configured.as_deref())
}

/// Which helm actions would run.
#[tauri::command]
pub async fn helm_availability() -> Result<HelmAvailability, IpcError> {
    let found = tauri::async_runtime::spawn_blocking(find_helm)
        .await
        .map_err(|e| IpcError::new(crate::ipc_error::ErrorKind::Internal, e.to_string(), None))?;
    Ok(match found {
        Ok(path) => HelmAvailability {
            path: Some(path.display().to_string()),
            message: None,
        },
        Err(e) => HelmAvailability {
            path: None,
            message: Some(e.to_string()),
        },
    })
}

/// Opens the live release table (`namespaces` empty: all) on `channel`;
/// returns the id to close it with.
#[tauri::command]
pub async fn open_helm_releases(
    context: String,
    namespaces: Vec<String>,
    channel: Channel<ViewEvent>,
    clients: Clients<'_>,
    views: tauri::State<'_, HelmViews>,
) -> Result<u32, IpcError> {
    let client = clients.get(&context).await?;
    // A forbidden or unreachable cluster is an error now, not a table that
    // reconnects forever.
    helm::list::check_readable(&client, &context, &namespaces).await?;
    let view = helm::open_release_view(client, &namespaces, Arc::new(ChannelSink::new(channel)));
    Ok(views.insert(view))
}

#[tauri::command]
pub fn close_helm_releases(id: u32, views: tauri::State<'_, HelmViews>) {
    views.remove(id);
}

/// One revision (the newest when `revision` is null) for the details panel.
#[tauri::command]
pub async fn helm_release(
    context: String,
    namespace: String,
    name: String,
    revision: Option<i64>,
    clients: Clients<'_>,
) -> Result<ReleaseDetails, IpcError> {
    let client = clients.get(&context).await?;
    Ok(helm::release_details(&client, &context, &namespace, &name, revision).await?)
}

#[tauri::command]
pub async fn helm_history(
    context: String,
    namespace: String,
    name: String,
    clients: Clients<'_>,
) -> Result<Vec<HistoryEntry>, IpcError> {
    let client = clients.get(&context).await?;
    Ok(helm::history(&client, &context, &namespace, &name).await?)
}

#[tauri::command]
pub async fn helm_diff(
    context: String,
    namespace: String,
    name: String,
    from: i64,
    to: i64,
    clients: Clients<'_>,
) -> Result<RevisionDiff, IpcError> {
    let client = clients.get(&context).await?;
    Ok(helm::diff_revisions(&client, &context, &namespace, &name, from, to).await?)
}

/// Checks edited values before an upgrade is offered.
#[tauri::command]
pub fn helm_validate_values(values_yaml: String) -> Result<(), IpcError> {
    helm::validate_values(&values_yaml)?;
    Ok(())
}

/// Runs a rollback, upgrade or uninstall through helm, each output line to
/// `output`; the result, or helm's stderr as the error's detail.
#[tauri::command]
pub async fn helm_action(
    context: String,
    namespace: String,
    name: String,
    action: HelmAction,
    output: Channel<OutputLine>,
    clients: Clients<'_>,
) -> Result<ActionOutcome, IpcError> {
    let client = clients.get(&context).await?;
    let (program, loaded) = tauri::async_runtime::spawn_blocking(|| {
        Ok::<_, capstan_kube::Error>((find_helm()?, capstan_kube::managed::load_all()?))
    })
    .await
    .map_err(|e| IpcError::new(crate::ipc_error::ErrorKind::Internal, e.to_string(), None))??;
    let target = ActionTarget {
        helm: &program,
        kubeconfig: &loaded,
        context: &context,
        namespace: &namespace,
        release: &name,
    };
    let sink = ChannelSink::new(output);
    Ok(helm::run_action(&client, &target, &action, &sink).await?)
}
