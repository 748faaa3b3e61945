//! CronJobs as `kubectl get cronjobs -o wide` shows them (printCronJob).
//!
//! The 1.20 test server serves batch/v1beta1 only; the fields used here are
//! the same in batch/v1, so the dispatcher reads either version into the
//! batch/v1 type.

use super::labels::format_selector;
use super::{Cell, Column, Row};
use k8s_openapi::api::batch::v1::CronJob;

pub fn cronjob_columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0),
        Column::new("SCHEDULE", 0),
        Column::new("TIMEZONE", 0),
        Column::new("SUSPEND", 0),
        Column::new("ACTIVE", 0),
        Column::new("LAST SCHEDULE", 0),
        Column::new("AGE", 0),
        Column::new("CONTAINERS", 1),
        Column::new("IMAGES", 1),
        Column::new("SELECTOR", 1),
    ]
}

pub fn project_cronjob(cj: &CronJob) -> Row {
    let spec = cj.spec.as_ref();
    let status = cj.status.as_ref();
    let suspend = match spec.and_then(|s| s.suspend) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    let active = status.and_then(|s| s.active.as_ref()).map_or(0, Vec::len);
    let last = match status.and_then(|s| s.last_schedule_time.as_ref()) {
        Some(t) => Cell::age(Some(t)),
        None => Cell::text("<none>"),
    };
    let job = spec.and_then(|s| s.job_template.spec.as_ref());
    let containers = job
        .and_then(|j| j.template.spec.as_ref())
        .map(|t| t.containers.as_slice())
        .unwrap_or_default();
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers
        .iter()
        .map(|c| c.image.as_deref().unwrap_or_default())
        .collect();
    let cells = vec![
        Cell::text(cj.metadata.name.clone().unwrap_or_default()),
        Cell::text(spec.map(|s| s.schedule.clone()).unwrap_or_default()),
        Cell::text(
            spec.and_then(|s| s.time_zone.clone())
                .unwrap_or_else(|| "<none>".to_owned()),
        ),
        Cell::text(suspend),
        Cell::Number {
            value: i64::try_from(active).unwrap_or(i64::MAX),
        },
        last,
        Cell::age(cj.metadata.creation_timestamp.as_ref()),
        Cell::text(names.join(",")),
        Cell::text(images.join(",")),
        Cell::text(format_selector(job.and_then(|j| j.selector.as_ref()))),
    ];
    Row::new(&cj.metadata, cells)
}
