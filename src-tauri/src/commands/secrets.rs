//! Secrets: thin wrappers over `capstan_kube::secrets`. Values go to the page
//! only when a key is revealed; copying goes straight from the API to the
//! clipboard. Nothing here logs a value (see `log_safety`).

use std::sync::Arc;

use capstan_kube::secrets::clipboard::{self, Clipboard, SecretClipboard};
use capstan_kube::secrets::decode::RevealedValue;
use capstan_kube::secrets::input::{self, KeyEdit, NewSecretInput};
use capstan_kube::secrets::{self as lib, SecretDetails, SecretUse};
use capstan_kube::ClientCache;
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::IpcError;

type Clients<'a> = tauri::State<'a, Arc<ClientCache>>;

/// Keys with sizes and the type-aware summary; never a value.
#[tauri::command]
pub async fn secret_details(
    context: String,
    namespace: String,
    name: String,
    clients: Clients<'_>,
) -> Result<SecretDetails, IpcError> {
    let client = clients.get(&context).await?;
    Ok(lib::secret_details(client, &namespace, &name).await?)
}

/// One key's value, read fresh: text when UTF-8, else a hex view.
#[tauri::command]
pub async fn reveal_secret_key(
    context: String,
    namespace: String,
    name: String,
    key: String,
    clients: Clients<'_>,
) -> Result<RevealedValue, IpcError> {
    let client = clients.get(&context).await?;
    tracing::debug!(%namespace, %name, %key, "revealing a secret key");
    Ok(lib::reveal_key(client, &namespace, &name, &key).await?)
}

/// The system clipboard through the Tauri plugin.
pub struct SystemClipboard(pub tauri::AppHandle);

/// The app's secret clipboard: copies, and their pending clear (also run
/// when the app exits, see `lib.rs`).
pub fn secret_clipboard(app: tauri::AppHandle) -> SecretClipboard {
    SecretClipboard::new(Arc::new(SystemClipboard(app)), clipboard::CLEAR_AFTER)
}

impl Clipboard for SystemClipboard {
    fn write_text(&self, text: &str) -> Result<(), String> {
        self.0
            .clipboard()
            .write_text(text)
            .map_err(|e| e.to_string())
    }
    fn read_text(&self) -> Option<String> {
        self.0.clipboard().read_text().ok()
    }
    fn clear(&self) -> Result<(), String> {
        self.0.clipboard().clear().map_err(|e| e.to_string())
    }
}

/// Copies a key's value to the clipboard; it is cleared after 30 s if the
/// clipboard still holds it. Returns the delay in seconds.
#[tauri::command]
pub async fn copy_secret_key(
    context: String,
    namespace: String,
    name: String,
    key: String,
    board: tauri::State<'_, SecretClipboard>,
    clients: Clients<'_>,
) -> Result<u64, IpcError> {
    let client = clients.get(&context).await?;
    board.copy_key(client, &namespace, &name, &key).await?;
    Ok(board.clear_after().as_secs())
}

/// Saves `edits` on top of `resource_version`; a concurrent change on the
/// server fails the save (nothing overwritten). Returns the new version.
#[tauri::command]
pub async fn update_secret(
    context: String,
    namespace: String,
    name: String,
    resource_version: String,
    edits: Vec<KeyEdit>,
    clients: Clients<'_>,
) -> Result<String, IpcError> {
    let changes = input::changes(edits)?;
    let client = clients.get(&context).await?;
    tracing::debug!(%namespace, %name, changes = changes.len(), "saving a secret");
    Ok(lib::update_secret(client, &namespace, &name, &resource_version, changes).await?)
}

/// Creates an Opaque, TLS or docker-registry secret after local checks.
#[tauri::command]
pub async fn create_secret(
    context: String,
    namespace: String,
    name: String,
    secret: NewSecretInput,
    clients: Clients<'_>,
) -> Result<String, IpcError> {
    let spec = secret.into_new_secret()?;
    // create_secret checks names, keys and pairs before sending anything.
    let client = clients.get(&context).await?;
    Ok(lib::create_secret(client, &namespace, &name, spec).await?)
}

/// Pods of the namespace that use the secret, and how.
#[tauri::command]
pub async fn secret_usage(
    context: String,
    namespace: String,
    name: String,
    clients: Clients<'_>,
) -> Result<Vec<SecretUse>, IpcError> {
    let client = clients.get(&context).await?;
    Ok(lib::secret_usage(client, &namespace, &name).await?)
}
