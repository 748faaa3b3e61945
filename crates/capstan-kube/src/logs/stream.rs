//! One container's log stream, reconnected after drops and resumed after
//! the last line seen.
//!
//! Timestamps are always requested. On reconnect `sinceTime` is the last
//! stamp seen, floored to the second (the API takes whole seconds), and lines
//! before that stamp are dropped, as are as many lines *at* that stamp as
//! were already delivered: equal stamps are possible, so counting them is
//! what keeps resume free of duplicates.

use std::time::{Duration, Instant};

use futures_util::AsyncBufReadExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, LogParams};
use tokio::sync::mpsc;

use super::parse::{split_timestamp, strip_partial_stamps};
use super::types::{LogLine, MarkerKind};

const BACKOFF_START: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(5);

/// What stream tasks send to the batch loop.
#[derive(Debug)]
pub(crate) enum Piece {
    Line {
        at: Option<jiff::Timestamp>,
        line: LogLine,
    },
    Marker {
        source: u32,
        marker: MarkerKind,
    },
    /// The source will send nothing more.
    Done(u32),
    /// A new source, announced before its first line.
    Source(super::types::LogSource),
    /// The whole session failed (target not found ...).
    Error(String),
}

/// One container to stream, with the user's options.
#[derive(Clone)]
pub(crate) struct StreamSpec {
    pub api: Api<Pod>,
    pub pod: String,
    /// The pod streamed: a new pod under the same name is another source.
    pub uid: Option<String>,
    pub container: String,
    pub source: u32,
    pub follow: bool,
    pub tail_lines: Option<i64>,
    pub since_seconds: Option<i64>,
    pub since_time: Option<jiff::Timestamp>,
    pub timestamps: bool,
    pub previous: bool,
}

/// The last stamp delivered and how many lines carried it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Resume {
    pub at: jiff::Timestamp,
    pub count: u32,
}

/// Drops the lines a resumed stream repeats. Pure, so it is unit-tested.
#[derive(Debug, Default)]
pub(crate) struct ResumeFilter {
    /// Set after a reconnect until the first newer line passes.
    skip: Option<(Resume, u32)>,
    pub last: Option<Resume>,
}

impl ResumeFilter {
    pub fn reconnecting(&mut self) {
        self.skip = self.last.map(|r| (r, 0));
    }

    /// Whether a line with this stamp is new; records it if so.
    pub fn accept(&mut self, at: Option<jiff::Timestamp>) -> bool {
        let Some(at) = at else {
            // No stamp (cannot happen with timestamps=true short of a
            // truncated line): deliver, nothing to resume from.
            return true;
        };
        if let Some((r, seen)) = &mut self.skip {
            if at < r.at {
                return false;
            }
            if at == r.at && *seen < r.count {
                *seen += 1;
                return false;
            }
            self.skip = None;
        }
        match &mut self.last {
            Some(r) if r.at == at => r.count += 1,
            _ => self.last = Some(Resume { at, count: 1 }),
        }
        true
    }
}

enum Ending {
    /// Reconnect (after an error or an idle end while the container runs).
    Again,
    Stop(MarkerKind),
}

/// Streams until the source ends or the task is aborted.
pub(crate) async fn run(spec: StreamSpec, tx: mpsc::Sender<Piece>) {
    let source = spec.source;
    let mut filter = ResumeFilter::default();
    let mut connected_once = false;
    let mut away_since: Option<Instant> = None;
    let mut backoff = BACKOFF_START;
    let mut restarts = restart_count(&spec).await;
    let end = loop {
        if connected_once || away_since.is_some() {
            filter.reconnecting();
        }
        let params = params(&spec, filter.last.map(|r| r.at));
        match spec.api.log_stream(&spec.pod, &params).await {
            Ok(reader) => {
                backoff = BACKOFF_START;
                let marker = match away_since.take() {
                    Some(t) => MarkerKind::Resumed {
                        gap_ms: u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX),
                    },
                    None if !connected_once => MarkerKind::Started,
                    None => MarkerKind::Resumed { gap_ms: 0 },
                };
                connected_once = true;
                if send(&tx, Piece::Marker { source, marker }).await.is_err() {
                    return;
                }
                let result = pump(reader, spec.source, spec.timestamps, &mut filter, &tx).await;
                match result {
                    Err(PumpError::Closed) => return,
                    Err(PumpError::Read(e)) => {
                        tracing::debug!(pod = %spec.pod, container = %spec.container, error = %e, "log stream read failed");
                        away_since = Some(Instant::now());
                        let reason = format!("stream dropped: {e}");
                        if send(
                            &tx,
                            Piece::Marker {
                                source,
                                marker: MarkerKind::Reconnecting { reason },
                            },
                        )
                        .await
                        .is_err()
                        {
                            return;
                        }
                    }
                    Ok(()) => {
                        if !spec.follow || spec.previous {
                            break MarkerKind::Ended {
                                reason: "end of log".into(),
                            };
                        }
                        match after_end(&spec, &mut restarts, &tx).await {
                            Ending::Stop(m) => break m,
                            Ending::Again => {
                                // Not a drop we report as a gap: the stream
                                // simply ended (idle timeout, restart).
                                continue;
                            }
                        }
                    }
                }
            }
            Err(e) => match classify(&e) {
                Class::Fatal(message) => break MarkerKind::Failed { message },
                Class::Waiting if !spec.follow => {
                    break match spec.api.get_opt(&spec.pod).await {
                        Ok(None) => MarkerKind::Ended {
                            reason: "pod deleted".into(),
                        },
                        _ => MarkerKind::Failed {
                            message: describe(&e),
                        },
                    }
                }
                Class::Waiting => {
                    // Not streamable yet (kubelet has not seen the pod,
                    // container starting or restarting) or gone: the pod
                    // itself says which. Retried after the backoff below, so
                    // a kubelet lagging behind the API is not a busy loop.
                    if let Ending::Stop(m) = after_end(&spec, &mut restarts, &tx).await {
                        break m;
                    }
                }
                Class::Retry => {
                    tracing::debug!(pod = %spec.pod, container = %spec.container, error = %e, "log stream connect failed");
                    if away_since.is_none() {
                        away_since = Some(Instant::now());
                        let reason = describe(&e);
                        if send(
                            &tx,
                            Piece::Marker {
                                source,
                                marker: MarkerKind::Reconnecting { reason },
                            },
                        )
                        .await
                        .is_err()
                        {
                            return;
                        }
                    }
                }
            },
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(BACKOFF_MAX);
    };
    let _ = send(
        &tx,
        Piece::Marker {
            source,
            marker: end,
        },
    )
    .await;
    let _ = send(&tx, Piece::Done(source)).await;
}

fn params(spec: &StreamSpec, resume_at: Option<jiff::Timestamp>) -> LogParams {
    let mut p = LogParams {
        container: Some(spec.container.clone()),
        follow: spec.follow && !spec.previous,
        previous: spec.previous,
        timestamps: true,
        ..LogParams::default()
    };
    match resume_at {
        Some(at) => {
            // Floor: kube rounds to the nearest second, which could skip
            // lines in the second after the last one seen.
            p.since_time = jiff::Timestamp::from_second(at.as_second()).ok();
        }
        None => {
            p.tail_lines = spec.tail_lines;
            p.since_time = spec.since_time;
            if p.since_time.is_none() {
                p.since_seconds = spec.since_seconds;
            }
        }
    }
    p
}

pub(crate) enum PumpError {
    /// The receiver is gone: the session was closed.
    Closed,
    Read(std::io::Error),
}

/// Reads lines until the end of `reader`: the parser every stream (and the
/// replay benchmark) goes through.
pub(crate) async fn pump<R: futures_util::AsyncBufRead + Unpin>(
    mut reader: R,
    source: u32,
    timestamps: bool,
    filter: &mut ResumeFilter,
    tx: &mpsc::Sender<Piece>,
) -> Result<(), PumpError> {
    let mut buf = Vec::with_capacity(256);
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .await
            .map_err(PumpError::Read)?;
        if n == 0 {
            return Ok(());
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        let raw = String::from_utf8_lossy(&buf);
        let (at, stamp, text) = split_timestamp(&raw);
        if !filter.accept(at) {
            continue;
        }
        let line = LogLine {
            source,
            time: at.map(|_| stamp.to_string()),
            text: if timestamps || at.is_none() {
                raw.to_string()
            } else {
                strip_partial_stamps(text).into_owned()
            },
        };
        send(tx, Piece::Line { at, line })
            .await
            .map_err(|_| PumpError::Closed)?;
    }
}

async fn send(tx: &mpsc::Sender<Piece>, piece: Piece) -> Result<(), ()> {
    tx.send(piece).await.map_err(|_| ())
}

/// After a clean end while following: keep going while the container runs
/// or will run again; stop when the pod is gone or the container is done.
async fn after_end(
    spec: &StreamSpec,
    restarts: &mut Option<i32>,
    tx: &mpsc::Sender<Piece>,
) -> Ending {
    let mut wait = BACKOFF_START;
    loop {
        let pod = match spec.api.get_opt(&spec.pod).await {
            Ok(Some(p)) if spec.uid.is_none() || p.metadata.uid == spec.uid => p,
            Ok(Some(_)) => {
                return Ending::Stop(MarkerKind::Ended {
                    reason: "pod replaced by a new one of the same name".into(),
                })
            }
            Ok(None) => {
                return Ending::Stop(MarkerKind::Ended {
                    reason: "pod deleted".into(),
                })
            }
            // The API server may be down: reconnecting will tell.
            Err(_) => return Ending::Again,
        };
        if pod.metadata.deletion_timestamp.is_some() {
            // Terminating: the container may still print its last words.
            let running =
                container_state(&pod, &spec.container).is_some_and(|s| s.running.is_some());
            if !running {
                return Ending::Stop(MarkerKind::Ended {
                    reason: "pod deleted".into(),
                });
            }
        }
        let status = pod.status.as_ref();
        let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or("");
        let cs = status
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|v| v.iter().find(|c| c.name == spec.container));
        if let Some(cs) = cs {
            if restarts.is_some_and(|r| cs.restart_count > r) {
                *restarts = Some(cs.restart_count);
                let _ = tx
                    .send(Piece::Marker {
                        source: spec.source,
                        marker: MarkerKind::ContainerRestarted {
                            restart_count: cs.restart_count,
                        },
                    })
                    .await;
            } else if restarts.is_none() {
                *restarts = Some(cs.restart_count);
            }
        }
        let state = cs.and_then(|c| c.state.as_ref());
        if state.is_some_and(|s| s.running.is_some()) {
            return Ending::Again;
        }
        if phase == "Succeeded" || phase == "Failed" {
            return Ending::Stop(MarkerKind::Ended {
                reason: "container finished".into(),
            });
        }
        if let Some(t) = state.and_then(|s| s.terminated.as_ref()) {
            let policy = pod
                .spec
                .as_ref()
                .and_then(|s| s.restart_policy.as_deref())
                .unwrap_or("Always");
            if policy == "Never" || (policy == "OnFailure" && t.exit_code == 0) {
                return Ending::Stop(MarkerKind::Ended {
                    reason: "container finished".into(),
                });
            }
        }
        // Waiting (starting, back-off) or about to restart.
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(BACKOFF_MAX);
    }
}

fn container_state<'a>(
    pod: &'a Pod,
    container: &str,
) -> Option<&'a k8s_openapi::api::core::v1::ContainerState> {
    pod.status
        .as_ref()?
        .container_statuses
        .as_ref()?
        .iter()
        .find(|c| c.name == container)?
        .state
        .as_ref()
}

async fn restart_count(spec: &StreamSpec) -> Option<i32> {
    let pod = spec.api.get_opt(&spec.pod).await.ok()??;
    pod.status?
        .container_statuses?
        .into_iter()
        .find(|c| c.name == spec.container)
        .map(|c| c.restart_count)
}

enum Class {
    Fatal(String),
    /// Ask the pod: wait for it, or end because it is gone.
    Waiting,
    Retry,
}

/// How a failed log request is handled. The API server passes the kubelet's
/// answer on, so a 404 or 400 can mean the kubelet has not caught up with a
/// pod it was just given ("pod does not exist", "is not available"): only
/// the pod object tells whether it is really gone.
fn classify(e: &kube::Error) -> Class {
    match e {
        kube::Error::Api(s) if s.code == 404 => Class::Waiting,
        kube::Error::Api(s) if s.code == 400 => {
            let m = s.message.to_ascii_lowercase();
            if m.contains("previous terminated container") || m.contains("not valid for pod") {
                Class::Fatal(s.message.clone())
            } else if [
                "waiting to start",
                "containercreating",
                "podinitializing",
                "is not available",
                "cannot be found",
                "is terminated",
            ]
            .iter()
            .any(|w| m.contains(w))
            {
                Class::Waiting
            } else {
                Class::Fatal(s.message.clone())
            }
        }
        // A refused log read is said as such, never as a connection problem.
        kube::Error::Api(s) if s.code == 403 => Class::Fatal(format!("Not allowed: {}", s.message)),
        kube::Error::Api(s) if s.code == 401 => Class::Fatal(s.message.clone()),
        _ => Class::Retry,
    }
}

fn describe(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(s) => s.message.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Option<jiff::Timestamp> {
        Some(s.parse().expect("test value"))
    }

    #[test]
    fn resume_skips_exactly_what_was_delivered() {
        let mut f = ResumeFilter::default();
        assert!(f.accept(t("2024-01-01T00:00:01.5Z")));
        assert!(f.accept(t("2024-01-01T00:00:02Z")));
        assert!(f.accept(t("2024-01-01T00:00:02Z")));
        f.reconnecting();
        // The server repeats from the floored second.
        assert!(!f.accept(t("2024-01-01T00:00:01.5Z")));
        assert!(!f.accept(t("2024-01-01T00:00:02Z")));
        assert!(!f.accept(t("2024-01-01T00:00:02Z")));
        // A third line at the same stamp was not delivered before.
        assert!(f.accept(t("2024-01-01T00:00:02Z")));
        assert!(f.accept(t("2024-01-01T00:00:03Z")));
        assert_eq!(f.last.expect("test value").count, 1);
    }

    fn api(code: u16, message: &str) -> kube::Error {
        kube::Error::Api(
            kube::core::Status::failure(message, "")
                .with_code(code)
                .boxed(),
        )
    }

    #[test]
    fn a_kubelet_behind_the_api_is_waited_for() {
        // What 1.20's kubelet answers before it has the pod or its status.
        for e in [
            api(404, "pod \"ns/p3\" does not exist"),
            api(400, "container \"c\" in pod \"p3\" is not available"),
            api(400, "pod \"p3\" cannot be found - no logs available"),
            api(
                400,
                "container \"c\" in pod \"p3\" is waiting to start: ContainerCreating",
            ),
        ] {
            assert!(matches!(classify(&e), Class::Waiting), "{e}");
        }
        for e in [
            api(400, "container x is not valid for pod p3"),
            api(
                400,
                "previous terminated container \"c\" in pod \"p3\" not found",
            ),
            api(403, "forbidden"),
        ] {
            assert!(matches!(classify(&e), Class::Fatal(_)), "{e}");
        }
        assert!(matches!(
            classify(&kube::Error::LinesCodecMaxLineLengthExceeded),
            Class::Retry
        ));
    }

    #[test]
    fn nothing_seen_nothing_skipped() {
        let mut f = ResumeFilter::default();
        f.reconnecting();
        assert!(f.accept(t("2024-01-01T00:00:01Z")));
    }
}
