//! Pods as `kubectl get pods -o wide` shows them. STATUS, READY and RESTARTS
//! follow kubectl 1.27+'s `printPod` (sidecar init containers included), so
//! the app and the terminal never disagree about a pod.

use super::{Cell, Column, Row};
use k8s_openapi::api::core::v1::{
    Container, ContainerStatus, Pod, PodCondition, PodSpec, PodStatus,
};

/// The kubelet sets this reason on pods of a node that stopped reporting;
/// kubectl shows such pods as `Unknown` once they are being deleted.
const NODE_UNREACHABLE_REASON: &str = "NodeLost";

pub fn pod_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("READY", 0),
        Column::new("STATUS", 0),
        Column::new("RESTARTS", 0),
        Column::new("AGE", 0),
        Column::new("IP", 1),
        Column::new("NODE", 1),
        Column::new("NOMINATED NODE", 1),
        Column::new("READINESS GATES", 1),
    ]
}

pub fn project_pod(pod: &Pod) -> Row {
    let default_spec = PodSpec::default();
    let default_status = PodStatus::default();
    let spec = pod.spec.as_ref().unwrap_or(&default_spec);
    let status = pod.status.as_ref().unwrap_or(&default_status);
    let summary = summarize(pod, spec, status);

    let ip = status
        .pod_ips
        .as_ref()
        .and_then(|ips| ips.first())
        .map(|ip| ip.ip.as_str());
    let cells = vec![
        Cell::text(pod.metadata.name.clone().unwrap_or_default()),
        Cell::text(format!("{}/{}", summary.ready, summary.total)),
        Cell::text(summary.reason),
        Cell::Restarts {
            count: summary.restarts,
            last_ms: summary.last_restart_ms,
        },
        Cell::age(pod.metadata.creation_timestamp.as_ref()),
        Cell::text_or_none(ip),
        Cell::text_or_none(spec.node_name.as_deref()),
        Cell::text_or_none(status.nominated_node_name.as_deref()),
        readiness_gates(spec, status),
    ];
    Row::new(&pod.metadata, cells)
}

struct Summary {
    ready: usize,
    total: usize,
    reason: String,
    restarts: i64,
    last_restart_ms: Option<i64>,
}

/// Restart count and the latest termination among a set of containers.
#[derive(Default, Clone, Copy)]
struct Restarts {
    count: i64,
    last_ms: Option<i64>,
}

impl Restarts {
    fn add(&mut self, cs: &ContainerStatus) {
        self.count += i64::from(cs.restart_count);
        let finished = cs
            .last_state
            .as_ref()
            .and_then(|s| s.terminated.as_ref())
            .and_then(|t| t.finished_at.as_ref())
            .map(|t| t.0.as_millisecond());
        if let Some(ms) = finished {
            self.last_ms = Some(self.last_ms.map_or(ms, |last| last.max(ms)));
        }
    }
}

/// A sidecar: an init container with `restartPolicy: Always` keeps running
/// beside the app containers and counts as one of them.
fn is_sidecar(c: Option<&Container>) -> bool {
    c.and_then(|c| c.restart_policy.as_deref()) == Some("Always")
}

fn summarize(pod: &Pod, spec: &PodSpec, status: &PodStatus) -> Summary {
    let init_specs = spec.init_containers.as_deref().unwrap_or_default();
    let init_spec = |name: &str| init_specs.iter().find(|c| c.name == name);
    let conditions = status.conditions.as_deref().unwrap_or_default();

    let phase = status.phase.clone().unwrap_or_default();
    let mut reason = match status.reason.as_deref() {
        Some(r) if !r.is_empty() => r.to_owned(),
        _ => phase.clone(),
    };
    // Pods held back by scheduling gates (1.26+) say so instead of Pending.
    if conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".to_owned();
    }

    let total = spec.containers.len() + init_specs.iter().filter(|c| is_sidecar(Some(c))).count();
    let mut ready = 0;
    let mut all = Restarts::default();
    let mut sidecars = Restarts::default();

    let mut initializing = false;
    let init_statuses = status
        .init_container_statuses
        .as_deref()
        .unwrap_or_default();
    for (i, cs) in init_statuses.iter().enumerate() {
        all.add(cs);
        let sidecar = is_sidecar(init_spec(&cs.name));
        if sidecar {
            sidecars.add(cs);
        }
        let state = cs.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting_reason = state
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty());
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if sidecar && cs.started == Some(true) {
            if cs.ready {
                ready += 1;
            }
            continue;
        }
        // The first init container that has not succeeded decides STATUS.
        initializing = true;
        reason = if let Some(t) = terminated {
            match t.reason.as_deref() {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ if t.signal.is_some_and(|s| s != 0) => {
                    format!("Init:Signal:{}", t.signal.unwrap_or_default())
                }
                _ => format!("Init:ExitCode:{}", t.exit_code),
            }
        } else if let Some(r) = waiting_reason.filter(|r| *r != "PodInitializing") {
            format!("Init:{r}")
        } else {
            format!("Init:{i}/{}", init_specs.len())
        };
        break;
    }

    let mut restarts = all;
    if !initializing || condition_true(conditions, "Initialized") {
        // Once initialized, finished init containers' restarts no longer
        // count; only sidecars' do, as they keep running.
        restarts = sidecars;
        let mut has_running = false;
        let statuses = status.container_statuses.as_deref().unwrap_or_default();
        // Reverse order, as kubectl: the first container's reason wins.
        for cs in statuses.iter().rev() {
            restarts.add(cs);
            let state = cs.state.as_ref();
            let waiting = state
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty());
            let terminated = state.and_then(|s| s.terminated.as_ref());
            if let Some(r) = waiting {
                reason = r.to_owned();
            } else if let Some(t) = terminated {
                reason = match t.reason.as_deref() {
                    Some(r) if !r.is_empty() => r.to_owned(),
                    _ => match t.signal {
                        Some(s) if s != 0 => format!("Signal:{s}"),
                        _ => format!("ExitCode:{}", t.exit_code),
                    },
                };
            } else if cs.ready && state.is_some_and(|s| s.running.is_some()) {
                has_running = true;
                ready += 1;
            }
        }
        // A pod whose first container completed while another still runs
        // is not done: show whether it serves.
        if reason == "Completed" && has_running {
            reason = if condition_true(conditions, "Ready") {
                "Running".to_owned()
            } else {
                "NotReady".to_owned()
            };
        }
    }

    if pod.metadata.deletion_timestamp.is_some() {
        if status.reason.as_deref() == Some(NODE_UNREACHABLE_REASON) {
            reason = "Unknown".to_owned();
        } else if phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating".to_owned();
        }
    }

    // kubectl drops the "(… ago)" when there were no restarts.
    let last_restart_ms = restarts.last_ms.filter(|_| restarts.count != 0);
    Summary {
        ready,
        total,
        reason,
        restarts: restarts.count,
        last_restart_ms,
    }
}

fn condition_true(conditions: &[PodCondition], type_: &str) -> bool {
    conditions
        .iter()
        .any(|c| c.type_ == type_ && c.status == "True")
}

/// `true/all` readiness gates, or `<none>` when the pod has none.
fn readiness_gates(spec: &PodSpec, status: &PodStatus) -> Cell {
    let gates = spec.readiness_gates.as_deref().unwrap_or_default();
    if gates.is_empty() {
        return Cell::text("<none>");
    }
    let conditions = status.conditions.as_deref().unwrap_or_default();
    let passing = gates
        .iter()
        .filter(|g| condition_true(conditions, &g.condition_type))
        .count();
    Cell::text(format!("{passing}/{}", gates.len()))
}
