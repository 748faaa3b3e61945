//! Live tables: discovery for the sidebar, and views that stream rows over a
//! Channel. Each open view is held in a registry keyed by its id, so closing
//! it (or reloading the page) stops its watches.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use capstan_kube::discovery::{self, KindInfo, NavSection};
use capstan_kube::table::{self, LiveSink, LiveSpec, LiveView, ViewEvent};
use capstan_kube::ClientCache;
use tauri::ipc::Channel;

use crate::IpcError;

/// Open views by id.
#[derive(Default)]
pub struct Views {
    next: AtomicU32,
    open: Mutex<HashMap<u32, LiveView>>,
}

impl Views {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u32, LiveView>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops every view (the page that listened was reloaded or closed).
    pub fn close_all(&self) {
        let closed: Vec<LiveView> = self.lock().drain().map(|(_, v)| v).collect();
        if !closed.is_empty() {
            tracing::debug!(count = closed.len(), "closing every view");
        }
    }
}

struct ChannelSink(Channel<ViewEvent>);

impl LiveSink for ChannelSink {
    fn send(&self, event: ViewEvent) -> bool {
        if let ViewEvent::Snapshot { rows } = &event {
            tracing::debug!(rows = rows.len(), "view snapshot sent");
        }
        self.0.send(event).is_ok()
    }
}

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
#[tauri::command]
pub async fn open_view(
    context: String,
    kind: KindInfo,
    namespaces: Vec<String>,
    label_selector: Option<String>,
    channel: Channel<ViewEvent>,
    clients: tauri::State<'_, Arc<ClientCache>>,
    views: tauri::State<'_, Views>,
) -> Result<u32, IpcError> {
    let client = clients.get(&context).await?;
    let spec = LiveSpec {
        kind,
        namespaces,
        label_selector,
    };
    table::check_listable(&client, &context, &spec).await?;
    tracing::debug!(%context, kind = %spec.kind.kind, namespaces = ?spec.namespaces, "opening view");
    let view = table::open_live_view(client, &context, spec, Arc::new(ChannelSink(channel)));
    let id = views.next.fetch_add(1, Ordering::Relaxed) + 1;
    views.lock().insert(id, view);
    Ok(id)
}

/// Stops a view's watches. Unknown ids are ignored (already closed).
#[tauri::command]
pub fn close_view(id: u32, views: tauri::State<'_, Views>) {
    let closed = views.lock().remove(&id);
    tracing::debug!(id, found = closed.is_some(), "view closed");
}
