//! The details panel's summary of any object.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, ContainerStatus, Pod};
use serde_json::Value;

use super::common::{api, at, describe, i64_at, map_err, parse_ms, str_at, to_json};
use super::related::related;
use super::{ConditionInfo, ContainerInfo, ObjectDetails, ObjectRef, PortInfo};
use crate::Error;

/// Fetches the object and what it owns, and summarises it.
pub async fn details(
    client: &kube::Client,
    context: &str,
    r: &ObjectRef,
) -> Result<ObjectDetails, Error> {
    let obj = api(client, r)
        .get(&r.name)
        .await
        .map_err(|e| map_err(context, "get", &describe(r), e))?;
    let json = to_json(&obj);
    let (owners, owned) = related(client, context, r, &obj).await?;
    let is_pod = r.group.is_empty() && r.kind == "Pod";
    let pod: Option<Pod> = if is_pod {
        serde_json::from_value(json.clone()).ok()
    } else {
        None
    };
    let meta = obj.metadata;
    Ok(ObjectDetails {
        reference: r.clone(),
        uid: meta.uid.unwrap_or_default(),
        resource_version: meta.resource_version.unwrap_or_default(),
        created_ms: meta
            .creation_timestamp
            .and_then(|t| parse_ms(&t.0.to_string())),
        status: match &pod {
            Some(p) => Some(pod_status(p)),
            None => status_line(&r.kind, &json),
        },
        labels: meta.labels.unwrap_or_default(),
        annotations: meta.annotations.unwrap_or_default(),
        conditions: conditions(&json),
        owners,
        owned,
        containers: pod.as_ref().map(containers).unwrap_or_default(),
        node: str_at(&json, &["spec", "nodeName"]).map(str::to_string),
    })
}

/// Pod status the way kubectl's STATUS column words it (the reason of the
/// first unhealthy container, else the phase).
pub(crate) fn pod_status(p: &Pod) -> String {
    if p.metadata.deletion_timestamp.is_some() {
        return "Terminating".into();
    }
    let status = p.status.clone().unwrap_or_default();
    let waiting_or_failed = |cs: &ContainerStatus| {
        let st = cs.state.as_ref()?;
        if let Some(w) = &st.waiting {
            return w.reason.clone();
        }
        if let Some(t) = &st.terminated {
            if t.exit_code != 0 {
                return Some(
                    t.reason
                        .clone()
                        .unwrap_or_else(|| format!("ExitCode:{}", t.exit_code)),
                );
            }
        }
        None
    };
    for cs in status.init_container_statuses.iter().flatten() {
        if let Some(r) = waiting_or_failed(cs) {
            return format!("Init:{r}");
        }
    }
    for cs in status.container_statuses.iter().flatten() {
        if let Some(r) = waiting_or_failed(cs) {
            return r;
        }
    }
    status
        .reason
        .or(status.phase)
        .unwrap_or_else(|| "Unknown".into())
}

/// One line for non-pods: "ready/desired" for workloads, a phase, or a
/// node's readiness.
pub(crate) fn status_line(kind: &str, v: &Value) -> Option<String> {
    let n = |p: &[&str]| i64_at(v, p).unwrap_or(0);
    match kind {
        "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" => Some(format!(
            "{}/{} ready",
            n(&["status", "readyReplicas"]),
            i64_at(v, &["spec", "replicas"]).unwrap_or(1)
        )),
        "DaemonSet" => Some(format!(
            "{}/{} ready",
            n(&["status", "numberReady"]),
            n(&["status", "desiredNumberScheduled"])
        )),
        "Job" => Some(format!(
            "{}/{} succeeded",
            n(&["status", "succeeded"]),
            i64_at(v, &["spec", "completions"]).unwrap_or(1)
        )),
        "CronJob" => Some(
            if at(v, &["spec", "suspend"]).and_then(Value::as_bool) == Some(true) {
                "Suspended".into()
            } else {
                format!(
                    "{} active",
                    at(v, &["status", "active"])
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len)
                )
            },
        ),
        "Node" => {
            let ready = conditions(v)
                .into_iter()
                .find(|c| c.type_ == "Ready")
                .map(|c| {
                    if c.status == "True" {
                        "Ready"
                    } else {
                        "NotReady"
                    }
                })
                .unwrap_or("Unknown");
            let cordoned = at(v, &["spec", "unschedulable"]).and_then(Value::as_bool) == Some(true);
            Some(if cordoned {
                format!("{ready},SchedulingDisabled")
            } else {
                ready.to_string()
            })
        }
        _ => str_at(v, &["status", "phase"]).map(str::to_string),
    }
}

pub(crate) fn conditions(v: &Value) -> Vec<ConditionInfo> {
    let Some(list) = at(v, &["status", "conditions"]).and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|c| {
            Some(ConditionInfo {
                type_: str_at(c, &["type"])?.to_string(),
                status: str_at(c, &["status"]).unwrap_or("Unknown").to_string(),
                reason: str_at(c, &["reason"]).map(str::to_string),
                message: str_at(c, &["message"]).map(str::to_string),
                last_transition_ms: str_at(c, &["lastTransitionTime"])
                    .or_else(|| str_at(c, &["lastUpdateTime"]))
                    .and_then(parse_ms),
            })
        })
        .collect()
}

fn containers(p: &Pod) -> Vec<ContainerInfo> {
    let spec = p.spec.clone().unwrap_or_default();
    let status = p.status.clone().unwrap_or_default();
    let find = |list: &Option<Vec<ContainerStatus>>, name: &str| {
        list.iter().flatten().find(|s| s.name == name).cloned()
    };
    let mut out = Vec::new();
    for c in spec.init_containers.iter().flatten() {
        let role = if c.restart_policy.as_deref() == Some("Always") {
            "sidecar"
        } else {
            "init"
        };
        out.push(container(
            c,
            role,
            find(&status.init_container_statuses, &c.name),
        ));
    }
    for c in &spec.containers {
        out.push(container(
            c,
            "app",
            find(&status.container_statuses, &c.name),
        ));
    }
    out
}

fn container(c: &Container, role: &str, st: Option<ContainerStatus>) -> ContainerInfo {
    let quantities =
        |m: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>| {
            m.map(|m| m.iter().map(|(k, q)| (k.clone(), q.0.clone())).collect())
                .unwrap_or_default()
        };
    let res = c.resources.as_ref();
    ContainerInfo {
        name: c.name.clone(),
        image: c.image.clone().unwrap_or_default(),
        role: role.into(),
        ports: c
            .ports
            .iter()
            .flatten()
            .map(|p| PortInfo {
                name: p.name.clone(),
                container_port: p.container_port,
                protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
            })
            .collect(),
        state: st
            .as_ref()
            .map(state_text)
            .unwrap_or_else(|| "Waiting".into()),
        ready: st.as_ref().is_some_and(|s| s.ready),
        restarts: st.as_ref().map_or(0, |s| i64::from(s.restart_count)),
        requests: quantities(res.and_then(|r| r.requests.as_ref())),
        limits: quantities(res.and_then(|r| r.limits.as_ref())),
    }
}

fn state_text(s: &ContainerStatus) -> String {
    let Some(st) = &s.state else {
        return "Waiting".into();
    };
    if st.running.is_some() {
        "Running".into()
    } else if let Some(w) = &st.waiting {
        match &w.reason {
            Some(r) => format!("Waiting: {r}"),
            None => "Waiting".into(),
        }
    } else if let Some(t) = &st.terminated {
        format!(
            "Terminated: {} (exit {})",
            t.reason.clone().unwrap_or_else(|| "Unknown".into()),
            t.exit_code
        )
    } else {
        "Waiting".into()
    }
}
