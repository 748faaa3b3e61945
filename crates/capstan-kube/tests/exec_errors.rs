//! Exec's refusals against the real cluster: RBAC without `pods/exec`, a
//! container that is not running, a command the image lacks, an unknown
//! container. (An image with no shell or no tar does not exist in the test
//! world, whose images are all busybox: those mappings are unit tests in
//! `exec::status` on the runtime's recorded words, which the "command not
//! found" case below checks against the real runtime.)

mod exec_support;

use capstan_kube::exec::{self, ExecRequest};
use capstan_kube::Error;
use capstan_test_support::TestCluster;
use exec_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_without_rbac_names_the_permission() {
    let ns = ns_with_pod("forbidden");
    let reader = reader_client(&ns.name).await;
    let e = exec::open(reader, ExecRequest::command(&ns.name, "box", &["true"]))
        .await
        .err()
        .expect("refused");
    assert!(
        matches!(
            e,
            Error::ExecForbidden {
                resource: "pods/exec",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("\"create\" on \"pods/exec\""), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_say_what_is_wrong() {
    let ns = ns_with_pod("errors");
    let client = client().await;

    let e = exec::open(client.clone(), {
        let mut r = ExecRequest::command(&ns.name, "box", &["true"]);
        r.container = Some("nope".into());
        r
    })
    .await
    .err()
    .expect("unknown container");
    assert!(e.to_string().contains("use one of app"), "{e}");

    let mut missing = exec::open(
        client.clone(),
        ExecRequest::command(&ns.name, "box", &["no-such-program"]),
    )
    .await
    .expect("open");
    let e = missing
        .take_exit()
        .expect("exit")
        .await
        .expect_err("not found");
    assert!(matches!(e, Error::CommandNotFound { .. }), "{e:?}");

    // A container that ran and ended.
    TestCluster::get()
        .kubectl_ok([
            "-n",
            &ns.name,
            "run",
            "done",
            "--image",
            IMAGE,
            "--image-pull-policy",
            "Never",
            "--restart",
            "Never",
            "--command",
            "--",
            "true",
        ])
        .expect("run");
    TestCluster::get()
        .kubectl_ok([
            "-n",
            &ns.name,
            "wait",
            "--for=jsonpath={.status.phase}=Succeeded",
            "pod/done",
            "--timeout=120s",
        ])
        .expect("pod done");
    let e = exec::open(client, ExecRequest::command(&ns.name, "done", &["true"]))
        .await
        .err()
        .expect("not running");
    assert!(matches!(e, Error::ContainerNotRunning { .. }), "{e:?}");
    assert!(e.to_string().contains("Completed"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_ends_the_session_with_an_error() {
    let ns = ns_with_pod("dead");
    let proxy = CuttableProxy::start().await;
    let mut request = ExecRequest::command(&ns.name, "box", &["sleep", "3600"]);
    request.stdin = true;
    let mut session = exec::open(proxy.client().await, request)
        .await
        .expect("open");
    let exit = session.take_exit().expect("exit");
    proxy.cut();
    let e = tokio::time::timeout(T, exit)
        .await
        .expect("the session ended instead of hanging")
        .expect_err("no exit code from a dead connection");
    assert!(matches!(e, Error::ExecConnectionLost { .. }), "{e:?}");
    assert!(e.to_string().contains("reconnect"), "{e}");
}
