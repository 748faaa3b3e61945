//! The native "open file" dialog for the create dialog's archive fields. It
//! runs from Rust, so the page gets a path only when the user picks one and
//! needs no dialog or file-system permission of its own.

use serde::Deserialize;
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::ipc_error::{ErrorKind, IpcError};

/// Which archive the user is choosing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
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
    let picked = rx.await.map_err(|_| {
        IpcError::new(
            ErrorKind::Internal,
            "the file dialog closed without an answer",
            None,
        )
    })?;
    match picked.map(|p| p.into_path()) {
        None => Ok(None),
        Some(Ok(path)) => Ok(Some(path.display().to_string())),
        Some(Err(e)) => Err(IpcError::new(
            ErrorKind::Io,
            format!("the chosen file has no local path ({e}): pick a file on this machine"),
            None,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{filter, ArchiveKind};

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
