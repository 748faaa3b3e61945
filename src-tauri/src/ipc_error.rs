//! The one error shape the UI receives: `{kind, message, detail}`.

use serde::Serialize;
#[cfg(test)]
use ts_rs::TS;

/// What kind of failure, so the UI can choose how to present it without
/// parsing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub enum ErrorKind {
    InvalidInput,
    Kubeconfig,
    Connection,
    Auth,
    Tls,
    NotFound,
    Conflict,
    Docker,
    Io,
    Internal,
    /// The container has no shell: the page offers a debug container.
    NoShell,
    /// The user cancelled (a file copy).
    Cancelled,
    /// The server refused (403): shown as "Not allowed", never as unreachable.
    Forbidden,
}

/// `message` is one sentence a user can act on; `detail` holds the specifics
/// (parser position, server reply). Neither ever contains secret values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS))]
#[cfg_attr(test, ts(export))]
pub struct IpcError {
    pub kind: ErrorKind,
    pub message: String,
    pub detail: Option<String>,
    /// What a 403 refused (verb, resource, namespace, the server's reason),
    /// when the failure was a list or watch the UI shows as "Not allowed".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub denial: Option<Box<capstan_kube::access::Denial>>,
}

impl IpcError {
    pub fn new(kind: ErrorKind, message: impl Into<String>, detail: Option<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            detail,
            denial: None,
        }
    }
}

impl From<capstan_kube::Error> for IpcError {
    fn from(e: capstan_kube::Error) -> Self {
        use capstan_kube::Error as E;
        // The crate's messages are already written for users; here we only
        // pick the kind and split off the specifics where there are some.
        let kind = match &e {
            E::KubeconfigRead { .. }
            | E::KubeconfigInvalid { .. }
            | E::KubeconfigEntry { .. }
            | E::ExecPluginMissing { .. }
            | E::SettingsInvalid { .. } => ErrorKind::Kubeconfig,
            E::ContextNotFound { .. } => ErrorKind::NotFound,
            E::LogRequest { .. } => ErrorKind::Connection,
            E::SecretConflict { .. } => ErrorKind::Conflict,
            E::SecretRequest { code, .. } => match code {
                401 => ErrorKind::Auth,
                403 => ErrorKind::Forbidden,
                404 => ErrorKind::NotFound,
                409 => ErrorKind::Conflict,
                400 | 422 => ErrorKind::InvalidInput,
                _ => ErrorKind::Connection,
            },
            E::ExecPluginFailed { .. } => ErrorKind::Auth,
            E::ClientSetup { .. }
            | E::ValidationFailed { .. }
            | E::ClusterRequest { .. }
            | E::ListFailed { .. } => ErrorKind::Connection,
            E::WriteFile { .. }
            | E::NoConfigDir
            | E::Credentials { .. }
            | E::Watch(_)
            | E::KubeconfigLocked { .. } => ErrorKind::Io,
            E::NoHomeDir => ErrorKind::Kubeconfig,
            E::DuplicateName { .. }
            | E::NotManaged { .. }
            | E::InvalidInput(_)
            | E::NotInUserKubeconfig { .. } => ErrorKind::InvalidInput,
            E::Clipboard { .. } => ErrorKind::Io,
            E::RequestBuild { .. } => ErrorKind::Internal,
            E::ObjectNotFound { .. } | E::UnknownResourceType { .. } => ErrorKind::NotFound,
            E::Forbidden { .. } | E::NotAllowed { .. } => ErrorKind::Forbidden,
            E::Invalid { .. } | E::NotSupported { .. } | E::DrainFailed { .. } => {
                ErrorKind::InvalidInput
            }
            E::AlreadyExists { .. } => ErrorKind::Conflict,
            // port-forward
            E::PortInUse { .. } => ErrorKind::Conflict,
            E::ListenFailed { .. } | E::SavedForwardsInvalid { .. } => ErrorKind::Io,
            E::TargetNotFound { .. } | E::NoReadyPod { .. } => ErrorKind::NotFound,
            E::PodNotReady { .. }
            | E::ServiceWithoutSelector { .. }
            | E::UnknownServicePort { .. }
            | E::UnknownPortName { .. } => ErrorKind::InvalidInput,
            // exec, attach, debug, copy
            E::PodNotFound { .. } | E::ContainerNotFound { .. } => ErrorKind::NotFound,
            E::ExecForbidden { .. } => ErrorKind::Forbidden,
            E::ContainerNotRunning { .. }
            | E::CommandNotFound { .. }
            | E::NoTar { .. }
            | E::EphemeralUnsupported { .. }
            | E::CopyPathEscapes { .. } => ErrorKind::InvalidInput,
            E::ExecConnect { .. }
            | E::ExecConnectionLost { .. }
            | E::ExecFailed { .. }
            | E::DebugNotStarted { .. }
            | E::CopyRemote { .. } => ErrorKind::Connection,
            E::CopyLocal { .. } => ErrorKind::Io,
            E::NoShell { .. } => ErrorKind::NoShell,
            E::CopyCancelled => ErrorKind::Cancelled,
            // helm
            E::HelmRecord { .. } | E::HelmFailed { .. } => ErrorKind::InvalidInput,
            E::HelmReleaseNotFound { .. } | E::HelmNotFound { .. } => ErrorKind::NotFound,
            E::HelmSpawn { .. } => ErrorKind::Io,
        };
        match e {
            E::KubeconfigRead { path, source } => IpcError::new(
                kind,
                format!("Cannot read the kubeconfig file {}", path.display()),
                Some(source.to_string()),
            ),
            E::KubeconfigInvalid { path, detail } => IpcError::new(
                kind,
                format!(
                    "The kubeconfig file {} is not valid YAML for a kubeconfig",
                    path.display()
                ),
                Some(detail),
            ),
            E::Forbidden {
                context,
                verb,
                what,
                reason,
            } => IpcError::new(
                kind,
                format!("Not allowed: you may not {verb} {what} in context \"{context}\"; ask a cluster admin for the \"{verb}\" permission"),
                Some(reason),
            ),
            E::NotAllowed { context, denial } => IpcError {
                kind,
                message: format!(
                    "Not allowed: you may not {} in context \"{context}\"; ask a cluster admin for a Role that grants it",
                    denial.describe()
                ),
                detail: Some(denial.reason.clone()),
                denial: Some(denial),
            },
            // helm's own explanation goes to the detail the page shows.
            E::HelmFailed {
                action,
                status,
                stderr,
            } => IpcError::new(
                kind,
                format!("helm {action} failed ({status})"),
                Some(stderr),
            ),
            other => IpcError::new(kind, other.to_string(), None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_to_the_shape_the_ui_expects() {
        let e = IpcError::new(ErrorKind::InvalidInput, "bad", Some("why".into()));
        let v = serde_json::to_value(&e).expect("serialize");
        assert_eq!(
            v,
            serde_json::json!({"kind": "invalidInput", "message": "bad", "detail": "why"})
        );
    }

    #[test]
    fn invalid_kubeconfig_keeps_path_in_message_and_position_in_detail() {
        let e: IpcError = capstan_kube::Error::KubeconfigInvalid {
            path: "/tmp/k".into(),
            detail: "line 3 column 2".into(),
        }
        .into();
        assert_eq!(e.kind, ErrorKind::Kubeconfig);
        assert!(e.message.contains("/tmp/k"));
        assert_eq!(e.detail.as_deref(), Some("line 3 column 2"));
    }

    #[test]
    fn secret_errors_take_their_kind_from_the_status() {
        let req = |code| capstan_kube::Error::SecretRequest {
            code,
            action: "save",
            namespace: "ns".into(),
            name: "s".into(),
            detail: "d".into(),
        };
        let kind = |e: capstan_kube::Error| IpcError::from(e).kind;
        assert_eq!(kind(req(404)), ErrorKind::NotFound);
        assert_eq!(kind(req(422)), ErrorKind::InvalidInput);
        assert_eq!(kind(req(403)), ErrorKind::Forbidden);
        assert_eq!(kind(req(401)), ErrorKind::Auth);
        assert_eq!(kind(req(0)), ErrorKind::Connection);
        let conflict = capstan_kube::Error::SecretConflict {
            namespace: "ns".into(),
            name: "s".into(),
            expected: "1".into(),
        };
        assert_eq!(kind(conflict), ErrorKind::Conflict);
    }

    #[test]
    fn only_what_the_user_typed_is_invalid_input() {
        let kind = |e: capstan_kube::Error| IpcError::from(e).kind;
        assert_eq!(
            kind(capstan_kube::Error::InvalidInput("empty name".into())),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            kind(capstan_kube::Error::Clipboard {
                detail: "no display".into()
            }),
            ErrorKind::Io
        );
        assert_eq!(
            kind(capstan_kube::Error::RequestBuild {
                what: "reading x".into(),
                detail: "bad uri".into()
            }),
            ErrorKind::Internal
        );
        assert_eq!(
            kind(capstan_kube::Error::KubeconfigLocked {
                lock: "/k/config.lock".into()
            }),
            ErrorKind::Io
        );
    }

    #[test]
    fn a_refused_list_is_not_allowed_with_what_was_refused() {
        let denial = capstan_kube::access::Denial {
            verb: "list".into(),
            group: String::new(),
            resource: "secrets".into(),
            namespace: Some("web".into()),
            reason: "secrets is forbidden: User \"u\" cannot list".into(),
        };
        let e = IpcError::from(capstan_kube::Error::NotAllowed {
            context: "c".into(),
            denial: Box::new(denial.clone()),
        });
        assert_eq!(e.kind, ErrorKind::Forbidden);
        assert!(
            e.message.contains("list secrets in namespace \"web\""),
            "{}",
            e.message
        );
        assert_eq!(e.detail.as_deref(), Some(denial.reason.as_str()));
        let v = serde_json::to_value(&e).expect("serialize");
        assert_eq!(v["denial"]["resource"], "secrets");
        // Other errors keep the three-field shape.
        let plain =
            serde_json::to_value(IpcError::new(ErrorKind::Io, "x", None)).expect("serialize");
        assert!(plain.get("denial").is_none());
        let refused = IpcError::from(capstan_kube::Error::Forbidden {
            context: "c".into(),
            verb: "delete".into(),
            what: "Pod \"p\"".into(),
            reason: "pods \"p\" is forbidden".into(),
        });
        assert_eq!(refused.kind, ErrorKind::Forbidden);
        assert!(
            refused.message.starts_with("Not allowed"),
            "{}",
            refused.message
        );
    }

    #[test]
    fn forward_errors_have_their_own_kinds() {
        let kind = |e: capstan_kube::Error| IpcError::from(e).kind;
        let busy = capstan_kube::Error::PortInUse {
            address: "127.0.0.1".into(),
            port: 8080,
        };
        let e = IpcError::from(busy);
        assert_eq!(e.kind, ErrorKind::Conflict);
        assert!(e.message.contains("8080"), "{}", e.message);
        let gone = capstan_kube::Error::TargetNotFound {
            kind: "pod",
            name: "web".into(),
            namespace: "ns".into(),
        };
        assert_eq!(kind(gone), ErrorKind::NotFound);
        let no_sel = capstan_kube::Error::ServiceWithoutSelector {
            service: "s".into(),
        };
        assert_eq!(kind(no_sel), ErrorKind::InvalidInput);
    }
}
