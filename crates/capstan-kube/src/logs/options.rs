//! What to stream and how: the target (pod, workload, selector) and the
//! options kubectl logs has.

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::Error;

/// Lines of history per container when the user says nothing.
pub const DEFAULT_TAIL: i64 = 500;

/// Whose logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase", tag = "kind")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum LogTarget {
    Pod {
        name: String,
    },
    Deployment {
        name: String,
    },
    StatefulSet {
        name: String,
    },
    DaemonSet {
        name: String,
    },
    Job {
        name: String,
    },
    /// A label selector as kubectl takes it (`app=web,tier!=db`).
    Selector {
        selector: String,
    },
}

impl LogTarget {
    /// Parses kubectl's forms: `name`, `pod/name`, `deploy/name`,
    /// `sts/name`, `ds/name`, `job/name` (long names too).
    pub fn parse(text: &str) -> Result<Self, Error> {
        let (kind, name) = match text.split_once('/') {
            None => ("pod", text),
            Some((k, n)) => (k, n),
        };
        if name.is_empty() || name.contains('/') {
            return Err(Error::InvalidInput(format!(
                "\"{text}\" is not a log target: use <pod>, deploy/<name>, sts/<name>, ds/<name>, job/<name> or -l <selector>"
            )));
        }
        let name = name.to_string();
        // `kubectl get -o name` prints `deployment.apps/web`: drop the group.
        let kind = kind.split('.').next().unwrap_or(kind);
        Ok(match kind.to_ascii_lowercase().as_str() {
            "pod" | "pods" | "po" => Self::Pod { name },
            "deploy" | "deployment" | "deployments" => Self::Deployment { name },
            "sts" | "statefulset" | "statefulsets" => Self::StatefulSet { name },
            "ds" | "daemonset" | "daemonsets" => Self::DaemonSet { name },
            "job" | "jobs" => Self::Job { name },
            other => {
                return Err(Error::InvalidInput(format!(
                    "logs cannot be shown for \"{other}\": use a pod, deploy, sts, ds or job"
                )))
            }
        })
    }
}

/// Which containers of each pod.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase", tag = "kind")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum ContainerChoice {
    /// kubectl's choice: the `kubectl.kubernetes.io/default-container`
    /// annotation, else the first container.
    #[default]
    Default,
    Named {
        name: String,
    },
    /// Every (non-init) container of each pod.
    All,
}

/// kubectl logs' options. `tail_lines` None means the whole log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct LogOptions {
    pub namespace: String,
    pub follow: bool,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
    pub tail_lines: Option<i64>,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
    pub since_seconds: Option<i64>,
    /// RFC3339; wins over `since_seconds`.
    pub since_time: Option<String>,
    /// Keep the server's stamp in the text (the parsed time is always in
    /// `LogLine::time`).
    pub timestamps: bool,
    pub previous: bool,
    pub container: ContainerChoice,
}

impl LogOptions {
    pub fn new(namespace: impl Into<String>) -> Self {
        Self {
            namespace: namespace.into(),
            follow: false,
            tail_lines: Some(DEFAULT_TAIL),
            since_seconds: None,
            since_time: None,
            timestamps: false,
            previous: false,
            container: ContainerChoice::Default,
        }
    }

    pub(crate) fn since_time_parsed(&self) -> Result<Option<jiff::Timestamp>, Error> {
        self.since_time
            .as_deref()
            .map(|t| {
                t.parse::<jiff::Timestamp>().map_err(|e| {
                    Error::InvalidInput(format!(
                        "since time \"{t}\" is not an RFC3339 time (e.g. 2024-05-01T10:00:00Z): {e}"
                    ))
                })
            })
            .transpose()
    }
}

/// `5s`, `10m`, `1h`, `2h30m`, `1d` as kubectl's --since takes them, in seconds.
pub fn parse_since(text: &str) -> Result<i64, Error> {
    let bad = || {
        Error::InvalidInput(format!(
            "\"{text}\" is not a duration: use e.g. 30s, 5m, 1h or 2h30m"
        ))
    };
    let mut total: i64 = 0;
    let mut number = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().map_err(|_| bad())?;
        number.clear();
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
    }
    if !number.is_empty() || total <= 0 {
        return Err(bad());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_like_kubectl() {
        assert_eq!(
            LogTarget::parse("web-1").expect("test value"),
            LogTarget::Pod {
                name: "web-1".into()
            }
        );
        assert_eq!(
            LogTarget::parse("deploy/web").expect("test value"),
            LogTarget::Deployment { name: "web".into() }
        );
        assert_eq!(
            LogTarget::parse("sts/db").expect("test value"),
            LogTarget::StatefulSet { name: "db".into() }
        );
        assert_eq!(
            LogTarget::parse("ds/agent").expect("test value"),
            LogTarget::DaemonSet {
                name: "agent".into()
            }
        );
        assert_eq!(
            LogTarget::parse("job/once").expect("test value"),
            LogTarget::Job {
                name: "once".into()
            }
        );
        assert_eq!(
            LogTarget::parse("deployment.apps/web").expect("test value"),
            LogTarget::Deployment { name: "web".into() }
        );
        assert!(LogTarget::parse("svc/web").is_err());
        assert!(LogTarget::parse("deploy/").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_since("30s").expect("test value"), 30);
        assert_eq!(parse_since("5m").expect("test value"), 300);
        assert_eq!(parse_since("2h30m").expect("test value"), 9000);
        assert!(parse_since("5").is_err());
        assert!(parse_since("m").is_err());
        assert!(parse_since("5x").is_err());
    }
}
