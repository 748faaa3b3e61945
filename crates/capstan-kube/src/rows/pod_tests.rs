//! kubectl 1.27+ pod printing that the 1.20 test cluster cannot show:
//! hand-made pods.

use super::{pod_columns, project_pod};
use jiff::Timestamp;
use k8s_openapi::api::core::v1::Pod;
use serde_json::json;

fn render(pod: serde_json::Value, now: &str) -> Vec<(String, String)> {
    let pod: Pod = serde_json::from_value(pod).expect("pod");
    let now: Timestamp = now.parse().expect("now");
    pod_columns()
        .into_iter()
        .map(|c| c.name)
        .zip(project_pod(&pod).render(now))
        .collect()
}

fn cell(rendered: &[(String, String)], column: &str) -> String {
    rendered
        .iter()
        .find(|(c, _)| c == column)
        .map(|(_, v)| v.clone())
        .expect("column")
}

const CREATED: &str = "2026-01-01T00:00:00Z";

#[test]
fn restarts_say_how_long_ago() {
    let r = render(
        json!({
            "metadata": {"name": "p", "creationTimestamp": CREATED},
            "spec": {"containers": [{"name": "main"}]},
            "status": {"phase": "Running", "containerStatuses": [{
                "name": "main", "ready": true, "restartCount": 3, "image": "i", "imageID": "",
                "state": {"running": {"startedAt": "2026-01-01T00:10:00Z"}},
                "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-01-01T00:10:00Z"}}
            }]}
        }),
        "2026-01-01T00:15:00Z",
    );
    assert_eq!(cell(&r, "RESTARTS"), "3 (5m ago)");
    assert_eq!(cell(&r, "STATUS"), "Running");
    assert_eq!(cell(&r, "AGE"), "15m");
}

#[test]
fn terminal_pod_being_deleted_keeps_its_reason() {
    let r = render(
        json!({
            "metadata": {"name": "p", "creationTimestamp": CREATED,
                         "deletionTimestamp": "2026-01-01T00:01:00Z"},
            "spec": {"containers": [{"name": "main"}]},
            "status": {"phase": "Succeeded", "containerStatuses": [{
                "name": "main", "ready": false, "restartCount": 0, "image": "i", "imageID": "",
                "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}
            }]}
        }),
        "2026-01-01T00:02:00Z",
    );
    assert_eq!(cell(&r, "STATUS"), "Completed");
}

#[test]
fn running_pod_being_deleted_is_terminating() {
    let r = render(
        json!({
            "metadata": {"name": "p", "creationTimestamp": CREATED,
                         "deletionTimestamp": "2026-01-01T00:01:00Z"},
            "spec": {"containers": [{"name": "main"}]},
            "status": {"phase": "Running"}
        }),
        "2026-01-01T00:02:00Z",
    );
    assert_eq!(cell(&r, "STATUS"), "Terminating");
}

#[test]
fn scheduling_gated_pod() {
    let r = render(
        json!({
            "metadata": {"name": "p", "creationTimestamp": CREATED},
            "spec": {"containers": [{"name": "main"}], "schedulingGates": [{"name": "g"}]},
            "status": {"phase": "Pending", "conditions": [{
                "type": "PodScheduled", "status": "False", "reason": "SchedulingGated"
            }]}
        }),
        "2026-01-01T00:02:00Z",
    );
    assert_eq!(cell(&r, "STATUS"), "SchedulingGated");
    assert_eq!(cell(&r, "READY"), "0/1");
}

#[test]
fn sidecar_counts_as_a_container() {
    let r = render(
        json!({
            "metadata": {"name": "p", "creationTimestamp": CREATED},
            "spec": {
                "initContainers": [{"name": "proxy", "restartPolicy": "Always"}],
                "containers": [{"name": "main"}]
            },
            "status": {"phase": "Running",
                "conditions": [{"type": "Initialized", "status": "True"}],
                "initContainerStatuses": [{
                    "name": "proxy", "ready": true, "started": true, "restartCount": 0,
                    "image": "i", "imageID": "",
                    "state": {"running": {"startedAt": CREATED}}
                }],
                "containerStatuses": [{
                    "name": "main", "ready": true, "restartCount": 0, "image": "i", "imageID": "",
                    "state": {"running": {"startedAt": CREATED}}
                }]
            }
        }),
        "2026-01-01T00:02:00Z",
    );
    assert_eq!(cell(&r, "READY"), "2/2");
    assert_eq!(cell(&r, "STATUS"), "Running");
}
