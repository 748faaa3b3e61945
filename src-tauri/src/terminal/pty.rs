//! A local shell in a pseudo-terminal (portable-pty), optionally bound to a
//! context: `KUBECONFIG` points at a one-context file written by
//! `capstan_kube::contexts::write_context_kubeconfig`, removed with the
//! shell. The PTY is OS work; which cluster it talks to is capstan-kube's.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use capstan_kube::contexts::ContextKubeconfig;
use portable_pty::{ChildKiller, CommandBuilder, MasterPty, PtySize};

use super::{Exit, TerminalError};

mod reader;

/// A running local shell. Dropping it hangs the shell up (SIGHUP) and then
/// removes its kubeconfig.
pub struct LocalShell {
    master: Mutex<Box<dyn MasterPty + Send>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    killer: Mutex<Box<dyn ChildKiller + Send + Sync>>,
    /// Dropped after [`Drop::drop`] has hung the shell up.
    _kubeconfig: Option<ContextKubeconfig>,
}

impl Drop for LocalShell {
    fn drop(&mut self) {
        let mut killer = self.killer.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(e) = killer.kill() {
            // Already gone: nothing to hang up.
            tracing::debug!(error = %e, "hanging up the local shell");
        }
    }
}

/// What to start: the program, extra environment, size.
pub struct ShellSpec {
    pub program: PathBuf,
    pub env: Vec<(OsString, OsString)>,
    pub cwd: Option<PathBuf>,
    pub cols: u16,
    pub rows: u16,
}

/// A started local shell: its backend, output and exit.
pub struct OpenedLocalShell {
    pub shell: LocalShell,
    /// Owns the PTY's reader thread: dropping it stops and joins the thread.
    pub output: reader::PtyOutput,
    /// Resolves to the exit code once the shell has ended.
    pub exit: Exit,
}

/// The user's shell: `$SHELL` when it is an absolute path that exists, else
/// `/bin/bash`, else `/bin/sh` (the same choice as the login-shell PATH's,
/// `capstan_kube::login_path::user_shell`).
pub fn login_shell(env_shell: Option<OsString>, exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    capstan_kube::login_path::user_shell(env_shell, exists)
}

/// portable-pty reports `anyhow` errors; kept as the boxed source.
fn pty_err<E>(what: &'static str) -> impl FnOnce(E) -> TerminalError
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    move |e| TerminalError::Pty {
        what,
        source: e.into(),
    }
}

/// Starts `spec` in a new PTY; `kubeconfig` lives as long as the shell.
pub fn spawn(
    spec: ShellSpec,
    kubeconfig: Option<ContextKubeconfig>,
) -> Result<OpenedLocalShell, TerminalError> {
    let pair = portable_pty::native_pty_system()
        .openpty(PtySize {
            rows: spec.rows.max(1),
            cols: spec.cols.max(1),
            pixel_width: 0,
            pixel_height: 0,
        })
        .map_err(pty_err("open a terminal device"))?;
    let mut command = CommandBuilder::new(&spec.program);
    command.env("TERM", "xterm-256color");
    command.env("COLORTERM", "truecolor");
    for (key, value) in &spec.env {
        command.env(key, value);
    }
    if let Some(dir) = &spec.cwd {
        command.cwd(dir);
    }
    let mut child = pair
        .slave
        .spawn_command(command)
        .map_err(pty_err("start the shell"))?;
    // Only the child holds the terminal's other end now, so reading ends
    // (EIO) when the shell and everything it started have closed it.
    drop(pair.slave);
    let killer = child.clone_killer();
    let pid = child.process_id();
    let output = reader::start(pair.master.as_ref(), pid)?;
    let writer = pair
        .master
        .take_writer()
        .map_err(pty_err("write to the terminal"))?;
    tracing::debug!(program = %spec.program.display(), pid = ?child.process_id(), "local shell started");

    let exit = async move {
        match tokio::task::spawn_blocking(move || child.wait()).await {
            Ok(Ok(status)) => Some(i64::from(status.exit_code())),
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "waiting for the local shell failed");
                None
            }
            Err(e) => {
                tracing::debug!(error = %e, "the local shell's waiter failed");
                None
            }
        }
    };
    Ok(OpenedLocalShell {
        shell: LocalShell {
            master: Mutex::new(pair.master),
            writer: Arc::new(Mutex::new(writer)),
            killer: Mutex::new(killer),
            _kubeconfig: kubeconfig,
        },
        output,
        exit: Box::pin(exit),
    })
}

impl LocalShell {
    pub async fn input(&self, data: Vec<u8>) -> Result<(), TerminalError> {
        let writer = self.writer.clone();
        let written = tokio::task::spawn_blocking(move || {
            let mut writer = writer.lock().unwrap_or_else(PoisonError::into_inner);
            writer.write_all(&data)?;
            writer.flush()
        })
        .await
        .map_err(|e| TerminalError::Io {
            what: "send keys to the shell",
            source: std::io::Error::other(e),
        })?;
        written.map_err(|source| TerminalError::Io {
            what: "send keys to the shell",
            source,
        })
    }

    pub fn resize(&self, cols: u16, rows: u16) -> Result<(), TerminalError> {
        self.master
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .resize(PtySize {
                rows: rows.max(1),
                cols: cols.max(1),
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(pty_err("resize the terminal"))
    }
}

#[cfg(test)]
#[path = "pty_tests.rs"]
mod tests;
