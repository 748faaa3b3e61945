//! Metrics: CPU and MEM cells of an open table (their own Channel, apart
//! from the rows), and for charts and the cluster overview, series and
//! figures per context. Sampling runs only while a table's metrics are open
//! or a chart holds a subscription.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use capstan_kube::discovery::KindInfo;
use capstan_kube::metrics::table_cells::{
    open_table_metrics, MetricsEvent, MetricsSink, MetricsTableKind, TableMetrics,
};
use capstan_kube::metrics::{ClusterOverview, Metrics, MetricsError};
use capstan_kube::ClientCache;
use tauri::ipc::Channel;

use crate::ipc_error::ErrorKind;
use crate::sessions::{ChannelSink, SessionRegistry};
use crate::IpcError;

/// Open tables' metrics by id.
pub type TableMetricsViews = SessionRegistry<TableMetrics>;

/// One `Metrics` (sampler and history) per context, made on first use.
#[derive(Default)]
pub struct MetricsHubs(Mutex<HashMap<String, Arc<Metrics>>>);

impl MetricsHubs {
    pub async fn get(
        &self,
        context: &str,
        clients: &ClientCache,
    ) -> Result<Arc<Metrics>, IpcError> {
        if let Some(m) = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(context)
        {
            return Ok(m.clone());
        }
        let client = clients.get(context).await?;
        let settings = capstan_kube::settings::load_settings()?.metrics;
        let made = Arc::new(Metrics::new(
            client,
            settings.retention(),
            settings.prometheus_for(context),
        ));
        Ok(self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(context.to_string())
            .or_insert(made)
            .clone())
    }
}

impl MetricsSink for ChannelSink<MetricsEvent> {
    fn send(&self, event: MetricsEvent) -> bool {
        self.deliver(event)
    }
}

impl From<MetricsError> for IpcError {
    fn from(e: MetricsError) -> Self {
        let kind = match &e {
            MetricsError::Forbidden { .. } => ErrorKind::Forbidden,
            MetricsError::NotFound { .. } => ErrorKind::NotFound,
            MetricsError::Request { .. } => ErrorKind::Connection,
            _ => ErrorKind::Internal,
        };
        IpcError::new(kind, e.to_string(), None)
    }
}

/// Starts the CPU/MEM cells of a table of `kind` over `namespaces` (empty:
/// all); null when the kind has no metrics columns.
#[tauri::command]
pub async fn open_view_metrics(
    context: String,
    kind: KindInfo,
    namespaces: Vec<String>,
    channel: Channel<MetricsEvent>,
    clients: tauri::State<'_, Arc<ClientCache>>,
    views: tauri::State<'_, TableMetricsViews>,
) -> Result<Option<u32>, IpcError> {
    let Some(table) = MetricsTableKind::of(&kind.group, &kind.plural) else {
        return Ok(None);
    };
    let client = clients.get(&context).await?;
    let interval = capstan_kube::settings::load_settings()?.metrics.interval();
    let sink = Arc::new(ChannelSink::new(channel));
    let metrics = open_table_metrics(client, table, namespaces, interval, sink);
    Ok(Some(views.insert(metrics)))
}

#[tauri::command]
pub fn close_view_metrics(id: u32, views: tauri::State<'_, TableMetricsViews>) {
    views.remove(id);
}

/// The cluster overview's figures.
#[tauri::command]
pub async fn cluster_overview(
    context: String,
    clients: tauri::State<'_, Arc<ClientCache>>,
) -> Result<ClusterOverview, IpcError> {
    let client = clients.get(&context).await?;
    Ok(capstan_kube::metrics::cluster_overview(&client).await?)
}
