//! An API server restart drops the watch: the view resumes and converges,
//! including a delete made before the watch is back. Disruptive: own binary.

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
async fn view_converges_after_an_apiserver_restart() {
    let cluster = TestCluster::get();
    let _guard = cluster.exclusive();
    let (client, context) = client().await;
    let cms = kind(&client, &context, "configmaps").await;
    let label = run_label("restart");
    let selector = format!("capstan.dev/run={label}");
    for n in ["a", "b", "c"] {
        create_configmap(&format!("{label}-{n}"), &label);
    }
    let (handle, sink) = open(&client, &cms, Some(NS), Some(&selector));
    assert!(wait(T, || sink.names().len() == 3), "{:?}", sink.names());

    tokio::task::block_in_place(|| cluster.restart_apiserver());
    // Right after the server is back, before the watcher's backoff retries:
    // a delete and a create the view has to pick up.
    cluster
        .kubectl_ok(["-n", NS, "delete", "configmap", &format!("{label}-a")])
        .expect("delete a");
    create_configmap(&format!("{label}-d"), &label);

    let server = || kubectl_uids(&["-n", NS, "get", "configmaps", "-l", &selector]);
    assert!(
        wait(T, || sink.uids() == server()
            && sink.last_status() == Some(ViewStatus::Live)),
        "view {:?} / statuses {:?}",
        sink.names(),
        sink.statuses()
    );
    assert_eq!(handle.uids(), server());
    assert_eq!(sink.names().len(), 3);
    assert!(
        sink.statuses()
            .iter()
            .any(|s| matches!(s, ViewStatus::Reconnecting { .. })),
        "the drop was reported: {:?}",
        sink.statuses()
    );
    assert!(sink.problems().is_empty(), "{:?}", sink.problems());

    // A quiet view also comes back to Live after a drop, with no event to
    // tell it so.
    let reports = sink.statuses().len();
    tokio::task::block_in_place(|| cluster.restart_apiserver());
    assert!(
        wait(T, || {
            let s = sink.statuses();
            s.len() > reports + 1 && s.last() == Some(&ViewStatus::Live)
        }),
        "statuses {:?}",
        sink.statuses()
    );
    assert_eq!(sink.uids(), server());
    drop(handle);
    delete_configmaps(&label);
}
