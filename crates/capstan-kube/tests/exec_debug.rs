//! A debug container (as `kubectl debug -it --target`) sees the target
//! container's processes.

mod exec_support;

use capstan_kube::exec::{self, DebugRequest};
use capstan_test_support::eventually;
use exec_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_debug_container_sees_the_targets_processes() {
    let ns = ns_with_pod("debug");
    let mut request = DebugRequest::new(&ns.name, "box");
    request.target = Some("app".into());
    // The test node cannot pull: use the image it has, not the default.
    request.image = Some(IMAGE.into());
    request.command = Some(vec!["sh".into()]);
    let (name, mut session) = exec::debug(client().await, request).await.expect("debug");
    assert!(name.starts_with("debugger-"), "{name}");
    let input = session.input().expect("stdin");
    let (out, _done) = collect(&mut session);
    eventually(T, || {
        let input = input.clone();
        let out = out.clone();
        async move {
            input.write(&b"ps\n"[..]).await;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            let text = out.stdout_text();
            if text.contains("sleep 3600") {
                Ok(())
            } else {
                Err(format!("the target's `sleep 3600` not in {text:?}"))
            }
        }
    })
    .await
    .expect("shared process namespace");
    input.write(&b"exit 0\n"[..]).await;
    let code = session.take_exit().expect("exit").await.expect("exit code");
    assert_eq!(code, 0);
}
