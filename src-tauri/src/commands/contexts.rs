use capstan_kube::contexts::{default_kubeconfig_paths, load_kubeconfig, KubeconfigOverview};

use crate::IpcError;

/// The contexts of the user's kubeconfig, merged as kubectl merges them.
#[tauri::command]
pub async fn list_contexts() -> Result<KubeconfigOverview, IpcError> {
    let paths = default_kubeconfig_paths();
    // File reads are blocking; keep them off the async runtime's workers.
    let loaded = tauri::async_runtime::spawn_blocking(move || load_kubeconfig(&paths))
        .await
        .map_err(|e| {
            IpcError::new(
                crate::ErrorKind::Internal,
                "Reading the kubeconfig failed unexpectedly",
                Some(e.to_string()),
            )
        })??;
    Ok(loaded.overview())
}
