//! Which pods make a workload: Deployments through their ReplicaSets,
//! StatefulSets and DaemonSets directly, all by owner references (uids), as
//! the controllers themselves decide. Pure over listed objects.

use std::collections::HashMap;

use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::Pod;
use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// Workload kinds metrics aggregate over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
    DaemonSet,
}

impl WorkloadKind {
    /// A regex for the names of the workload's pods, past ones included
    /// (for Prometheus, which keeps pods that are gone).
    pub fn pod_name_regex(&self, name: &str) -> String {
        let name = name.replace('.', "\\\\.");
        match self {
            Self::Deployment => format!("{name}-[a-z0-9]+-[a-z0-9]+"),
            Self::StatefulSet => format!("{name}-[0-9]+"),
            Self::DaemonSet => format!("{name}-[a-z0-9]+"),
        }
    }
}

/// The workload (kind, name) a pod belongs to, given a map from ReplicaSet
/// uid to its Deployment's name.
pub fn workload_of(
    pod: &Pod,
    deployment_of_rs: &HashMap<String, String>,
) -> Option<(WorkloadKind, String)> {
    let owner = pod
        .metadata
        .owner_references
        .as_ref()?
        .iter()
        .find(|o| o.controller == Some(true))?;
    match owner.kind.as_str() {
        "ReplicaSet" => deployment_of_rs
            .get(&owner.uid)
            .map(|d| (WorkloadKind::Deployment, d.clone())),
        "StatefulSet" => Some((WorkloadKind::StatefulSet, owner.name.clone())),
        "DaemonSet" => Some((WorkloadKind::DaemonSet, owner.name.clone())),
        _ => None,
    }
}

/// ReplicaSet uid -> the name of the Deployment controlling it.
pub fn deployments_by_replicaset(replicasets: &[ReplicaSet]) -> HashMap<String, String> {
    replicasets
        .iter()
        .filter_map(|rs| {
            let uid = rs.metadata.uid.clone()?;
            let owner = rs
                .metadata
                .owner_references
                .as_ref()?
                .iter()
                .find(|o| o.controller == Some(true) && o.kind == "Deployment")?;
            Some((uid, owner.name.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

    fn owner(kind: &str, name: &str, uid: &str) -> OwnerReference {
        OwnerReference {
            api_version: "apps/v1".into(),
            kind: kind.into(),
            name: name.into(),
            uid: uid.into(),
            controller: Some(true),
            block_owner_deletion: None,
        }
    }

    fn pod(owner_ref: OwnerReference) -> Pod {
        Pod {
            metadata: ObjectMeta {
                owner_references: Some(vec![owner_ref]),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn through_replicasets() {
        let rs = ReplicaSet {
            metadata: ObjectMeta {
                uid: Some("rs-uid".into()),
                owner_references: Some(vec![owner("Deployment", "web", "d-uid")]),
                ..Default::default()
            },
            ..Default::default()
        };
        let map = deployments_by_replicaset(&[rs]);
        assert_eq!(
            workload_of(&pod(owner("ReplicaSet", "web-79fd", "rs-uid")), &map),
            Some((WorkloadKind::Deployment, "web".into()))
        );
        assert_eq!(
            workload_of(&pod(owner("ReplicaSet", "lone", "other")), &map),
            None
        );
        assert_eq!(
            workload_of(&pod(owner("StatefulSet", "db", "s")), &map),
            Some((WorkloadKind::StatefulSet, "db".into()))
        );
        assert_eq!(workload_of(&pod(owner("Job", "j", "j")), &map), None);
    }

    #[test]
    fn name_regexes() {
        assert_eq!(WorkloadKind::StatefulSet.pod_name_regex("db"), "db-[0-9]+");
        assert_eq!(
            WorkloadKind::Deployment.pod_name_regex("a.b"),
            "a\\\\.b-[a-z0-9]+-[a-z0-9]+"
        );
    }
}
