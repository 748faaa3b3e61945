//! What the UI receives: sources (pod/container with a stable index), lines
//! and markers, in batches.

use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// One pod/container being streamed. `index` is stable for the session and
/// small (0, 1, 2 ...): the UI picks a colour from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct LogSource {
    pub index: u32,
    pub namespace: String,
    pub pod: String,
    pub container: String,
}

/// One log line. `time` is the server's RFC3339Nano stamp (always requested,
/// so merging and resume work); `text` carries it too only when the user
/// asked for timestamps. ANSI codes are left in `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct LogLine {
    pub source: u32,
    pub time: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase", tag = "kind")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum MarkerKind {
    /// The source started streaming (first connect).
    Started,
    /// The stream dropped; retrying. `reason` is the error or "stream ended".
    Reconnecting { reason: String },
    /// Streaming again after a drop; lines resume after the last one seen,
    /// so nothing is repeated. `gapMs` is how long the source was away.
    Resumed {
        #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
        gap_ms: u64,
    },
    /// The container restarted (its restart count went up).
    ContainerRestarted { restart_count: i32 },
    /// No more lines from this source (pod gone, container finished, or not
    /// following). `reason` says which.
    Ended { reason: String },
    /// The source cannot be streamed (e.g. no previous container); the
    /// others carry on.
    Failed { message: String },
}

/// A marker line for one source, shown in the stream where it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct LogMarker {
    pub source: u32,
    /// Position in this batch's `lines`: the marker comes before that line
    /// (== lines.len() means after the last).
    pub before_line: u32,
    pub marker: MarkerKind,
}

/// What the sink gets about every 50 ms. `sources` lists sources new in
/// this batch (before any line that names them). `done` is set once, on the
/// last batch, when nothing more will come (not following, or every source
/// ended for a single pod target). `error` is a failure of the whole session
/// (target not found, selector invalid).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct LogBatch {
    pub sources: Vec<LogSource>,
    pub lines: Vec<LogLine>,
    pub markers: Vec<LogMarker>,
    pub done: bool,
    pub error: Option<String>,
}

impl LogBatch {
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
            && self.lines.is_empty()
            && self.markers.is_empty()
            && !self.done
            && self.error.is_none()
    }
}
