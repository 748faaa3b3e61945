//! Live tables: discovery for the sidebar, and views that stream rows over a
//! Channel. Each open view is held in a registry keyed by its id, so closing
//! it (or reloading the page) stops its watches.

use std::sync::Arc;

use capstan_kube::access::AccessCache;
use capstan_kube::discovery::{self, KindInfo, NavSection};
use capstan_kube::table::{self, LiveSpec, LiveView, ViewEvent};
use capstan_kube::ClientCache;
use tauri::ipc::Channel;

use crate::sessions::{ChannelSink, SessionRegistry};
use crate::IpcError;

/// Open views by id.
pub type Views = SessionRegistry<LiveView>;

/// The sidebar's sections for `context`, from the server's discovery.
#[tauri::command]
pub async fn discover_kinds(
    context: String,
    clients: tauri::State<'_, Arc<ClientCache>>,
) -> Result<Vec<NavSection>, IpcError> {
    let client = clients.get(&context).await?;
    let kinds = discovery::discover_kinds(&client, &context).await?;
    Ok(discovery::navigation(&kinds))
}

/// Opens a live table of `kind` and streams it to `channel`; returns the id
/// to close it with. `namespaces` empty means all namespaces.
// Tauri passes each argument and state separately.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn open_view(
    context: String,
    kind: KindInfo,
    namespaces: Vec<String>,
    label_selector: Option<String>,
    channel: Channel<ViewEvent>,
    clients: tauri::State<'_, Arc<ClientCache>>,
    views: tauri::State<'_, Views>,
    access: tauri::State<'_, Arc<AccessCache>>,
) -> Result<u32, IpcError> {
    let client = clients.get(&context).await?;
    let spec = LiveSpec {
        kind,
        namespaces,
        label_selector,
    };
    if let Err(e) = table::check_listable(&client, &context, &spec).await {
        // A 403 means the cached answers were wrong or stale.
        if matches!(e, capstan_kube::Error::NotAllowed { .. }) {
            access.invalidate(&context);
        }
        return Err(e.into());
    }
    tracing::debug!(%context, kind = %spec.kind.kind, namespaces = ?spec.namespaces, "opening view");
    let sink = access.forbidden_aware(&context, Arc::new(ChannelSink::new(channel)));
    let view = table::open_live_view(client, &context, spec, sink);
    Ok(views.insert(view))
}

/// Stops a view's watches. Unknown ids are ignored (already closed).
#[tauri::command]
pub fn close_view(id: u32, views: tauri::State<'_, Views>) {
    views.remove(id);
}
