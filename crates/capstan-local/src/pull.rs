//! Pulling the node image with per-layer progress: the engine's messages are
//! folded by `pull_state` and reported as `Step::PullProgress`, throttled.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bollard::query_parameters::CreateImageOptions;
use bollard::Docker;
use futures_util::StreamExt;

use crate::progress::{ProgressSink, Step};
use crate::pull_state::{pull_error, Change, PullState, Throttle};
use crate::{engine_err, Error};

/// About ten reports a second while bytes move: enough for a smooth bar,
/// few enough not to flood a Tauri Channel.
const REPORT_GAP: Duration = Duration::from_millis(100);

/// How often a stalled pull (a slow or silent registry) looks at the cancel
/// flag between engine messages.
const CANCEL_CHECK: Duration = Duration::from_millis(250);

/// Pulls `image` (as `docker pull`), reporting `Step::PullProgress` while it
/// runs and `Step::Pull` when the engine has it. A failure is
/// [`Error::ImagePull`] with the engine's message (unknown tag, no registry
/// reachable), or [`Error::EngineUnreachable`].
pub async fn pull_image(
    docker: &Docker,
    image: &str,
    sink: &dyn ProgressSink,
) -> Result<(), Error> {
    pull(docker, image, &AtomicBool::new(false), sink).await
}

/// Pulls `image` unless the engine has it (the registry and load balancer
/// images: small, no progress shown).
pub(crate) async fn ensure_present(docker: &Docker, image: &str) -> Result<(), Error> {
    if docker.inspect_image(image).await.is_ok() {
        return Ok(());
    }
    pull(docker, image, &AtomicBool::new(false), &crate::NoProgress).await
}

/// [`pull_image`] that stops within [`CANCEL_CHECK`] once `cancel` is set
/// (dropping the request ends the engine's pull).
pub(crate) async fn pull(
    docker: &Docker,
    image: &str,
    cancel: &AtomicBool,
    sink: &dyn ProgressSink,
) -> Result<(), Error> {
    let mut stream = docker.create_image(
        Some(CreateImageOptions {
            from_image: Some(image.to_owned()),
            ..Default::default()
        }),
        None,
        None,
    );
    let mut state = PullState::new(image);
    let mut throttle = Throttle::new(REPORT_GAP);
    // The state has changed since the last report (the throttle held it).
    let mut held = false;
    loop {
        // `next` is cancel-safe: a timed-out wait loses no message.
        let waited = tokio::time::timeout(CANCEL_CHECK, stream.next()).await;
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
        let item = match waited {
            Ok(Some(item)) => item,
            Ok(None) => break,
            Err(_) => continue,
        };
        let info = item.map_err(|e| stream_error(image, e))?;
        let change = state.apply(&info)?;
        if throttle.due(Instant::now(), change) {
            sink.step(state.step());
            held = false;
        } else if !matches!(change, Change::Nothing) {
            held = true;
        }
    }
    // The end as it is, when the throttle held it back.
    if held && state.has_layers() {
        sink.step(state.step());
    }
    tracing::info!(image, "pulled");
    sink.step(Step::Pull {
        image: image.to_owned(),
        skipped: false,
    });
    Ok(())
}

/// The engine refusing the pull (it answers 404 for an unknown tag, 500 for
/// a registry it cannot reach) or failing mid-stream is a pull error in its
/// words; a lost connection is the engine being away.
fn stream_error(image: &str, e: bollard::errors::Error) -> Error {
    match e {
        bollard::errors::Error::DockerResponseServerError { message, .. } => {
            pull_error(image, message)
        }
        bollard::errors::Error::DockerStreamError { error } => pull_error(image, error),
        other => engine_err("pull the node image")(other),
    }
}
