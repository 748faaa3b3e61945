//! Checks before creating anything: engine reachable, name free, API port
//! and mapped host ports free, memory for the requested nodes (blocking), cgroup version and inotify
//! limits (warnings). Gathering the facts touches the engine and the host;
//! judging them ([`evaluate`]) is pure, so it is unit-tested.

use bollard::Docker;
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::list::list_clusters;
use crate::ports::{self, PortMapping};
use crate::spec::ClusterRequest;

/// Reported memory use after start (k3s docs / k3d measurements).
pub const SERVER_MIB: u64 = 465;
pub const AGENT_MIB: u64 = 138;
/// kind's suggested inotify limits: below them kubelets and pods run out of
/// watches ("too many open files") with several nodes on one kernel.
pub const SUGGESTED_MAX_USER_WATCHES: u64 = 524_288;
pub const SUGGESTED_MAX_USER_INSTANCES: u64 = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "PreflightSeverity"))]
pub enum Severity {
    /// Create refuses to start.
    Blocking,
    /// Create goes ahead; the cluster may misbehave.
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "PreflightCheck"))]
pub enum Check {
    Engine,
    Name,
    ApiPort,
    /// A host port mapping.
    Ports,
    /// The offline image tarball.
    ImageTarball,
    Memory,
    Cgroup,
    Inotify,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "PreflightFinding"))]
pub struct Finding {
    pub check: Check,
    pub severity: Severity,
    /// What is wrong and what to do about it.
    pub message: String,
}

/// What [`evaluate`] judges; None = could not be found out (no finding).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Set when the engine did not answer.
    pub engine_error: Option<String>,
    pub existing_clusters: Vec<String>,
    pub api_port_free: Option<bool>,
    /// Mappings whose host socket cannot be bound now, with the reason.
    pub taken_ports: Vec<(PortMapping, String)>,
    /// Why the image tarball cannot be read, when one was given.
    pub tarball_problem: Option<String>,
    pub mem_total_bytes: Option<u64>,
    /// "1" or "2", as the engine reports it.
    pub cgroup_version: Option<String>,
    /// What create needs of the same answer, so it asks the engine once.
    pub engine: crate::spec::EngineFacts,
    /// (max_user_watches, max_user_instances) of the engine's kernel.
    pub inotify: Option<(u64, u64)>,
}

/// Estimated memory of the requested nodes once started, in MiB.
pub fn estimated_mib(req: &ClusterRequest) -> u64 {
    u64::from(req.servers) * SERVER_MIB + u64::from(req.agents) * AGENT_MIB
}

pub fn evaluate(req: &ClusterRequest, facts: &Facts) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add = |check, severity, message: String| {
        out.push(Finding {
            check,
            severity,
            message,
        })
    };
    if let Some(e) = &facts.engine_error {
        add(
            Check::Engine,
            Severity::Blocking,
            format!("Docker is not running ({e}): start it or set DOCKER_HOST"),
        );
        // Nothing else can be known without an engine.
        return out;
    }
    if facts.existing_clusters.contains(&req.name) {
        add(
            Check::Name,
            Severity::Blocking,
            format!(
                "a local cluster named `{}` already exists: pick another name or delete it first",
                req.name
            ),
        );
    }
    if facts.api_port_free == Some(false) {
        add(
            Check::ApiPort,
            Severity::Blocking,
            format!(
                "port {} on 127.0.0.1 is already in use: choose another API port or leave it empty for a free one",
                req.api_port
            ),
        );
    }
    for (m, why) in &facts.taken_ports {
        add(
            Check::Ports,
            Severity::Blocking,
            format!(
                "port {} on {} (port mapping `{m}`) cannot be used ({why}): choose another host port",
                m.host_port, m.host_ip
            ),
        );
    }
    if let (Some(path), Some(why)) = (&req.image_tarball, &facts.tarball_problem) {
        add(
            Check::ImageTarball,
            Severity::Blocking,
            format!(
                "the image tarball {} cannot be read ({why}): check the path",
                path.display()
            ),
        );
    }
    if let Some(total) = facts.mem_total_bytes {
        let total_mib = total / (1024 * 1024);
        let need = estimated_mib(req);
        let shape = format!(
            "{} server(s) + {} agent(s) need about {need} MiB; Docker has {total_mib} MiB",
            req.servers, req.agents
        );
        if need > total_mib {
            add(
                Check::Memory,
                Severity::Blocking,
                format!("{shape}: use fewer nodes or give Docker more memory"),
            );
        } else if need * 4 > total_mib * 3 {
            add(
                Check::Memory,
                Severity::Warning,
                format!("{shape}: little is left for workloads; consider fewer nodes"),
            );
        }
    }
    match facts.cgroup_version.as_deref() {
        Some("2") | None => {}
        Some("1") => add(
            Check::Cgroup,
            Severity::Warning,
            "the engine uses cgroup v1, which Kubernetes is phasing out: recent k3s versions may refuse to start; a cgroup v2 host is recommended".to_owned(),
        ),
        Some(other) => add(
            Check::Cgroup,
            Severity::Warning,
            format!("the engine reports an unknown cgroup version `{other}`"),
        ),
    }
    if let Some((watches, instances)) = facts.inotify {
        if watches < SUGGESTED_MAX_USER_WATCHES || instances < SUGGESTED_MAX_USER_INSTANCES {
            add(
                Check::Inotify,
                Severity::Warning,
                format!(
                    "inotify limits are low (max_user_watches {watches}, max_user_instances {instances}); nodes can fail with \"too many open files\": run `sudo sysctl fs.inotify.max_user_watches={SUGGESTED_MAX_USER_WATCHES} fs.inotify.max_user_instances={SUGGESTED_MAX_USER_INSTANCES}`"
                ),
            );
        }
    }
    out
}

/// Gathers the facts and judges them. Never fails: an unreachable engine is
/// itself a (blocking) finding.
pub async fn preflight(docker: &Docker, req: &ClusterRequest) -> Vec<Finding> {
    evaluate(req, &gather(docker, req).await)
}

pub(crate) async fn gather(docker: &Docker, req: &ClusterRequest) -> Facts {
    let info = match docker.info().await {
        Ok(i) => i,
        Err(e) => {
            return Facts {
                engine_error: Some(e.to_string()),
                ..Default::default()
            }
        }
    };
    let existing_clusters = match list_clusters(docker).await {
        Ok(l) => l.into_iter().map(|c| c.name).collect(),
        Err(e) => {
            return Facts {
                engine_error: Some(e.to_string()),
                ..Default::default()
            }
        }
    };
    Facts {
        engine_error: None,
        existing_clusters,
        api_port_free: Some(crate::create::check_port_free(req.api_port).is_ok()),
        taken_ports: req
            .ports
            .iter()
            .filter_map(|m| ports::bind_error(m).map(|e| (m.clone(), e.to_string())))
            .collect(),
        tarball_problem: req.image_tarball.as_deref().and_then(tarball_problem),
        mem_total_bytes: info.mem_total.and_then(|m| u64::try_from(m).ok()),
        engine: crate::create::engine_facts(&info),
        cgroup_version: info.cgroup_version.map(|v| v.to_string()),
        inotify: same_kernel(&info).then(read_inotify).flatten(),
    }
}

/// Why a tarball cannot be loaded: missing, not a file, or unreadable.
fn tarball_problem(path: &std::path::Path) -> Option<String> {
    match std::fs::metadata(path) {
        Err(e) => Some(e.to_string()),
        Ok(m) if !m.is_file() => Some("not a file".to_owned()),
        Ok(_) => std::fs::File::open(path).err().map(|e| e.to_string()),
    }
}

/// This machine's /proc describes the engine's kernel only when the engine
/// runs here, not in a VM (Docker Desktop, Podman machine) or remotely: same
/// host name and kernel release.
fn same_kernel(info: &bollard::models::SystemInfo) -> bool {
    let local = |k: &str| {
        std::fs::read_to_string(format!("/proc/sys/kernel/{k}"))
            .ok()
            .map(|s| s.trim().to_owned())
    };
    local("hostname").is_some_and(|h| info.name.as_deref() == Some(h.as_str()))
        && local("osrelease").is_some_and(|r| info.kernel_version.as_deref() == Some(r.as_str()))
}

fn read_inotify() -> Option<(u64, u64)> {
    let read = |k: &str| {
        std::fs::read_to_string(format!("/proc/sys/fs/inotify/{k}"))
            .ok()?
            .trim()
            .parse::<u64>()
            .ok()
    };
    Some((read("max_user_watches")?, read("max_user_instances")?))
}

#[cfg(test)]
#[path = "preflight_tests.rs"]
mod tests;
