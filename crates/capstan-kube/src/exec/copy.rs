//! File copy as `kubectl cp` does it: tar over exec. Download runs
//! `tar cf - -C <dir> <name>` in the container and unpacks here (with path
//! checks); upload packs here and streams into `tar xf - -C <dir>`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::session::{Batching, Output, TerminalSession};
use super::status::Purpose;
use super::ExecRequest;
use crate::Error;

/// A path in a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemotePath {
    pub namespace: String,
    pub pod: String,
    pub container: Option<String>,
    pub path: String,
}

impl RemotePath {
    /// The folder and the name `path` splits into (`/tmp/a` -> `/tmp`, `a`).
    fn split(&self) -> Result<(String, String), Error> {
        let trimmed = self.path.trim_end_matches('/');
        let (dir, name) = match trimmed.rsplit_once('/') {
            Some(("", name)) => ("/", name),
            Some((dir, name)) => (dir, name),
            None => (".", trimmed),
        };
        if name.is_empty() || name == "." || name == ".." {
            return Err(Error::InvalidInput(format!(
                "\"{}\" names no file or folder to copy: give a path such as /tmp/file",
                self.path
            )));
        }
        Ok((dir.to_string(), name.to_string()))
    }
}

/// Progress and cancel for one copy.
#[derive(Clone, Default)]
pub struct CopyControl {
    /// Called with the bytes of archive moved so far.
    pub progress: Option<Arc<dyn Fn(u64) + Send + Sync>>,
    /// Set to stop the copy; checked between chunks.
    pub cancel: Arc<AtomicBool>,
}

impl CopyControl {
    fn step(&self, total: u64) -> Result<(), Error> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Error::CopyCancelled);
        }
        if let Some(p) = &self.progress {
            p(total);
        }
        Ok(())
    }
}

/// Stderr kept for the message when tar fails (not more: it could be long).
const STDERR_KEPT: usize = 4096;

fn request(remote: &RemotePath, command: Vec<String>, stdin: bool) -> ExecRequest {
    ExecRequest {
        namespace: remote.namespace.clone(),
        pod: remote.pod.clone(),
        container: remote.container.clone(),
        command: Some(command),
        tty: false,
        stdin,
        size: None,
        batching: Batching::immediate(),
    }
}

fn join_error(e: tokio::task::JoinError) -> Error {
    Error::CopyLocal {
        action: "finish",
        path: PathBuf::new(),
        source: std::io::Error::other(e),
    }
}

/// Copies the remote file or folder to `dest` (the new path itself, as
/// `kubectl cp pod:/tmp/a ./b` makes `./b`). Returns the archive bytes read.
pub async fn download(
    client: kube::Client,
    remote: &RemotePath,
    dest: &Path,
    control: &CopyControl,
) -> Result<u64, Error> {
    let (dir, name) = remote.split()?;
    let command = ["tar", "cf", "-", "-C", &dir, &name]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut session = super::open_as(client, request(remote, command, false), Purpose::Tar).await?;
    let (tx, rx) = mpsc::channel::<Bytes>(16);
    let unpacking = {
        let dest = dest.to_path_buf();
        let name = name.clone();
        tokio::task::spawn_blocking(move || {
            super::tar_paths::unpack(ChunkReader::new(rx), &name, &dest)
        })
    };
    let mut tx = Some(tx);
    let mut total = 0u64;
    let mut stderr = Vec::new();
    let mut output = session.take_output();
    while let Some(chunk) = next(&mut output).await {
        match chunk {
            Output::Stdout(bytes) => {
                total += bytes.len() as u64;
                control.step(total)?;
                // Once the unpacker stops (done, or refused an entry) the
                // rest is drained so the process can end.
                if let Some(sender) = &tx {
                    if sender.send(bytes).await.is_err() {
                        tx = None;
                    }
                }
            }
            Output::Stderr(bytes) => keep(&mut stderr, &bytes),
        }
    }
    drop(tx);
    let unpacked = unpacking.await.map_err(join_error)?;
    let code = exit(&mut session).await?;
    tar_result(code, &stderr, remote)?;
    unpacked?;
    Ok(total)
}

/// Copies the local file or folder `src` to the remote path (the new path
/// itself, as `kubectl cp ./a pod:/tmp/b` makes `/tmp/b`). Returns the
/// archive bytes sent.
pub async fn upload(
    client: kube::Client,
    src: &Path,
    remote: &RemotePath,
    control: &CopyControl,
) -> Result<u64, Error> {
    let (dir, name) = remote.split()?;
    std::fs::symlink_metadata(src).map_err(|source| Error::CopyLocal {
        action: "read",
        path: src.to_path_buf(),
        source,
    })?;
    let command = ["tar", "xf", "-", "-C", &dir]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut session = super::open_as(client, request(remote, command, true), Purpose::Tar).await?;
    let input = session.input().ok_or_else(|| Error::ExecFailed {
        target: session.target().to_string(),
        detail: "the session has no stdin".to_string(),
    })?;
    let (tx, mut rx) = mpsc::channel::<Bytes>(16);
    let packing = {
        let src = src.to_path_buf();
        tokio::task::spawn_blocking(move || pack(&src, &name, tx))
    };
    // Stderr is read beside the feed; the guard stops it if the feed ends
    // early (cancel), so nothing waits for a process still reading stdin.
    let mut output = session.take_output();
    let mut drain = AbortOnDrop(tokio::spawn(async move {
        let mut stderr = Vec::new();
        while let Some(chunk) = next(&mut output).await {
            if let Output::Stderr(bytes) = chunk {
                keep(&mut stderr, &bytes);
            }
        }
        stderr
    }));
    let mut total = 0u64;
    while let Some(chunk) = rx.recv().await {
        total += chunk.len() as u64;
        control.step(total)?;
        if !input.write(chunk).await {
            break;
        }
    }
    input.close().await;
    let stderr = (&mut drain.0).await.map_err(join_error)?;
    let code = exit(&mut session).await?;
    tar_result(code, &stderr, remote)?;
    packing.await.map_err(join_error)??;
    Ok(total)
}

/// Aborts the task when dropped (an early return).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn next(output: &mut Option<super::OutputStream>) -> Option<Output> {
    match output {
        Some(o) => o.next().await,
        None => None,
    }
}

async fn exit(session: &mut TerminalSession) -> Result<i32, Error> {
    match session.take_exit() {
        Some(exit) => exit.await,
        None => Ok(0),
    }
}

fn keep(stderr: &mut Vec<u8>, bytes: &[u8]) {
    let room = STDERR_KEPT.saturating_sub(stderr.len());
    stderr.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

fn tar_result(code: i32, stderr: &[u8], remote: &RemotePath) -> Result<(), Error> {
    if code == 0 {
        return Ok(());
    }
    Err(Error::CopyRemote {
        container: remote.container.clone().unwrap_or_default(),
        code,
        detail: String::from_utf8_lossy(stderr).trim().to_string(),
    })
}

/// Packs `src` as `name` into 64 KiB chunks sent to `tx`.
fn pack(src: &Path, name: &str, tx: mpsc::Sender<Bytes>) -> Result<(), Error> {
    let local = |source| Error::CopyLocal {
        action: "pack",
        path: src.to_path_buf(),
        source,
    };
    let writer = std::io::BufWriter::with_capacity(64 * 1024, ChunkWriter(tx));
    let mut builder = tar::Builder::new(writer);
    // Links stay links, as kubectl cp sends them.
    builder.follow_symlinks(false);
    if src.is_dir() {
        builder.append_dir_all(name, src).map_err(local)?;
    } else {
        builder.append_path_with_name(src, name).map_err(local)?;
    }
    let mut writer = builder.into_inner().map_err(local)?;
    std::io::Write::flush(&mut writer).map_err(local)?;
    Ok(())
}

/// A blocking `Write` that hands each buffer to the async side.
struct ChunkWriter(mpsc::Sender<Bytes>);

impl std::io::Write for ChunkWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .blocking_send(Bytes::copy_from_slice(buf))
            .map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the upload stopped")
            })?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A blocking `Read` over the chunks the async side receives.
struct ChunkReader {
    rx: mpsc::Receiver<Bytes>,
    current: Bytes,
}

impl ChunkReader {
    fn new(rx: mpsc::Receiver<Bytes>) -> Self {
        ChunkReader {
            rx,
            current: Bytes::new(),
        }
    }
}

impl std::io::Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(b) => self.current = b,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote(path: &str) -> RemotePath {
        RemotePath {
            namespace: "ns".into(),
            pod: "p".into(),
            container: None,
            path: path.into(),
        }
    }

    #[test]
    fn paths_split_like_kubectl_cp() {
        assert_eq!(
            remote("/tmp/a").split().expect("a"),
            ("/tmp".into(), "a".into())
        );
        assert_eq!(remote("/a/").split().expect("a"), ("/".into(), "a".into()));
        assert_eq!(remote("a").split().expect("a"), (".".into(), "a".into()));
        assert!(remote("/").split().is_err());
        assert!(remote("/tmp/..").split().is_err());
    }

    #[test]
    fn a_cancelled_copy_stops() {
        let c = CopyControl::default();
        c.step(1).expect("runs");
        c.cancel.store(true, Ordering::Relaxed);
        assert!(matches!(c.step(2), Err(Error::CopyCancelled)));
    }
}
