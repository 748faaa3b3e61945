//! Terminal commands: openers for each kind of terminal (a node shell, a
//! local shell bound to a context), then one input, resize and close for
//! all of them (`crate::terminal`). Output arrives on the opener's channel
//! as binary frames, then a JSON `exit`.

use futures_util::FutureExt;
use serde::Serialize;
use tauri::ipc::{Channel, InvokeResponseBody};
#[cfg(test)]
use ts_rs::TS;

use crate::terminal::{self, node, pty, Backend, TerminalError, TerminalSessions};
use crate::{ErrorKind, IpcError};

/// An opened terminal.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub struct TerminalOpened {
    pub id: u32,
    /// What it runs in: the node container, the context, or `pod/container`.
    pub label: String,
}

/// Starts `sh` in `node` (server 0 when None) of local cluster `cluster`
/// with a terminal of `cols` x `rows`.
#[tauri::command]
pub async fn open_node_shell(
    cluster: String,
    node: Option<String>,
    cols: u16,
    rows: u16,
    channel: Channel<InvokeResponseBody>,
    sessions: tauri::State<'_, TerminalSessions>,
) -> Result<TerminalOpened, IpcError> {
    let opened = node::open(&cluster, node.as_deref(), cols, rows).await?;
    let id = terminal::start(
        &sessions,
        Backend::Node(opened.shell),
        opened.output,
        opened.exit.map(Ok),
        channel,
    );
    Ok(TerminalOpened {
        id,
        label: opened.node,
    })
}

/// Starts the user's shell locally with `KUBECONFIG` set to a private file
/// holding only `context` (and `namespace`, when given), so kubectl and
/// helm act on what the user is looking at. The file goes with the tab.
#[tauri::command]
pub async fn open_context_terminal(
    context: String,
    namespace: Option<String>,
    cols: u16,
    rows: u16,
    channel: Channel<InvokeResponseBody>,
    sessions: tauri::State<'_, TerminalSessions>,
) -> Result<TerminalOpened, IpcError> {
    let for_file = context.clone();
    let (kubeconfig, search_path) = tauri::async_runtime::spawn_blocking(move || {
        let loaded = capstan_kube::managed::load_all()?;
        let file = capstan_kube::contexts::write_context_kubeconfig(
            &loaded,
            &for_file,
            namespace.as_deref(),
            &std::env::temp_dir(),
        )?;
        // kubectl, helm and exec plugins typed in the terminal are found as
        // in the user's own terminal, even when the app got a short PATH.
        Ok::<_, capstan_kube::Error>((file, capstan_kube::login_path::search_path()))
    })
    .await
    .map_err(|e| {
        IpcError::new(
            ErrorKind::Internal,
            "A background task failed unexpectedly",
            Some(e.to_string()),
        )
    })??;
    let program = pty::login_shell(std::env::var_os("SHELL"), std::path::Path::is_file)
        .ok_or(TerminalError::NoShell)?;
    let spec = pty::ShellSpec {
        program,
        env: std::iter::once((
            "KUBECONFIG".into(),
            kubeconfig.path().as_os_str().to_owned(),
        ))
        .chain(search_path.map(|p| ("PATH".into(), p)))
        .collect(),
        cwd: directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()),
        cols,
        rows,
    };
    let opened = pty::spawn(spec, Some(kubeconfig))?;
    tracing::debug!(%context, "context terminal opened");
    let id = terminal::start(
        &sessions,
        Backend::Local(opened.shell),
        opened.output,
        opened.exit.map(Ok),
        channel,
    );
    Ok(TerminalOpened { id, label: context })
}

/// Keys typed (or text pasted) into terminal `id`.
#[tauri::command]
pub async fn terminal_input(
    id: u32,
    data: String,
    sessions: tauri::State<'_, TerminalSessions>,
) -> Result<(), IpcError> {
    let backend = terminal::backend(&sessions, id)?;
    Ok(backend.input(data.into_bytes()).await?)
}

/// Terminal `id` now has `cols` x `rows`.
#[tauri::command]
pub async fn terminal_resize(
    id: u32,
    cols: u16,
    rows: u16,
    sessions: tauri::State<'_, TerminalSessions>,
) -> Result<(), IpcError> {
    let backend = terminal::backend(&sessions, id)?;
    Ok(backend.resize(cols, rows).await?)
}

/// Ends terminal `id`. Unknown ids are ignored (already closed).
#[tauri::command]
pub fn close_terminal(id: u32, sessions: tauri::State<'_, TerminalSessions>) {
    sessions.remove(id);
}
