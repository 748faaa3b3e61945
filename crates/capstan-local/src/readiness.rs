//! Waiting for a cluster to come up: a node's log stream followed until k3s
//! says it is up, a poll for what has no stream (`/readyz`, nodes Ready,
//! through capstan-kube's client and readiness helper). Every wait ends at
//! its deadline, on cancel, or when the engine goes away.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bollard::query_parameters::LogsOptions;
use bollard::Docker;
use futures_util::StreamExt;

use crate::container::log_tail_of;
use crate::kubeconfig::{self, Entries};
use crate::{engine_err, Error};

/// How often a wait looks at the cancel flag (and a poll asks again).
const TICK: Duration = Duration::from_secs(1);

/// Polls `f` every second until it yields a value (`Ok(Some)`), the deadline
/// passes (`Ok(None)`) or the cancel flag is set. Errors from `f` count as
/// "not yet" (the server is starting), except engine-unreachable, which ends
/// the wait.
pub(crate) async fn poll<T, F, Fut>(
    deadline: Instant,
    cancel: &AtomicBool,
    mut f: F,
) -> Result<Option<T>, Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>, Error>>,
{
    loop {
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
        match f().await {
            Ok(Some(v)) => return Ok(Some(v)),
            Ok(None) => {}
            Err(e @ Error::EngineUnreachable { .. }) => return Err(e),
            Err(e) => tracing::debug!(error = %e, "not ready yet"),
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        tokio::time::sleep(TICK).await;
    }
}

/// Finds a text in a stream of chunks, also when a chunk boundary cuts it.
pub(crate) struct Needle<'a> {
    text: &'a str,
    carry: String,
}

impl<'a> Needle<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Needle {
            text,
            carry: String::new(),
        }
    }

    /// Whether the text has shown up, counting this chunk.
    pub(crate) fn found_in(&mut self, chunk: &str) -> bool {
        self.carry.push_str(chunk);
        if self.carry.contains(self.text) {
            return true;
        }
        // Keep only what could be the start of a match cut by the boundary.
        let keep = self.text.len().saturating_sub(1);
        let mut cut = self.carry.len().saturating_sub(keep);
        while !self.carry.is_char_boundary(cut) {
            cut -= 1;
        }
        self.carry.drain(..cut);
        false
    }
}

/// Follows `container`'s log from its start until a line contains `line`.
/// The stream ends when the container stops: that is [`Error::NodeExited`].
pub(crate) async fn wait_for_log(
    docker: &Docker,
    container: &str,
    line: &str,
    deadline: Instant,
    cancel: &AtomicBool,
) -> Result<(), Error> {
    let mut stream = docker.logs(
        container,
        Some(LogsOptions {
            follow: true,
            stdout: true,
            stderr: true,
            ..Default::default()
        }),
    );
    let mut needle = Needle::new(line);
    let deadline = tokio::time::Instant::from_std(deadline);
    loop {
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
        let next = tokio::select! {
            next = stream.next() => next,
            _ = tokio::time::sleep(TICK) => continue,
            _ = tokio::time::sleep_until(deadline) => {
                return Err(Error::Timeout {
                    seconds: 0,
                    what: format!("{container} did not log \"{line}\""),
                    log_tail: log_tail_of(docker, container, 20).await,
                });
            }
        };
        match next {
            Some(Ok(chunk)) => {
                if needle.found_in(&String::from_utf8_lossy(&chunk.into_bytes())) {
                    return Ok(());
                }
            }
            Some(Err(e)) => return Err(engine_err("follow a node's log")(e)),
            None => {
                return Err(Error::NodeExited {
                    node: container.to_owned(),
                    log_tail: log_tail_of(docker, container, 20).await,
                })
            }
        }
    }
}

/// A client for the new cluster, from its admin kubeconfig entries.
pub(crate) async fn cluster_client(entries: &Entries) -> Result<kube::Client, Error> {
    let doc = kubeconfig::merge("", entries, true)?;
    capstan_kube::contexts::client_from_yaml(&doc)
        .await
        .map_err(|source| Error::Kubeconfig { source })
}

/// `Some(())` once the API server answers `/readyz` with `ok`.
pub(crate) async fn api_ready(client: &kube::Client, context: &str) -> Result<Option<()>, Error> {
    capstan_kube::readiness::api_ready(client, context)
        .await
        .map(|ready| ready.then_some(()))
        .map_err(|source| Error::ClusterApi { source })
}

/// Nodes whose Ready condition is True.
pub(crate) async fn ready_nodes(client: &kube::Client, context: &str) -> Result<u32, Error> {
    let nodes = capstan_kube::readiness::node_states(client, context)
        .await
        .map_err(|source| Error::ClusterApi { source })?;
    let ready = nodes.iter().filter(|n| n.ready).count();
    Ok(u32::try_from(ready).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::Needle;

    #[test]
    fn a_line_cut_across_chunks_is_found() {
        let mut n = Needle::new("k3s is up and running");
        assert!(!n.found_in("level=info msg=\"k3s is u"));
        assert!(n.found_in("p and running\"\n"));
        let mut n = Needle::new("up");
        assert!(!n.found_in("nothing here\n"));
        assert!(!n.found_in("u"));
        assert!(n.found_in("p"));
    }

    #[test]
    fn multibyte_text_before_the_cut_does_not_panic() {
        let mut n = Needle::new("ready");
        assert!(!n.found_in("läuft — noch nicht ré"));
        assert!(!n.found_in("éé"));
        assert!(n.found_in("xx ready"));
    }
}
