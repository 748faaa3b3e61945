//! Which container a session runs in, and whether it can.

use k8s_openapi::api::core::v1::{ContainerStatus, Pod};

use crate::Error;

/// kubectl's annotation naming the container exec, attach and logs default to.
pub const DEFAULT_CONTAINER_ANNOTATION: &str = "kubectl.kubernetes.io/default-container";

/// The container to use: the one asked for (a container or an ephemeral
/// container of the pod), else the annotation's, else the first.
pub fn choose_container(pod: &Pod, requested: Option<&str>) -> Result<String, Error> {
    let spec = pod.spec.as_ref();
    let regular: Vec<&str> = spec
        .map(|s| s.containers.iter().map(|c| c.name.as_str()).collect())
        .unwrap_or_default();
    let ephemeral: Vec<&str> = spec
        .and_then(|s| s.ephemeral_containers.as_ref())
        .map(|e| e.iter().map(|c| c.name.as_str()).collect())
        .unwrap_or_default();
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    if let Some(name) = requested {
        if regular.contains(&name) || ephemeral.contains(&name) {
            return Ok(name.to_string());
        }
        return Err(Error::ContainerNotFound {
            pod: pod_name,
            container: name.to_string(),
            available: regular
                .iter()
                .chain(&ephemeral)
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let annotated = pod
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(DEFAULT_CONTAINER_ANNOTATION))
        .filter(|name| regular.contains(&name.as_str()));
    match annotated.map(String::as_str).or(regular.first().copied()) {
        Some(name) => Ok(name.to_string()),
        None => Err(Error::ContainerNotFound {
            pod: pod_name,
            container: String::new(),
            available: "none".to_string(),
        }),
    }
}

fn status_of<'a>(pod: &'a Pod, container: &str) -> Option<&'a ContainerStatus> {
    let status = pod.status.as_ref()?;
    status
        .container_statuses
        .iter()
        .flatten()
        .chain(status.ephemeral_container_statuses.iter().flatten())
        .find(|s| s.name == container)
}

/// Refuses a container that is not running, naming its state.
pub(crate) fn ensure_running(pod: &Pod, container: &str) -> Result<(), Error> {
    let state = match status_of(pod, container).and_then(|s| s.state.as_ref()) {
        Some(state) if state.running.is_some() => return Ok(()),
        Some(state) => describe(state),
        None => "no status yet".to_string(),
    };
    Err(Error::ContainerNotRunning {
        pod: pod.metadata.name.clone().unwrap_or_default(),
        container: container.to_string(),
        state,
    })
}

/// "waiting: ImagePullBackOff", "terminated: Completed (exit code 0)".
pub(crate) fn describe(state: &k8s_openapi::api::core::v1::ContainerState) -> String {
    if let Some(w) = &state.waiting {
        let reason = w.reason.clone().unwrap_or_else(|| "waiting".to_string());
        match &w.message {
            Some(m) => format!("waiting: {reason}: {m}"),
            None => format!("waiting: {reason}"),
        }
    } else if let Some(t) = &state.terminated {
        format!(
            "terminated: {} (exit code {})",
            t.reason.clone().unwrap_or_default(),
            t.exit_code
        )
    } else {
        "unknown".to_string()
    }
}

/// Whether the container's spec asks for stdin and a TTY (what attach may use).
pub(crate) fn stdin_tty(pod: &Pod, container: &str) -> (bool, bool) {
    let Some(spec) = pod.spec.as_ref() else {
        return (false, false);
    };
    if let Some(c) = spec.containers.iter().find(|c| c.name == container) {
        return (c.stdin.unwrap_or(false), c.tty.unwrap_or(false));
    }
    spec.ephemeral_containers
        .iter()
        .flatten()
        .find(|c| c.name == container)
        .map(|c| (c.stdin.unwrap_or(false), c.tty.unwrap_or(false)))
        .unwrap_or((false, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(json: serde_json::Value) -> Pod {
        serde_json::from_value(json).expect("pod")
    }

    fn two() -> serde_json::Value {
        serde_json::json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "a"}, {"name": "b"}]},
            "status": {"containerStatuses": [
                {"name": "a", "image": "i", "imageID": "", "ready": true, "restartCount": 0,
                 "state": {"running": {}}},
                {"name": "b", "image": "i", "imageID": "", "ready": false, "restartCount": 3,
                 "state": {"waiting": {"reason": "CrashLoopBackOff"}}}
            ]}
        })
    }

    #[test]
    fn default_is_the_annotation_else_the_first() {
        assert_eq!(choose_container(&pod(two()), None).expect("first"), "a");
        let mut j = two();
        j["metadata"]["annotations"] = serde_json::json!({DEFAULT_CONTAINER_ANNOTATION: "b"});
        assert_eq!(
            choose_container(&pod(j.clone()), None).expect("annotated"),
            "b"
        );
        // An annotation naming no container falls back to the first.
        j["metadata"]["annotations"] = serde_json::json!({DEFAULT_CONTAINER_ANNOTATION: "gone"});
        assert_eq!(choose_container(&pod(j), None).expect("fallback"), "a");
    }

    #[test]
    fn an_unknown_container_lists_the_real_ones() {
        let e = choose_container(&pod(two()), Some("x")).expect_err("unknown");
        assert!(e.to_string().contains("use one of a, b"), "{e}");
    }

    #[test]
    fn a_waiting_container_is_refused_with_its_reason() {
        let p = pod(two());
        ensure_running(&p, "a").expect("a runs");
        let e = ensure_running(&p, "b").expect_err("b waits");
        assert!(matches!(e, Error::ContainerNotRunning { .. }));
        assert!(e.to_string().contains("CrashLoopBackOff"), "{e}");
    }
}
