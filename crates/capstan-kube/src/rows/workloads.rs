//! Deployments, StatefulSets, DaemonSets and ReplicaSets as
//! `kubectl get -o wide` shows them (kubectl's printDeployment & co).

use super::labels::{format_labels, format_selector};
use super::{Cell, Column, Row};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;

fn cols(names: &[(&str, u8)]) -> Vec<Column> {
    names.iter().map(|(n, p)| Column::new(n, *p)).collect()
}

/// CONTAINERS and IMAGES: the template's containers, comma-joined.
fn containers_images(template: &PodTemplateSpec) -> [Cell; 2] {
    let containers = template
        .spec
        .as_ref()
        .map(|s| s.containers.as_slice())
        .unwrap_or_default();
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers
        .iter()
        .map(|c| c.image.as_deref().unwrap_or_default())
        .collect();
    [Cell::text(names.join(",")), Cell::text(images.join(","))]
}

fn name(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> Cell {
    Cell::text(meta.name.clone().unwrap_or_default())
}

fn num(v: Option<i32>) -> Cell {
    Cell::Number {
        value: i64::from(v.unwrap_or(0)),
    }
}

pub fn deployment_columns() -> Vec<Column> {
    cols(&[
        ("NAME", 0),
        ("READY", 0),
        ("UP-TO-DATE", 0),
        ("AVAILABLE", 0),
        ("AGE", 0),
        ("CONTAINERS", 1),
        ("IMAGES", 1),
        ("SELECTOR", 1),
    ])
}

pub fn project_deployment(d: &Deployment) -> Row {
    let spec = d.spec.as_ref();
    let status = d.status.as_ref();
    // The API server defaults replicas to 1.
    let desired = spec.and_then(|s| s.replicas).unwrap_or(1);
    let ready = status.and_then(|s| s.ready_replicas).unwrap_or(0);
    let [containers, images] = spec
        .map(|s| containers_images(&s.template))
        .unwrap_or_else(|| [Cell::text(""), Cell::text("")]);
    let cells = vec![
        name(&d.metadata),
        Cell::text(format!("{ready}/{desired}")),
        num(status.and_then(|s| s.updated_replicas)),
        num(status.and_then(|s| s.available_replicas)),
        Cell::age(d.metadata.creation_timestamp.as_ref()),
        containers,
        images,
        Cell::text(format_selector(spec.map(|s| &s.selector))),
    ];
    Row::new(&d.metadata, cells)
}

pub fn statefulset_columns() -> Vec<Column> {
    cols(&[
        ("NAME", 0),
        ("READY", 0),
        ("AGE", 0),
        ("CONTAINERS", 1),
        ("IMAGES", 1),
    ])
}

pub fn project_statefulset(s: &StatefulSet) -> Row {
    let spec = s.spec.as_ref();
    let desired = spec.and_then(|s| s.replicas).unwrap_or(1);
    let ready = s
        .status
        .as_ref()
        .and_then(|s| s.ready_replicas)
        .unwrap_or(0);
    let [containers, images] = spec
        .map(|s| containers_images(&s.template))
        .unwrap_or_else(|| [Cell::text(""), Cell::text("")]);
    let cells = vec![
        name(&s.metadata),
        Cell::text(format!("{ready}/{desired}")),
        Cell::age(s.metadata.creation_timestamp.as_ref()),
        containers,
        images,
    ];
    Row::new(&s.metadata, cells)
}

pub fn daemonset_columns() -> Vec<Column> {
    cols(&[
        ("NAME", 0),
        ("DESIRED", 0),
        ("CURRENT", 0),
        ("READY", 0),
        ("UP-TO-DATE", 0),
        ("AVAILABLE", 0),
        ("NODE SELECTOR", 0),
        ("AGE", 0),
        ("CONTAINERS", 1),
        ("IMAGES", 1),
        ("SELECTOR", 1),
    ])
}

pub fn project_daemonset(d: &DaemonSet) -> Row {
    let spec = d.spec.as_ref();
    let status = d.status.as_ref();
    let [containers, images] = spec
        .map(|s| containers_images(&s.template))
        .unwrap_or_else(|| [Cell::text(""), Cell::text("")]);
    let node_selector = spec
        .and_then(|s| s.template.spec.as_ref())
        .and_then(|s| s.node_selector.as_ref());
    let cells = vec![
        name(&d.metadata),
        num(status.map(|s| s.desired_number_scheduled)),
        num(status.map(|s| s.current_number_scheduled)),
        num(status.map(|s| s.number_ready)),
        num(status.and_then(|s| s.updated_number_scheduled)),
        num(status.and_then(|s| s.number_available)),
        Cell::text(format_labels(node_selector)),
        Cell::age(d.metadata.creation_timestamp.as_ref()),
        containers,
        images,
        Cell::text(format_selector(spec.map(|s| &s.selector))),
    ];
    Row::new(&d.metadata, cells)
}

pub fn replicaset_columns() -> Vec<Column> {
    cols(&[
        ("NAME", 0),
        ("DESIRED", 0),
        ("CURRENT", 0),
        ("READY", 0),
        ("AGE", 0),
        ("CONTAINERS", 1),
        ("IMAGES", 1),
        ("SELECTOR", 1),
    ])
}

pub fn project_replicaset(r: &ReplicaSet) -> Row {
    let spec = r.spec.as_ref();
    let status = r.status.as_ref();
    let [containers, images] = spec
        .and_then(|s| s.template.as_ref())
        .map(containers_images)
        .unwrap_or_else(|| [Cell::text(""), Cell::text("")]);
    let cells = vec![
        name(&r.metadata),
        num(Some(spec.and_then(|s| s.replicas).unwrap_or(1))),
        num(status.map(|s| s.replicas)),
        num(status.and_then(|s| s.ready_replicas)),
        Cell::age(r.metadata.creation_timestamp.as_ref()),
        containers,
        images,
        Cell::text(format_selector(spec.map(|s| &s.selector))),
    ];
    Row::new(&r.metadata, cells)
}
