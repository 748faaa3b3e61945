//! From a target to streams: the pod itself, or every pod matching a
//! workload's selector (watched, so pods that appear later join).

use std::collections::HashSet;
use std::sync::Arc;

use futures_util::StreamExt;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::api::{Api, ListParams};
use kube::runtime::watcher::{self, Event};
use kube::runtime::WatchStreamExt;
use kube::Client;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::batch::{self, LogHandle, LogSink, QUEUE};
use super::options::{ContainerChoice, LogOptions, LogTarget};
use super::stream::{self, Piece, StreamSpec};
use super::types::LogSource;
use crate::Error;

/// Starts a log session. Options are checked here (a bad `sinceTime` is an
/// error now); failures found later (pod or workload not found) arrive as
/// the last batch's `error`. Must be called within a Tokio runtime.
pub fn open_logs(
    client: Client,
    target: LogTarget,
    options: LogOptions,
    sink: Arc<dyn LogSink>,
) -> Result<LogHandle, Error> {
    let since_time = options.since_time_parsed()?;
    if let LogTarget::Selector { selector } = &target {
        if selector.trim().is_empty() {
            return Err(Error::InvalidInput("the label selector is empty".into()));
        }
    }
    let (tx, rx) = mpsc::channel(QUEUE);
    let task = tokio::spawn(async move {
        let mut streams = JoinSet::new();
        let batches = tokio::spawn(batch::run(rx, sink, options.follow));
        let session = Session {
            api: Api::namespaced(client.clone(), &options.namespace),
            options,
            since_time,
            next_index: 0,
            tx,
        };
        // Aborting this task drops `streams` (aborting every stream) and
        // `batches` is aborted by the guard.
        let mut guard = AbortOnDrop(batches);
        session.drive(client, target, &mut streams).await;
        while streams.join_next().await.is_some() {}
        let _ = (&mut guard.0).await;
    });
    Ok(LogHandle::new(task))
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if !self.0.is_finished() {
            self.0.abort();
        }
    }
}

struct Session {
    api: Api<Pod>,
    options: LogOptions,
    since_time: Option<jiff::Timestamp>,
    next_index: u32,
    tx: mpsc::Sender<Piece>,
}

impl Session {
    async fn drive(mut self, client: Client, target: LogTarget, streams: &mut JoinSet<()>) {
        let selector = match &target {
            LogTarget::Pod { name } => {
                match self.api.get_opt(name).await {
                    Ok(Some(pod)) => {
                        if let Err(e) = self.start_pod(&pod, streams, true).await {
                            let _ = self.tx.send(Piece::Error(e)).await;
                        }
                    }
                    Ok(None) => {
                        let msg = format!(
                            "pod \"{name}\" not found in namespace \"{}\"",
                            self.options.namespace
                        );
                        let _ = self.tx.send(Piece::Error(msg)).await;
                    }
                    Err(e) => {
                        let _ = self
                            .tx
                            .send(Piece::Error(format!("cannot read pod \"{name}\": {e}")))
                            .await;
                    }
                }
                return;
            }
            other => match workload_selector(&client, &self.options.namespace, other).await {
                Ok(s) => s,
                Err(e) => {
                    let _ = self.tx.send(Piece::Error(e)).await;
                    return;
                }
            },
        };
        if !self.options.follow {
            match self
                .api
                .list(&ListParams::default().labels(&selector))
                .await
            {
                Ok(list) => {
                    for pod in &list.items {
                        let _ = self.start_pod(pod, streams, false).await;
                    }
                    if list.items.is_empty() {
                        let _ = self
                            .tx
                            .send(Piece::Error(format!("no pods match \"{selector}\"")))
                            .await;
                    }
                }
                Err(e) => {
                    let _ = self
                        .tx
                        .send(Piece::Error(format!("cannot list pods: {e}")))
                        .await;
                }
            }
            return;
        }
        // Follow: watch the selector's pods for as long as the session runs.
        let mut seen: HashSet<String> = HashSet::new();
        let config = watcher::Config::default().labels(&selector);
        let mut events = watcher::watcher(self.api.clone(), config)
            .default_backoff()
            .boxed();
        while let Some(event) = events.next().await {
            match event {
                Ok(Event::Apply(pod) | Event::InitApply(pod)) => {
                    let uid = pod.metadata.uid.clone().unwrap_or_default();
                    if seen.insert(uid) {
                        let _ = self.start_pod(&pod, streams, false).await;
                    }
                }
                // A deleted pod's streams end by themselves once its
                // containers stop (their last lines still arrive).
                Ok(_) => {}
                Err(e) => tracing::debug!(error = %e, "pod watch for logs failed; retrying"),
            }
            // Reap finished stream tasks so the set does not grow.
            while streams.try_join_next().is_some() {}
        }
    }

    async fn start_pod(
        &mut self,
        pod: &Pod,
        streams: &mut JoinSet<()>,
        strict: bool,
    ) -> Result<(), String> {
        let name = pod.metadata.name.clone().unwrap_or_default();
        let containers = match choose_containers(pod, &self.options.container) {
            Ok(c) => c,
            Err(e) if strict => return Err(e),
            Err(e) => {
                tracing::debug!(pod = %name, "{e}");
                return Ok(());
            }
        };
        for container in containers {
            let source = LogSource {
                index: self.next_index,
                namespace: self.options.namespace.clone(),
                pod: name.clone(),
                container: container.clone(),
            };
            self.next_index += 1;
            let spec = StreamSpec {
                api: self.api.clone(),
                pod: name.clone(),
                uid: pod.metadata.uid.clone(),
                container,
                source: source.index,
                follow: self.options.follow,
                tail_lines: self.options.tail_lines,
                since_seconds: self.options.since_seconds,
                since_time: self.since_time,
                timestamps: self.options.timestamps,
                previous: self.options.previous,
            };
            if self.tx.send(Piece::Source(source)).await.is_err() {
                return Ok(());
            }
            streams.spawn(stream::run(spec, self.tx.clone()));
        }
        Ok(())
    }
}

/// The containers to stream for one pod, as kubectl chooses them.
fn choose_containers(pod: &Pod, choice: &ContainerChoice) -> Result<Vec<String>, String> {
    let names: Vec<String> = pod
        .spec
        .as_ref()
        .map(|s| s.containers.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    let pod_name = pod.metadata.name.as_deref().unwrap_or("");
    match choice {
        ContainerChoice::All => Ok(names),
        ContainerChoice::Named { name } => {
            let init = pod
                .spec
                .as_ref()
                .and_then(|s| s.init_containers.as_ref())
                .is_some_and(|v| v.iter().any(|c| &c.name == name));
            if names.contains(name) || init {
                Ok(vec![name.clone()])
            } else {
                Err(format!(
                    "container \"{name}\" is not in pod \"{pod_name}\" (it has: {})",
                    names.join(", ")
                ))
            }
        }
        ContainerChoice::Default => {
            let annotated = pod
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("kubectl.kubernetes.io/default-container"))
                .filter(|n| names.contains(n));
            annotated
                .or(names.first())
                .map(|n| vec![n.clone()])
                .ok_or_else(|| format!("pod \"{pod_name}\" has no containers"))
        }
    }
}

async fn workload_selector(
    client: &Client,
    ns: &str,
    target: &LogTarget,
) -> Result<String, String> {
    async fn get<K>(client: &Client, ns: &str, kind: &str, name: &str) -> Result<K, String>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
            + Clone
            + serde::de::DeserializeOwned
            + std::fmt::Debug,
        K::DynamicType: Default,
    {
        let api: Api<K> = Api::namespaced(client.clone(), ns);
        match api.get_opt(name).await {
            Ok(Some(o)) => Ok(o),
            Ok(None) => Err(format!("{kind} \"{name}\" not found in namespace \"{ns}\"")),
            Err(e) => Err(format!("cannot read {kind} \"{name}\": {e}")),
        }
    }
    let selector = match target {
        LogTarget::Selector { selector } => return Ok(selector.clone()),
        LogTarget::Pod { .. } => return Err("a pod has no selector".into()),
        LogTarget::Deployment { name } => get::<Deployment>(client, ns, "deployment", name)
            .await?
            .spec
            .map(|s| s.selector),
        LogTarget::StatefulSet { name } => get::<StatefulSet>(client, ns, "statefulset", name)
            .await?
            .spec
            .map(|s| s.selector),
        LogTarget::DaemonSet { name } => get::<DaemonSet>(client, ns, "daemonset", name)
            .await?
            .spec
            .map(|s| s.selector),
        LogTarget::Job { name } => get::<Job>(client, ns, "job", name)
            .await?
            .spec
            .and_then(|s| s.selector),
    };
    let text = selector.as_ref().map(selector_string).unwrap_or_default();
    if text.is_empty() {
        return Err("the workload has no pod selector".into());
    }
    Ok(text)
}

/// A LabelSelector in the string form the API takes.
fn selector_string(s: &LabelSelector) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (k, v) in s.match_labels.iter().flatten() {
        parts.push(format!("{k}={v}"));
    }
    for e in s.match_expressions.iter().flatten() {
        let values = e.values.clone().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({values})", e.key),
            "NotIn" => format!("{} notin ({values})", e.key),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            other => format!("{} {other} ({values})", e.key),
        });
    }
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    #[test]
    fn selectors_render_like_kubectl() {
        let s = LabelSelector {
            match_labels: Some([("app".to_string(), "web".to_string())].into()),
            match_expressions: Some(vec![
                LabelSelectorRequirement {
                    key: "tier".into(),
                    operator: "In".into(),
                    values: Some(vec!["a".into(), "b".into()]),
                },
                LabelSelectorRequirement {
                    key: "canary".into(),
                    operator: "DoesNotExist".into(),
                    values: None,
                },
            ]),
        };
        assert_eq!(selector_string(&s), "app=web,tier in (a,b),!canary");
    }

    #[test]
    fn default_container_follows_annotation() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "p", "annotations": {"kubectl.kubernetes.io/default-container": "b"}},
            "spec": {"containers": [{"name": "a"}, {"name": "b"}]}
        }))
        .expect("test value");
        assert_eq!(
            choose_containers(&pod, &ContainerChoice::Default).expect("test value"),
            ["b"]
        );
        assert_eq!(
            choose_containers(&pod, &ContainerChoice::All).expect("test value"),
            ["a", "b"]
        );
        assert!(choose_containers(&pod, &ContainerChoice::Named { name: "c".into() }).is_err());
    }
}
