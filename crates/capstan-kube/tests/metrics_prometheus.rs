//! History from a real Prometheus (Debian's package) scraping the kubelet's
//! cAdvisor metrics through the API server: Capstan finds it through the
//! service proxy, and its range query for a pod that starts burning CPU
//! shows the burn.

mod metrics_support;

use std::time::Duration;

use capstan_kube::metrics::{self, MetricsRange, MetricsSource, MetricsTarget, PrometheusChoice};
use capstan_test_support::prometheus::{
    find_prometheus, PrometheusFixture, INSTALL, PORT_NAME, SERVICE,
};
use capstan_test_support::{eventually_every, require, TestCluster, TestNamespace};
use metrics_support::*;

/// The least a busy loop gets on a test machine shared with builds.
const BURN_PEAK: f64 = 0.3;

#[tokio::test]
async fn range_query_shows_a_pod_burning_cpu() {
    let Some(binary) = require(find_prometheus(), "prometheus", INSTALL) else {
        return;
    };
    let client = client().await;
    let ns = TestNamespace::create(&format!("metrics-prom-{}", std::process::id()));
    let prometheus = PrometheusFixture::start(&binary, &ns.name).expect("Prometheus fixture");

    // Idle for a while, then a busy loop: the series must show the rise.
    apply(
        &serde_json::json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "burner", "namespace": ns.name},
            "spec": {
                "terminationGracePeriodSeconds": 0,
                "containers": [{
                    "name": "burn",
                    "image": "capstan.local/busybox:1",
                    "imagePullPolicy": "Never",
                    "command": ["sh", "-c", "sleep 45; while :; do :; done"],
                    "resources": {"requests": {"cpu": "500m"}},
                }],
            },
        })
        .to_string(),
    );
    TestCluster::get()
        .kubectl_ok([
            "-n",
            &ns.name,
            "wait",
            "--for=condition=Ready",
            "pod/burner",
            "--timeout=90s",
        ])
        .expect("burn pod ready");

    let m = metrics::Metrics::new(
        client,
        metrics::Retention::default(),
        PrometheusChoice::Auto,
    );
    let found = m.prometheus().await.expect("Prometheus discovered");
    assert_eq!(
        (
            found.service.namespace.as_str(),
            found.service.service.as_str(),
            found.service.port.as_str()
        ),
        (ns.name.as_str(), SERVICE, PORT_NAME)
    );

    // Prometheus has the pod's samples before we ask for the range.
    let selector = format!(
        r#"container_cpu_usage_seconds_total{{namespace="{}",pod="burner"}}"#,
        ns.name
    );
    eventually_every(Duration::from_secs(120), Duration::from_secs(2), || async {
        let r = prometheus.query(&selector).map_err(|e| format!("{e:#}"))?;
        if r.is_empty() {
            Err(format!(
                "no samples of the burner pod yet; log:\n{}",
                prometheus.log()
            ))
        } else {
            Ok(())
        }
    })
    .await
    .expect("cAdvisor samples scraped");

    let target = MetricsTarget::Pod {
        namespace: ns.name.clone(),
        name: "burner".into(),
    };
    let series = eventually_every(Duration::from_secs(240), Duration::from_secs(3), || async {
        let s = m
            .series(target.clone(), MetricsRange::H1)
            .await
            .map_err(|e| e.to_string())?;
        let burn = burn_series(&s.cpu).ok_or_else(|| format!("no burn series: {:?}", s.cpu))?;
        // A busy loop takes a core when the machine has one to spare; on
        // a loaded test machine it gets less, but still far more than
        // the idle start.
        let first = burn.points.first().map(|p| p[1]).unwrap_or(f64::MAX);
        let peak = burn.points.iter().map(|p| p[1]).fold(0.0, f64::max);
        if peak >= BURN_PEAK && peak >= 5.0 * first.max(0.01) {
            Ok(s)
        } else {
            Err(format!("peak {peak} cores so far: {:?}", burn.points))
        }
    })
    .await
    .expect("the burn shows in the range query");

    assert_eq!(
        series.source,
        MetricsSource::Prometheus {
            namespace: ns.name.clone(),
            service: SERVICE.into(),
            port: PORT_NAME.into()
        }
    );
    assert_eq!(series.cpu.len(), 1, "one container: {:?}", series.cpu);
    let burn = &burn_series(&series.cpu).expect("burn").points;
    // It starts idle (the sleep) and rises: the first point is low, and
    // points are 15 s apart (the 1 h range's step) in time order.
    assert!(burn[0][1] < 0.05, "starts idle: {burn:?}");
    assert!(
        burn.windows(2).all(|w| w[1][0] - w[0][0] == 15.0),
        "{burn:?}"
    );
    let memory = burn_series(&series.memory).expect("a memory series");
    assert!(
        memory.points.iter().any(|p| p[1] > 0.0),
        "{:?}",
        series.memory
    );
    assert_eq!(
        series.cpu_marks,
        vec![metrics::Mark {
            name: "request".into(),
            value: 0.5
        }]
    );

    // The node and the cluster have series too (the node label the
    // Prometheus operator sets).
    for target in [
        MetricsTarget::Node {
            name: "capstan-node".into(),
        },
        MetricsTarget::Cluster,
    ] {
        let s = m
            .series(target.clone(), MetricsRange::H6)
            .await
            .expect("node/cluster range");
        assert!(
            s.cpu.first().is_some_and(|c| !c.points.is_empty()),
            "{target:?}: {:?}",
            s.cpu
        );
        assert!(!s.cpu_marks.is_empty());
    }
}

/// The container's series ("burn") where cAdvisor labels containers, else
/// the pod's own cgroup, named after the pod ("burner"): the test
/// cluster's cAdvisor cannot ask its containerd (on a socket of its own)
/// for container names, so there it is the pod's.
fn burn_series(series: &[metrics::Series]) -> Option<&metrics::Series> {
    series
        .iter()
        .find(|s| s.name == "burn" || s.name == "burner")
}

#[tokio::test]
async fn a_failing_query_is_an_error_not_an_empty_chart() {
    let client = client().await;
    let m = metrics::Metrics::new(
        client,
        metrics::Retention::default(),
        PrometheusChoice::Service(metrics::prometheus::PrometheusService {
            namespace: "default".into(),
            service: "no-such-prometheus".into(),
            port: "web".into(),
            scheme: "http".into(),
        }),
    );
    let err = m
        .series(MetricsTarget::Cluster, MetricsRange::H1)
        .await
        .expect_err("no such service");
    assert!(
        matches!(err, metrics::MetricsError::PrometheusQuery { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("no-such-prometheus"), "{err}");
}
