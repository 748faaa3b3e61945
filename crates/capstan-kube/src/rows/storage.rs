//! PersistentVolumeClaims, PersistentVolumes and StorageClasses as
//! `kubectl get -o wide` shows them.

use std::collections::BTreeMap;

use super::{Cell, Column, Row};
use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

/// The pre-storageClassName annotation still wins when set, as in kubectl.
const BETA_CLASS: &str = "volume.beta.kubernetes.io/storage-class";

pub fn pvc_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("STATUS", 0),
        Column::new("VOLUME", 0),
        Column::new("CAPACITY", 0),
        Column::new("ACCESS MODES", 0),
        Column::new("STORAGECLASS", 0),
        Column::new("VOLUMEATTRIBUTESCLASS", 0),
        Column::new("AGE", 0),
        Column::new("VOLUMEMODE", 1),
    ]
}

pub fn project_pvc(pvc: &PersistentVolumeClaim) -> Row {
    let spec = pvc.spec.as_ref();
    let status = pvc.status.as_ref();
    let volume = spec.and_then(|s| s.volume_name.clone()).unwrap_or_default();
    // Capacity and modes only once bound to a volume.
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            storage(status.and_then(|s| s.capacity.as_ref())),
            access_modes(status.and_then(|s| s.access_modes.as_deref())),
        )
    };
    let class = storage_class(
        pvc.metadata.annotations.as_ref(),
        spec.and_then(|s| s.storage_class_name.as_deref()),
    );
    let cells = vec![
        Cell::text(pvc.metadata.name.clone().unwrap_or_default()),
        Cell::text(phase(
            pvc.metadata.deletion_timestamp.is_some(),
            status.and_then(|s| s.phase.as_deref()),
        )),
        Cell::text(volume),
        Cell::text(capacity),
        Cell::text(modes),
        Cell::text(class),
        Cell::text(attributes_class(
            spec.and_then(|s| s.volume_attributes_class_name.as_deref()),
        )),
        Cell::age(pvc.metadata.creation_timestamp.as_ref()),
        Cell::text(volume_mode(spec.and_then(|s| s.volume_mode.as_deref()))),
    ];
    Row::new(&pvc.metadata, cells)
}

pub fn pv_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("CAPACITY", 0),
        Column::new("ACCESS MODES", 0),
        Column::new("RECLAIM POLICY", 0),
        Column::new("STATUS", 0),
        Column::new("CLAIM", 0),
        Column::new("STORAGECLASS", 0),
        Column::new("VOLUMEATTRIBUTESCLASS", 0),
        Column::new("REASON", 0),
        Column::new("AGE", 0),
        Column::new("VOLUMEMODE", 1),
    ]
}

pub fn project_pv(pv: &PersistentVolume) -> Row {
    let spec = pv.spec.as_ref();
    let status = pv.status.as_ref();
    let claim = spec
        .and_then(|s| s.claim_ref.as_ref())
        .map(|c| {
            format!(
                "{}/{}",
                c.namespace.as_deref().unwrap_or_default(),
                c.name.as_deref().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let class = storage_class(
        pv.metadata.annotations.as_ref(),
        spec.and_then(|s| s.storage_class_name.as_deref()),
    );
    let cells = vec![
        Cell::text(pv.metadata.name.clone().unwrap_or_default()),
        Cell::text(storage(spec.and_then(|s| s.capacity.as_ref()))),
        Cell::text(access_modes(spec.and_then(|s| s.access_modes.as_deref()))),
        Cell::text(
            spec.and_then(|s| s.persistent_volume_reclaim_policy.clone())
                .unwrap_or_default(),
        ),
        Cell::text(phase(
            pv.metadata.deletion_timestamp.is_some(),
            status.and_then(|s| s.phase.as_deref()),
        )),
        Cell::text(claim),
        Cell::text(class),
        Cell::text(attributes_class(
            spec.and_then(|s| s.volume_attributes_class_name.as_deref()),
        )),
        Cell::text(status.and_then(|s| s.reason.clone()).unwrap_or_default()),
        Cell::age(pv.metadata.creation_timestamp.as_ref()),
        Cell::text(volume_mode(spec.and_then(|s| s.volume_mode.as_deref()))),
    ];
    Row::new(&pv.metadata, cells)
}

/// The VolumeAttributesClass column (kubectl 1.29+): the spec's class name,
/// `<unset>` without one.
fn attributes_class(name: Option<&str>) -> String {
    name.unwrap_or("<unset>").to_owned()
}

pub fn storageclass_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("PROVISIONER", 0),
        Column::new("RECLAIMPOLICY", 0),
        Column::new("VOLUMEBINDINGMODE", 0),
        Column::new("ALLOWVOLUMEEXPANSION", 0),
        Column::new("AGE", 0),
    ]
}

pub fn project_storageclass(sc: &StorageClass) -> Row {
    let name = sc.metadata.name.clone().unwrap_or_default();
    let default = sc.metadata.annotations.as_ref().is_some_and(|a| {
        [
            "storageclass.kubernetes.io/is-default-class",
            "storageclass.beta.kubernetes.io/is-default-class",
        ]
        .iter()
        .any(|k| a.get(*k).is_some_and(|v| v == "true"))
    });
    let name = if default {
        format!("{name} (default)")
    } else {
        name
    };
    let cells = vec![
        Cell::text(name),
        Cell::text(sc.provisioner.clone()),
        Cell::text(sc.reclaim_policy.as_deref().unwrap_or("Delete")),
        Cell::text(sc.volume_binding_mode.as_deref().unwrap_or("Immediate")),
        Cell::text(sc.allow_volume_expansion.unwrap_or(false).to_string()),
        Cell::age(sc.metadata.creation_timestamp.as_ref()),
    ];
    Row::new(&sc.metadata, cells)
}

fn phase(deleting: bool, phase: Option<&str>) -> String {
    if deleting {
        "Terminating".to_owned()
    } else {
        phase.unwrap_or_default().to_owned()
    }
}

/// The server sends quantities in canonical form, so the text is kubectl's.
fn storage(map: Option<&BTreeMap<String, Quantity>>) -> String {
    map.and_then(|m| m.get("storage"))
        .map_or_else(|| "0".to_owned(), |q| q.0.clone())
}

/// Short names in kubectl's fixed order, each once.
fn access_modes(modes: Option<&[String]>) -> String {
    let modes = modes.unwrap_or_default();
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(long, _)| modes.iter().any(|m| m == long))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

fn storage_class(annotations: Option<&BTreeMap<String, String>>, spec: Option<&str>) -> String {
    annotations
        .and_then(|a| a.get(BETA_CLASS))
        .map(String::as_str)
        .or(spec)
        .unwrap_or_default()
        .to_owned()
}

fn volume_mode(mode: Option<&str>) -> String {
    mode.unwrap_or("<unset>").to_owned()
}
