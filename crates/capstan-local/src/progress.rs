use serde::Serialize;
use ts_rs::TS;

/// One step of creating a cluster, in the order they happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "step")]
#[ts(export)]
pub enum Step {
    /// Pulling the node image (skipped when the engine already has it).
    Pull {
        image: String,
        skipped: bool,
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
    /// Removing what was created after a failure or cancel.
    RollingBack,
    Done,
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
