//! The server's refusals of exec, attach and debug requests, as errors that
//! say what to do.

use crate::Error;

/// The container a session runs in, for messages.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub namespace: String,
    pub pod: String,
    pub container: String,
}

impl Target {
    pub fn new(namespace: &str, pod: &str, container: &str) -> Self {
        Target {
            namespace: namespace.to_string(),
            pod: pod.to_string(),
            container: container.to_string(),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.container.is_empty() {
            write!(f, "pod {}/{}", self.namespace, self.pod)
        } else {
            write!(
                f,
                "container \"{}\" of pod {}/{}",
                self.container, self.namespace, self.pod
            )
        }
    }
}

/// kube's error for a request on `resource` (`pods/exec`, `pods/attach`,
/// `pods/ephemeralcontainers`, `pods`), mapped by the server's code.
pub(crate) fn from_kube(
    e: kube::Error,
    target: &Target,
    verb: &'static str,
    resource: &'static str,
) -> Error {
    match &e {
        kube::Error::Api(status) if status.code == 403 => Error::ExecForbidden {
            verb,
            resource,
            namespace: target.namespace.clone(),
            pod: target.pod.clone(),
        },
        kube::Error::Api(status) if status.code == 404 && resource == "pods" => {
            Error::PodNotFound {
                namespace: target.namespace.clone(),
                pod: target.pod.clone(),
            }
        }
        kube::Error::Api(status) => Error::ExecFailed {
            target: target.to_string(),
            detail: status.message.clone(),
        },
        _ => Error::ExecConnect {
            target: target.to_string(),
            detail: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: u16, message: &str) -> kube::Error {
        kube::Error::Api(
            kube::core::Status::failure(message, "Forbidden")
                .with_code(code)
                .boxed(),
        )
    }

    #[test]
    fn forbidden_names_the_rbac_verb_and_resource() {
        let e = from_kube(
            api(403, "pods \"p\" is forbidden"),
            &Target::new("ns", "p", "c"),
            "create",
            "pods/exec",
        );
        let text = e.to_string();
        assert!(matches!(e, Error::ExecForbidden { .. }), "{e:?}");
        assert!(text.contains("\"create\" on \"pods/exec\""), "{text}");
    }

    #[test]
    fn a_missing_pod_is_named() {
        let e = from_kube(
            api(404, "not found"),
            &Target::new("ns", "p", ""),
            "get",
            "pods",
        );
        assert!(matches!(e, Error::PodNotFound { .. }), "{e:?}");
    }
}
