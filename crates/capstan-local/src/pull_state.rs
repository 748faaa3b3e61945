//! Folding the engine's pull messages (bollard's `CreateImageInfo`) into
//! per-layer progress, and when to report it. Pure: the pull loop in `pull`
//! feeds messages and the clock in, and sends what comes out.

use std::time::{Duration, Instant};

use bollard::models::CreateImageInfo;

use crate::progress::{LayerPhase, LayerProgress, Step};
use crate::Error;

/// One layer as the messages so far describe it.
#[derive(Debug, Clone)]
struct Layer {
    id: String,
    phase: LayerPhase,
    /// The compressed size, once the engine says it.
    size: Option<u64>,
    downloaded: u64,
    extracted: u64,
}

/// What one message changed, which decides whether a report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Nothing,
    /// Bytes moved within a phase.
    Bytes,
    /// A layer appeared or moved to another phase.
    Phase,
}

/// The pull of one image so far.
#[derive(Debug, Clone)]
pub(crate) struct PullState {
    image: String,
    layers: Vec<Layer>,
}

/// The engine's status text for a layer, as a phase. Other texts ("Pulling
/// from library/k3s" with the tag as id, "Retrying in 5 seconds") are not
/// layer phases.
fn phase_of(status: &str) -> Option<LayerPhase> {
    Some(match status {
        "Pulling fs layer" | "Waiting" => LayerPhase::Waiting,
        "Downloading" => LayerPhase::Downloading,
        "Verifying Checksum" | "Download complete" => LayerPhase::Downloaded,
        "Extracting" => LayerPhase::Extracting,
        "Pull complete" => LayerPhase::Complete,
        "Already exists" => LayerPhase::Exists,
        _ => return None,
    })
}

/// The engine sends 0 or leaves a field out when it does not know a size.
fn known(v: Option<i64>) -> Option<u64> {
    v.and_then(|n| u64::try_from(n).ok()).filter(|&n| n > 0)
}

/// A pull that failed, with the engine's own words.
pub(crate) fn pull_error(image: &str, detail: impl Into<String>) -> Error {
    Error::ImagePull {
        image: image.to_owned(),
        detail: detail.into(),
    }
}

impl PullState {
    pub(crate) fn new(image: &str) -> Self {
        PullState {
            image: image.to_owned(),
            layers: Vec::new(),
        }
    }

    pub(crate) fn has_layers(&self) -> bool {
        !self.layers.is_empty()
    }

    /// Folds one message in. An `errorDetail` ends the pull with the
    /// engine's message.
    pub(crate) fn apply(&mut self, info: &CreateImageInfo) -> Result<Change, Error> {
        if let Some(detail) = &info.error_detail {
            let message = detail
                .message
                .clone()
                .unwrap_or_else(|| format!("error code {}", detail.code.unwrap_or_default()));
            return Err(pull_error(&self.image, message));
        }
        let (Some(id), Some(status)) = (info.id.as_deref(), info.status.as_deref()) else {
            return Ok(Change::Nothing);
        };
        let Some(phase) = phase_of(status) else {
            tracing::trace!(image = %self.image, id, status, "pull message without a layer phase");
            return Ok(Change::Nothing);
        };
        let current = known(info.progress_detail.as_ref().and_then(|d| d.current));
        let total = known(info.progress_detail.as_ref().and_then(|d| d.total));
        let (at, appeared) = match self.layers.iter().position(|l| l.id == id) {
            Some(at) => (at, false),
            None => {
                self.layers.push(Layer {
                    id: id.to_owned(),
                    phase,
                    size: None,
                    downloaded: 0,
                    extracted: 0,
                });
                (self.layers.len() - 1, true)
            }
        };
        let layer = &mut self.layers[at];
        let moved = appeared || layer.phase != phase;
        layer.phase = phase;
        match phase {
            LayerPhase::Waiting | LayerPhase::Exists => {}
            LayerPhase::Downloading => {
                layer.size = total.or(layer.size);
                layer.downloaded = current.unwrap_or(layer.downloaded);
            }
            // The engine's last "Downloading" may lag behind the end.
            LayerPhase::Downloaded => layer.downloaded = layer.size.unwrap_or(layer.downloaded),
            LayerPhase::Extracting => {
                // Extraction counts the same compressed bytes.
                layer.size = layer.size.or(total);
                layer.downloaded = layer.size.unwrap_or(layer.downloaded);
                layer.extracted = current.unwrap_or(layer.extracted);
            }
            LayerPhase::Complete => {
                layer.downloaded = layer.size.unwrap_or(layer.downloaded);
                layer.extracted = layer.size.unwrap_or(layer.extracted);
            }
        }
        Ok(if moved { Change::Phase } else { Change::Bytes })
    }

    /// The report: each layer's phase and bytes, and the download bytes over
    /// all layers (`total` only once every layer to download has a size).
    pub(crate) fn step(&self) -> Step {
        let layers = self
            .layers
            .iter()
            .map(|l| {
                let (current, total) = match l.phase {
                    LayerPhase::Waiting => (0, l.size),
                    LayerPhase::Downloading | LayerPhase::Downloaded => (l.downloaded, l.size),
                    LayerPhase::Extracting => (l.extracted, l.size),
                    LayerPhase::Complete => (l.size.unwrap_or(l.downloaded), l.size),
                    LayerPhase::Exists => (0, None),
                };
                LayerProgress {
                    id: l.id.clone(),
                    phase: l.phase,
                    current,
                    total,
                }
            })
            .collect();
        let fetched = self.layers.iter().filter(|l| l.phase != LayerPhase::Exists);
        let downloaded = fetched.clone().map(|l| l.downloaded).sum();
        let total = if self.layers.is_empty() {
            None
        } else {
            fetched.map(|l| l.size).sum::<Option<u64>>()
        };
        Step::PullProgress {
            image: self.image.clone(),
            layers,
            downloaded,
            total,
        }
    }
}

/// At most one report per `gap` while only bytes move; a layer appearing or
/// changing phase is reported at once, so no phase is ever skipped.
#[derive(Debug)]
pub(crate) struct Throttle {
    gap: Duration,
    last: Option<Instant>,
}

impl Throttle {
    pub(crate) fn new(gap: Duration) -> Self {
        Throttle { gap, last: None }
    }

    pub(crate) fn due(&mut self, now: Instant, change: Change) -> bool {
        let due = match change {
            Change::Nothing => false,
            Change::Phase => true,
            Change::Bytes => self
                .last
                .is_none_or(|last| now.saturating_duration_since(last) >= self.gap),
        };
        if due {
            self.last = Some(now);
        }
        due
    }
}

#[cfg(test)]
#[path = "pull_state_tests.rs"]
mod tests;
