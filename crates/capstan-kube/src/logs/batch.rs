//! The batch loop: collects what the stream tasks send, merges lines by
//! time and hands the sink one [`LogBatch`] about every 50 ms.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::merge::{Item, Merger};
use super::stream::{pump, Piece, ResumeFilter};
use super::types::{LogBatch, LogMarker, LogSource};

/// Lines closer together than this go out as one batch.
pub const BATCH_INTERVAL: Duration = Duration::from_millis(50);
/// How long lines wait for older lines of other sources (multi-source only).
const MERGE_HOLD: Duration = Duration::from_millis(200);
/// Held lines above this leave at once (bounds memory under a flood).
const MERGE_CAP: usize = 200_000;
/// Lines per batch at most: a huge tail goes out in several messages.
const MAX_BATCH_LINES: usize = 10_000;
/// Pieces queued between the streams and the batch loop (backpressure).
pub(crate) const QUEUE: usize = 4096;

/// Receives a session's batches, in order, from one task. The Tauri shell
/// adapts this to a `Channel`, the CLI prints.
pub trait LogSink: Send + Sync + 'static {
    fn batch(&self, batch: LogBatch);
}

/// A running log session. Dropping it (or [`LogHandle::cancel`]) stops every
/// stream of the session; nothing reaches the sink afterwards.
pub struct LogHandle {
    task: JoinHandle<()>,
}

impl LogHandle {
    pub(crate) fn new(task: JoinHandle<()>) -> Self {
        Self { task }
    }

    pub fn cancel(self) {}

    /// True once the session has ended by itself (its last batch had
    /// `done`).
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }

    /// Waits until the session ends by itself (not following, or all
    /// sources of a pod target ended).
    pub async fn finished(mut self) {
        let _ = (&mut self.task).await;
    }
}

impl Drop for LogHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Runs until every sender is gone, then sends the last batch with `done`.
/// `follow` false: the session ends by itself, so lines wait until every
/// stream is done (up to `MERGE_CAP`) and come out exactly in time order.
pub(crate) async fn run(mut rx: mpsc::Receiver<Piece>, sink: Arc<dyn LogSink>, follow: bool) {
    let multi_hold = if follow { MERGE_HOLD } else { Duration::MAX };
    let mut merger = Merger::new(Duration::ZERO, MERGE_CAP);
    let mut sources = 0usize;
    let mut last_at: HashMap<u32, jiff::Timestamp> = HashMap::new();
    let mut new_sources: Vec<LogSource> = Vec::new();
    let mut error: Option<String> = None;
    let mut next_flush = tokio::time::Instant::now() + BATCH_INTERVAL;
    let mut pieces = Vec::with_capacity(1024);
    let mut items = Vec::new();
    loop {
        let open = tokio::select! {
            n = rx.recv_many(&mut pieces, 1024) => n > 0,
            _ = tokio::time::sleep_until(next_flush) => true,
        };
        let now = Instant::now();
        for piece in pieces.drain(..) {
            match piece {
                Piece::Line { at, line } => {
                    let at = match at {
                        Some(t) => {
                            last_at.insert(line.source, t);
                            t
                        }
                        None => stamp_for(&last_at, line.source),
                    };
                    merger.push(at, Item::Line(line), now);
                }
                Piece::Marker { source, marker } => {
                    let at = stamp_for(&last_at, source);
                    merger.push(at, Item::Marker(source, marker), now);
                }
                Piece::Done(source) => {
                    last_at.remove(&source);
                }
                Piece::Source(s) => {
                    sources += 1;
                    if sources > 1 {
                        merger.set_hold(multi_hold);
                    }
                    new_sources.push(s);
                }
                Piece::Error(e) => error = Some(e),
            }
        }
        // Between flushes keep collecting: one batch per interval.
        if open && tokio::time::Instant::now() < next_flush {
            continue;
        }
        next_flush = tokio::time::Instant::now() + BATCH_INTERVAL;
        merger.drain_ready(now, !open, &mut items);
        emit(&*sink, &mut new_sources, &mut items, error.take(), !open);
        if !open {
            tracing::debug!("log session ended");
            return;
        }
    }
}

fn stamp_for(last_at: &HashMap<u32, jiff::Timestamp>, source: u32) -> jiff::Timestamp {
    last_at
        .get(&source)
        .copied()
        .unwrap_or_else(jiff::Timestamp::now)
}

fn emit(
    sink: &dyn LogSink,
    new_sources: &mut Vec<LogSource>,
    items: &mut Vec<Item>,
    error: Option<String>,
    done: bool,
) {
    let mut batch = LogBatch {
        sources: std::mem::take(new_sources),
        ..LogBatch::default()
    };
    for item in items.drain(..) {
        match item {
            Item::Line(l) => {
                batch.lines.push(l);
                if batch.lines.len() >= MAX_BATCH_LINES {
                    sink.batch(std::mem::take(&mut batch));
                }
            }
            Item::Marker(source, marker) => batch.markers.push(LogMarker {
                source,
                before_line: u32::try_from(batch.lines.len()).unwrap_or(u32::MAX),
                marker,
            }),
        }
    }
    batch.error = error;
    batch.done = done;
    if !batch.is_empty() {
        sink.batch(batch);
    }
}

/// Feeds recorded raw streams (lines as the server sends them with
/// `timestamps=true`) through the same parser, resume filter, merger and
/// batcher as live streams, for benchmarks and tests. Returns when the last
/// batch (with `done`) was delivered.
pub async fn replay(recorded: Vec<(LogSource, Vec<u8>)>, timestamps: bool, sink: Arc<dyn LogSink>) {
    let (tx, rx) = mpsc::channel(QUEUE);
    let batches = tokio::spawn(run(rx, sink, true));
    let mut tasks = Vec::new();
    for (source, bytes) in recorded {
        let tx = tx.clone();
        let index = source.index;
        let _ = tx.send(Piece::Source(source)).await;
        tasks.push(tokio::spawn(async move {
            let mut filter = ResumeFilter::default();
            let _ = pump(&bytes[..], index, timestamps, &mut filter, &tx).await;
            let _ = tx.send(Piece::Done(index)).await;
        }));
    }
    drop(tx);
    for t in tasks {
        let _ = t.await;
    }
    let _ = batches.await;
}
