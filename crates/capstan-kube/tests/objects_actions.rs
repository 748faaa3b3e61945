//! Delete, scale and rollout restart against the real cluster (cordon,
//! evict and drain are in objects_drain.rs: a cordoned node would leave these
//! tests' new pods Pending).

mod objects_support;

use std::time::Duration;

use capstan_kube::objects::{self, DeletePropagation};
use capstan_test_support::TestCluster;
use objects_support::*;

#[tokio::test]
async fn delete_foreground_and_background() {
    let (client, ctx) = client().await;
    let ns = ns("delete");
    kubectl_apply(&ns.name, &deployment_yaml("fg", 1));
    rollout(&ns.name, "fg");
    kubectl(&["-n", &ns.name, "create", "configmap", "bg"]);

    objects::delete(
        &client,
        &ctx,
        &deployment_ref(&ns.name, "fg"),
        DeletePropagation::Foreground,
    )
    .await
    .expect("delete foreground");
    objects::delete(
        &client,
        &ctx,
        &configmap_ref(&ns.name, "bg"),
        DeletePropagation::Background,
    )
    .await
    .expect("delete background");
    let c = TestCluster::get();
    // Foreground deletion waits for the pods' removal, which needs the
    // kubelet (over a minute on a loaded 2-core machine).
    assert!(
        c.wait_until(Duration::from_secs(180), || names(&ns.name, "deployments")
            .is_empty()
            && names(&ns.name, "replicasets").is_empty())
    );
    assert!(!names(&ns.name, "configmaps").contains(&"bg".to_string()));
    let again = objects::delete(
        &client,
        &ctx,
        &configmap_ref(&ns.name, "bg"),
        DeletePropagation::Background,
    )
    .await;
    assert!(
        matches!(again, Err(capstan_kube::Error::ObjectNotFound { .. })),
        "{again:?}"
    );
}

#[tokio::test]
async fn scale_up_and_down_and_refuse_kinds_without_scale() {
    let (client, ctx) = client().await;
    let ns = ns("scale");
    kubectl_apply(&ns.name, &deployment_yaml("web", 1));
    let r = deployment_ref(&ns.name, "web");
    let replicas =
        || kubectl_json(&["-n", &ns.name, "get", "deployment", "web"])["spec"]["replicas"].as_i64();
    objects::scale(&client, &ctx, &r, 2)
        .await
        .expect("scale up");
    assert_eq!(replicas(), Some(2));
    objects::scale(&client, &ctx, &r, 0)
        .await
        .expect("scale down");
    assert_eq!(replicas(), Some(0));

    kubectl(&["-n", &ns.name, "create", "configmap", "cfg"]);
    let e = objects::scale(&client, &ctx, &configmap_ref(&ns.name, "cfg"), 3).await;
    assert!(
        matches!(e, Err(capstan_kube::Error::NotSupported { .. })),
        "{e:?}"
    );
    let e = objects::scale(&client, &ctx, &deployment_ref(&ns.name, "nope"), 3).await;
    assert!(
        matches!(e, Err(capstan_kube::Error::ObjectNotFound { .. })),
        "{e:?}"
    );
}

#[tokio::test]
async fn rollout_restart_makes_a_new_replica_set() {
    let (client, ctx) = client().await;
    let ns = ns("restart");
    kubectl_apply(&ns.name, &deployment_yaml("web", 1));
    rollout(&ns.name, "web");
    assert_eq!(names(&ns.name, "replicasets").len(), 1);
    objects::rollout_restart(&client, &ctx, &deployment_ref(&ns.name, "web"))
        .await
        .expect("restart");
    let c = TestCluster::get();
    assert!(
        c.wait_until(Duration::from_secs(60), || names(&ns.name, "replicasets")
            .len()
            == 2)
    );
    let d = kubectl_json(&["-n", &ns.name, "get", "deployment", "web"]);
    assert!(
        d["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
            .is_string()
    );

    kubectl(&["-n", &ns.name, "create", "configmap", "cfg"]);
    let e = objects::rollout_restart(&client, &ctx, &configmap_ref(&ns.name, "cfg")).await;
    assert!(
        matches!(e, Err(capstan_kube::Error::NotSupported { .. })),
        "{e:?}"
    );
}
