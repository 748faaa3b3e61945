//! Terminal sessions, whatever runs behind them: a shell in a local
//! cluster node ([`node`]), a local shell bound to a context ([`pty`]), and
//! a pod exec, attach or debug container ([`pod`]). Each is a [`Backend`] (input, resize; dropping it ends
//! the process) plus an output stream that [`frames`] forwards to the page
//! in binary frames. Sessions live in one [`TerminalSessions`] registry, so
//! the page has one set of commands for every terminal.

pub mod frames;
pub mod node;
pub mod pod;
pub mod pty;

use std::future::Future;
use std::sync::Arc;

use futures_util::Stream;
use tauri::ipc::{Channel, InvokeResponseBody};
use tokio::task::AbortHandle;

use crate::sessions::SessionRegistry;
use frames::{FrameChannel, TerminalEvent};

/// A terminal's output: byte chunks, or why the stream broke.
pub type Output = std::pin::Pin<Box<dyn Stream<Item = Result<Vec<u8>, String>> + Send>>;
/// A terminal's exit code, once its output has ended (None: not known).
pub type Exit = std::pin::Pin<Box<dyn Future<Output = Option<i64>> + Send>>;
/// How a process ended: its code, or why it did not run (a pod without a
/// shell), with the error's kind so the page can offer what to do.
pub type Ended = Result<Option<i64>, crate::IpcError>;

/// What runs behind a terminal. A new kind of session is a new variant
/// with its input and resize.
pub enum Backend {
    Node(node::NodeShell),
    Local(pty::LocalShell),
    Pod(pod::PodShell),
}

impl Backend {
    /// Sends `data` (keys, pasted text) to the process's TTY.
    pub async fn input(&self, data: Vec<u8>) -> Result<(), TerminalError> {
        match self {
            Backend::Node(shell) => shell.input(&data).await,
            Backend::Local(shell) => shell.input(data).await,
            Backend::Pod(shell) => shell.input(data).await,
        }
    }

    /// The terminal now has `cols` x `rows`.
    pub async fn resize(&self, cols: u16, rows: u16) -> Result<(), TerminalError> {
        match self {
            Backend::Node(shell) => {
                shell.resize(cols, rows).await;
                Ok(())
            }
            Backend::Local(shell) => shell.resize(cols, rows),
            Backend::Pod(shell) => {
                shell.resize(cols, rows);
                Ok(())
            }
        }
    }
}

/// An open terminal: dropping it stops forwarding its output and ends the
/// process (the backend's own Drop).
pub struct TerminalSession {
    backend: Arc<Backend>,
    output: AbortHandle,
}

impl Drop for TerminalSession {
    fn drop(&mut self) {
        self.output.abort();
    }
}

/// Open terminals by id.
pub type TerminalSessions = SessionRegistry<TerminalSession>;

/// Registers `backend` and forwards `output` to `channel` in frames; when
/// the output ends, sends the `exit` code (or an `error` first when the
/// stream failed or the process could not run). Returns the session id.
pub fn start<S, F>(
    sessions: &TerminalSessions,
    backend: Backend,
    output: S,
    exit: F,
    channel: Channel<InvokeResponseBody>,
) -> u32
where
    S: Stream<Item = Result<Vec<u8>, String>> + Send + Unpin + 'static,
    F: Future<Output = Ended> + Send + 'static,
{
    let sink = FrameChannel::new(channel);
    let task = tokio::spawn(async move {
        if let Some(message) = frames::forward(output, &sink).await {
            tracing::debug!(%message, "terminal output ended with an error");
            sink.event(&TerminalEvent::Error {
                message,
                kind: None,
            });
        }
        let code = match exit.await {
            Ok(code) => code,
            Err(e) => {
                tracing::debug!(message = %e.message, "terminal process did not run");
                sink.event(&TerminalEvent::Error {
                    message: e.message,
                    kind: Some(e.kind),
                });
                None
            }
        };
        tracing::debug!(?code, "terminal process ended");
        sink.event(&TerminalEvent::Exit { code });
    });
    sessions.insert(TerminalSession {
        backend: Arc::new(backend),
        output: task.abort_handle(),
    })
}

/// Terminal `id`'s backend while it is open.
pub fn backend(sessions: &TerminalSessions, id: u32) -> Result<Arc<Backend>, TerminalError> {
    sessions
        .with(id, |s| s.backend.clone())
        .ok_or(TerminalError::Gone { id })
}

/// Why a terminal could not be opened or used; each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    #[error("terminal {id} has ended: reconnect or open a new one")]
    Gone { id: u32 },
    #[error("cannot {what}: {source}")]
    Io {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot {what} (the system's terminal device refused): {source}")]
    Pty {
        what: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("no shell found to start: set SHELL, or install /bin/bash or /bin/sh")]
    NoShell,
    #[error("{what} takes no input: {why}")]
    NoInput {
        what: &'static str,
        why: &'static str,
    },
    #[error(transparent)]
    Kube(#[from] capstan_kube::Error),
    #[error(transparent)]
    Local(#[from] capstan_local::Error),
}

impl From<TerminalError> for crate::IpcError {
    fn from(e: TerminalError) -> Self {
        use crate::ErrorKind;
        match e {
            TerminalError::Kube(e) => e.into(),
            TerminalError::Local(e) => crate::commands::local::ipc(e),
            TerminalError::Gone { .. } | TerminalError::NoInput { .. } => {
                Self::new(ErrorKind::NotFound, e.to_string(), None)
            }
            TerminalError::NoShell => Self::new(ErrorKind::InvalidInput, e.to_string(), None),
            TerminalError::Io { .. } | TerminalError::Pty { .. } => {
                Self::new(ErrorKind::Io, e.to_string(), None)
            }
        }
    }
}
