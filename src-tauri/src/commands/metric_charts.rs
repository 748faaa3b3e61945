//! A Metrics tab's or the cluster overview's charts: one CPU and one memory
//! chart of a target over a range. The data never passes through the page:
//! a task owned by the feed reads the series from `capstan_kube::metrics`
//! and sets the charts' specs, then tells the page (over a Channel) to ask
//! for new frames, or why there is nothing to draw.

use std::sync::Arc;
use std::time::Duration;

use capstan_charts::{ChartSpec, Mark, Series, Unit};
use capstan_kube::metrics::{Metrics, MetricsRange, MetricsSeries, MetricsSource, MetricsTarget};
use capstan_kube::ClientCache;
use serde::Serialize;
use tauri::ipc::Channel;
use tokio::task::JoinHandle;

use super::charts::{ChartId, ChartSessions};
use super::metrics::MetricsHubs;
use crate::sessions::{ChannelSink, SessionRegistry};
use crate::IpcError;

/// Prometheus ranges are asked again this often: their step is a minute or
/// more, so sooner would only repeat the same points.
const RANGE_REFRESH: Duration = Duration::from_secs(60);

/// The two charts of a feed, for the page to draw.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub struct MetricsCharts {
    pub id: u32,
    pub cpu: ChartId,
    pub memory: ChartId,
}

/// What a feed tells the page.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub enum MetricsChartEvent {
    /// The charts hold new data (`points` over all series; 0 while the
    /// first live sample is awaited): ask for frames.
    Drawn {
        revision: u32,
        source: MetricsSource,
        points: u32,
    },
    /// Nothing to draw, and why (no source, forbidden, Prometheus failed).
    Failed { revision: u32, error: IpcError },
}

/// A running feed: dropping it stops the task (and with it the sampler
/// subscription) and closes both charts.
pub struct MetricsChartFeed {
    task: JoinHandle<()>,
    charts: Arc<ChartSessions>,
    cpu: ChartId,
    memory: ChartId,
}

impl Drop for MetricsChartFeed {
    fn drop(&mut self) {
        self.task.abort();
        self.charts.close(self.cpu);
        self.charts.close(self.memory);
    }
}

pub type MetricsChartFeeds = SessionRegistry<MetricsChartFeed>;

/// The chart specs of one set of series (the page's theme is applied per
/// frame, so the spec's is only a default).
pub fn chart_specs(series: &MetricsSeries) -> (ChartSpec, ChartSpec) {
    let spec = |title: &str,
                unit,
                lines: &[capstan_kube::metrics::Series],
                marks: &[capstan_kube::metrics::Mark]| ChartSpec {
        title: Some(title.to_string()),
        unit,
        series: lines
            .iter()
            .map(|s| Series {
                name: s.name.clone(),
                points: s.points.clone(),
            })
            .collect(),
        marks: marks
            .iter()
            .map(|m| Mark {
                name: m.name.clone(),
                value: m.value,
            })
            .collect(),
        x_is_time: true,
        ..ChartSpec::default()
    };
    (
        spec("CPU", Unit::Cores, &series.cpu, &series.cpu_marks),
        spec("Memory", Unit::Bytes, &series.memory, &series.memory_marks),
    )
}

fn point_count(series: &MetricsSeries) -> u32 {
    let n: usize = series
        .cpu
        .iter()
        .chain(&series.memory)
        .map(|s| s.points.len())
        .sum();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Opens a CPU and a memory chart of `target` over `range` in `context`,
/// kept current until `close_metrics_charts` (live: after every sample;
/// Prometheus ranges: every minute).
#[tauri::command]
#[allow(clippy::too_many_arguments)] // Tauri hands each piece of state as an argument.
pub async fn open_metrics_charts(
    context: String,
    target: MetricsTarget,
    range: MetricsRange,
    channel: Channel<MetricsChartEvent>,
    clients: tauri::State<'_, Arc<ClientCache>>,
    hubs: tauri::State<'_, MetricsHubs>,
    charts: tauri::State<'_, Arc<ChartSessions>>,
    feeds: tauri::State<'_, MetricsChartFeeds>,
) -> Result<MetricsCharts, IpcError> {
    let metrics = hubs.get(&context, &clients).await?;
    let charts = Arc::clone(&charts);
    let cpu = charts.open(ChartSpec::default());
    let memory = charts.open(ChartSpec::default());
    let sink = ChannelSink::new(channel);
    let task = tokio::spawn(feed(
        metrics,
        target,
        range,
        Arc::clone(&charts),
        (cpu, memory),
        sink,
    ));
    let id = feeds.insert(MetricsChartFeed {
        task,
        charts,
        cpu,
        memory,
    });
    Ok(MetricsCharts { id, cpu, memory })
}

#[tauri::command]
pub fn close_metrics_charts(id: u32, feeds: tauri::State<'_, MetricsChartFeeds>) {
    feeds.remove(id);
}

async fn feed(
    metrics: Arc<Metrics>,
    target: MetricsTarget,
    range: MetricsRange,
    charts: Arc<ChartSessions>,
    (cpu, memory): (ChartId, ChartId),
    sink: ChannelSink<MetricsChartEvent>,
) {
    let live = matches!(range, MetricsRange::Live);
    // Held for the feed's life: live history fills only while subscribed.
    let mut subscription = live.then(|| metrics.subscribe());
    let mut ticker = tokio::time::interval(RANGE_REFRESH);
    let mut revision = 0u32;
    loop {
        revision = revision.wrapping_add(1);
        let event = match metrics.series(target.clone(), range).await {
            Ok(series) => {
                let (cpu_spec, memory_spec) = chart_specs(&series);
                if !charts.set_spec(cpu, cpu_spec) || !charts.set_spec(memory, memory_spec) {
                    return; // closed
                }
                MetricsChartEvent::Drawn {
                    revision,
                    points: point_count(&series),
                    source: series.source,
                }
            }
            Err(e) => MetricsChartEvent::Failed {
                revision,
                error: e.into(),
            },
        };
        if !sink.deliver(event) {
            return; // the page has gone
        }
        match subscription.as_mut() {
            Some(s) => {
                if !s.changed().await {
                    return;
                }
            }
            None => {
                ticker.tick().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series() -> MetricsSeries {
        MetricsSeries {
            source: MetricsSource::MetricsApi,
            cpu: vec![capstan_kube::metrics::Series {
                name: "app".into(),
                points: vec![[1.0, 0.25], [16.0, 0.5]],
            }],
            memory: vec![capstan_kube::metrics::Series {
                name: "app".into(),
                points: vec![[1.0, 1024.0]],
            }],
            cpu_marks: vec![capstan_kube::metrics::Mark {
                name: "request".into(),
                value: 0.1,
            }],
            memory_marks: vec![],
        }
    }

    #[test]
    fn cpu_and_memory_become_two_time_charts_with_their_units_and_marks() {
        let (cpu, memory) = chart_specs(&series());
        assert_eq!(cpu.unit, Unit::Cores);
        assert_eq!(memory.unit, Unit::Bytes);
        assert!(cpu.x_is_time && memory.x_is_time);
        assert_eq!(cpu.series[0].points, vec![[1.0, 0.25], [16.0, 0.5]]);
        assert_eq!(cpu.marks[0].name, "request");
        assert!(memory.marks.is_empty());
        assert_eq!(point_count(&series()), 3);
    }
}
