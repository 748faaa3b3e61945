//! A terminal on `sh` in a local cluster node (`capstan_local::shell`).

use std::pin::Pin;

use futures_util::StreamExt;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::{Exit, Output, TerminalError};

/// The node shell's input and exec, for keys and resizes.
pub struct NodeShell {
    input: tokio::sync::Mutex<Pin<Box<dyn AsyncWrite + Send>>>,
    exec_id: String,
}

/// An opened node shell: its backend, output and where it runs.
pub struct OpenedNodeShell {
    pub shell: NodeShell,
    pub output: Output,
    /// Resolves to the exit code once the output has ended.
    pub exit: Exit,
    /// The node container the shell runs in.
    pub node: String,
}

/// Starts `sh` in `node` (server 0 when None) of local cluster `cluster`
/// with a TTY of `cols` x `rows`.
pub async fn open(
    cluster: &str,
    node: Option<&str>,
    cols: u16,
    rows: u16,
) -> Result<OpenedNodeShell, TerminalError> {
    let docker = capstan_local::connect()?;
    let shell = capstan_local::open_shell(&docker, cluster, node, true, Some((cols, rows))).await?;
    tracing::debug!(%cluster, node = %shell.node, "node shell opened");
    let output = shell
        .output
        .map(|chunk| {
            chunk
                .map(|out| out.into_bytes().to_vec())
                .map_err(|e| format!("the node shell's connection to Docker broke: {e}"))
        })
        .boxed();
    let exec_id = shell.exec_id.clone();
    let exit = Box::pin(async move { capstan_local::shell::exit_code(&docker, &exec_id).await });
    Ok(OpenedNodeShell {
        shell: NodeShell {
            input: tokio::sync::Mutex::new(shell.input),
            exec_id: shell.exec_id,
        },
        output,
        exit,
        node: shell.node,
    })
}

impl NodeShell {
    pub async fn input(&self, data: &[u8]) -> Result<(), TerminalError> {
        let mut input = self.input.lock().await;
        let written = async {
            input.write_all(data).await?;
            input.flush().await
        };
        written.await.map_err(|source| TerminalError::Io {
            what: "send keys to the node shell",
            source,
        })
    }

    /// A failed resize only wraps lines badly: logged by capstan-local.
    pub async fn resize(&self, cols: u16, rows: u16) {
        match capstan_local::connect() {
            Ok(docker) => {
                capstan_local::shell::resize_shell(&docker, &self.exec_id, cols, rows).await;
            }
            Err(e) => tracing::debug!(error = %e, "no Docker connection to resize the node shell"),
        }
    }
}
