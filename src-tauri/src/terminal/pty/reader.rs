//! The thread that reads a PTY, owned by the output stream it feeds.
//!
//! PTY reads block, so they run on a thread. A background job that ignores
//! the hang-up (`nohup cmd &`, `trap '' HUP`) can keep the PTY open after
//! the shell is gone, and then a plain blocking read never returns. So the
//! thread waits in `poll` on its own copy of the PTY and on a stop pipe;
//! dropping [`PtyOutput`] (the session closed, or its forwarder ended)
//! closes the queue and the pipe, which wakes the thread, and joins it.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread::JoinHandle;

use futures_util::Stream;
use portable_pty::MasterPty;
use tokio::sync::mpsc;

use super::super::TerminalError;

/// How many read chunks may wait for the frame forwarder; a full queue
/// makes the reader wait, so a flood of output cannot grow memory.
const QUEUE: usize = 16;
const READ_BYTES: usize = 16 * 1024;

type Chunk = Result<Vec<u8>, String>;

/// A terminal's output as a stream of chunks, and the owner of the thread
/// that reads them.
pub struct PtyOutput {
    rx: mpsc::Receiver<Chunk>,
    /// Held for its Drop, which stops and joins the thread.
    _reader: ReaderThread,
}

impl Stream for PtyOutput {
    type Item = Chunk;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Chunk>> {
        self.get_mut().rx.poll_recv(cx)
    }
}

impl Drop for PtyOutput {
    fn drop(&mut self) {
        // First the queue, so a reader waiting for room gives up; then the
        // reader itself (a field, dropped after this) is woken and joined.
        self.rx.close();
    }
}

impl PtyOutput {
    /// True while the reader thread runs (for the tests).
    #[cfg(test)]
    pub fn reading(&self) -> bool {
        self._reader
            .thread
            .as_ref()
            .is_some_and(|t| !t.is_finished())
    }

    /// The reader thread's name (for the tests).
    #[cfg(test)]
    pub fn thread_name(&self) -> Option<String> {
        let thread = self._reader.thread.as_ref()?;
        thread.thread().name().map(str::to_string)
    }
}

/// The reader thread's handle: dropping it stops the thread and joins it.
struct ReaderThread {
    /// Closing it wakes the thread (its end of the pipe reports a hang-up).
    #[cfg(unix)]
    stop: Option<filedescriptor::FileDescriptor>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for ReaderThread {
    fn drop(&mut self) {
        #[cfg(unix)]
        drop(self.stop.take());
        let Some(thread) = self.thread.take() else {
            return;
        };
        // Without poll (Windows), a read blocked on a PTY kept open cannot be
        // woken: the thread is left to end when the PTY closes.
        #[cfg(not(unix))]
        if !thread.is_finished() {
            return;
        }
        if thread.join().is_err() {
            tracing::warn!("the terminal's reader thread panicked");
        }
    }
}

/// Starts reading `master` (the PTY of process `pid`, named in the thread).
pub fn start(master: &dyn MasterPty, pid: Option<u32>) -> Result<PtyOutput, TerminalError> {
    let (tx, rx) = mpsc::channel(QUEUE);
    let name = format!("pty-{}", pid.unwrap_or_default());
    let spawned = std::thread::Builder::new().name(name);
    #[cfg(unix)]
    let reader = {
        let pty = unix::own_copy(master)?;
        let pipe = filedescriptor::Pipe::new().map_err(|e| TerminalError::Pty {
            what: "make the terminal reader's stop pipe",
            source: e.into(),
        })?;
        let stop = pipe.read;
        let thread = spawned
            .spawn(move || unix::read_until_closed(pty, &stop, &tx))
            .map_err(spawn_err)?;
        ReaderThread {
            stop: Some(pipe.write),
            thread: Some(thread),
        }
    };
    #[cfg(not(unix))]
    let reader = {
        let pty = master.try_clone_reader().map_err(|e| TerminalError::Pty {
            what: "read the terminal",
            source: e.into(),
        })?;
        let thread = spawned
            .spawn(move || blocking::read_until_closed(pty, &tx))
            .map_err(spawn_err)?;
        ReaderThread {
            thread: Some(thread),
        }
    };
    Ok(PtyOutput {
        rx,
        _reader: reader,
    })
}

fn spawn_err(source: std::io::Error) -> TerminalError {
    TerminalError::Io {
        what: "start the terminal's reader",
        source,
    }
}

/// Hands a chunk to the forwarder; false when it is gone (stop reading).
fn deliver(tx: &mpsc::Sender<Chunk>, bytes: &[u8]) -> bool {
    tx.blocking_send(Ok(bytes.to_vec())).is_ok()
}

#[cfg(unix)]
mod unix {
    use std::io::Read;
    use std::os::fd::{AsRawFd, RawFd};

    use filedescriptor::{pollfd, FileDescriptor, POLLIN};
    use portable_pty::MasterPty;
    use tokio::sync::mpsc;

    use super::{deliver, Chunk, READ_BYTES};
    use crate::terminal::TerminalError;

    /// A descriptor number to duplicate.
    struct Number(RawFd);

    impl AsRawFd for Number {
        fn as_raw_fd(&self) -> RawFd {
            self.0
        }
    }

    /// The thread's own copy of the PTY, valid whatever happens to the master.
    pub(super) fn own_copy(master: &dyn MasterPty) -> Result<FileDescriptor, TerminalError> {
        let unavailable = || TerminalError::Io {
            what: "read the terminal",
            source: std::io::Error::other("the terminal device has no descriptor"),
        };
        let fd = master.as_raw_fd().ok_or_else(unavailable)?;
        FileDescriptor::dup(&Number(fd)).map_err(|e| TerminalError::Pty {
            what: "read the terminal",
            source: e.into(),
        })
    }

    /// Reads until the PTY closes (EOF, or EIO once the shell and everything
    /// it started have closed it), the forwarder is gone, or `stop` reports
    /// that its other end was closed.
    pub(super) fn read_until_closed(
        mut pty: FileDescriptor,
        stop: &FileDescriptor,
        tx: &mpsc::Sender<Chunk>,
    ) {
        let mut buf = vec![0u8; READ_BYTES];
        loop {
            let mut wait = [
                pollfd {
                    fd: pty.as_raw_fd(),
                    events: POLLIN,
                    revents: 0,
                },
                pollfd {
                    fd: stop.as_raw_fd(),
                    events: POLLIN,
                    revents: 0,
                },
            ];
            match filedescriptor::poll(&mut wait, None) {
                Ok(_) => {}
                Err(filedescriptor::Error::Poll(e))
                    if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    tracing::debug!(error = %e, "waiting on the terminal failed");
                    return;
                }
            }
            if wait[1].revents != 0 {
                tracing::debug!("terminal reader stopped");
                return;
            }
            if wait[0].revents == 0 {
                continue;
            }
            // Readable or hung up: the read answers at once either way.
            match pty.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    if !deliver(tx, &buf[..n]) {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    tracing::debug!(error = %e, "the terminal closed");
                    return;
                }
            }
        }
    }
}

#[cfg(not(unix))]
mod blocking {
    use std::io::Read;

    use tokio::sync::mpsc;

    use super::{deliver, Chunk, READ_BYTES};

    pub(super) fn read_until_closed(mut reader: Box<dyn Read + Send>, tx: &mpsc::Sender<Chunk>) {
        let mut buf = vec![0u8; READ_BYTES];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    if !deliver(tx, &buf[..n]) {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    tracing::debug!(error = %e, "the terminal closed");
                    return;
                }
            }
        }
    }
}
