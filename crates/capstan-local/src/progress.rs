use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// One step of creating a cluster, in the order they happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase", tag = "step")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum Step {
    /// The node image is there: pulled, or `skipped` when the engine already
    /// had it.
    Pull {
        image: String,
        skipped: bool,
    },
    /// While pulling (throttled): every layer seen so far, in the order the
    /// engine named them, and the download bytes over all of them. `total`
    /// is None until every layer to download has told its size.
    PullProgress {
        image: String,
        layers: Vec<LayerProgress>,
        #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
        downloaded: u64,
        #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
        total: Option<u64>,
    },
    Network {
        name: String,
    },
    /// Server `index` of `of` (HA servers start one at a time).
    Server {
        index: u32,
        of: u32,
    },
    Agents {
        count: u32,
    },
    /// `/readyz` answered through the published port.
    ApiReady {
        port: u16,
    },
    /// Nodes Ready so far, of the expected count.
    NodesReady {
        ready: u32,
        of: u32,
    },
    Kubeconfig {
        context: String,
    },
    /// A pre-flight warning (cgroup v1, low inotify limits, little memory):
    /// create goes on, but the cluster may misbehave. Sent before the pull.
    Warning {
        message: String,
    },
    /// Removing what was created after a failure or cancel.
    RollingBack,
    Done,
}

/// One image layer while pulling. `current`/`total` are the bytes of the
/// phase it is in (downloaded, or extracted); `total` is None while the
/// engine has not said the layer's size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct LayerProgress {
    /// The engine's short layer id (12 hex digits).
    pub id: String,
    pub phase: LayerPhase,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub current: u64,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
    pub total: Option<u64>,
}

/// Where a layer is, in the order the engine goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum LayerPhase {
    /// "Pulling fs layer" or "Waiting": queued, nothing downloaded yet.
    Waiting,
    Downloading,
    /// "Verifying Checksum" / "Download complete".
    Downloaded,
    Extracting,
    /// "Pull complete".
    Complete,
    /// "Already exists": the engine had it, nothing to download.
    Exists,
}

impl LayerPhase {
    /// Nothing more will happen to the layer in this pull.
    pub fn is_finished(self) -> bool {
        matches!(self, LayerPhase::Complete | LayerPhase::Exists)
    }
}

/// Where create/delete report their steps (a Tauri Channel, a CLI progress bar, a test).
pub trait ProgressSink: Send + Sync {
    fn step(&self, step: Step);
}

/// For callers that do not show progress.
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn step(&self, _: Step) {}
}
