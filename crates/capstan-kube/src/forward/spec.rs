//! What to forward, as typed by a user (`svc/web 8080:http`) and as saved
//! per context: small, serializable, validated on parse.

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::Error;

/// The kind of object a forward targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum TargetKind {
    Pod,
    Service,
    Deployment,
    StatefulSet,
}

/// `pod/x`, `x`, `svc/x`, `deploy/x`, `sts/x` (kubectl's spellings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct TargetRef {
    pub kind: TargetKind,
    pub name: String,
}

impl TargetRef {
    pub fn parse(text: &str) -> Result<Self, Error> {
        let (kind, name) = match text.split_once('/') {
            None => (TargetKind::Pod, text),
            Some((k, n)) => {
                let kind = match k.to_ascii_lowercase().as_str() {
                    "pod" | "pods" | "po" => TargetKind::Pod,
                    "svc" | "service" | "services" => TargetKind::Service,
                    "deploy" | "deployment" | "deployments" => TargetKind::Deployment,
                    "sts" | "statefulset" | "statefulsets" => TargetKind::StatefulSet,
                    other => {
                        return Err(Error::InvalidInput(format!(
                            "cannot forward to a \"{other}\": use pod/NAME, svc/NAME, deploy/NAME or sts/NAME"
                        )))
                    }
                };
                (kind, n)
            }
        };
        if name.is_empty() || name.contains('/') {
            return Err(Error::InvalidInput(format!(
                "\"{text}\" is not a forward target: use pod/NAME, svc/NAME, deploy/NAME or sts/NAME"
            )));
        }
        Ok(Self {
            kind,
            name: name.to_string(),
        })
    }
}

impl std::fmt::Display for TargetRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let k = match self.kind {
            TargetKind::Pod => "pod",
            TargetKind::Service => "svc",
            TargetKind::Deployment => "deploy",
            TargetKind::StatefulSet => "sts",
        };
        write!(f, "{k}/{}", self.name)
    }
}

/// A remote port by number or by name (a container port name, or for a
/// service one of its port names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
#[serde(rename_all = "camelCase", tag = "type", content = "value")]
pub enum RemotePort {
    Number(u16),
    Name(String),
}

impl std::fmt::Display for RemotePort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RemotePort::Number(n) => write!(f, "{n}"),
            RemotePort::Name(s) => f.write_str(s),
        }
    }
}

/// `[LOCAL:]REMOTE`: `local` None = same number as the resolved remote
/// port, Some(0) = a free port chosen by the OS (`:REMOTE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct PortMapping {
    pub local: Option<u16>,
    pub remote: RemotePort,
}

impl PortMapping {
    pub fn parse(text: &str) -> Result<Self, Error> {
        let bad = || {
            Error::InvalidInput(format!(
                "\"{text}\" is not a port mapping: use [LOCAL:]REMOTE, e.g. 8080:80, 8080:http or :80"
            ))
        };
        let (local, remote) = match text.split_once(':') {
            None => (None, text),
            Some(("", r)) => (Some(0), r),
            Some((l, r)) => (Some(l.parse::<u16>().map_err(|_| bad())?), r),
        };
        if remote.is_empty() {
            return Err(bad());
        }
        let remote = match remote.parse::<u16>() {
            Ok(0) => return Err(bad()),
            Ok(n) => RemotePort::Number(n),
            Err(_)
                if remote
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-') =>
            {
                RemotePort::Name(remote.to_string())
            }
            Err(_) => return Err(bad()),
        };
        Ok(Self { local, remote })
    }
}

/// A saved forward (restored per context when the user opts in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ForwardSpec {
    pub context: String,
    pub namespace: String,
    pub target: TargetRef,
    pub ports: Vec<PortMapping>,
    /// Bind address other than loopback; None = 127.0.0.1 and ::1.
    #[serde(default)]
    pub address: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_targets_and_ports() {
        let t = TargetRef::parse("svc/web").expect("valid");
        assert_eq!(t.kind, TargetKind::Service);
        assert_eq!(
            TargetRef::parse("web-0").expect("valid").kind,
            TargetKind::Pod
        );
        assert!(TargetRef::parse("cm/x").is_err());
        assert!(TargetRef::parse("svc/").is_err());
        let p = PortMapping::parse("8080:http").expect("valid");
        assert_eq!(p.local, Some(8080));
        assert_eq!(p.remote, RemotePort::Name("http".into()));
        assert_eq!(PortMapping::parse(":80").expect("valid").local, Some(0));
        assert_eq!(PortMapping::parse("80").expect("valid").local, None);
        assert!(PortMapping::parse("x:80").is_err());
        assert!(PortMapping::parse("80:").is_err());
        assert!(PortMapping::parse("0").is_err());
    }
}
