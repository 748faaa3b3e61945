//! The `v4.channel.k8s.io` fallback, against the real 1.35 test cluster: the
//! client offers only v4 (what a server before 1.30 speaks), as a layer
//! under kube's `connect` rewrites its offer, and the server's answer is
//! checked to be v4. Output, stderr apart from stdout, exit codes and TTY
//! resizes all work over it.

mod exec_support;

use capstan_kube::exec::{self, ExecRequest};
use exec_support::*;

const V4: &str = "v4.channel.k8s.io";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_over_v4_gives_output_stderr_and_exit_codes() {
    let ns = ns_with_pod("v4-echo");
    let (client, chosen) = protocol_client(V4).await;

    let mut session = exec::open(
        client,
        ExecRequest::command(
            &ns.name,
            "box",
            &["sh", "-c", "echo out; echo err >&2; exit 3"],
        ),
    )
    .await
    .expect("open over v4");
    let (out, done) = collect(&mut session);
    let code = session.take_exit().expect("exit").await.expect("exit code");
    done.await.expect("collector");
    assert_eq!(*chosen.lock().expect("lock"), vec![V4.to_string()]);
    assert_eq!(code, 3, "the exit code comes from v4's error channel");
    assert_eq!(out.stdout_text(), "out\n");
    assert_eq!(out.stderr(), b"err\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tty_over_v4_follows_resizes() {
    let ns = ns_with_pod("v4-tty");
    let (client, chosen) = protocol_client(V4).await;
    let mut request = ExecRequest::shell(&ns.name, "box");
    request.size = Some((80, 24));
    let session = exec::open(client, request).await.expect("open over v4");
    assert_eq!(*chosen.lock().expect("lock"), vec![V4.to_string()]);
    assert_tty_follows_resizes(session).await;
}

/// v4 has no half-close: stdin's EOF can only close the WebSocket, so
/// the process's exit status never arrives. The session still ends at once
/// (nothing hangs), with the output it had, as a lost connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stdin_eof_over_v4_ends_the_session_without_an_exit_status() {
    let ns = ns_with_pod("v4-eof");
    let (client, chosen) = protocol_client(V4).await;
    let mut request = ExecRequest::command(&ns.name, "box", &["cat"]);
    request.stdin = true;
    let mut session = exec::open(client, request).await.expect("open over v4");
    assert_eq!(*chosen.lock().expect("lock"), vec![V4.to_string()]);
    let input = session.input().expect("stdin");
    let (out, done) = collect(&mut session);
    assert!(input.write(&b"through cat\n"[..]).await);
    // Closing stdin closes the whole WebSocket over v4: wait for cat's echo
    // first, or it may be cut off with the connection.
    capstan_test_support::eventually(T, || {
        let text = out.stdout_text();
        std::future::ready(if text == "through cat\n" {
            Ok(())
        } else {
            Err(format!("no echo from cat yet: {text:?}"))
        })
    })
    .await
    .expect("cat echoes its input");
    input.close().await;
    let ended = tokio::time::timeout(T, session.take_exit().expect("exit"))
        .await
        .expect("the session ends after stdin's EOF");
    tokio::time::timeout(T, done)
        .await
        .expect("the output ends")
        .expect("collector");
    assert!(
        matches!(ended, Err(capstan_kube::Error::ExecConnectionLost { .. })),
        "no exit status over v4: {ended:?}"
    );
    assert_eq!(out.stdout_text(), "through cat\n");
}
