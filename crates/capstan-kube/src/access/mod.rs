//! What the user may do: the server's SelfSubjectRulesReview per namespace
//! in view, evaluated here per kind and verb, with SelfSubjectAccessReview
//! for single cells the rules cannot settle (a rules review may be
//! incomplete, e.g. behind a webhook authorizer). Answers are cached per
//! context and namespace (`cache`), and a 403 anywhere drops them.

mod cache;
mod review;
mod rules;

pub use cache::{AccessCache, ForbiddenAware};
pub use review::{access_review, rules_review};
pub use rules::{ReviewRule, RulesReview};

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// The verbs of the access matrix, in column order.
pub const MATRIX_VERBS: &[&str] = &[
    "get", "list", "watch", "create", "update", "patch", "delete",
];

/// A 403 from the server, with what was asked: the UI's "Not allowed".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct Denial {
    pub verb: String,
    /// "" for the core group.
    pub group: String,
    /// The plural, with `/subresource` when one was asked (`pods/exec`).
    pub resource: String,
    /// None: cluster-wide (all namespaces, or a cluster-scoped kind).
    pub namespace: Option<String>,
    /// The server's own words.
    pub reason: String,
}

impl Denial {
    /// "list secrets in namespace \"web\"", for messages.
    pub fn describe(&self) -> String {
        let resource = if self.group.is_empty() {
            self.resource.clone()
        } else {
            format!("{}.{}", self.resource, self.group)
        };
        match &self.namespace {
            Some(ns) => format!("{} {resource} in namespace \"{ns}\"", self.verb),
            None => format!("{} {resource} cluster-wide", self.verb),
        }
    }

    /// The denial behind a kube error, if it is a 403.
    pub fn from_kube(
        e: &kube::Error,
        verb: &str,
        group: &str,
        resource: &str,
        namespace: Option<&str>,
    ) -> Option<Self> {
        match e {
            kube::Error::Api(status) if status.code == 403 => Some(Self {
                verb: verb.to_string(),
                group: group.to_string(),
                resource: resource.to_string(),
                namespace: namespace.map(str::to_string),
                reason: status.message.clone(),
            }),
            _ => None,
        }
    }
}

/// One cell: may the user do `verb` on `resource` (optionally a
/// subresource) of `group` in `namespace`?
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct AccessQuery {
    pub group: String,
    pub resource: String,
    #[serde(default)]
    pub subresource: Option<String>,
    pub verb: String,
    /// None: cluster-wide.
    #[serde(default)]
    pub namespace: Option<String>,
}

/// The answer for one cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(tag = "state", rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum Decision {
    /// `reason` is the authorizer's words when a review gave them
    /// (e.g. the RoleBinding that allows it), else empty.
    Allowed { reason: String },
    /// Why not, in the review's words where it has some.
    Denied { reason: String },
    /// The server could not say: no review API, or an incomplete rules
    /// review; ask [`access_review`] for this cell.
    Unknown { reason: String },
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed { .. })
    }
}

/// One column of a kind's row: a matrix verb, or `exec` / `portforward`
/// (create on the pod's subresource).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct VerbAccess {
    /// "get" … "delete", "exec", "portforward".
    pub verb: String,
    pub decision: Decision,
}

/// One row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct KindAccess {
    pub group: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
    pub verbs: Vec<VerbAccess>,
}

/// What the user may do in one context and namespace, per kind and verb.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct AccessMatrix {
    pub context: String,
    /// None: all namespaces (cluster-wide grants only).
    pub namespace: Option<String>,
    /// False when the server has no SelfSubjectRulesReview API: every cell
    /// is unknown and single checks go through SelfSubjectAccessReview.
    pub supported: bool,
    /// The server said its rules list may miss grants (webhook or other
    /// authorizers): a cell not granted by the rules is unknown, not denied.
    pub incomplete: bool,
    /// The server's evaluation error, if it gave one.
    pub evaluation_error: Option<String>,
    pub kinds: Vec<KindAccess>,
}

/// The columns of a kind's row: the matrix verbs, plus exec and
/// port-forward for pods.
pub fn columns_for(
    group: &str,
    plural: &str,
) -> Vec<(&'static str, &'static str, Option<&'static str>)> {
    let mut out: Vec<(&'static str, &'static str, Option<&'static str>)> =
        MATRIX_VERBS.iter().map(|v| (*v, *v, None)).collect();
    if group.is_empty() && plural == "pods" {
        out.push(("exec", "create", Some("exec")));
        out.push(("portforward", "create", Some("portforward")));
    }
    out
}

#[cfg(test)]
mod tests;
