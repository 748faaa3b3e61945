//! A running exec or attach: bytes in, batched bytes out, resize, and the
//! exit code. Output stays bytes (never decoded here), so a UTF-8 sequence
//! split across WebSocket frames reaches the terminal whole.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::SinkExt;
use kube::api::{AttachedProcess, TerminalSize};
use tokio::io::{AsyncReadExt, AsyncWriteExt, ReadHalf, SimplexStream, WriteHalf};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use super::errors::Target;
use super::status::{self, Purpose};
use super::ExecRequest;
use crate::Error;

/// How output is coalesced: after the first bytes of a chunk, more is read
/// for up to `window` or until `max_bytes`, so a burst becomes one message
/// (one IPC frame in the app) instead of hundreds.
#[derive(Debug, Clone, Copy)]
pub struct Batching {
    pub window: Duration,
    pub max_bytes: usize,
}

impl Default for Batching {
    /// One frame at 60 Hz, 32 KiB: what a terminal view can draw anyway.
    fn default() -> Self {
        Batching {
            window: Duration::from_millis(16),
            max_bytes: 32 * 1024,
        }
    }
}

impl Batching {
    /// Each read is passed on at once (a terminal writing straight to its
    /// own stdout, like the CLI): no added latency.
    pub fn immediate() -> Self {
        Batching {
            window: Duration::ZERO,
            max_bytes: 64 * 1024,
        }
    }
}

/// One chunk of output. Without a TTY, stdout and stderr come apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Stdout(Bytes),
    Stderr(Bytes),
}

impl Output {
    pub fn bytes(&self) -> &Bytes {
        match self {
            Output::Stdout(b) | Output::Stderr(b) => b,
        }
    }
}

/// The session's output, ending when the process's streams close.
pub struct OutputStream(mpsc::Receiver<Output>);

impl futures_util::Stream for OutputStream {
    type Item = Output;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Output>> {
        self.0.poll_recv(cx)
    }
}

enum Input {
    Data(Bytes),
    Eof,
}

/// Writes to the process's stdin; cheap to clone.
#[derive(Clone)]
pub struct InputWriter(mpsc::Sender<Input>);

impl InputWriter {
    /// Sends bytes; false once the session has ended.
    pub async fn write(&self, data: impl Into<Bytes>) -> bool {
        self.0.send(Input::Data(data.into())).await.is_ok()
    }

    /// Closes stdin (EOF): `cat` ends, a shell exits.
    pub async fn close(&self) {
        let _ = self.0.send(Input::Eof).await;
    }
}

/// Changes the TTY's size; cheap to clone. Sizes sent faster than the
/// connection takes them are coalesced to the latest.
#[derive(Clone)]
pub struct Resizer(Arc<watch::Sender<Option<(u16, u16)>>>);

impl Resizer {
    pub fn resize(&self, cols: u16, rows: u16) {
        self.0.send_replace(Some((cols, rows)));
    }
}

type ExitReceiver = oneshot::Receiver<Result<i32, Error>>;

/// A running exec or attach. Dropping it stops every task it started and
/// closes the WebSocket.
pub struct TerminalSession {
    input: Option<InputWriter>,
    resizer: Option<Resizer>,
    output: Option<OutputStream>,
    exit: Option<ExitReceiver>,
    target: String,
    container: String,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for TerminalSession {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl TerminalSession {
    pub(crate) fn start(
        mut process: AttachedProcess,
        request: &ExecRequest,
        target: Target,
        purpose: Purpose,
    ) -> Self {
        let mut tasks = Vec::new();
        let input = process.stdin().map(|stdin| {
            let (tx, rx) = mpsc::channel(64);
            tasks.push(tokio::spawn(feed_stdin(rx, stdin)));
            InputWriter(tx)
        });
        let resizer = if request.tty {
            process.terminal_size().map(|sizes| {
                let (tx, rx) = watch::channel(request.size);
                tasks.push(tokio::spawn(forward_sizes(rx, sizes)));
                Resizer(Arc::new(tx))
            })
        } else {
            None
        };
        let (out_tx, out_rx) = mpsc::channel(16);
        if let Some(stdout) = process.stdout() {
            tasks.push(tokio::spawn(pump(
                stdout,
                Output::Stdout,
                out_tx.clone(),
                request.batching,
            )));
        }
        if let Some(stderr) = process.stderr() {
            tasks.push(tokio::spawn(pump(
                stderr,
                Output::Stderr,
                out_tx.clone(),
                request.batching,
            )));
        }
        drop(out_tx);
        let (exit_tx, exit_rx) = oneshot::channel();
        let described = target.to_string();
        let container = target.container.clone();
        tasks.push(tokio::spawn(async move {
            let _ = exit_tx.send(wait_exit(process, &purpose, &target).await);
        }));
        TerminalSession {
            input,
            resizer,
            output: Some(OutputStream(out_rx)),
            exit: Some(exit_rx),
            target: described,
            container,
            tasks,
        }
    }

    /// The stdin writer, when the session has stdin.
    pub fn input(&self) -> Option<InputWriter> {
        self.input.clone()
    }

    /// The resizer, when the session has a TTY.
    pub fn resizer(&self) -> Option<Resizer> {
        self.resizer.clone()
    }

    /// Resizes the TTY (nothing without one).
    pub fn resize(&self, cols: u16, rows: u16) {
        if let Some(r) = &self.resizer {
            r.resize(cols, rows);
        }
    }

    /// The output stream; `None` after the first call.
    pub fn take_output(&mut self) -> Option<OutputStream> {
        self.output.take()
    }

    /// The exit code (from the status channel), or why there is none; `None`
    /// after the first call. Resolves once the server has sent its status or
    /// the connection ended.
    pub fn take_exit(
        &mut self,
    ) -> Option<impl std::future::Future<Output = Result<i32, Error>> + Send + 'static> {
        let target = self.target.clone();
        self.exit.take().map(|rx| async move {
            rx.await.unwrap_or_else(|_| {
                Err(Error::ExecConnectionLost {
                    target,
                    detail: "the session was stopped".to_string(),
                })
            })
        })
    }

    /// What the session runs in, for messages.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The container it runs in (the one chosen when none was asked for).
    pub fn container(&self) -> &str {
        &self.container
    }
}

async fn feed_stdin(mut rx: mpsc::Receiver<Input>, mut stdin: WriteHalf<SimplexStream>) {
    while let Some(input) = rx.recv().await {
        match input {
            Input::Data(bytes) => {
                if stdin.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Input::Eof => break,
        }
    }
    // Shutting the pipe down is what makes kube send stdin's close signal
    // (v5) or close the WebSocket (v4, which has no such signal).
    let _ = stdin.shutdown().await;
}

async fn forward_sizes(
    mut rx: watch::Receiver<Option<(u16, u16)>>,
    mut sizes: futures_channel::mpsc::Sender<TerminalSize>,
) {
    loop {
        let size = *rx.borrow_and_update();
        if let Some((width, height)) = size {
            if sizes.send(TerminalSize { width, height }).await.is_err() {
                return;
            }
        }
        if rx.changed().await.is_err() {
            return;
        }
    }
}

/// Reads one stream into chunks: the first bytes, then whatever else comes
/// within the batching window, up to its size.
async fn pump(
    mut reader: ReadHalf<SimplexStream>,
    tag: fn(Bytes) -> Output,
    tx: mpsc::Sender<Output>,
    batching: Batching,
) {
    let max = batching.max_bytes.max(1);
    let mut buf = BytesMut::with_capacity(max);
    loop {
        buf.reserve(max);
        match reader.read_buf(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let mut ended = false;
        if !batching.window.is_zero() {
            let deadline = tokio::time::Instant::now() + batching.window;
            while buf.len() < max {
                buf.reserve(max - buf.len());
                match tokio::time::timeout_at(deadline, reader.read_buf(&mut buf)).await {
                    Err(_) => break,
                    Ok(Ok(0)) | Ok(Err(_)) => {
                        ended = true;
                        break;
                    }
                    Ok(Ok(_)) => {}
                }
            }
        }
        if tx.send(tag(buf.split().freeze())).await.is_err() || ended {
            return;
        }
    }
}

/// The status channel's word, or the connection's error when there is none.
async fn wait_exit(
    mut process: AttachedProcess,
    purpose: &Purpose,
    target: &Target,
) -> Result<i32, Error> {
    let status = match process.take_status() {
        Some(status) => status.await,
        None => None,
    };
    let joined = process.join().await;
    match (status, joined) {
        (Some(status), _) => status::exit_code(&status, purpose, target),
        (None, Err(e)) => Err(Error::ExecConnectionLost {
            target: target.to_string(),
            detail: e.to_string(),
        }),
        (None, Ok(())) => Err(Error::ExecConnectionLost {
            target: target.to_string(),
            detail: "the server closed the connection without an exit status".to_string(),
        }),
    }
}
