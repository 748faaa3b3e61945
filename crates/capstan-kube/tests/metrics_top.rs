//! Capstan's figures from metrics.k8s.io equal `kubectl top`'s for the same
//! metrics-server sample: read ours, run kubectl, read ours again; when our
//! two readings are the same sample (same timestamps), kubectl saw it too
//! and its cells must equal ours exactly. Otherwise metrics-server moved on
//! in between and we try again.

mod metrics_support;

use capstan_kube::metrics::{self, top, MetricsSource, SampleScope};
use capstan_test_support::eventually;
use k8s_openapi::api::core::v1::Node;
use metrics_support::*;

#[tokio::test]
async fn pod_figures_equal_kubectl_top() {
    let client = client().await;
    let ns = namespace_with_pods("top", &[("busy", BUSY, 1), ("pair", BUSY, 2)]);
    let scope = SampleScope::pods(Some(&ns.name));
    let compared = eventually(T, || async {
        let before = metrics::read_sample(&client, &scope)
            .await
            .map_err(|e| e.to_string())?;
        if before.source != MetricsSource::MetricsApi {
            return Err(format!("source is {:?}", before.source));
        }
        if before.pods.len() != 2 {
            return Err(format!("{} pods have figures yet", before.pods.len()));
        }
        let kubectl = kubectl_top(&["pod", "-n", &ns.name])?;
        let kubectl_containers = kubectl_top(&["pod", "-n", &ns.name, "--containers"])?;
        let after = metrics::read_sample(&client, &scope)
            .await
            .map_err(|e| e.to_string())?;
        if before != after {
            return Err("metrics-server took a new sample meanwhile".into());
        }
        Ok((before, kubectl, kubectl_containers))
    })
    .await
    .expect("one sample seen by both");
    let (sample, kubectl, kubectl_containers) = compared;

    let ours: Vec<Vec<String>> = top::pod_lines(&sample.pods, false)
        .into_iter()
        .map(|l| vec![l.pod, l.cpu, l.memory])
        .collect();
    assert_eq!(keyed(ours, 1), keyed(kubectl, 1));

    let ours: Vec<Vec<String>> = top::pod_lines(&sample.pods, true)
        .into_iter()
        .map(|l| vec![l.pod, l.container.unwrap_or_default(), l.cpu, l.memory])
        .collect();
    assert_eq!(ours.len(), 3, "{ours:?}");
    assert_eq!(keyed(ours, 2), keyed(kubectl_containers, 2));
}

#[tokio::test]
async fn node_figures_equal_kubectl_top() {
    let client = client().await;
    let nodes: kube::Api<Node> = kube::Api::all(client.clone());
    let scope = SampleScope::nodes();
    let (sample, kubectl, node_list) = eventually(T, || async {
        let node_list = nodes
            .list(&Default::default())
            .await
            .map_err(|e| e.to_string())?;
        let before = metrics::read_sample(&client, &scope)
            .await
            .map_err(|e| e.to_string())?;
        let kubectl = kubectl_top(&["node"])?;
        let after = metrics::read_sample(&client, &scope)
            .await
            .map_err(|e| e.to_string())?;
        if before != after || before.nodes.is_empty() {
            return Err("metrics-server took a new sample meanwhile".to_string());
        }
        Ok((before, kubectl, node_list.items))
    })
    .await
    .expect("one sample seen by both");
    assert_eq!(sample.source, MetricsSource::MetricsApi);
    let ours: Vec<Vec<String>> = top::node_lines(&sample.nodes, &node_list)
        .into_iter()
        .map(|l| vec![l.name, l.cpu, l.cpu_percent, l.memory, l.memory_percent])
        .collect();
    assert_eq!(keyed(ours, 1), keyed(kubectl, 1));
}

#[tokio::test]
async fn live_series_and_marks_of_a_pod() {
    let client = client().await;
    let ns = namespace_with_pods("series", &[("pair", BUSY, 2)]);
    let m = metrics::Metrics::new(
        client,
        metrics::Retention {
            interval_secs: 1,
            keep_secs: 60,
        },
        metrics::PrometheusChoice::Off,
    );
    let sub = m.subscribe();
    assert!(m.hub().is_sampling());
    let target = metrics::MetricsTarget::Pod {
        namespace: ns.name.clone(),
        name: "pair".into(),
    };
    let series = eventually(T, || async {
        let s = m
            .series(target.clone(), metrics::MetricsRange::Live)
            .await
            .map_err(|e| e.to_string())?;
        if s.cpu.len() == 2 && s.cpu.iter().all(|c| c.points.len() >= 2) {
            Ok(s)
        } else {
            Err(format!("not yet two points per container: {:?}", s.cpu))
        }
    })
    .await
    .expect("live series");
    assert_eq!(series.source, MetricsSource::MetricsApi);
    let names: Vec<&str> = series.cpu.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["c0", "c1"]);
    assert!(series
        .memory
        .iter()
        .all(|s| s.points.iter().all(|p| p[1] > 0.0)));
    assert_eq!(
        series.cpu_marks,
        vec![
            metrics::Mark {
                name: "request".into(),
                value: 0.02
            },
            metrics::Mark {
                name: "limit".into(),
                value: 2.0
            }
        ]
    );
    assert_eq!(
        series.memory_marks,
        vec![
            metrics::Mark {
                name: "request".into(),
                value: 16.0 * 1024.0 * 1024.0
            },
            metrics::Mark {
                name: "limit".into(),
                value: 128.0 * 1024.0 * 1024.0
            }
        ]
    );
    // No Prometheus: longer ranges say so.
    let err = m
        .series(target, metrics::MetricsRange::H1)
        .await
        .expect_err("no history without Prometheus");
    assert!(
        matches!(err, metrics::MetricsError::NoHistory { .. }),
        "{err}"
    );

    let cluster = m
        .series(metrics::MetricsTarget::Cluster, metrics::MetricsRange::Live)
        .await
        .expect("cluster series");
    assert_eq!(cluster.cpu.len(), 1);
    assert!(cluster.cpu_marks[0].value > 0.0);

    drop(sub);
    assert!(
        !m.hub().is_sampling(),
        "the last subscriber stops the sampler"
    );
}

#[tokio::test]
async fn overview_counts_pods_and_allocatable() {
    let client = client().await;
    let o = metrics::cluster_overview(&client).await.expect("overview");
    assert_eq!(o.source, Some(MetricsSource::MetricsApi));
    assert!(o.nodes >= 1);
    assert!(o.cpu_allocatable_cores > 0.0 && o.memory_allocatable_bytes > 0.0);
    assert!(o.cpu_used_cores.is_some_and(|c| c > 0.0));
    assert!(
        o.pods_by_phase.get("Running").is_some_and(|n| *n > 0),
        "{:?}",
        o.pods_by_phase
    );
}
