//! Exec sessions against the real test cluster: output and exit codes, a
//! TTY that follows resizes, stdin EOF, and 50 MiB of binary data through
//! stdin and back byte-identical.

mod exec_support;

use capstan_kube::exec::{self, ExecRequest};
use exec_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echo_gives_output_and_exit_codes() {
    let ns = ns_with_pod("echo");
    let client = client().await;

    let mut ok = exec::open(
        client.clone(),
        ExecRequest::command(&ns.name, "box", &["echo", "hello"]),
    )
    .await
    .expect("open");
    let (out, done) = collect(&mut ok);
    let code = ok.take_exit().expect("exit").await.expect("exit code");
    done.await.expect("collector");
    assert_eq!(code, 0);
    assert_eq!(out.stdout_text(), "hello\n");

    let mut failing = exec::open(
        client,
        ExecRequest::command(
            &ns.name,
            "box",
            &["sh", "-c", "echo out; echo err >&2; exit 3"],
        ),
    )
    .await
    .expect("open");
    let (out, done) = collect(&mut failing);
    let code = failing.take_exit().expect("exit").await.expect("exit code");
    done.await.expect("collector");
    assert_eq!(code, 3);
    assert_eq!(out.stdout_text(), "out\n");
    assert_eq!(
        out.stderr(),
        b"err\n",
        "stderr comes tagged apart without a TTY"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tty_follows_resizes() {
    let ns = ns_with_pod("tty");
    let mut request = ExecRequest::shell(&ns.name, "box");
    request.size = Some((80, 24));
    // The first shell found: the test image has sh, not bash.
    let session = exec::open(client().await, request).await.expect("open");
    assert_tty_follows_resizes(session).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stdin_eof_ends_cat() {
    let ns = ns_with_pod("eof");
    let mut request = ExecRequest::command(&ns.name, "box", &["cat"]);
    request.stdin = true;
    let mut session = exec::open(client().await, request).await.expect("open");
    let input = session.input().expect("stdin");
    let (out, done) = collect(&mut session);
    assert!(input.write(&b"through cat\n"[..]).await);
    input.close().await;
    let code = tokio::time::timeout(T, session.take_exit().expect("exit"))
        .await
        .expect("cat ended after EOF")
        .expect("exit code");
    done.await.expect("collector");
    assert_eq!(code, 0);
    assert_eq!(out.stdout_text(), "through cat\n");
}

/// Deterministic bytes covering every value (xorshift).
fn payload(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_mib_through_cat_arrive_byte_identical() {
    let ns = ns_with_pod("bulk");
    let data = payload(50 * 1024 * 1024);
    let mut request = ExecRequest::command(&ns.name, "box", &["cat"]);
    request.stdin = true;
    let mut session = exec::open(client().await, request).await.expect("open");
    let input = session.input().expect("stdin");
    let (out, done) = collect(&mut session);
    let sent = data.clone();
    let writer = tokio::spawn(async move {
        for chunk in sent.chunks(64 * 1024) {
            assert!(input.write(chunk.to_vec()).await, "session ended early");
        }
        input.close().await;
    });
    let code = session.take_exit().expect("exit").await.expect("exit code");
    writer.await.expect("writer");
    done.await.expect("collector");
    assert_eq!(code, 0);
    let got = out.stdout();
    assert_eq!(got.len(), data.len());
    assert!(got == data, "the bytes differ");
    // Batched: far fewer chunks than 64 KiB writes would make one by one.
    let chunks = *out.chunks.lock().expect("lock");
    assert!(chunks > 0 && chunks <= data.len() / 1024, "{chunks} chunks");
}
