//! Port-forwards held by the shell: thin commands over
//! `capstan_kube::forward` (`ForwardRegistry`, and `SavedForwardsState` for
//! the opt-in saved forwards and the ones that failed to come back). Status
//! changes stream to the UI over the Channel passed to `start_forward`.

use std::sync::Arc;

use capstan_kube::forward::{
    self, ForwardRegistry, ForwardStatus, OfferedPort, PortMapping, RestoreOutcome, SavedForward,
    SavedForwardsState, SavedForwardsView, TargetRef,
};
use capstan_kube::ClientCache;
use tauri::ipc::Channel;

use crate::sessions::{ChannelSink, SessionRegistry};
use crate::IpcError;

type Clients<'a> = tauri::State<'a, Arc<ClientCache>>;
type Registry<'a> = tauri::State<'a, ForwardRegistry>;
type Saved<'a> = tauri::State<'a, SavedForwardsState>;

/// Starts forwarding `ports` of `target`. Loopback unless `address` is set
/// AND `allow_non_loopback` is true: any other address exposes the pod to
/// whoever can reach it, so the UI must ask for it explicitly.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn start_forward(
    context: String,
    namespace: String,
    target: TargetRef,
    ports: Vec<PortMapping>,
    address: Option<String>,
    allow_non_loopback: bool,
    channel: Channel<ForwardStatus>,
    clients: Clients<'_>,
    registry: Registry<'_>,
    saved_state: Saved<'_>,
) -> Result<ForwardStatus, IpcError> {
    let ip = forward::parse_address(address.as_deref(), allow_non_loopback)?;
    let wanted = SavedForward {
        namespace,
        target,
        ports,
        address: ip.map(|a| a.to_string()),
    };
    let sink = Arc::new(ChannelSink::new(channel));
    Ok(saved_state
        .start(&context, wanted, sink, &clients, &registry)
        .await?)
}

#[tauri::command]
pub fn list_forwards(registry: Registry<'_>) -> Vec<ForwardStatus> {
    registry.list()
}

/// Stops one forward; false when it was already gone.
#[tauri::command]
pub fn stop_forward(id: u64, registry: Registry<'_>, saved_state: Saved<'_>) -> bool {
    saved_state.stop(id, &registry)
}

/// How often a watcher may get new traffic counters; state changes come at once.
const COUNTERS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// A page's watch of the forward list; dropping it stops the task.
pub struct ForwardWatch(tauri::async_runtime::JoinHandle<()>);

impl Drop for ForwardWatch {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Open watches by id, closed on page reload like views.
pub type ForwardWatches = SessionRegistry<ForwardWatch>;

/// Sends every forward the app holds on `channel` now and whenever the list
/// changes (restored forwards included), so the page never polls. Returns
/// the watch's id for `close_forward_watch`.
#[tauri::command]
pub fn watch_forwards(
    channel: Channel<Vec<ForwardStatus>>,
    app: tauri::AppHandle,
    watches: tauri::State<'_, ForwardWatches>,
) -> u32 {
    let sink = ChannelSink::new(channel);
    // A sync command runs on the main thread, outside Tokio's context:
    // spawn on Tauri's runtime.
    let task = tauri::async_runtime::spawn(async move {
        use tauri::Manager;
        let registry = app.state::<ForwardRegistry>();
        registry
            .follow(COUNTERS_EVERY, |list| sink.deliver(list))
            .await;
    });
    watches.insert(ForwardWatch(task))
}

/// Stops watch `id` (the forward panel went away).
#[tauri::command]
pub fn close_forward_watch(id: u32, watches: tauri::State<'_, ForwardWatches>) {
    watches.remove(id);
}

#[tauri::command]
pub fn stop_all_forwards(registry: Registry<'_>, saved_state: Saved<'_>) {
    saved_state.stop_all(&registry);
}

/// Whether `context`'s forwards are saved, and which saved ones failed to
/// come back.
#[tauri::command]
pub fn saved_forwards(
    context: String,
    saved_state: Saved<'_>,
) -> Result<SavedForwardsView, IpcError> {
    Ok(saved_state.view(&context)?)
}

/// Turns saving on (the context's running forwards are written at once) or
/// off (its list is deleted and failed entries dropped).
#[tauri::command]
pub fn set_saved_forwards(
    context: String,
    enabled: bool,
    saved_state: Saved<'_>,
) -> Result<SavedForwardsView, IpcError> {
    Ok(saved_state.set_enabled(&context, enabled)?)
}

/// Starts `context`'s saved forwards, once per session (later calls do
/// nothing). Each one that fails is kept as a failed entry with its reason.
#[tauri::command]
pub async fn restore_saved_forwards(
    context: String,
    clients: Clients<'_>,
    registry: Registry<'_>,
    saved_state: Saved<'_>,
) -> Result<RestoreOutcome, IpcError> {
    Ok(saved_state.restore(&context, &clients, &registry).await?)
}

/// Tries a failed saved forward again; on success it leaves the failed list.
#[tauri::command]
pub async fn retry_saved_forward(
    id: u64,
    clients: Clients<'_>,
    registry: Registry<'_>,
    saved_state: Saved<'_>,
) -> Result<ForwardStatus, IpcError> {
    Ok(saved_state.retry(id, &clients, &registry).await?)
}

/// Drops a failed saved forward from the panel and from the saved list.
#[tauri::command]
pub fn dismiss_saved_forward(id: u64, saved_state: Saved<'_>) {
    saved_state.dismiss(id);
}

/// The TCP ports a target declares, for the "Port forward" dialog.
#[tauri::command]
pub async fn forward_ports(
    context: String,
    namespace: String,
    target: TargetRef,
    clients: Clients<'_>,
) -> Result<Vec<OfferedPort>, IpcError> {
    let client = clients.get(&context).await?;
    Ok(forward::forward_ports(client, &namespace, &target).await?)
}
