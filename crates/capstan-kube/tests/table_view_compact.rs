//! etcd compaction makes the view's resourceVersion too old: on resuming,
//! the server answers 410 and the view relists (a second snapshot), with no
//! duplicates and no lost deletes. Disruptive: own binary.

mod table_support;

use std::time::Duration;

use capstan_kube::table::ViewStatus;
use capstan_test_support::TestCluster;
use table_support::*;

const T: Duration = Duration::from_secs(60);

// The guard must span the whole test, awaits included: it keeps other
// disruptive tests of this binary out while the server is down.
#[allow(clippy::await_holding_lock)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn view_relists_after_410_and_converges() {
    let cluster = TestCluster::get();
    let _guard = cluster.exclusive();
    let (client, context) = client().await;
    let cms = kind(&client, &context, "configmaps").await;
    let label = run_label("compact");
    let selector = format!("capstan.dev/run={label}");
    for n in ["a", "b"] {
        create_configmap(&format!("{label}-{n}"), &label);
    }
    let (handle, sink) = open(&client, &cms, Some(NS), Some(&selector));
    assert!(wait(T, || sink.names().len() == 2
        && sink.last_status() == Some(ViewStatus::Live)));
    assert_eq!(sink.snapshots(), 1);

    // Move etcd past the view's resourceVersion with changes it does not
    // see, compact there, then drop its watch: resuming must get 410.
    let other = format!("{label}-other");
    cluster
        .kubectl_ok(["-n", "default", "create", "configmap", &other])
        .expect("create other");
    cluster
        .kubectl_ok(["-n", "default", "delete", "configmap", &other])
        .expect("delete other");
    cluster.compact_etcd();
    tokio::task::block_in_place(|| cluster.restart_apiserver());
    cluster
        .kubectl_ok(["-n", NS, "delete", "configmap", &format!("{label}-a")])
        .expect("delete a");
    create_configmap(&format!("{label}-c"), &label);

    let server = || kubectl_uids(&["-n", NS, "get", "configmaps", "-l", &selector]);
    assert!(
        wait(T, || sink.uids() == server()
            && sink.last_status() == Some(ViewStatus::Live)),
        "view {:?} / statuses {:?}",
        sink.names(),
        sink.statuses()
    );
    assert!(
        sink.snapshots() >= 2,
        "relisted after 410: {:?}",
        sink.statuses()
    );
    assert_eq!(sink.names().len(), 2);
    assert_eq!(handle.uids(), server());
    assert!(sink.problems().is_empty(), "{:?}", sink.problems());
    drop(handle);
    delete_configmaps(&label);
}
