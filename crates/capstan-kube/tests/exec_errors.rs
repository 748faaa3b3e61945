//! Exec's refusals against the real cluster: RBAC without `pods/exec`, a
//! container that is not running, a command the image lacks, an unknown
//! container, no shell and no tar (the test world's images are all busybox,
//! so the test removes `sh` and `tar` from one container's own writable
//! layer), a dropped connection.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_shell_and_no_tar_say_what_to_do() {
    let ns = ns_with_pod("noshell");
    let client = client().await;
    // Only this container's writable layer loses them; the image is untouched.
    let mut rm = exec::open(
        client.clone(),
        ExecRequest::command(&ns.name, "box", &["rm", "/bin/sh", "/bin/tar"]),
    )
    .await
    .expect("open");
    assert_eq!(rm.take_exit().expect("exit").await.expect("rm"), 0);

    let mut shell = exec::open(client.clone(), ExecRequest::shell(&ns.name, "box"))
        .await
        .expect("open");
    let e = shell
        .take_exit()
        .expect("exit")
        .await
        .expect_err("no shell");
    assert!(matches!(e, Error::NoShell { .. }), "{e:?}");
    assert!(
        e.to_string().contains("capstan debug box --target app"),
        "{e}"
    );

    let dir = tempfile::tempdir().expect("tmp");
    let e = capstan_kube::exec::copy::download(
        client,
        &capstan_kube::exec::copy::RemotePath {
            namespace: ns.name.clone(),
            pod: "box".into(),
            container: None,
            path: "/etc/passwd".into(),
        },
        &dir.path().join("passwd"),
        &Default::default(),
    )
    .await
    .expect_err("no tar");
    assert!(matches!(e, Error::NoTar { .. }), "{e:?}");
}
