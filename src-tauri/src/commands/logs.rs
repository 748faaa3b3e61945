//! Log sessions streamed to the UI over a Channel, and saves to a file the
//! user chooses in the native save dialog. Open sessions live in a registry
//! keyed by id so closing a tab (or reloading the page) stops their streams.

use std::sync::Arc;

use capstan_kube::logs::{self, LogBatch, LogHandle, LogOptions, LogTarget};
use capstan_kube::ClientCache;
use serde::Serialize;
use tauri::ipc::Channel;
#[cfg(test)]
use ts_rs::TS;

use super::pick::save_file_dialog;
use crate::sessions::{ChannelSink, SessionRegistry};
use crate::IpcError;

/// Open log sessions by id.
pub type LogSessions = SessionRegistry<LogHandle>;

/// Starts streaming the logs of `target` to `channel`; returns the id to
/// close the session with.
#[tauri::command]
pub async fn open_logs(
    context: String,
    target: LogTarget,
    options: LogOptions,
    channel: Channel<LogBatch>,
    clients: tauri::State<'_, Arc<ClientCache>>,
    sessions: tauri::State<'_, LogSessions>,
) -> Result<u32, IpcError> {
    let client = clients.get(&context).await?;
    tracing::debug!(%context, ?target, namespace = %options.namespace, "opening logs");
    let handle = logs::open_logs(client, target, options, Arc::new(ChannelSink::new(channel)))?;
    Ok(sessions.insert(handle))
}

/// Stops a session's streams. Unknown ids are ignored (already closed).
#[tauri::command]
pub fn close_logs(id: u32, sessions: tauri::State<'_, LogSessions>) {
    sessions.remove(id);
}

/// A file written by a save: where the user put it and how many bytes.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(TS))]
#[cfg_attr(test, ts(export))]
pub struct SavedFile {
    pub path: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes: u64,
}

/// Streams the full log of one container to a file the user chooses in the
/// native save dialog (`suggested_name` is only the name it proposes),
/// reporting the bytes written so far on `progress`. None when cancelled.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn download_log(
    app: tauri::AppHandle,
    context: String,
    namespace: String,
    pod: String,
    container: String,
    previous: bool,
    suggested_name: String,
    progress: Channel<u64>,
    clients: tauri::State<'_, Arc<ClientCache>>,
) -> Result<Option<SavedFile>, IpcError> {
    let Some(path) = save_file_dialog(&app, "Download the full log", &suggested_name).await? else {
        return Ok(None);
    };
    let client = clients.get(&context).await?;
    tracing::debug!(%context, %namespace, %pod, %container, "downloading a log");
    let bytes = logs::download_log(
        client,
        &namespace,
        &pod,
        &container,
        previous,
        &path,
        |bytes| {
            // Progress is advisory: a closed channel must not stop the download.
            let _ = progress.send(bytes);
        },
    )
    .await?;
    Ok(Some(SavedFile {
        path: path.display().to_string(),
        bytes,
    }))
}

/// Writes what the UI holds (the log buffer) to a file the user chooses in
/// the native save dialog. None when cancelled.
#[tauri::command]
pub async fn save_text(
    app: tauri::AppHandle,
    suggested_name: String,
    text: String,
) -> Result<Option<SavedFile>, IpcError> {
    let Some(path) = save_file_dialog(&app, "Save the log buffer", &suggested_name).await? else {
        return Ok(None);
    };
    let bytes = text.len() as u64;
    tokio::fs::write(&path, text)
        .await
        .map_err(|source| capstan_kube::Error::WriteFile {
            path: path.clone(),
            source,
        })?;
    Ok(Some(SavedFile {
        path: path.display().to_string(),
        bytes,
    }))
}
