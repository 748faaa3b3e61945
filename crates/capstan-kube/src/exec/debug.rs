//! Ephemeral debug containers, as `kubectl debug -it --target=<container>`
//! makes them: added through the `ephemeralcontainers` subresource, sharing
//! the target's process namespace, then attached to once running.

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, Patch, PatchParams};

use super::errors::{self, Target};
use super::session::{Batching, TerminalSession};
use crate::Error;

/// The image kubectl users expect for `kubectl debug`.
pub const DEFAULT_DEBUG_IMAGE: &str = "busybox:1.36";

/// A debug container to add to a pod.
#[derive(Debug, Clone)]
pub struct DebugRequest {
    pub namespace: String,
    pub pod: String,
    /// The container whose process namespace it joins (`--target`); `None`
    /// joins none (the pod's own, when `shareProcessNamespace` is set).
    pub target: Option<String>,
    /// `None`: [`DEFAULT_DEBUG_IMAGE`].
    pub image: Option<String>,
    /// `None`: the image's own command.
    pub command: Option<Vec<String>>,
    pub tty: bool,
    pub stdin: bool,
    /// How long the container may take to run (image pull included).
    pub timeout: Duration,
    pub size: Option<(u16, u16)>,
    pub batching: Batching,
}

impl DebugRequest {
    pub fn new(namespace: &str, pod: &str) -> Self {
        DebugRequest {
            namespace: namespace.to_string(),
            pod: pod.to_string(),
            target: None,
            image: None,
            command: None,
            tty: true,
            stdin: true,
            timeout: Duration::from_secs(120),
            size: None,
            batching: Batching::default(),
        }
    }
}

/// Adds the debug container, waits until it runs, and attaches to it.
/// Returns the container's name with the session.
pub async fn debug(
    client: kube::Client,
    request: DebugRequest,
) -> Result<(String, TerminalSession), Error> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), &request.namespace);
    let pod = super::get_pod(&pods, &request.namespace, &request.pod).await?;
    if let Some(target) = &request.target {
        // Only a regular container can be a target; say so before the server does.
        let regular = pod
            .spec
            .as_ref()
            .is_some_and(|s| s.containers.iter().any(|c| &c.name == target));
        if !regular {
            super::choose_container(&pod, Some(target))?;
        }
    }
    let name = unique_name(&pod);
    let patch = serde_json::json!({
        "spec": {"ephemeralContainers": [container_spec(&request, &name)]}
    });
    let where_ = Target::new(&request.namespace, &request.pod, &name);
    pods.patch_ephemeral_containers(
        &request.pod,
        &PatchParams::default(),
        &Patch::Strategic(patch),
    )
    .await
    .map_err(|e| refused(e, &where_))?;
    wait_running(&pods, &request, &name).await?;
    let session = super::attach(
        client,
        &request.namespace,
        &request.pod,
        Some(&name),
        request.size,
        request.batching,
    )
    .await?;
    Ok((name, session))
}

fn container_spec(request: &DebugRequest, name: &str) -> serde_json::Value {
    let mut spec = serde_json::json!({
        "name": name,
        "image": request.image.as_deref().unwrap_or(DEFAULT_DEBUG_IMAGE),
        "imagePullPolicy": "IfNotPresent",
        "stdin": request.stdin,
        "tty": request.tty,
        "terminationMessagePolicy": "File",
    });
    if let Some(target) = &request.target {
        spec["targetContainerName"] = target.clone().into();
    }
    if let Some(command) = &request.command {
        spec["command"] = command.clone().into();
    }
    spec
}

/// `debugger-xxxxx` as kubectl names them, unique among the pod's
/// ephemeral containers (they can never be removed, so names pile up).
fn unique_name(pod: &Pod) -> String {
    let taken: Vec<&str> = pod
        .spec
        .as_ref()
        .and_then(|s| s.ephemeral_containers.as_ref())
        .map(|e| e.iter().map(|c| c.name.as_str()).collect())
        .unwrap_or_default();
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
        ^ u128::from(std::process::id());
    loop {
        let mut suffix = String::new();
        let mut n = seed;
        for _ in 0..5 {
            let i = (n % 36) as u32;
            suffix.push(char::from_digit(i, 36).unwrap_or('x'));
            n /= 36;
        }
        let name = format!("debugger-{suffix}");
        if !taken.contains(&name.as_str()) {
            return name;
        }
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    }
}

/// The server's refusal, explained: RBAC, or no ephemeral containers.
fn refused(e: kube::Error, target: &Target) -> Error {
    match &e {
        kube::Error::Api(status)
            if status.code == 404 || status.code == 422 || status.code == 405 =>
        {
            Error::EphemeralUnsupported {
                namespace: target.namespace.clone(),
                pod: target.pod.clone(),
                detail: status.message.clone(),
            }
        }
        _ => errors::from_kube(e, target, "patch", "pods/ephemeralcontainers"),
    }
}

/// Polls the pod until the container runs; past the deadline the error
/// carries its waiting reason (ErrImagePull, ImagePullBackOff …).
async fn wait_running(pods: &Api<Pod>, request: &DebugRequest, name: &str) -> Result<(), Error> {
    let deadline = tokio::time::Instant::now() + request.timeout;
    let mut last = "not created yet".to_string();
    loop {
        let pod = super::get_pod(pods, &request.namespace, &request.pod).await?;
        let state = pod
            .status
            .as_ref()
            .and_then(|s| s.ephemeral_container_statuses.as_ref())
            .and_then(|all| all.iter().find(|s| s.name == name))
            .and_then(|s| s.state.as_ref());
        match state {
            Some(s) if s.running.is_some() => return Ok(()),
            Some(s) if s.terminated.is_some() => {
                return Err(Error::ContainerNotRunning {
                    pod: request.pod.clone(),
                    container: name.to_string(),
                    state: super::container::describe(s),
                })
            }
            Some(s) => last = super::container::describe(s),
            None => {}
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(Error::DebugNotStarted {
                namespace: request.namespace.clone(),
                pod: request.pod.clone(),
                container: name.to_string(),
                seconds: request.timeout.as_secs(),
                reason: last,
            });
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_targets_the_container_like_kubectl_debug() {
        let mut r = DebugRequest::new("ns", "p");
        r.target = Some("app".into());
        let spec = container_spec(&r, "debugger-abcde");
        assert_eq!(spec["targetContainerName"], "app");
        assert_eq!(spec["image"], DEFAULT_DEBUG_IMAGE);
        assert_eq!(spec["stdin"], true);
        assert_eq!(spec["tty"], true);
    }

    #[test]
    fn refusals_are_explained() {
        let t = Target::new("ns", "p", "debugger-x");
        let status = |code| {
            kube::Error::Api(
                kube::core::Status::failure("no", "x")
                    .with_code(code)
                    .boxed(),
            )
        };
        let e = refused(status(403), &t);
        assert!(e.to_string().contains("pods/ephemeralcontainers"), "{e}");
        let e = refused(status(404), &t);
        assert!(matches!(e, Error::EphemeralUnsupported { .. }), "{e:?}");
    }

    #[test]
    fn names_avoid_existing_ones() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "a"}]}
        }))
        .expect("pod");
        let name = unique_name(&pod);
        assert!(name.starts_with("debugger-") && name.len() == 14, "{name}");
    }
}
