//! Log sessions streamed to the UI over a Channel, and downloads to a file
//! the user named. Open sessions live in a registry keyed by id so closing a
//! tab (or reloading the page) stops their streams.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use capstan_kube::logs::{self, LogBatch, LogHandle, LogOptions, LogSink, LogTarget};
use capstan_kube::ClientCache;
use k8s_openapi::api::core::v1::Pod;
use tauri::ipc::Channel;

use crate::IpcError;

/// Open log sessions by id.
#[derive(Default)]
pub struct LogSessions {
    next: AtomicU32,
    open: Mutex<HashMap<u32, LogHandle>>,
}

impl LogSessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u32, LogHandle>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops every session (the page that listened was reloaded or closed).
    pub fn close_all(&self) {
        let closed: Vec<LogHandle> = self.lock().drain().map(|(_, h)| h).collect();
        if !closed.is_empty() {
            tracing::debug!(count = closed.len(), "closing every log session");
        }
    }
}

struct ChannelSink(Channel<LogBatch>);

impl LogSink for ChannelSink {
    fn batch(&self, batch: LogBatch) {
        // A closed channel means the page is gone; the registry drops the
        // session on reload, so a failed send needs no action here.
        if self.0.send(batch).is_err() {
            tracing::debug!("log batch not delivered: channel closed");
        }
    }
}

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
    let handle = logs::open_logs(client, target, options, Arc::new(ChannelSink(channel)))?;
    let id = sessions.next.fetch_add(1, Ordering::Relaxed) + 1;
    sessions.lock().insert(id, handle);
    Ok(id)
}

/// Stops a session's streams. Unknown ids are ignored (already closed).
#[tauri::command]
pub fn close_logs(id: u32, sessions: tauri::State<'_, LogSessions>) {
    let closed = sessions.lock().remove(&id);
    tracing::debug!(id, found = closed.is_some(), "log session closed");
}

/// Where downloads go by default: the user's Downloads folder, else home.
#[tauri::command]
pub fn downloads_dir() -> Option<String> {
    let dirs = directories::UserDirs::new()?;
    let dir = dirs
        .download_dir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dirs.home_dir().to_path_buf());
    Some(dir.display().to_string())
}

/// The path the user typed, checked so a save can only create or replace a
/// regular file in an existing folder.
fn target_file(path: &str) -> Result<PathBuf, capstan_kube::Error> {
    let path = PathBuf::from(path.trim());
    if !path.is_absolute() {
        return Err(capstan_kube::Error::InvalidInput(
            "choose a full path for the file (starting at the root of the disk)".into(),
        ));
    }
    if path.is_dir() {
        return Err(capstan_kube::Error::InvalidInput(format!(
            "{} is a folder: add a file name",
            path.display()
        )));
    }
    match path.parent() {
        Some(parent) if parent.is_dir() => Ok(path),
        _ => Err(capstan_kube::Error::InvalidInput(format!(
            "the folder of {} does not exist",
            path.display()
        ))),
    }
}

/// Streams the full log of one container to `path`, reporting the bytes
/// written so far on `progress`; returns the total.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn download_log(
    context: String,
    namespace: String,
    pod: String,
    container: String,
    previous: bool,
    path: String,
    progress: Channel<u64>,
    clients: tauri::State<'_, Arc<ClientCache>>,
) -> Result<u64, IpcError> {
    let path = target_file(&path)?;
    let client = clients.get(&context).await?;
    let api: kube::Api<Pod> = kube::Api::namespaced(client, &namespace);
    tracing::debug!(%context, %namespace, %pod, %container, "downloading a log");
    let total = logs::download_log(&api, &pod, &container, previous, &path, |bytes| {
        // Progress is advisory: a closed channel must not stop the download.
        let _ = progress.send(bytes);
    })
    .await?;
    Ok(total)
}

/// Writes what the UI holds (the log buffer) to the file the user named.
#[tauri::command]
pub async fn save_text(path: String, text: String) -> Result<u64, IpcError> {
    let path = target_file(&path)?;
    let len = text.len() as u64;
    tokio::fs::write(&path, text)
        .await
        .map_err(|source| capstan_kube::Error::WriteFile { path, source })?;
    Ok(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_and_folders_are_refused() {
        assert!(target_file("logs.txt").is_err());
        let dir = std::env::temp_dir();
        assert!(target_file(&dir.display().to_string()).is_err());
        assert!(target_file(&dir.join("no-such-dir/x.log").display().to_string()).is_err());
        assert_eq!(
            target_file(&dir.join("x.log").display().to_string()).ok(),
            Some(dir.join("x.log"))
        );
    }
}
