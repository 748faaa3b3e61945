//! Pod terminals and file copy (`capstan_kube::exec`): a shell (or a chosen
//! command), attach to the main process, and a debug container, each opened
//! as a terminal (`crate::terminal`, so input, resize and close are the
//! terminal commands); and copy from or to a container, where Rust opens
//! the native dialog so the page never names a local path.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use capstan_kube::exec::copy::{CopyControl, RemotePath};
use capstan_kube::exec::{self, Batching, DebugRequest, ExecRequest};
use capstan_kube::ClientCache;
use serde::Serialize;
use tauri::ipc::{Channel, InvokeResponseBody};
#[cfg(test)]
use ts_rs::TS;

use super::pick;
use super::terminal::TerminalOpened;
use crate::sessions::SessionRegistry;
use crate::terminal::{self, pod, Backend, TerminalSessions};
use crate::IpcError;

type Clients<'a> = tauri::State<'a, Arc<ClientCache>>;

/// Running copies' cancel flags by id.
pub type Copies = SessionRegistry<Arc<AtomicBool>>;

fn opened(
    sessions: &TerminalSessions,
    session: exec::TerminalSession,
    pod_name: &str,
    channel: Channel<InvokeResponseBody>,
) -> TerminalOpened {
    let opened = pod::wrap(session);
    let label = format!("{pod_name}/{}", opened.container);
    let id = terminal::start(
        sessions,
        Backend::Pod(opened.shell),
        opened.output,
        opened.exit,
        channel,
    );
    tracing::debug!(id, %label, "pod terminal opened");
    TerminalOpened { id, label }
}

/// Runs `command` (None: the first shell found, bash else sh) in
/// `container` (None: the default-container annotation, else the first)
/// with a TTY of `cols` x `rows`. The label says which container it chose.
/// An image without a shell ends with an `error` of kind `noShell`.
#[allow(clippy::too_many_arguments)] // a command's arguments are its IPC fields
#[tauri::command]
pub async fn open_pod_shell(
    context: String,
    namespace: String,
    pod: String,
    container: Option<String>,
    command: Option<Vec<String>>,
    cols: u16,
    rows: u16,
    channel: Channel<InvokeResponseBody>,
    clients: Clients<'_>,
    sessions: tauri::State<'_, TerminalSessions>,
) -> Result<TerminalOpened, IpcError> {
    let client = clients.get(&context).await?;
    let request = ExecRequest {
        container,
        command,
        size: Some((cols, rows)),
        batching: Batching::default(),
        ..ExecRequest::shell(&namespace, &pod)
    };
    let session = exec::open(client, request).await?;
    Ok(opened(&sessions, session, &pod, channel))
}

/// Attaches to `container`'s main process (stdin and TTY when its spec has them).
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn attach_pod(
    context: String,
    namespace: String,
    pod: String,
    container: Option<String>,
    cols: u16,
    rows: u16,
    channel: Channel<InvokeResponseBody>,
    clients: Clients<'_>,
    sessions: tauri::State<'_, TerminalSessions>,
) -> Result<TerminalOpened, IpcError> {
    let client = clients.get(&context).await?;
    let session = exec::attach(
        client,
        &namespace,
        &pod,
        container.as_deref(),
        Some((cols, rows)),
        Batching::default(),
    )
    .await?;
    Ok(opened(&sessions, session, &pod, channel))
}

/// Adds an ephemeral debug container of `image` (None: busybox) sharing
/// `target_container`'s processes, and opens a terminal on it.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn open_debug_shell(
    context: String,
    namespace: String,
    pod: String,
    target_container: Option<String>,
    image: Option<String>,
    cols: u16,
    rows: u16,
    channel: Channel<InvokeResponseBody>,
    clients: Clients<'_>,
    sessions: tauri::State<'_, TerminalSessions>,
) -> Result<TerminalOpened, IpcError> {
    let client = clients.get(&context).await?;
    let request = DebugRequest {
        target: target_container,
        image: image.filter(|i| !i.trim().is_empty()),
        size: Some((cols, rows)),
        ..DebugRequest::new(&namespace, &pod)
    };
    let (_name, session) = exec::debug(client, request).await?;
    Ok(opened(&sessions, session, &pod, channel))
}

/// What a copy reports while it runs.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase", tag = "event")]
#[cfg_attr(test, ts(export))]
pub enum CopyEvent {
    /// The user chose the local side; `id` is for `cancel_copy`.
    Started { id: u32, local: String },
    /// Archive bytes moved so far.
    Progress {
        #[cfg_attr(test, ts(type = "number"))]
        bytes: u64,
    },
}

/// A finished copy.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub struct CopyDone {
    /// The local file or folder written or read.
    pub local: String,
    #[cfg_attr(test, ts(type = "number"))]
    pub bytes: u64,
}

/// Progress is sent at most once per this many bytes (and at the end).
const PROGRESS_STEP: u64 = 256 * 1024;

/// Registers a copy and builds its control; the guard removes it again.
fn control(
    copies: &Arc<Copies>,
    progress: Channel<CopyEvent>,
    local: &std::path::Path,
) -> (CopyControl, CopyGuard) {
    let cancel = Arc::new(AtomicBool::new(false));
    let id = copies.insert(cancel.clone());
    let _ = progress.send(CopyEvent::Started {
        id,
        local: local.display().to_string(),
    });
    let last = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let report = move |bytes: u64| {
        let before = last.load(Ordering::Relaxed);
        if bytes >= before + PROGRESS_STEP {
            last.store(bytes, Ordering::Relaxed);
            let _ = progress.send(CopyEvent::Progress { bytes });
        }
    };
    (
        CopyControl {
            progress: Some(Arc::new(report)),
            cancel,
        },
        CopyGuard {
            copies: copies.clone(),
            id,
        },
    )
}

/// Takes a finished copy out of the registry.
struct CopyGuard {
    copies: Arc<Copies>,
    id: u32,
}

impl Drop for CopyGuard {
    fn drop(&mut self) {
        self.copies.remove(self.id);
    }
}

fn name_of(remote_path: &str) -> &str {
    remote_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
}

/// Downloads `remote_path` (a folder when `folder`) from the container to
/// where the user chooses in the native dialog. None when the dialog was
/// cancelled. `progress` gets `started` (with the id for `cancel_copy`),
/// then `progress`.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn copy_from_pod(
    app: tauri::AppHandle,
    context: String,
    namespace: String,
    pod: String,
    container: Option<String>,
    remote_path: String,
    folder: bool,
    progress: Channel<CopyEvent>,
    clients: Clients<'_>,
    copies: tauri::State<'_, Arc<Copies>>,
) -> Result<Option<CopyDone>, IpcError> {
    let name = pick::file_name(name_of(&remote_path));
    let dest: Option<PathBuf> = if folder {
        pick::open_dialog(&app, "Download the folder into", true)
            .await?
            .map(|dir| dir.join(&name))
    } else {
        pick::save_file_dialog(&app, "Save the file from the container", &name).await?
    };
    let Some(dest) = dest else { return Ok(None) };
    let client = clients.get(&context).await?;
    let remote = RemotePath {
        namespace,
        pod,
        container,
        path: remote_path,
    };
    let (control, _guard) = control(&copies, progress, &dest);
    let bytes = exec::copy::download(client, &remote, &dest, &control).await?;
    Ok(Some(CopyDone {
        local: dest.display().to_string(),
        bytes,
    }))
}

/// Uploads a file (or a folder when `folder`) the user chooses in the
/// native dialog into `remote_dir` of the container. None when cancelled.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn copy_to_pod(
    app: tauri::AppHandle,
    context: String,
    namespace: String,
    pod: String,
    container: Option<String>,
    remote_dir: String,
    folder: bool,
    progress: Channel<CopyEvent>,
    clients: Clients<'_>,
    copies: tauri::State<'_, Arc<Copies>>,
) -> Result<Option<CopyDone>, IpcError> {
    let title = if folder {
        "Folder to upload"
    } else {
        "File to upload"
    };
    let Some(src) = pick::open_dialog(&app, title, folder).await? else {
        return Ok(None);
    };
    let name = src
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let client = clients.get(&context).await?;
    let remote = RemotePath {
        namespace,
        pod,
        container,
        path: format!("{}/{name}", remote_dir.trim_end_matches('/')),
    };
    let (control, _guard) = control(&copies, progress, &src);
    let bytes = exec::copy::upload(client, &src, &remote, &control).await?;
    Ok(Some(CopyDone {
        local: src.display().to_string(),
        bytes,
    }))
}

/// Stops copy `id` (it then fails with kind `cancelled`). Unknown ids are
/// ignored (already finished).
#[tauri::command]
pub fn cancel_copy(id: u32, copies: tauri::State<'_, Arc<Copies>>) {
    if let Some(flag) = copies.with(id, Arc::clone) {
        flag.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::name_of;

    #[test]
    fn the_downloaded_name_is_the_remote_paths_last_part() {
        assert_eq!(name_of("/var/log/app.log"), "app.log");
        assert_eq!(name_of("/etc/nginx/"), "nginx");
        assert_eq!(name_of("file"), "file");
    }
}
