//! `capstan helm` against the real cluster and the test world's helm: list,
//! history, values and manifest print what helm prints; diff names the
//! changed paths.

use std::process::Output;

mod common;
use common::capstan;

use capstan_test_support::helm::{Helm, HOW_TO_GET_HELM};
use capstan_test_support::{require, TestNamespace};

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "capstan failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn helm_commands_print_what_helm_prints() {
    let Some(h) = require(Helm::find(), "helm 4 (the test world's)", HOW_TO_GET_HELM) else {
        return;
    };
    let ns = TestNamespace::create("capstan-helm-cli");
    let n = ns.name.as_str();
    let dir = tempfile::tempdir().expect("tempdir");
    let chart = h.busybox_chart(dir.path()).expect("chart");
    let chart = chart.to_str().expect("utf-8");
    h.run(
        None,
        &["install", "web", chart, "-n", n, "--set", "replicaCount=0"],
    )
    .expect("install");
    h.run(
        None,
        &[
            "upgrade",
            "web",
            chart,
            "-n",
            n,
            "--set",
            "replicaCount=0",
            "--set",
            "podLabels.tier=front",
        ],
    )
    .expect("upgrade");

    let ours: serde_json::Value = serde_json::from_str(&stdout(&capstan(
        &dir,
        &["helm", "list", "-n", n, "-o", "json"],
    )))
    .expect("json");
    let theirs = h
        .json(None, &["list", "-n", n, "-o", "json"])
        .expect("helm list");
    for key in [
        "name",
        "namespace",
        "revision",
        "status",
        "chart",
        "app_version",
    ] {
        assert_eq!(ours[0][key], theirs[0][key], "{key}");
    }

    let ours: serde_json::Value = serde_json::from_str(&stdout(&capstan(
        &dir,
        &["helm", "history", "web", "-n", n, "-o", "json"],
    )))
    .expect("json");
    let theirs = h
        .json(None, &["history", "web", "-n", n, "-o", "json"])
        .expect("history");
    assert_eq!(ours, theirs);

    for all in [false, true] {
        let mut args = vec!["helm", "values", "web", "-n", n, "-o", "json"];
        let mut helm_args = vec!["get", "values", "web", "-n", n, "-o", "json"];
        if all {
            args.push("--all");
            helm_args.push("--all");
        }
        let ours: serde_json::Value =
            serde_json::from_str(&stdout(&capstan(&dir, &args))).expect("json");
        assert_eq!(
            ours,
            h.json(None, &helm_args).expect("values"),
            "--all {all}"
        );
    }

    assert_eq!(
        stdout(&capstan(&dir, &["helm", "manifest", "web", "-n", n])),
        h.run(None, &["get", "manifest", "web", "-n", n])
            .expect("manifest")
    );

    let diff = stdout(&capstan(&dir, &["helm", "diff", "web", "1", "2", "-n", n]));
    assert!(diff.contains("+ podLabels: {\"tier\":\"front\"}"), "{diff}");
    assert!(diff.contains("~ Deployment.apps web-demo"), "{diff}");
    assert!(
        diff.contains("+ spec.template.metadata.labels.tier: \"front\""),
        "{diff}"
    );
    assert!(
        !diff.contains("Service"),
        "the service did not change: {diff}"
    );

    let missing = capstan(&dir, &["helm", "history", "nope", "-n", n]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("helm release \"nope\" was not found"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}
