//! A view converges on the server: snapshot, then upserts and deletes.

mod table_support;

use std::time::Duration;

use capstan_kube::table::ViewStatus;
use capstan_test_support::TestCluster;
use table_support::*;

const T: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn view_follows_creates_and_deletes() {
    let (client, context) = client().await;
    let cms = kind(&client, &context, "configmaps").await;
    let label = run_label("live");
    let selector = format!("capstan.dev/run={label}");
    create_configmap(&format!("{label}-a"), &label);

    let (handle, sink) = open(&client, &cms, Some(NS), Some(&selector));
    assert!(
        wait(T, || sink.last_status() == Some(ViewStatus::Live)),
        "{:?}",
        sink.statuses()
    );
    assert_eq!(sink.names(), [format!("{label}-a")].into());
    assert_eq!(sink.statuses()[0], ViewStatus::Listing);

    create_configmap(&format!("{label}-b"), &label);
    assert!(
        wait(T, || sink.names().len() == 2),
        "upsert of b: {:?}",
        sink.names()
    );
    TestCluster::get()
        .kubectl_ok(["-n", NS, "delete", "configmap", &format!("{label}-a")])
        .expect("delete a");
    assert!(
        wait(T, || sink.names() == [format!("{label}-b")].into()),
        "{:?}",
        sink.names()
    );

    let server = kubectl_uids(&["-n", NS, "get", "configmaps", "-l", &selector]);
    assert_eq!(sink.uids(), server);
    assert_eq!(handle.uids(), server);
    assert_eq!(sink.snapshots(), 1);
    assert!(sink.problems().is_empty(), "{:?}", sink.problems());

    // After cancel nothing more arrives: the view's task ends and lets go
    // of its sink, and a change a second view does get never reaches it.
    handle.cancel();
    assert!(
        wait(T, || std::sync::Arc::strong_count(&sink) == 1),
        "the cancelled view still holds its sink"
    );
    let before = sink.names();
    let (_witness, seen) = open(&client, &cms, Some(NS), Some(&selector));
    create_configmap(&format!("{label}-c"), &label);
    assert!(
        wait(T, || seen.names().contains(&format!("{label}-c"))),
        "the witness view never saw c: {:?}",
        seen.names()
    );
    assert_eq!(sink.names(), before);
    delete_configmaps(&label);
}
