//! Jobs as `kubectl get jobs -o wide` shows them (printJob).

use super::labels::format_selector;
use super::{Cell, Column, Row};
use k8s_openapi::api::batch::v1::Job;

pub fn job_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("STATUS", 0),
        Column::new("COMPLETIONS", 0),
        Column::new("DURATION", 0),
        Column::new("AGE", 0),
        Column::new("CONTAINERS", 1),
        Column::new("IMAGES", 1),
        Column::new("SELECTOR", 1),
    ]
}

pub fn project_job(job: &Job) -> Row {
    let spec = job.spec.as_ref();
    let status = job.status.as_ref();
    let succeeded = status.and_then(|s| s.succeeded).unwrap_or(0);
    let completions = match (
        spec.and_then(|s| s.completions),
        spec.and_then(|s| s.parallelism),
    ) {
        (Some(c), _) => format!("{succeeded}/{c}"),
        (None, Some(p)) if p > 1 => format!("{succeeded}/1 of {p}"),
        _ => format!("{succeeded}/1"),
    };
    let start = status.and_then(|s| s.start_time.as_ref());
    let end = status.and_then(|s| s.completion_time.as_ref());
    // A running job's duration ticks like an age; a finished one is fixed.
    let duration = match (start, end) {
        (None, _) => Cell::text(""),
        (Some(start), None) => Cell::age(Some(start)),
        (Some(start), Some(end)) => {
            Cell::text(super::human_duration(end.0.duration_since(start.0)))
        }
    };
    let template = spec.and_then(|s| s.template.spec.as_ref());
    let containers = template
        .map(|t| t.containers.as_slice())
        .unwrap_or_default();
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers
        .iter()
        .map(|c| c.image.as_deref().unwrap_or_default())
        .collect();
    let cells = vec![
        Cell::text(job.metadata.name.clone().unwrap_or_default()),
        Cell::text(job_status(job)),
        Cell::text(completions),
        duration,
        Cell::age(job.metadata.creation_timestamp.as_ref()),
        Cell::text(names.join(",")),
        Cell::text(images.join(",")),
        Cell::text(format_selector(spec.and_then(|s| s.selector.as_ref()))),
    ];
    Row::new(&job.metadata, cells)
}

/// kubectl 1.28+'s STATUS: the first of these that holds, else Running.
fn job_status(job: &Job) -> &'static str {
    let has = |kind: &str| {
        job.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| cs.iter().any(|c| c.type_ == kind && c.status == "True"))
    };
    if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if job.metadata.deletion_timestamp.is_some() {
        "Terminating"
    } else if has("Suspended") {
        "Suspended"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    }
}
