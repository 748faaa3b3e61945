//! Port-forwards held by the shell: thin wrappers over
//! `capstan_kube::forward::ForwardRegistry`. Status changes stream to the UI
//! over the Channel passed to `start_forward`.

use std::net::IpAddr;
use std::sync::Arc;

use capstan_kube::forward::{
    ForwardOptions, ForwardRegistry, ForwardSink, ForwardStatus, PortMapping, TargetRef,
};
use capstan_kube::ClientCache;
use tauri::ipc::Channel;

use crate::IpcError;

struct ChannelSink(Channel<ForwardStatus>);

impl ForwardSink for ChannelSink {
    fn status(&self, status: &ForwardStatus) {
        // A closed channel means the page is gone; list_forwards still works.
        if self.0.send(status.clone()).is_err() {
            tracing::debug!(
                id = status.id,
                "forward status not delivered: channel closed"
            );
        }
    }
}

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
    clients: tauri::State<'_, Arc<ClientCache>>,
    registry: tauri::State<'_, ForwardRegistry>,
) -> Result<ForwardStatus, IpcError> {
    let address = match address.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(text) => {
            let ip: IpAddr = text.parse().map_err(|_| {
                capstan_kube::Error::InvalidInput(format!("{text} is not an IP address"))
            })?;
            if !ip.is_loopback() && !allow_non_loopback {
                return Err(capstan_kube::Error::InvalidInput(format!(
                    "binding to {ip} exposes the pod beyond this machine; confirm it explicitly"
                ))
                .into());
            }
            Some(ip)
        }
    };
    let client = clients.get(&context).await?;
    tracing::debug!(%context, %namespace, ?target, "starting forward");
    let status = registry
        .start(
            client,
            &namespace,
            target,
            ports,
            ForwardOptions { address },
            Arc::new(ChannelSink(channel)),
        )
        .await?;
    Ok(status)
}

#[tauri::command]
pub fn list_forwards(registry: tauri::State<'_, ForwardRegistry>) -> Vec<ForwardStatus> {
    registry.list()
}

/// Stops one forward; false when it was already gone.
#[tauri::command]
pub fn stop_forward(id: u64, registry: tauri::State<'_, ForwardRegistry>) -> bool {
    registry.stop(id)
}

#[tauri::command]
pub fn stop_all_forwards(registry: tauri::State<'_, ForwardRegistry>) {
    registry.stop_all();
}
