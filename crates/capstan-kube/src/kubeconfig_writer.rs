//! The one way Capstan writes a user's kubeconfig file (the app, the CLI and
//! local clusters alike): an OS lock held across read-modify-write, kubectl's
//! own `<file>.lock` taken too, a timestamped backup (the oldest pruned past
//! [`BACKUPS_KEPT`]), then temp file + fsync + rename. The read happens under
//! the lock, so two writers changing different entries both land.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::{atomic, Error};

/// Backups kept beside a kubeconfig; older ones are removed after each write.
pub const BACKUPS_KEPT: usize = 5;

/// How long to wait for kubectl's `<file>.lock` to go away. kubectl holds it
/// only while it writes; one that stays longer was left by a crash.
const KUBECTL_LOCK_WAIT: Duration = Duration::from_secs(2);

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub file: PathBuf,
    /// The previous content, copied aside; `None` when the file was new.
    pub backup: Option<PathBuf>,
}

/// The file kubectl writes new entries into (client-go's
/// `GetDefaultFilename`): with one KUBECONFIG entry, that one; with several,
/// the first that exists, else the last; without KUBECONFIG, `~/.kube/config`.
pub fn default_file() -> Result<PathBuf, Error> {
    let home = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
    default_file_from(std::env::var_os("KUBECONFIG").as_deref(), home.as_deref())
}

fn default_file_from(
    kubeconfig_env: Option<&std::ffi::OsStr>,
    home: Option<&Path>,
) -> Result<PathBuf, Error> {
    if let Some(list) = kubeconfig_env.filter(|l| !l.is_empty()) {
        let files: Vec<PathBuf> = std::env::split_paths(list)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        if let Some(existing) = files.iter().find(|f| f.exists()) {
            return Ok(existing.clone());
        }
        if let Some(last) = files.last() {
            return Ok(last.clone());
        }
    }
    home.map(|h| h.join(".kube").join("config"))
        .ok_or(Error::NoHomeDir)
}

/// Rewrites `file` with `edit(current text)` under the locks. `edit` gets
/// `None` when the file does not exist yet; returning `Ok(None)` leaves the
/// file untouched (no backup either). A new file is created 0600; an existing
/// one keeps its mode.
pub fn edit<F>(file: &Path, edit: F) -> Result<Option<Written>, Error>
where
    F: FnOnce(Option<&str>) -> Result<Option<String>, Error>,
{
    let dir = parent(file);
    std::fs::create_dir_all(dir).map_err(|source| Error::WriteFile {
        path: dir.to_path_buf(),
        source,
    })?;
    let _os_lock = OsLock::take(file)?;
    let _kubectl_lock = KubectlLock::take(file)?;
    let current = match std::fs::read_to_string(file) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(Error::KubeconfigRead {
                path: file.to_path_buf(),
                source,
            })
        }
    };
    let Some(next) = edit(current.as_deref())? else {
        return Ok(None);
    };
    let backup = match current {
        Some(_) => Some(backup(file)?),
        None => None,
    };
    // Kubeconfigs hold credentials: a new one is owner-only, as kubectl
    // writes them; an existing one keeps the mode its owner gave it.
    let mode = if backup.is_some() { None } else { Some(0o600) };
    atomic::write_atomic(file, next.as_bytes(), mode)?;
    prune_backups(file);
    Ok(Some(Written {
        file: file.to_path_buf(),
        backup,
    }))
}

fn parent(file: &Path) -> &Path {
    file.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    file.with_file_name(name)
}

/// The OS lock: `<file>.capstan-lock`, locked exclusively (blocking) for the
/// whole read-modify-write; the OS frees it if the process dies. On unix the
/// holder removes the file before unlocking, so none is left beside the
/// kubeconfig; a waiter that then gets the lock on the removed file sees that
/// the path no longer names it and locks the new one.
struct OsLock {
    file: File,
    #[cfg_attr(not(unix), allow(dead_code))]
    path: PathBuf,
}

impl OsLock {
    fn take(kubeconfig: &Path) -> Result<OsLock, Error> {
        let path = sibling(kubeconfig, ".capstan-lock");
        let err = |source| Error::WriteFile {
            path: path.clone(),
            source,
        };
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        loop {
            let file = options.open(&path).map_err(err)?;
            file.lock().map_err(err)?;
            if still_at_path(&file, &path).map_err(err)? {
                return Ok(OsLock { file, path });
            }
        }
    }
}

/// Whether `path` still names the locked `file` (not removed or replaced by
/// the previous holder).
#[cfg(unix)]
fn still_at_path(file: &File, path: &Path) -> std::io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let held = file.metadata()?;
    Ok(match std::fs::metadata(path) {
        Ok(m) => m.dev() == held.dev() && m.ino() == held.ino(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e),
    })
}

/// Elsewhere the file is never removed, so it is always the one at the path.
#[cfg(not(unix))]
fn still_at_path(_: &File, _: &Path) -> std::io::Result<bool> {
    Ok(true)
}

impl Drop for OsLock {
    fn drop(&mut self) {
        // Removed while still locked (see the type's comment).
        #[cfg(unix)]
        if let Err(e) = std::fs::remove_file(&self.path) {
            tracing::warn!(lock = %self.path.display(), error = %e, "could not remove the kubeconfig lock file");
        }
        let _ = self.file.unlock();
    }
}

/// kubectl's (client-go's) lock: `<file>.lock` created exclusively and removed
/// after the write, so kubectl and Capstan never write at the same time.
struct KubectlLock(PathBuf);

impl KubectlLock {
    fn take(file: &Path) -> Result<KubectlLock, Error> {
        let path = sibling(file, ".lock");
        let deadline = Instant::now() + KUBECTL_LOCK_WAIT;
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return Ok(KubectlLock(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if Instant::now() >= deadline {
                        return Err(Error::KubeconfigLocked { lock: path });
                    }
                    // Another program (kubectl) is writing: it is done in
                    // milliseconds, so a short sleep between tries is enough.
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(source) => return Err(Error::WriteFile { path, source }),
            }
        }
    }
}

impl Drop for KubectlLock {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.0) {
            tracing::warn!(lock = %self.0.display(), error = %e, "could not remove the kubeconfig lock file");
        }
    }
}

const BACKUP_INFIX: &str = ".capstan-backup-";

/// Copies `file` to `<name>.capstan-backup-<UTC timestamp>` beside it (with
/// `-N` added, above any counter of that second, when a backup of that
/// second exists, so names keep the order they were made in even after
/// pruning). Copying keeps the mode.
fn backup(file: &Path) -> Result<PathBuf, Error> {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%S").to_string();
    let same_second = existing_backups(file)
        .into_iter()
        .filter(|((s, _), _)| *s == stamp)
        .map(|((_, n), _)| n)
        .max();
    let suffix = match same_second {
        None => format!("{BACKUP_INFIX}{stamp}Z"),
        Some(n) => format!("{BACKUP_INFIX}{stamp}Z-{}", n + 1),
    };
    let target = sibling(file, &suffix);
    std::fs::copy(file, &target).map_err(|source| Error::WriteFile {
        path: target.clone(),
        source,
    })?;
    Ok(target)
}

/// This file's backups with their order (see [`backup_order`]), oldest first.
fn existing_backups(file: &Path) -> Vec<((String, u32), PathBuf)> {
    let Some(name) = file.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let prefix = format!("{name}{BACKUP_INFIX}");
    let Ok(entries) = std::fs::read_dir(parent(file)) else {
        return Vec::new();
    };
    let mut backups: Vec<((String, u32), PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let order = backup_order(n.strip_prefix(&prefix)?)?;
            Some((order, e.path()))
        })
        .collect();
    backups.sort();
    backups
}

/// The order of a backup name's suffix: timestamp, then the `-N` counter.
fn backup_order(suffix: &str) -> Option<(String, u32)> {
    let (stamp, rest) = suffix.split_once('Z')?;
    let n = match rest.strip_prefix('-') {
        Some(n) => n.parse().ok()?,
        None if rest.is_empty() => 0,
        None => return None,
    };
    Some((stamp.to_owned(), n))
}

/// Removes this file's backups beyond the newest [`BACKUPS_KEPT`]. A failure
/// only leaves an extra backup, so it is logged, not returned.
fn prune_backups(file: &Path) {
    let backups = existing_backups(file);
    let excess = backups.len().saturating_sub(BACKUPS_KEPT);
    for (_, old) in backups.into_iter().take(excess) {
        if let Err(e) = std::fs::remove_file(&old) {
            tracing::warn!(backup = %old.display(), error = %e, "could not remove an old kubeconfig backup");
        }
    }
}

#[cfg(test)]
#[path = "kubeconfig_writer_tests.rs"]
mod tests;
