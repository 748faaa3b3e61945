//! Host folders (or files) mounted into nodes: `HOST:NODE[:ro|:rw][@FILTER]`,
//! as k3d's `--volume`. FILTER picks nodes: `all` (the default), `server:*`,
//! `agent:*`, `server:0`, `agent:0,2`, several joined by `;`. The host path
//! must exist when the cluster is created (checked before anything is made).

use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::spec::Role;
use crate::Error;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct VolumeMount {
    /// Absolute path on the engine's host.
    pub host: String,
    /// Absolute path in the node.
    pub node: String,
    pub read_only: bool,
    /// As typed after `@` (`all` when none was).
    pub nodes: String,
}

fn bad(spec: &str, reason: impl Into<String>) -> Error {
    Error::InvalidVolume {
        volume: spec.to_owned(),
        reason: reason.into(),
    }
}

impl FromStr for VolumeMount {
    type Err = Error;

    fn from_str(spec: &str) -> Result<Self, Error> {
        let (paths, nodes) = match spec.rsplit_once('@') {
            Some((p, f)) => (p, f.trim()),
            None => (spec, "all"),
        };
        let (host, rest) = paths
            .split_once(':')
            .ok_or_else(|| bad(spec, "write it as HOST:NODE[@nodes], e.g. /srv/data:/data"))?;
        let (node, read_only) = match rest.rsplit_once(':') {
            Some((n, "ro")) => (n, true),
            Some((n, "rw")) => (n, false),
            _ => (rest, false),
        };
        for (what, p) in [("host", host), ("node", node)] {
            if !p.starts_with('/') {
                return Err(bad(spec, format!("the {what} path `{p}` is not absolute")));
            }
        }
        let v = VolumeMount {
            host: host.to_owned(),
            node: node.to_owned(),
            read_only,
            nodes: if nodes.is_empty() {
                "all".to_owned()
            } else {
                nodes.to_owned()
            },
        };
        parse_filter(&v.nodes).map_err(|reason| bad(spec, reason))?;
        Ok(v)
    }
}

impl std::fmt::Display for VolumeMount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.host, self.node)?;
        if self.read_only {
            f.write_str(":ro")?;
        }
        write!(f, "@{}", self.nodes)
    }
}

/// (role, None = every index, Some = these indices); None role = every node.
type Filter = Vec<(Option<Role>, Option<Vec<u32>>)>;

fn parse_filter(text: &str) -> Result<Filter, String> {
    let mut out = Vec::new();
    for part in text.split(';').map(str::trim) {
        let (role, idx) = part.split_once(':').unwrap_or((part, "*"));
        let role = match role {
            "all" => None,
            "server" | "servers" => Some(Role::Server),
            "agent" | "agents" => Some(Role::Agent),
            other => {
                return Err(format!(
                "`{other}` is not a node filter: use all, server:*, agent:*, server:0, agent:0,1"
            ))
            }
        };
        let idx = match idx {
            "*" | "" => None,
            list => Some(
                list.split(',')
                    .map(|i| i.trim().parse::<u32>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| format!("`{list}` is not a list of node indices"))?,
            ),
        };
        out.push((role, idx));
    }
    Ok(out)
}

impl VolumeMount {
    /// Whether the node `role`/`index` gets this mount.
    pub fn applies_to(&self, role: Role, index: u32) -> bool {
        parse_filter(&self.nodes).is_ok_and(|f| {
            f.iter().any(|(r, idx)| {
                r.is_none_or(|r| r == role) && idx.as_ref().is_none_or(|l| l.contains(&index))
            })
        })
    }

    /// The engine's bind string.
    pub fn bind(&self) -> String {
        format!(
            "{}:{}{}",
            self.host,
            self.node,
            if self.read_only { ":ro" } else { "" }
        )
    }

    /// The host path exists (a missing one would make the engine create an
    /// empty folder as root, which is never what was meant).
    pub fn check_host(&self) -> Result<(), Error> {
        let p = PathBuf::from(&self.host);
        std::fs::metadata(&p)
            .map(drop)
            .map_err(|e| Error::InvalidVolume {
                volume: self.to_string(),
                reason: format!("the host path {} cannot be used: {e}", p.display()),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paths_mode_and_node_filter() {
        let v: VolumeMount = "/srv/data:/data".parse().expect("plain");
        assert_eq!(
            (v.host.as_str(), v.node.as_str(), v.read_only),
            ("/srv/data", "/data", false)
        );
        assert!(v.applies_to(Role::Server, 0) && v.applies_to(Role::Agent, 3));
        let v: VolumeMount = "/a:/b:ro@agent:*".parse().expect("agents");
        assert!(v.read_only && v.bind() == "/a:/b:ro");
        assert!(!v.applies_to(Role::Server, 0) && v.applies_to(Role::Agent, 1));
        let v: VolumeMount = "/a:/b@server:0;agent:1,2".parse().expect("list");
        assert!(v.applies_to(Role::Server, 0) && !v.applies_to(Role::Server, 1));
        assert!(v.applies_to(Role::Agent, 2) && !v.applies_to(Role::Agent, 0));
        assert_eq!(v.to_string(), "/a:/b@server:0;agent:1,2");
        for bad in ["/a", "a:/b", "/a:b", "/a:/b@pool:1", "/a:/b@agent:x"] {
            assert!(
                matches!(bad.parse::<VolumeMount>(), Err(Error::InvalidVolume { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_missing_host_path_is_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let ok: VolumeMount = format!("{}:/data", dir.path().display())
            .parse()
            .expect("ok");
        assert!(ok.check_host().is_ok());
        let gone: VolumeMount = format!("{}/nope:/data", dir.path().display())
            .parse()
            .expect("parses");
        let e = gone.check_host().expect_err("missing");
        assert!(e.to_string().contains("nope"), "{e}");
    }
}
