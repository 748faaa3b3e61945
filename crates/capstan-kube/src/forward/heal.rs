//! Healing: a watch on the forward's current pod; when it is gone or not
//! ready the forward is reconnecting and the target is re-resolved, so the
//! local ports stay the same across pod replacements.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::runtime::watcher;
use kube::runtime::WatchStreamExt;

use super::forwarder::Shared;
use super::target::is_ready;

/// How often a forward without a ready pod tries to resolve one (the
/// current pod itself is watched).
const HEAL_INTERVAL: Duration = Duration::from_secs(2);

/// Watches the current pod; when it is gone or not ready, re-resolves.
/// Without a current pod (none ready yet), tries to resolve every
/// [`HEAL_INTERVAL`] or when a stream error asks for it.
pub(super) async fn heal_loop(shared: Arc<Shared>) {
    loop {
        match shared.current() {
            Some(r) => watch_pod(&shared, &r.pod).await,
            None => {
                tokio::select! {
                    () = tokio::time::sleep(HEAL_INTERVAL) => {}
                    () = shared.heal_now.notified() => {}
                }
                let _ = shared.try_resolve().await;
            }
        }
    }
}

/// What a watch event says about the pod a forward uses.
#[derive(Debug, PartialEq, Eq)]
enum PodNews {
    Fine,
    NotReady,
    Gone,
}

fn news(event: &watcher::Event<Pod>, seen_in_listing: &mut bool) -> Option<PodNews> {
    match event {
        watcher::Event::Init => {
            *seen_in_listing = false;
            None
        }
        watcher::Event::InitApply(p) | watcher::Event::Apply(p) => {
            *seen_in_listing = true;
            Some(if is_ready(p) {
                PodNews::Fine
            } else {
                PodNews::NotReady
            })
        }
        watcher::Event::Delete(_) => Some(PodNews::Gone),
        // A (re)listing without the pod: it went while we were not watching.
        watcher::Event::InitDone => (!*seen_in_listing).then_some(PodNews::Gone),
    }
}

/// Returns once `pod` is gone or not ready (the forward is then
/// reconnecting), or is no longer the forward's pod. A watch, not polling:
/// a replaced pod is noticed as soon as the API server says so.
async fn watch_pod(shared: &Arc<Shared>, pod: &str) {
    let config = watcher::Config::default().fields(&format!("metadata.name={pod}"));
    // Without the backoff an unreachable server turns the watch into a busy loop.
    let mut events = watcher::watcher(shared.pods.clone(), config)
        .default_backoff()
        .boxed();
    let mut seen = false;
    loop {
        let event = tokio::select! {
            e = events.next() => e,
            // A stream error or someone else's re-resolve: look again.
            () = shared.heal_now.notified() => {
                if shared.current().is_none_or(|c| c.pod != pod) {
                    return;
                }
                continue;
            }
        };
        let Some(event) = event else { return };
        let event = match event {
            Ok(e) => e,
            // API unreachable: keep the pod; connections will tell.
            Err(e) => {
                tracing::debug!(%e, pod, "pod watch failed; retrying");
                continue;
            }
        };
        if shared.current().is_none_or(|c| c.pod != pod) {
            return;
        }
        match news(&event, &mut seen) {
            Some(PodNews::NotReady) => {
                shared.invalidate(format!("pod {pod} is not ready"));
                return;
            }
            Some(PodNews::Gone) => {
                shared.invalidate(format!("target gone: pod {pod} was deleted"));
                return;
            }
            Some(PodNews::Fine) | None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{Pod, PodCondition, PodStatus};
    use kube::runtime::watcher::Event;

    use super::{news, PodNews};

    fn pod(ready: bool) -> Pod {
        Pod {
            status: Some(PodStatus {
                phase: Some("Running".into()),
                conditions: Some(vec![PodCondition {
                    type_: "Ready".into(),
                    status: if ready { "True" } else { "False" }.into(),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn watch_events_say_what_became_of_the_pod() {
        let mut seen = false;
        assert_eq!(news(&Event::Init, &mut seen), None);
        assert_eq!(
            news(&Event::InitApply(pod(true)), &mut seen),
            Some(PodNews::Fine)
        );
        assert_eq!(news(&Event::InitDone, &mut seen), None);
        assert_eq!(
            news(&Event::Apply(pod(false)), &mut seen),
            Some(PodNews::NotReady)
        );
        assert_eq!(
            news(&Event::Delete(pod(true)), &mut seen),
            Some(PodNews::Gone)
        );
        // A relisting (after a watch error) that no longer has the pod.
        assert_eq!(news(&Event::Init, &mut seen), None);
        assert_eq!(news(&Event::InitDone, &mut seen), Some(PodNews::Gone));
    }
}
