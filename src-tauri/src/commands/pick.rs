//! Native file dialogs: "open file" for the create dialog's archive fields,
//! "save file", and the pickers file copy uses. They run from Rust, so the
//! page gets a path only when the user picks one and needs no dialog or
//! file-system permission of its own.

use serde::Deserialize;
use tauri_plugin_dialog::DialogExt;
#[cfg(test)]
use ts_rs::TS;

use crate::ipc_error::{ErrorKind, IpcError};

/// Which archive the user is choosing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub enum ArchiveKind {
    /// A `docker save` archive holding the node image (`docker load` input).
    NodeImage,
    /// k3s's airgap archive of its own images.
    AirgapImages,
}

/// The dialog's title, filter name and file extensions (without the dot).
fn filter(kind: ArchiveKind) -> (&'static str, &'static str, Vec<&'static str>) {
    match kind {
        // What `docker load` reads: tar, optionally compressed.
        ArchiveKind::NodeImage => (
            "Node image archive",
            "Image archives",
            vec!["tar", "tar.gz", "tgz", "tar.xz", "tar.bz2"],
        ),
        ArchiveKind::AirgapImages => (
            "k3s airgap images archive",
            "Airgap archives",
            capstan_local::AIRGAP_SUFFIXES
                .iter()
                .map(|s| s.trim_start_matches('.'))
                .collect(),
        ),
    }
}

/// Opens the dialog; resolves with the chosen path, or null when cancelled.
#[tauri::command]
pub async fn pick_archive(
    app: tauri::AppHandle,
    kind: ArchiveKind,
) -> Result<Option<String>, IpcError> {
    let (title, name, extensions) = filter(kind);
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(name, &extensions)
        .pick_file(move |picked| {
            let _ = tx.send(picked);
        });
    chosen(rx).await.map(|p| p.map(|p| p.display().to_string()))
}

/// The dialog's answer as a local path; None when it was cancelled.
async fn chosen(
    rx: tokio::sync::oneshot::Receiver<Option<tauri_plugin_dialog::FilePath>>,
) -> Result<Option<std::path::PathBuf>, IpcError> {
    let picked = rx.await.map_err(|_| {
        IpcError::new(
            ErrorKind::Internal,
            "the file dialog closed without an answer",
            None,
        )
    })?;
    match picked.map(|p| p.into_path()) {
        None => Ok(None),
        Some(Ok(path)) => Ok(Some(path)),
        Some(Err(e)) => Err(IpcError::new(
            ErrorKind::Io,
            format!("the chosen file has no local path ({e}): pick a file on this machine"),
            None,
        )),
    }
}

/// The native "save file" dialog, opened in the user's Downloads folder
/// with `suggested` as the file name. The page names no path: it only
/// suggests a name, and the user chooses where. None when cancelled.
pub async fn save_file_dialog(
    app: &tauri::AppHandle,
    title: &str,
    suggested: &str,
) -> Result<Option<std::path::PathBuf>, IpcError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut dialog = app
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name(suggested));
    if let Some(dir) = downloads_dir() {
        dialog = dialog.set_directory(dir);
    }
    dialog.save_file(move |picked| {
        let _ = tx.send(picked);
    });
    chosen(rx).await
}

/// The native dialog choosing a folder (`folder`) or a file to read, opened
/// in the user's Downloads folder. None when cancelled.
pub async fn open_dialog(
    app: &tauri::AppHandle,
    title: &str,
    folder: bool,
) -> Result<Option<std::path::PathBuf>, IpcError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut dialog = app.dialog().file().set_title(title);
    if let Some(dir) = downloads_dir() {
        dialog = dialog.set_directory(dir);
    }
    let answer = move |picked| {
        let _ = tx.send(picked);
    };
    if folder {
        dialog.pick_folder(answer);
    } else {
        dialog.pick_file(answer);
    }
    chosen(rx).await
}

/// The user's Downloads folder, else home.
fn downloads_dir() -> Option<std::path::PathBuf> {
    let dirs = directories::UserDirs::new()?;
    Some(
        dirs.download_dir()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_else(|| dirs.home_dir().to_path_buf()),
    )
}

/// A suggestion reduced to a plain file name: no folders, no control
/// characters, never empty.
pub fn file_name(suggested: &str) -> String {
    let last = suggested
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>();
    let trimmed = last.trim().trim_start_matches('.');
    if trimmed.is_empty() {
        "capstan.log".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::{file_name, filter, ArchiveKind};

    #[test]
    fn a_suggested_name_is_only_ever_a_file_name() {
        assert_eq!(file_name("web-abc.log"), "web-abc.log");
        assert_eq!(file_name("/etc/passwd"), "passwd");
        assert_eq!(file_name("..\\..\\evil.log"), "evil.log");
        assert_eq!(file_name("../.."), "capstan.log");
        assert_eq!(file_name("a\nb.log"), "ab.log");
        assert_eq!(file_name(""), "capstan.log");
    }

    #[test]
    fn the_filters_offer_what_docker_load_and_k3s_read() {
        let (_, _, image) = filter(ArchiveKind::NodeImage);
        assert!(image.contains(&"tar") && image.contains(&"tar.gz"));
        let (_, _, airgap) = filter(ArchiveKind::AirgapImages);
        assert_eq!(airgap, ["tar", "tar.gz", "tar.zst", "tar.lz4", "tar.bz2"]);
        // The UI's names for the two kinds.
        let kind: ArchiveKind = serde_json::from_str("\"airgapImages\"").expect("camelCase");
        assert_eq!(kind, ArchiveKind::AirgapImages);
    }
}
