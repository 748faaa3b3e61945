//! Which engine to talk to, found the way the docker CLI finds it, plus the
//! sockets of rootless Docker and Podman (whose Docker-compatible API bollard
//! speaks): DOCKER_HOST; else the docker context (DOCKER_CONTEXT, else
//! `currentContext` in ~/.docker/config.json) when it is not "default"; else
//! the first of these sockets that exists: /var/run/docker.sock,
//! $XDG_RUNTIME_DIR/docker.sock, $XDG_RUNTIME_DIR/podman/podman.sock,
//! /run/podman/podman.sock.
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
    /// "rootless Docker" or "Podman".
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
    let sockets = candidate_sockets(lookup);
    for (path, source) in &sockets {
        if lookup.exists(path) {
            return Ok(Endpoint {
                host: format!("unix://{}", path.display()),
                source: (*source).to_owned(),
            });
        }
    }
    let tried: Vec<String> = sockets
        .iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    Err(Error::EngineUnreachable {
        detail: format!("no engine socket at {}", tried.join(", ")),
        source: None,
    })
}

fn candidate_sockets(lookup: &dyn Lookup) -> Vec<(PathBuf, &'static str)> {
    let mut sockets = vec![(PathBuf::from(DEFAULT_SOCKET), "Docker")];
    if let Some(runtime) = lookup.var("XDG_RUNTIME_DIR") {
        let runtime = PathBuf::from(runtime);
        sockets.push((runtime.join("docker.sock"), "rootless Docker"));
        sockets.push((runtime.join("podman").join("podman.sock"), "Podman"));
    }
    sockets.push((PathBuf::from(PODMAN_ROOT_SOCKET), "Podman"));
    sockets
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
