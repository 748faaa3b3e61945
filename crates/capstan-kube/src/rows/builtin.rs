//! The dispatcher the live view calls: built-in kinds with a projection of
//! ours, by API group and kind.

use k8s_openapi::Resource;
use kube::api::DynamicObject;
use serde::de::DeserializeOwned;

use super::{Cell, Column, Row};
use k8s_openapi::api::{
    apps::v1 as apps, batch::v1 as batch, core::v1 as core, networking::v1 as networking,
    storage::v1 as storage,
};

/// A kind's columns and its projection of one object.
#[derive(Clone, Copy)]
pub struct Projector {
    columns: fn() -> Vec<Column>,
    project: fn(&DynamicObject) -> Row,
}

impl Projector {
    /// The kind's columns, priority 1 being `-o wide` only.
    pub fn columns(&self) -> Vec<Column> {
        (self.columns)()
    }

    /// One object as a row with a cell per column.
    pub fn project(&self, object: &DynamicObject) -> Row {
        (self.project)(object)
    }
}

/// The projector for a built-in kind (`group` "" is the core group), None
/// for kinds shown through the server's Table format.
pub fn builtin(group: &str, kind: &str) -> Option<Projector> {
    macro_rules! p {
        ($columns:path, $project:path, $ty:ty) => {
            Some(Projector {
                columns: $columns,
                project: |o| typed::<$ty>(o, $columns, $project),
            })
        };
    }
    match (group, kind) {
        ("", "Pod") => p!(super::pod_columns, super::project_pod, core::Pod),
        ("", "Namespace") => p!(
            super::namespace_columns,
            super::project_namespace,
            core::Namespace
        ),
        ("", "ConfigMap") => p!(
            super::configmap_columns,
            super::project_configmap,
            core::ConfigMap
        ),
        ("", "Secret") => p!(super::secret_columns, super::project_secret, core::Secret),
        ("", "Service") => p!(
            super::service_columns,
            super::project_service,
            core::Service
        ),
        ("apps", "Deployment") => p!(
            super::deployment_columns,
            super::project_deployment,
            apps::Deployment
        ),
        ("apps", "StatefulSet") => p!(
            super::statefulset_columns,
            super::project_statefulset,
            apps::StatefulSet
        ),
        ("apps", "DaemonSet") => p!(
            super::daemonset_columns,
            super::project_daemonset,
            apps::DaemonSet
        ),
        ("apps", "ReplicaSet") => p!(
            super::replicaset_columns,
            super::project_replicaset,
            apps::ReplicaSet
        ),
        ("", "Node") => p!(super::node_columns, super::project_node, core::Node),
        ("batch", "Job") => p!(super::job_columns, super::project_job, batch::Job),
        // batch/v1beta1 (served alone by 1.20) reads into the v1 type: the
        // fields printed are the same.
        ("batch", "CronJob") => p!(
            super::cronjob_columns,
            super::project_cronjob,
            batch::CronJob
        ),
        ("", "Endpoints") => p!(
            super::endpoints_columns,
            super::project_endpoints,
            core::Endpoints
        ),
        ("", "Event") => p!(super::event_columns, super::project_event, core::Event),
        ("", "PersistentVolumeClaim") => p!(
            super::pvc_columns,
            super::project_pvc,
            core::PersistentVolumeClaim
        ),
        ("", "PersistentVolume") => {
            p!(super::pv_columns, super::project_pv, core::PersistentVolume)
        }
        ("networking.k8s.io", "Ingress") => p!(
            super::ingress_columns,
            super::project_ingress,
            networking::Ingress
        ),
        ("networking.k8s.io", "NetworkPolicy") => p!(
            super::networkpolicy_columns,
            super::project_networkpolicy,
            networking::NetworkPolicy
        ),
        ("storage.k8s.io", "StorageClass") => p!(
            super::storageclass_columns,
            super::project_storageclass,
            storage::StorageClass
        ),
        _ => None,
    }
}

/// Converts to the typed struct without cloning the object (serializing a
/// borrowed DynamicObject), then projects. An object the typed struct
/// cannot read still gets a row: its name, age, and `<invalid>` cells.
fn typed<K: DeserializeOwned + Resource>(
    object: &DynamicObject,
    columns: fn() -> Vec<Column>,
    project: fn(&K) -> Row,
) -> Row {
    // k8s-openapi checks apiVersion: read other served versions of the kind
    // (CronJob batch/v1beta1 on servers before 1.21) as the typed version,
    // whose printed fields they share.
    let parsed = serde_json::to_value(object)
        .map(|mut v| {
            if let Some(map) = v.as_object_mut() {
                map.insert("apiVersion".to_owned(), K::API_VERSION.into());
            }
            v
        })
        .and_then(serde_json::from_value::<K>);
    match parsed {
        Ok(k) => project(&k),
        Err(error) => {
            tracing::warn!(
                name = object.metadata.name.as_deref().unwrap_or_default(),
                %error,
                "object does not parse as its built-in type"
            );
            let cells = columns()
                .iter()
                .map(|c| match c.name.as_str() {
                    "NAME" => Cell::text(object.metadata.name.clone().unwrap_or_default()),
                    "AGE" => Cell::age(object.metadata.creation_timestamp.as_ref()),
                    _ => Cell::text("<invalid>"),
                })
                .collect();
            Row::new(&object.metadata, cells)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dispatches_by_group_and_kind() {
        assert!(builtin("", "Pod").is_some());
        assert!(builtin("apps", "Deployment").is_some());
        assert!(builtin("", "Deployment").is_none());
        assert!(builtin("example.com", "Widget").is_none());
        for (group, kind) in [
            ("batch", "CronJob"),
            ("", "Endpoints"),
            ("", "Event"),
            ("", "PersistentVolumeClaim"),
            ("", "PersistentVolume"),
            ("networking.k8s.io", "Ingress"),
            ("networking.k8s.io", "NetworkPolicy"),
            ("storage.k8s.io", "StorageClass"),
        ] {
            assert!(builtin(group, kind).is_some(), "{group}/{kind}");
        }
    }

    #[test]
    fn projects_a_dynamic_object() {
        let obj: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "n", "uid": "u"},
            "data": {"a": "1", "b": "2"}
        }))
        .expect("object");
        let p = builtin("", "ConfigMap").expect("configmap");
        let row = p.project(&obj);
        assert_eq!(row.cells.len(), p.columns().len());
        assert_eq!(row.cells[1], Cell::Number { value: 2 });
        assert_eq!(row.namespace.as_deref(), Some("n"));
    }

    #[test]
    fn unparsable_object_still_gets_a_row() {
        let obj: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c"},
            "data": "not a map"
        }))
        .expect("object");
        let p = builtin("", "ConfigMap").expect("configmap");
        let row = p.project(&obj);
        assert_eq!(row.name, "c");
        assert_eq!(row.cells[1], Cell::text("<invalid>"));
    }
}
