//! Writing files so a crash or a full disk never leaves half a file: temp
//! file in the same directory, fsync, rename. Kubeconfig files go through
//! [`crate::kubeconfig_writer`], which adds locks and backups.

use std::io::Write;
use std::path::Path;

use crate::Error;

/// Replaces `path` with `bytes` atomically. `mode` (unix) forces the new
/// file's permissions (secrets: 0600); `None` keeps the old file's.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<(), Error> {
    let err = |source| Error::WriteFile {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let tmp = dir.join(format!(
        ".{name}.capstan-tmp-{}-{nanos}",
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        set_mode(&f, path, mode)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        // The rename is durable only once the directory entry is.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

#[cfg(unix)]
fn set_mode(f: &std::fs::File, original: &Path, new_mode: Option<u32>) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = new_mode.or_else(|| {
        std::fs::metadata(original)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777)
    });
    if let Some(mode) = mode {
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_: &std::fs::File, _: &Path, _: Option<u32>) -> std::io::Result<()> {
    Ok(())
}
