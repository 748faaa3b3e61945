//! The About dialog: what this build is, "Copy diagnostics" and "Open log
//! folder". The diagnostics text is made in Rust (`crate::diagnostics`) and
//! written to the clipboard from here; the log folder is opened from here,
//! so the page needs no opener permission for paths.

use serde::Serialize;
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_opener::OpenerExt;
#[cfg(test)]
use ts_rs::TS;

use crate::about::AboutInfo;
use crate::ipc_error::{ErrorKind, IpcError};

#[tauri::command]
pub fn about_info() -> AboutInfo {
    crate::about::about()
}

/// The diagnostics text, and whether it reached the clipboard (the dialog
/// shows the text either way, so it can be copied by hand).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub struct Diagnostics {
    pub text: String,
    pub copied: bool,
}

#[tauri::command]
pub async fn copy_diagnostics(app: tauri::AppHandle) -> Result<Diagnostics, IpcError> {
    let loaded = tauri::async_runtime::spawn_blocking(capstan_kube::managed::load_all)
        .await
        .map_err(|e| {
            IpcError::new(
                ErrorKind::Internal,
                "A background task failed unexpectedly",
                Some(e.to_string()),
            )
        })??;
    let report = crate::diagnostics::gather(crate::about::about(), &loaded).await;
    let text = crate::diagnostics::render(&report);
    let copied = match app.clipboard().write_text(text.clone()) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "diagnostics not copied to the clipboard");
            false
        }
    };
    Ok(Diagnostics { text, copied })
}

/// Opens the log folder in the system's file manager.
#[tauri::command]
pub fn open_log_folder(app: tauri::AppHandle) -> Result<String, IpcError> {
    let Some(dir) = capstan_kube::paths::log_dir() else {
        return Err(IpcError::new(
            ErrorKind::Io,
            "There is no log folder: no home directory was found",
            None,
        ));
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return Err(IpcError::new(
            ErrorKind::Io,
            "The log folder could not be created",
            Some(format!("{}: {e}", dir.display())),
        ));
    }
    let shown = dir.display().to_string();
    app.opener()
        .open_path(shown.clone(), None::<&str>)
        .map_err(|e| {
            IpcError::new(
                ErrorKind::Io,
                "The log folder could not be opened: open it by hand",
                Some(format!("{shown}: {e}")),
            )
        })?;
    Ok(shown)
}
