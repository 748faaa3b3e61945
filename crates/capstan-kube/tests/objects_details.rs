//! Details, YAML, edit/apply with conflicts, create and events against the
//! real cluster, each test in its own namespace.

mod objects_support;

use std::time::Duration;

use capstan_kube::objects::{self, ApplyOutcome};
use objects_support::*;

#[tokio::test]
async fn details_of_a_deployment_list_owned_replica_sets_pods_and_containers() {
    let (client, ctx) = client().await;
    let ns = ns("details");
    kubectl_apply(&ns.name, &deployment_yaml("web", 1));
    rollout(&ns.name, "web");

    let d = objects::details(&client, &ctx, &deployment_ref(&ns.name, "web"))
        .await
        .expect("details");
    assert_eq!(d.status.as_deref(), Some("1/1 ready"));
    assert!(d
        .conditions
        .iter()
        .any(|c| c.type_ == "Available" && c.status == "True"));
    assert_eq!(d.owned.len(), 1, "{:?}", d.owned);
    let rs = &d.owned[0].reference;
    assert_eq!(
        (rs.kind.as_str(), rs.group.as_str()),
        ("ReplicaSet", "apps")
    );
    assert_eq!(names(&ns.name, "replicasets"), vec![rs.name.clone()]);

    let rsd = objects::details(&client, &ctx, rs)
        .await
        .expect("rs details");
    assert_eq!(rsd.owners.len(), 1);
    assert_eq!(rsd.owners[0].reference.name, "web");
    assert_eq!(rsd.owners[0].reference.plural, "deployments");
    assert_eq!(rsd.owned.len(), 1);
    let pod = &rsd.owned[0];
    assert_eq!(pod.state.as_deref(), Some("Running"));
    assert_eq!(names(&ns.name, "pods"), vec![pod.reference.name.clone()]);

    let pd = objects::details(&client, &ctx, &pod.reference)
        .await
        .expect("pod details");
    assert_eq!(pd.status.as_deref(), Some("Running"));
    assert_eq!(pd.node.as_deref(), Some("capstan-node"));
    assert_eq!(pd.containers.len(), 1);
    let c = &pd.containers[0];
    assert_eq!(c.image, "capstan.local/busybox:1");
    assert_eq!(c.role, "app");
    assert_eq!(c.state, "Running");
    assert!(c.ready);
    assert_eq!(c.restarts, 0);
    assert_eq!(c.ports.len(), 1);
    assert_eq!(
        (c.ports[0].name.as_deref(), c.ports[0].container_port),
        (Some("http"), 8080)
    );
    assert_eq!(c.ports[0].protocol, "TCP");
    assert_eq!(c.requests.get("cpu").map(String::as_str), Some("10m"));
    assert_eq!(c.limits.get("memory").map(String::as_str), Some("32Mi"));
    assert_eq!(pd.labels.get("app").map(String::as_str), Some("web"));

    // Events of the pod: the scheduler and the kubelet reported on it.
    let pod_ref = pod.reference.clone();
    let reasons = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let found = eventually(Duration::from_secs(30), || {
        let (client, ctx, pod_ref) = (client.clone(), ctx.clone(), pod_ref.clone());
        let reasons = reasons.clone();
        async move {
            let ev = objects::events(&client, &ctx, &pod_ref)
                .await
                .expect("events");
            let seen: Vec<String> = ev.iter().map(|e| e.reason.clone()).collect();
            let done = seen.iter().any(|r| r == "Scheduled") && seen.iter().any(|r| r == "Started");
            *reasons.lock().expect("reasons") = seen;
            done
        }
    })
    .await;
    assert!(found, "events: {reasons:?}");

    let missing = objects::details(&client, &ctx, &deployment_ref(&ns.name, "nope")).await;
    assert!(
        matches!(missing, Err(capstan_kube::Error::ObjectNotFound { .. })),
        "{missing:?}"
    );
}

#[tokio::test]
async fn yaml_round_trip_apply_and_a_real_conflict() {
    let (client, ctx) = client().await;
    let ns = ns("yaml");
    kubectl(&[
        "-n",
        &ns.name,
        "create",
        "configmap",
        "cfg",
        "--from-literal=color=blue",
    ]);
    let r = configmap_ref(&ns.name, "cfg");

    let y = objects::yaml(&client, &ctx, &r).await.expect("yaml");
    assert!(!y.yaml.contains("managedFields"));
    assert!(y
        .managed_fields
        .as_deref()
        .is_some_and(|m| m.contains("manager")));
    assert!(y.yaml.contains("color: blue"));
    // Round trip: applying the unchanged YAML succeeds.
    let out = objects::apply_yaml(&client, &ctx, &r, &y.yaml)
        .await
        .expect("apply same");
    assert!(matches!(out, ApplyOutcome::Applied { .. }), "{out:?}");

    let y = objects::yaml(&client, &ctx, &r).await.expect("yaml");
    let edited = y.yaml.replace("color: blue", "color: green");
    let out = objects::apply_yaml(&client, &ctx, &r, &edited)
        .await
        .expect("apply");
    let ApplyOutcome::Applied { resource_version } = out else {
        panic!("expected Applied, got {out:?}")
    };
    assert_ne!(resource_version, y.resource_version);
    let v = kubectl_json(&["-n", &ns.name, "get", "configmap", "cfg"]);
    assert_eq!(v["data"]["color"], "green");

    // Someone else edits between our read and our apply.
    let y = objects::yaml(&client, &ctx, &r).await.expect("yaml");
    kubectl(&[
        "-n",
        &ns.name,
        "patch",
        "configmap",
        "cfg",
        "--type=merge",
        "-p",
        r#"{"data":{"color":"red"}}"#,
    ]);
    let mine = y.yaml.replace("color: green", "color: yellow");
    let out = objects::apply_yaml(&client, &ctx, &r, &mine)
        .await
        .expect("apply");
    match out {
        ApplyOutcome::Conflict {
            yours,
            theirs,
            server_resource_version,
        } => {
            assert!(yours.contains("color: yellow"));
            assert!(theirs.contains("color: red"), "{theirs}");
            assert_ne!(server_resource_version, y.resource_version);
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    let v = kubectl_json(&["-n", &ns.name, "get", "configmap", "cfg"]);
    assert_eq!(
        v["data"]["color"], "red",
        "the server object was overwritten"
    );

    // No resourceVersion: refused with a reason, nothing written.
    let stripped: String = mine
        .lines()
        .filter(|l| !l.trim_start().starts_with("resourceVersion:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let e = objects::apply_yaml(&client, &ctx, &r, &stripped)
        .await
        .expect_err("should fail");
    assert!(e.to_string().contains("resourceVersion"), "{e}");
    let e = objects::apply_yaml(&client, &ctx, &r, &mine.replace("name: cfg", "name: other"))
        .await
        .expect_err("should fail");
    assert!(e.to_string().contains("name"), "{e}");
}

#[tokio::test]
async fn create_multi_document_yaml_reports_each_document() {
    let (client, ctx) = client().await;
    let ns = ns("create");
    kubectl(&["-n", &ns.name, "create", "configmap", "taken"]);
    let input = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: one
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: Bad_Name
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
data: [unclosed
---
apiVersion: example.com/v1
kind: Gizmo
metadata:
  name: g
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: taken
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: two
spec:
  selector: {matchLabels: {app: two}}
  template:
    metadata: {labels: {app: two}}
    spec:
      containers: [{name: m, image: capstan.local/busybox:1, imagePullPolicy: Never, command: [sleep, "9999"]}]
"#;
    let res = objects::create_yaml(&client, &ctx, &ns.name, input)
        .await
        .expect("create");
    assert_eq!(res.len(), 6, "{res:#?}");
    let created = res[0].created.as_ref().expect("one created");
    assert_eq!(created.namespace.as_deref(), Some(ns.name.as_str()));
    assert!(
        res[1]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("Bad_Name")),
        "{:?}",
        res[1]
    );
    let broken = res[2].error.as_deref().unwrap_or_default();
    assert!(
        broken.contains("invalid YAML") && broken.contains("line "),
        "{broken}"
    );
    assert_eq!(res[2].label, "ConfigMap/broken");
    assert!(
        res[3].error.as_deref().is_some_and(|e| e.contains("Gizmo")),
        "{:?}",
        res[3]
    );
    assert!(
        res[4]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("already exists")),
        "{:?}",
        res[4]
    );
    let dep = res[5].created.as_ref().expect("deployment created");
    assert_eq!(
        (dep.kind.as_str(), dep.plural.as_str()),
        ("Deployment", "deployments")
    );
    let mut cms = names(&ns.name, "configmaps");
    cms.retain(|n| n != "kube-root-ca.crt");
    cms.sort();
    assert_eq!(cms, vec!["one".to_string(), "taken".to_string()]);
    assert_eq!(names(&ns.name, "deployments"), vec!["two".to_string()]);
}
