//! On demand (`cargo bench -p capstan-kube --bench metrics_refresh`): the
//! cost of one 15 s metrics refresh for 1 000 pods (parse a synthetic
//! PodMetricsList of 1 000 pods with 1–3 containers + record it in the
//! history rings), and the heap an hour of history holds for them (240
//! readings). No cluster needed; figures are printed, not asserted.

use std::alloc::System;
use std::time::Instant;

use capstan_kube::metrics::{parse_pods, History, MetricsSource, Retention, Sample};
use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const PODS: usize = 1_000;

fn heap_bytes() -> f64 {
    let s = GLOBAL.stats();
    s.bytes_allocated as f64 - s.bytes_deallocated as f64
}

/// A PodMetricsList as metrics-server writes it; `round` varies the values.
fn pod_metrics_list(round: u64) -> String {
    let mut items = Vec::with_capacity(PODS);
    for i in 0..PODS {
        let containers: Vec<String> = (0..(1 + i % 3))
            .map(|c| {
                format!(
                    r#"{{"name":"c{c}","usage":{{"cpu":"{}n","memory":"{}Ki"}}}}"#,
                    1_000_000 + (i as u64 * 7919 + round * 104_729) % 900_000_000,
                    10_000 + (i as u64 * 31 + round) % 500_000
                )
            })
            .collect();
        items.push(format!(
            r#"{{"metadata":{{"name":"pod-{i:04}","namespace":"ns-{}","creationTimestamp":"2025-12-03T18:00:05Z","labels":{{"app":"a{i}"}}}},"timestamp":"2025-12-03T18:00:00Z","window":"15.012s","containers":[{}]}}"#,
            i % 20,
            containers.join(",")
        ));
    }
    format!(
        r#"{{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{{}},"items":[{}]}}"#,
        items.join(",")
    )
}

fn main() {
    let retention = Retention::default();
    let readings = retention.capacity();
    let texts: Vec<String> = (0..8).map(pod_metrics_list).collect();
    let containers: usize = (0..PODS).map(|i| 1 + i % 3).sum();

    // One refresh, timed over many rounds after the rings are full (the
    // steady state: each push also drops the oldest point).
    let mut history = History::new(retention);
    let start_heap = heap_bytes();
    let t0 = 1_764_784_800i64;
    let mut parse_total = 0.0;
    let mut record_total = 0.0;
    for r in 0..readings {
        let text = &texts[r % texts.len()];
        let a = Instant::now();
        let pods = parse_pods(text).expect("parses");
        let b = Instant::now();
        history.record(
            Sample {
                source: MetricsSource::MetricsApi,
                pods,
                nodes: Vec::new(),
            },
            t0 + (r as i64) * i64::from(retention.interval_secs),
        );
        let c = Instant::now();
        parse_total += (b - a).as_secs_f64();
        record_total += (c - b).as_secs_f64();
    }
    let held = heap_bytes() - start_heap;
    let (rings, points) = history.size();
    println!(
        "{PODS} pods, {containers} containers, {readings} readings (1 h at {} s)",
        retention.interval_secs
    );
    println!(
        "one refresh: parse {:.2} ms + record {:.2} ms = {:.2} ms (mean of {readings}; PodMetricsList of {} KiB)",
        parse_total / readings as f64 * 1e3,
        record_total / readings as f64 * 1e3,
        (parse_total + record_total) / readings as f64 * 1e3,
        texts[0].len() / 1024
    );
    println!(
        "history after 1 h: {rings} rings, {points} points, heap {:.2} MiB (the latest reading kept exact included; {:.0} bytes per container ring)",
        held / (1024.0 * 1024.0),
        held / containers as f64
    );
}
