//! Shells in local cluster nodes: thin commands over
//! `capstan_local::shell`. Output streams to the page over a Channel; keys
//! come back by id. Open sessions live in a registry so closing the tab (or
//! reloading the page) ends them.

use std::sync::Arc;

use futures_util::StreamExt;
use serde::Serialize;
use tauri::ipc::Channel;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::task::AbortHandle;
#[cfg(test)]
use ts_rs::TS;

use super::local::ipc;
use crate::sessions::{ChannelSink, SessionRegistry};
use crate::{ErrorKind, IpcError};

/// What a shell sends the page: terminal bytes, then once its exit.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase", tag = "event")]
#[cfg_attr(test, ts(export))]
pub enum ShellEvent {
    Output {
        data: Vec<u8>,
    },
    /// The shell ended; `code` is None when the engine does not say. Exit
    /// codes are small, so a JSON number (not ts-rs's bigint for i64).
    Exit {
        #[cfg_attr(test, ts(type = "number | null"))]
        code: Option<i64>,
    },
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub struct ShellOpened {
    pub id: u32,
    /// The node container the shell runs in.
    pub node: String,
}

type Input = Arc<tokio::sync::Mutex<std::pin::Pin<Box<dyn AsyncWrite + Send>>>>;

pub struct Session {
    input: Input,
    exec_id: String,
    forward: AbortHandle,
}

impl Drop for Session {
    fn drop(&mut self) {
        // Dropping the input too closes the shell's stdin, so `sh` ends.
        self.forward.abort();
    }
}

/// Open shells by id.
pub type ShellSessions = SessionRegistry<Session>;

/// Shell `id`'s input and exec id, while it is open.
fn input(sessions: &ShellSessions, id: u32) -> Option<(Input, String)> {
    sessions.with(id, |s| (s.input.clone(), s.exec_id.clone()))
}

fn gone(id: u32) -> IpcError {
    IpcError::new(
        ErrorKind::NotFound,
        format!("shell {id} has ended: open a new one"),
        None,
    )
}

/// Starts `sh` in `node` (server 0 when None) of the local cluster `cluster`
/// with a terminal of `cols` x `rows`.
#[tauri::command]
pub async fn open_node_shell(
    cluster: String,
    node: Option<String>,
    cols: u16,
    rows: u16,
    channel: Channel<ShellEvent>,
    sessions: tauri::State<'_, ShellSessions>,
) -> Result<ShellOpened, IpcError> {
    let docker = capstan_local::connect().map_err(ipc)?;
    let shell =
        capstan_local::open_shell(&docker, &cluster, node.as_deref(), true, Some((cols, rows)))
            .await
            .map_err(ipc)?;
    tracing::debug!(%cluster, node = %shell.node, "node shell opened");
    let exec_id = shell.exec_id.clone();
    let mut output = shell.output;
    let channel = ChannelSink::new(channel);
    let task = tokio::spawn({
        let exec_id = exec_id.clone();
        async move {
            while let Some(chunk) = output.next().await {
                match chunk {
                    Ok(out) => {
                        let data = out.into_bytes().to_vec();
                        channel.deliver(ShellEvent::Output { data });
                    }
                    Err(e) => {
                        tracing::debug!(error = %e, "shell output ended with an error");
                        break;
                    }
                }
            }
            let code = capstan_local::shell::exit_code(&docker, &exec_id).await;
            channel.deliver(ShellEvent::Exit { code });
        }
    });
    let id = sessions.insert(Session {
        input: Arc::new(tokio::sync::Mutex::new(shell.input)),
        exec_id,
        forward: task.abort_handle(),
    });
    Ok(ShellOpened {
        id,
        node: shell.node,
    })
}

/// Keys typed into shell `id`.
#[tauri::command]
pub async fn shell_input(
    id: u32,
    data: String,
    sessions: tauri::State<'_, ShellSessions>,
) -> Result<(), IpcError> {
    let (input, _) = input(&sessions, id).ok_or_else(|| gone(id))?;
    let mut input = input.lock().await;
    let written = async {
        input.write_all(data.as_bytes()).await?;
        input.flush().await
    };
    written.await.map_err(|e| {
        ipc(capstan_local::Error::Io {
            what: "send keys to the shell".into(),
            source: e,
        })
    })
}

/// The terminal of shell `id` now has `cols` x `rows`.
#[tauri::command]
pub async fn resize_node_shell(
    id: u32,
    cols: u16,
    rows: u16,
    sessions: tauri::State<'_, ShellSessions>,
) -> Result<(), IpcError> {
    let (_, exec_id) = input(&sessions, id).ok_or_else(|| gone(id))?;
    let docker = capstan_local::connect().map_err(ipc)?;
    capstan_local::shell::resize_shell(&docker, &exec_id, cols, rows).await;
    Ok(())
}

/// Ends shell `id`. Unknown ids are ignored (already closed).
#[tauri::command]
pub fn close_node_shell(id: u32, sessions: tauri::State<'_, ShellSessions>) {
    sessions.remove(id);
}
