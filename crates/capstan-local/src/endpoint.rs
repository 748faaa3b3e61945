//! Which engine to talk to, found the way the docker CLI finds it, plus the
//! sockets of the engines users run besides Docker (whose Docker-compatible
//! API bollard speaks): DOCKER_HOST; else the docker context (DOCKER_CONTEXT,
//! else `currentContext` in ~/.docker/config.json) when it is not "default";
//! else the first of these that exists:
//! - Unix: /var/run/docker.sock, $XDG_RUNTIME_DIR/docker.sock (rootless
//!   Docker), $XDG_RUNTIME_DIR/podman/podman.sock, /run/podman/podman.sock,
//!   then in the home directory Docker Desktop (`.docker/run/docker.sock` on
//!   macOS, `.docker/desktop/docker.sock` on Linux), Colima
//!   (`.colima/default/docker.sock`, `.colima/docker.sock`), Rancher Desktop
//!   (`.rd/docker.sock`), OrbStack (`.orbstack/run/docker.sock`) and Podman
//!   machine (`.local/share/containers/podman/machine/[qemu|applehv|libkrun/]podman.sock`,
//!   `$TMPDIR/podman/podman-machine-default-api.sock`);
//! - Windows: the named pipes of Docker Desktop (`docker_engine`, also taken
//!   by Rancher Desktop's moby, and `dockerDesktopLinuxEngine`) and Podman
//!   (`podman-machine-default`).
//!
//! Resolution is pure over [`Lookup`], so every branch is tested without
//! touching the machine's own engine.

use std::path::{Path, PathBuf};

use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::Error;

/// The socket Docker listens on by default on Linux.
pub const DEFAULT_SOCKET: &str = "/var/run/docker.sock";
/// Podman's rootful Docker-compatible socket (podman.socket).
const PODMAN_ROOT_SOCKET: &str = "/run/podman/podman.sock";

/// The engine chosen, and why (shown next to the engine's version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct Endpoint {
    /// `unix:///path`, `tcp://host:port`, `http://…` or `npipe://…`.
    pub host: String,
    /// Where it came from: "DOCKER_HOST", "docker context <name>", "Docker",
    /// "rootless Docker", "Podman", "Docker Desktop", "Colima",
    /// "Rancher Desktop", "OrbStack" or "Podman machine".
    pub source: String,
}

/// What resolution reads from the machine (the process environment and files
/// in the real case).
pub trait Lookup {
    fn var(&self, name: &str) -> Option<String>;
    fn home(&self) -> Option<PathBuf>;
    fn read(&self, path: &Path) -> Option<String>;
    fn exists(&self, path: &Path) -> bool;
    /// The entries of a directory, for the docker contexts' metadata.
    fn dirs(&self, path: &Path) -> Vec<PathBuf>;
    /// Whether engines are reached through Windows named pipes rather than
    /// Unix sockets.
    fn windows(&self) -> bool;
}

/// The running process's environment and files.
pub struct System;

impl Lookup for System {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
    fn home(&self) -> Option<PathBuf> {
        directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf())
    }
    fn read(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }
    fn dirs(&self, path: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(path)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default()
    }
    fn windows(&self) -> bool {
        cfg!(windows)
    }
}

/// The engine endpoint to use; an error names every place looked at.
pub fn resolve(lookup: &dyn Lookup) -> Result<Endpoint, Error> {
    if let Some(host) = lookup.var("DOCKER_HOST") {
        return Ok(Endpoint {
            host,
            source: "DOCKER_HOST".to_owned(),
        });
    }
    if let Some(found) = docker_context(lookup)? {
        return Ok(found);
    }
    let candidates = candidates(lookup);
    if let Some(found) = candidates.iter().find(|c| lookup.exists(&c.path)) {
        return Ok(Endpoint {
            host: found.host.clone(),
            source: found.source.to_owned(),
        });
    }
    let tried: Vec<String> = candidates
        .iter()
        .map(|c| c.path.display().to_string())
        .collect();
    Err(Error::EngineUnreachable {
        detail: format!(
            "no engine at {}: start Docker, Podman, Colima, Rancher Desktop or OrbStack, or set DOCKER_HOST",
            tried.join(", ")
        ),
        source: None,
    })
}

/// A place an engine may listen: checked for existence by `path`, reached
/// through `host`.
struct Candidate {
    path: PathBuf,
    host: String,
    source: &'static str,
}

fn candidates(lookup: &dyn Lookup) -> Vec<Candidate> {
    if lookup.windows() {
        return [
            ("docker_engine", "Docker"),
            ("dockerDesktopLinuxEngine", "Docker Desktop"),
            ("podman-machine-default", "Podman machine"),
        ]
        .into_iter()
        .map(|(pipe, source)| Candidate {
            path: PathBuf::from(format!(r"\\.\pipe\{pipe}")),
            host: format!("npipe:////./pipe/{pipe}"),
            source,
        })
        .collect();
    }
    let mut sockets = vec![(PathBuf::from(DEFAULT_SOCKET), "Docker")];
    if let Some(runtime) = lookup.var("XDG_RUNTIME_DIR") {
        let runtime = PathBuf::from(runtime);
        sockets.push((runtime.join("docker.sock"), "rootless Docker"));
        sockets.push((runtime.join("podman").join("podman.sock"), "Podman"));
    }
    sockets.push((PathBuf::from(PODMAN_ROOT_SOCKET), "Podman"));
    if let Some(home) = lookup.home() {
        let machine = home.join(".local/share/containers/podman/machine");
        for (rel, source) in [
            (".docker/run/docker.sock", "Docker Desktop"),
            (".docker/desktop/docker.sock", "Docker Desktop"),
            (".colima/default/docker.sock", "Colima"),
            (".colima/docker.sock", "Colima"),
            (".rd/docker.sock", "Rancher Desktop"),
            (".orbstack/run/docker.sock", "OrbStack"),
        ] {
            sockets.push((home.join(rel), source));
        }
        for sub in ["", "qemu", "applehv", "libkrun"] {
            sockets.push((machine.join(sub).join("podman.sock"), "Podman machine"));
        }
    }
    // Podman 5 on macOS forwards the machine's API into the user's TMPDIR.
    if let Some(tmp) = lookup.var("TMPDIR") {
        sockets.push((
            PathBuf::from(tmp).join("podman/podman-machine-default-api.sock"),
            "Podman machine",
        ));
    }
    sockets
        .into_iter()
        .map(|(path, source)| Candidate {
            host: format!("unix://{}", path.display()),
            path,
            source,
        })
        .collect()
}

/// The endpoint of the selected docker context, None for "default" (the
/// sockets then apply, as for the docker CLI). A named context that cannot be
/// found is an error rather than a silent fall back to another engine.
fn docker_context(lookup: &dyn Lookup) -> Result<Option<Endpoint>, Error> {
    let config_dir = match lookup.var("DOCKER_CONFIG") {
        Some(dir) => PathBuf::from(dir),
        None => match lookup.home() {
            Some(home) => home.join(".docker"),
            None => return Ok(None),
        },
    };
    let name = match lookup.var("DOCKER_CONTEXT") {
        Some(name) => name,
        None => {
            let Some(text) = lookup.read(&config_dir.join("config.json")) else {
                return Ok(None);
            };
            let config: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| Error::EngineUnreachable {
                    detail: format!(
                        "{} is not valid JSON ({e}): fix it or set DOCKER_HOST",
                        config_dir.join("config.json").display()
                    ),
                    source: None,
                })?;
            match config.get("currentContext").and_then(|v| v.as_str()) {
                Some(name) if !name.is_empty() => name.to_owned(),
                _ => return Ok(None),
            }
        }
    };
    if name == "default" {
        return Ok(None);
    }
    // The metadata directories are named by a hash of the context name; each
    // meta.json carries the name, so reading them avoids hashing here.
    for dir in lookup.dirs(&config_dir.join("contexts").join("meta")) {
        let Some(text) = lookup.read(&dir.join("meta.json")) else {
            continue;
        };
        let Ok(meta) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        if meta.get("Name").and_then(|v| v.as_str()) != Some(name.as_str()) {
            continue;
        }
        let host = meta
            .pointer("/Endpoints/docker/Host")
            .and_then(|v| v.as_str())
            .filter(|h| !h.is_empty());
        return match host {
            Some(host) => Ok(Some(Endpoint {
                host: host.to_owned(),
                source: format!("docker context {name}"),
            })),
            None => Err(Error::EngineUnreachable {
                detail: format!("docker context `{name}` has no Docker endpoint"),
                source: None,
            }),
        };
    }
    Err(Error::EngineUnreachable {
        detail: format!(
            "docker context `{name}` is selected but not found under {}: run `docker context use default`",
            config_dir.join("contexts").display()
        ),
        source: None,
    })
}

#[cfg(test)]
#[path = "endpoint_tests.rs"]
mod tests;
