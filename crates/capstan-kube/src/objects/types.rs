//! The shapes details and actions take on the way to the UI (generated to
//! TypeScript by ts-rs).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// Names one object of any kind, at the version discovery chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ObjectRef {
    /// "" for the core group.
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub namespace: Option<String>,
    pub name: String,
}

/// A status condition as the details panel lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ConditionInfo {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
    pub reason: Option<String>,
    pub message: Option<String>,
    /// Unix ms.
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
    pub last_transition_ms: Option<i64>,
}

/// A related object (owner or owned) with a one-word state when it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct RelatedObject {
    pub reference: ObjectRef,
    /// e.g. "Running" for a pod, "3/3" for a replica set; None if unknown.
    pub state: Option<String>,
}

/// One container port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct PortInfo {
    pub name: Option<String>,
    pub container_port: i32,
    pub protocol: String,
}

/// One container of a pod (init and sidecar containers included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ContainerInfo {
    pub name: String,
    pub image: String,
    /// "init" or "app" (an init container with restartPolicy Always is a
    /// sidecar and reported as "sidecar").
    pub role: String,
    pub ports: Vec<PortInfo>,
    /// "Running", "Waiting: CrashLoopBackOff", "Terminated: Completed (exit 0)".
    pub state: String,
    pub ready: bool,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub restarts: i64,
    /// Resource name to quantity, e.g. {"cpu": "100m"}.
    pub requests: BTreeMap<String, String>,
    pub limits: BTreeMap<String, String>,
}

/// What the details panel's summary shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ObjectDetails {
    pub reference: ObjectRef,
    pub uid: String,
    pub resource_version: String,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
    pub created_ms: Option<i64>,
    /// One line: the pod status as kubectl shows it, a phase, "2/3 ready" …
    pub status: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub conditions: Vec<ConditionInfo>,
    pub owners: Vec<RelatedObject>,
    /// Objects this one controls (replica sets of a deployment, pods of a
    /// replica set/stateful set/daemon set/job, jobs of a cron job).
    pub owned: Vec<RelatedObject>,
    /// Pods only; empty otherwise.
    pub containers: Vec<ContainerInfo>,
    /// Node of a pod, if scheduled.
    pub node: Option<String>,
}

/// The object as YAML for the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ObjectYaml {
    /// The object without `metadata.managedFields`; this is what is edited.
    pub yaml: String,
    /// `metadata.managedFields` alone, for the folded section; None when empty.
    pub managed_fields: Option<String>,
    pub resource_version: String,
}

/// Result of applying an edited object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase", tag = "outcome")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum ApplyOutcome {
    Applied {
        resource_version: String,
    },
    /// The object changed on the server since it was opened; nothing was
    /// written. `theirs` is the server's current YAML (no managedFields).
    Conflict {
        yours: String,
        theirs: String,
        server_resource_version: String,
    },
}

/// One document of a create-from-YAML request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct CreateResult {
    /// 0-based position of the document in the input.
    pub index: u32,
    /// `kind/name` as written in the document (best effort when invalid).
    pub label: String,
    pub created: Option<ObjectRef>,
    /// Why this document was not created.
    pub error: Option<String>,
}

/// An event about an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct EventInfo {
    /// "Normal" or "Warning".
    #[serde(rename = "type")]
    pub type_: String,
    pub reason: String,
    pub message: String,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub count: i64,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
    pub first_ms: Option<i64>,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number | null"))]
    pub last_ms: Option<i64>,
    /// Component (and host) that reported it.
    pub source: String,
}

/// How a delete treats the object's dependents (kubectl's `--cascade`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum DeletePropagation {
    /// Dependents first, then the object (the object stays, marked, until then).
    Foreground,
    /// The object now, dependents by the garbage collector (kubectl's default).
    Background,
    /// Dependents are left running.
    Orphan,
}

/// What a drain did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct DrainReport {
    pub node: String,
    /// `namespace/name` of each evicted (or deleted) pod.
    pub evicted: Vec<String>,
    /// `namespace/name` and why it was left (DaemonSet-managed, mirror pod …).
    pub skipped: Vec<SkippedPod>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct SkippedPod {
    pub pod: String,
    pub reason: String,
}
