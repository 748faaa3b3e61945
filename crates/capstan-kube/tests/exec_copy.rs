//! Copy as `kubectl cp` does it against the real cluster: 50 MiB both ways
//! byte-identical, folders, and a link pointing outside the destination
//! refused.

mod exec_support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use capstan_kube::exec::copy::{self, CopyControl, RemotePath};
use capstan_kube::exec::{self, ExecRequest};
use capstan_kube::Error;
use exec_support::*;

fn remote(ns: &str, path: &str) -> RemotePath {
    RemotePath {
        namespace: ns.to_string(),
        pod: "box".into(),
        container: None,
        path: path.into(),
    }
}

async fn run(ns: &str, script: &str) -> String {
    let client = client().await;
    let mut s = exec::open(
        client,
        ExecRequest::command(ns, "box", &["sh", "-c", script]),
    )
    .await
    .expect("open");
    let (out, done) = collect(&mut s);
    let code = s.take_exit().expect("exit").await.expect("exit");
    done.await.expect("collector");
    assert_eq!(
        code,
        0,
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr())
    );
    out.stdout_text()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_mib_both_ways_byte_identical() {
    let ns = ns_with_pod("cp");
    let dir = tempfile::tempdir().expect("tmp");
    let local = dir.path().join("big.bin");
    let data: Vec<u8> = (0..50u32 * 1024 * 1024)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&local, &data).expect("write");

    let seen = Arc::new(AtomicU64::new(0));
    let counter = seen.clone();
    let control = CopyControl {
        progress: Some(Arc::new(move |n| counter.store(n, Ordering::Relaxed))),
        ..CopyControl::default()
    };
    let sent = copy::upload(
        client().await,
        &local,
        &remote(&ns.name, "/tmp/up.bin"),
        &control,
    )
    .await
    .expect("upload");
    assert!(sent >= data.len() as u64);
    assert_eq!(
        seen.load(Ordering::Relaxed),
        sent,
        "progress reached the total"
    );
    assert_eq!(
        run(&ns.name, "wc -c < /tmp/up.bin").await.trim(),
        data.len().to_string()
    );

    let back = dir.path().join("back.bin");
    copy::download(
        client().await,
        &remote(&ns.name, "/tmp/up.bin"),
        &back,
        &CopyControl::default(),
    )
    .await
    .expect("download");
    let got = std::fs::read(&back).expect("read back");
    assert_eq!(got.len(), data.len());
    assert!(got == data, "the bytes differ");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folders_copy_and_escaping_links_are_refused() {
    let ns = ns_with_pod("cpdir");
    run(
        &ns.name,
        "mkdir -p /tmp/d/sub && echo a > /tmp/d/a && echo b > /tmp/d/sub/b",
    )
    .await;
    let dir = tempfile::tempdir().expect("tmp");
    let dest = dir.path().join("copy");
    copy::download(
        client().await,
        &remote(&ns.name, "/tmp/d"),
        &dest,
        &CopyControl::default(),
    )
    .await
    .expect("download folder");
    assert_eq!(
        std::fs::read_to_string(dest.join("sub/b")).expect("b"),
        "b\n"
    );

    // Upload the folder back under another name.
    copy::upload(
        client().await,
        &dest,
        &remote(&ns.name, "/tmp/e"),
        &CopyControl::default(),
    )
    .await
    .expect("upload folder");
    assert_eq!(run(&ns.name, "cat /tmp/e/a /tmp/e/sub/b").await, "a\nb\n");

    // A link in the container pointing outside what is copied.
    run(
        &ns.name,
        "mkdir -p /tmp/x && ln -s ../../../../etc/passwd /tmp/x/evil",
    )
    .await;
    let dest = dir.path().join("x");
    let e = copy::download(
        client().await,
        &remote(&ns.name, "/tmp/x"),
        &dest,
        &CopyControl::default(),
    )
    .await
    .expect_err("refused");
    assert!(matches!(e, Error::CopyPathEscapes { .. }), "{e:?}");
    assert!(e.to_string().contains("x/evil"), "{e}");
    assert!(!dest.join("evil").exists());

    // A path that does not exist: tar's own words.
    let e = copy::download(
        client().await,
        &remote(&ns.name, "/tmp/none"),
        &dir.path().join("n"),
        &CopyControl::default(),
    )
    .await
    .expect_err("missing");
    assert!(matches!(e, Error::CopyRemote { .. }), "{e:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_copy_stops_both_ways() {
    let ns = ns_with_pod("cpcancel");
    let dir = tempfile::tempdir().expect("tmp");
    let local = dir.path().join("big.bin");
    std::fs::write(&local, vec![7u8; 20 * 1024 * 1024]).expect("write");
    // Cancel as soon as the first chunk moved.
    let control = CopyControl::default();
    let cancel = control.cancel.clone();
    let control = CopyControl {
        progress: Some(Arc::new(move |_| cancel.store(true, Ordering::Relaxed))),
        ..control
    };
    let up = tokio::time::timeout(
        T,
        copy::upload(
            client().await,
            &local,
            &remote(&ns.name, "/tmp/c.bin"),
            &control,
        ),
    )
    .await
    .expect("the upload stopped instead of hanging");
    assert!(matches!(up, Err(Error::CopyCancelled)), "{up:?}");

    run(&ns.name, "head -c 20971520 /dev/zero > /tmp/z.bin").await;
    control.cancel.store(false, Ordering::Relaxed);
    let down = tokio::time::timeout(
        T,
        copy::download(
            client().await,
            &remote(&ns.name, "/tmp/z.bin"),
            &dir.path().join("z"),
            &control,
        ),
    )
    .await
    .expect("the download stopped instead of hanging");
    assert!(matches!(down, Err(Error::CopyCancelled)), "{down:?}");
}
