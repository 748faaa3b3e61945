//! A terminal on a process in a pod (`capstan_kube::exec`): an exec, an
//! attach, or a debug container. The kube session is kept here; dropping it
//! closes the WebSocket and stops its tasks.

use capstan_kube::exec::{InputWriter, Resizer, TerminalSession};
use futures_util::{FutureExt, StreamExt};

use super::{Ended, Output, TerminalError};

/// The pod session's input and resize.
pub struct PodShell {
    input: Option<InputWriter>,
    resizer: Option<Resizer>,
    /// Held for its Drop: it owns the connection.
    _session: TerminalSession,
}

/// An opened pod session: its backend, output, how it ends, and the
/// container it runs in (the one chosen when none was asked for).
pub struct OpenedPodShell {
    pub shell: PodShell,
    pub output: Output,
    pub exit: std::pin::Pin<Box<dyn std::future::Future<Output = Ended> + Send>>,
    pub container: String,
}

/// Splits `session` into what [`super::start`] needs.
pub fn wrap(mut session: TerminalSession) -> OpenedPodShell {
    let output: Output = match session.take_output() {
        Some(out) => out.map(|chunk| Ok(chunk.bytes().to_vec())).boxed(),
        None => futures_util::stream::empty().boxed(),
    };
    let exit = match session.take_exit() {
        Some(exit) => exit
            .map(|ended| match ended {
                Ok(code) => Ok(Some(i64::from(code))),
                Err(e) => Err(crate::IpcError::from(e)),
            })
            .boxed(),
        None => futures_util::future::ready(Ok(None)).boxed(),
    };
    OpenedPodShell {
        container: session.container().to_string(),
        shell: PodShell {
            input: session.input(),
            resizer: session.resizer(),
            _session: session,
        },
        output,
        exit,
    }
}

impl PodShell {
    pub async fn input(&self, data: Vec<u8>) -> Result<(), TerminalError> {
        let Some(input) = &self.input else {
            return Err(TerminalError::NoInput {
                what: "this container's process",
                why: "it was started without stdin (attach shows its output only)",
            });
        };
        if input.write(data).await {
            Ok(())
        } else {
            Err(TerminalError::NoInput {
                what: "the pod session",
                why: "it has ended; reconnect to start a new one",
            })
        }
    }

    /// Without a TTY there is nothing to resize.
    pub fn resize(&self, cols: u16, rows: u16) {
        if let Some(r) = &self.resizer {
            r.resize(cols, rows);
        }
    }
}
