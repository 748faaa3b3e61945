//! Exec credential plugins: finding the binary a GUI may not see on its PATH,
//! and turning kube's plugin errors into messages without secrets.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use kube::config::{ExecConfig, ExecInteractiveMode};

use crate::Error;

/// Makes `exec` safe for an app without a terminal and points its command at
/// a binary that exists. `file`/`field` name where the plugin was configured.
pub(crate) fn prepare(exec: &mut ExecConfig, file: &Path, field: &str) -> Result<(), Error> {
    // A GUI has no terminal: a plugin that waits for stdin would hang the
    // check, and its stderr would vanish. `Never` pipes stdin (closed at once)
    // and lets kube capture stderr, which we show instead.
    exec.interactive_mode = Some(ExecInteractiveMode::Never);
    let missing = |plugin: &str| Error::ExecPluginMissing {
        plugin: plugin.to_string(),
        path: file.to_path_buf(),
        field: format!("{field}.command"),
        hint: exec.install_hint.clone().map(|h| h.trim().to_string()),
    };
    let Some(command) = exec.command.clone().filter(|c| !c.is_empty()) else {
        return Err(Error::KubeconfigEntry {
            path: file.to_path_buf(),
            field: format!("{field}.command"),
            detail: "an exec plugin needs a command".into(),
        });
    };
    if command.contains(std::path::MAIN_SEPARATOR) {
        return if is_executable(Path::new(&command)) {
            Ok(())
        } else {
            Err(missing(&command))
        };
    }
    if find_in(&command, std::env::var_os("PATH").as_deref()).is_some() {
        return Ok(());
    }
    // Started from a desktop menu, PATH may lack ~/.local/bin, Homebrew or
    // the cloud SDK: ask the user's login shell once.
    match find_in(&command, login_shell_path().map(std::ffi::OsStr::new)) {
        Some(found) => {
            exec.command = Some(found.display().to_string());
            Ok(())
        }
        None => Err(missing(&command)),
    }
}

fn find_in(command: &str, path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    std::env::split_paths(path?)
        .map(|dir| dir.join(command))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file() || p.with_extension("exe").is_file()
    }
}

/// PATH as the user's login shell sets it; asked once, bounded to 3 s so a
/// slow shell profile cannot stall a connection check.
fn login_shell_path() -> Option<&'static str> {
    static CACHE: OnceLock<Option<String>> = OnceLock::new();
    CACHE
        .get_or_init(|| {
            let shell = std::env::var("SHELL").ok().filter(|s| !s.is_empty())?;
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let out = std::process::Command::new(shell)
                    .args(["-l", "-c", "printf %s \"$PATH\""])
                    .stdin(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .output();
                let _ = tx.send(out);
            });
            let out = rx.recv_timeout(Duration::from_secs(3)).ok()?.ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
                .filter(|s| !s.is_empty())
        })
        .as_deref()
}

/// If `err`'s chain holds a plugin failure, our own wording of it: the
/// plugin's stderr only, since kube's message quotes stdout (the token).
pub(crate) fn plugin_failure(
    err: &(dyn std::error::Error + 'static),
    command: Option<&str>,
) -> Option<Error> {
    let name = command.unwrap_or("exec").to_string();
    use kube::client::AuthError;
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(auth) = e.downcast_ref::<AuthError>() {
            return Some(match auth {
                AuthError::AuthExecRun { cmd, out } => Error::ExecPluginFailed {
                    plugin: plugin_name(cmd),
                    message: stderr_message(&out.stderr, out.status.code()),
                },
                AuthError::AuthExecStart(io) => Error::ExecPluginFailed {
                    plugin: name.clone(),
                    message: format!("it could not be started: {io}"),
                },
                AuthError::AuthExecParse(_) | AuthError::ExecPluginFailed => {
                    Error::ExecPluginFailed {
                        plugin: name.clone(),
                        message:
                            "it printed no valid ExecCredential; run it in a terminal to see why"
                                .into(),
                    }
                }
                other => Error::ExecPluginFailed {
                    plugin: name.clone(),
                    message: other.to_string(),
                },
            });
        }
        cur = e.source();
    }
    None
}

/// kube renders the command as `Command`'s Debug (`"aws" "eks" ...`); the
/// program is the first quoted word.
fn plugin_name(cmd: &str) -> String {
    cmd.split('"').nth(1).unwrap_or(cmd).to_string()
}

fn stderr_message(stderr: &[u8], code: Option<i32>) -> String {
    const MAX: usize = 600;
    let text = String::from_utf8_lossy(stderr);
    let text = text.trim();
    let status = code.map_or_else(
        || "it was killed".to_string(),
        |c| format!("exit status {c}"),
    );
    if text.is_empty() {
        return format!("{status}, no message on stderr");
    }
    let mut msg: String = text.chars().take(MAX).collect();
    if text.chars().count() > MAX {
        msg.push('…');
    }
    format!("{msg} ({status})")
}
