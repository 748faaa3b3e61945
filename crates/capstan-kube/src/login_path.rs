//! PATH as the user's login shell sets it. An app started from a desktop menu
//! or the Dock gets the session's short PATH, without `~/.local/bin`,
//! Homebrew or the cloud SDKs where exec credential plugins, `helm` and
//! `kubectl` live. The login shell is asked once per process, under a
//! timeout ([`TIMEOUT`]); the app starts asking at launch
//! ([`resolve_in_background`]) so no later lookup waits for it. Exec plugins
//! (`contexts::exec`), helm (`helm::locate`, `helm::actions`) and terminals
//! all search [`search_path`]: the process's PATH, then what only the login
//! shell adds.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long the login shell may take to print its PATH; past it the shell is
/// killed and only the process's PATH is used.
pub const TIMEOUT: Duration = Duration::from_secs(3);

static RESOLVED: OnceLock<Option<OsString>> = OnceLock::new();

/// Starts asking the login shell on a thread of its own, so the answer is
/// ready when a lookup needs it. The thread ends within [`TIMEOUT`] (the
/// shell is killed then), so nothing needs to stop it.
pub fn resolve_in_background() {
    let spawned = std::thread::Builder::new()
        .name("login-path".into())
        .spawn(|| {
            let found = login_shell_path();
            tracing::debug!(found = found.is_some(), "login shell PATH resolved");
        });
    if let Err(e) = spawned {
        // The first lookup then asks the shell itself.
        tracing::warn!(error = %e, "could not start resolving the login shell's PATH");
    }
}

/// The login shell's PATH, asked once (a caller racing the background
/// resolution waits for it, at most [`TIMEOUT`]). None on Windows, without
/// a shell, or when the shell failed or timed out.
pub fn login_shell_path() -> Option<&'static OsStr> {
    RESOLVED
        .get_or_init(|| {
            if cfg!(windows) {
                return None;
            }
            let shell = user_shell(std::env::var_os("SHELL"), Path::is_file)?;
            ask_login_shell(&shell, &[], TIMEOUT)
        })
        .as_deref()
}

/// What to search for a program: PATH, then the login shell's entries that
/// PATH lacks. Also what child processes get as their PATH.
pub fn search_path() -> Option<OsString> {
    merge(std::env::var_os("PATH").as_deref(), login_shell_path())
}

/// `command` on [`search_path`], as an absolute path.
pub fn find(command: &str) -> Option<PathBuf> {
    find_in(command, search_path().as_deref())
}

/// The user's shell: `$SHELL` when it is an absolute path that exists, else
/// the platform's usual one that exists (`/bin/zsh` first on macOS, whose
/// GUI apps may get no SHELL), else `/bin/bash`, else `/bin/sh`.
pub fn user_shell(env_shell: Option<OsString>, exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let fallbacks: &[&str] = if cfg!(target_os = "macos") {
        &["/bin/zsh", "/bin/bash", "/bin/sh"]
    } else {
        &["/bin/bash", "/bin/sh"]
    };
    env_shell
        .map(PathBuf::from)
        .filter(|p| p.is_absolute() && exists(p))
        .or_else(|| fallbacks.iter().map(PathBuf::from).find(|p| exists(p)))
}

/// Marks the PATH line in what the login shell prints: a profile that
/// prints a greeting must not end up in PATH.
const MARK: &str = "capstan-login-path=";

/// Runs `shell -l -c` printing PATH with `env` added and returns it, if the
/// shell succeeded within `limit` (else it is killed). Stdin is closed and
/// stderr dropped: a profile that asks for input or complains does not block
/// or leak into the app.
pub fn ask_login_shell(shell: &Path, env: &[(&str, &OsStr)], limit: Duration) -> Option<OsString> {
    // fish keeps PATH as a list, which "$PATH" would join with spaces.
    let script = if shell.file_name().is_some_and(|n| n == "fish") {
        format!("printf '\\n{MARK}%s\\n' (string join : $PATH)")
    } else {
        format!("printf '\\n{MARK}%s\\n' \"$PATH\"")
    };
    let mut command = std::process::Command::new(shell);
    command.args(["-l", "-c", &script]);
    for (key, value) in env {
        command.env(key, value);
    }
    let out = output_within(command, limit)?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let path = text
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix(MARK))?
        .trim();
    (!path.is_empty()).then(|| OsString::from(path))
}

/// `first`'s entries, then `second`'s that `first` lacks, in order.
pub fn merge(first: Option<&OsStr>, second: Option<&OsStr>) -> Option<OsString> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for path in [first, second].into_iter().flatten() {
        for dir in std::env::split_paths(path) {
            if !dir.as_os_str().is_empty() && !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
    }
    if dirs.is_empty() {
        return None;
    }
    std::env::join_paths(dirs).ok()
}

/// The first executable `command` in the directories of `path`.
pub fn find_in(command: &str, path: Option<&OsStr>) -> Option<PathBuf> {
    std::env::split_paths(path?)
        .map(|dir| dir.join(command))
        .find(|p| is_executable(p))
}

pub fn is_executable(p: &Path) -> bool {
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

/// Runs `command` (stdin closed, stderr dropped) and returns its output if
/// it ends within `limit`; otherwise kills it and returns None. Blocking:
/// polls the child, so no thread is left behind either way.
fn output_within(
    mut command: std::process::Command,
    limit: Duration,
) -> Option<std::process::Output> {
    use std::io::Read;
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    };
    let mut stdout = Vec::new();
    // PATH is small: it fits the pipe, so the child never blocked on it.
    child.stdout.take()?.read_to_end(&mut stdout).ok()?;
    Some(std::process::Output {
        status,
        stdout,
        stderr: Vec::new(),
    })
}

#[cfg(test)]
#[path = "login_path_tests.rs"]
mod tests;
