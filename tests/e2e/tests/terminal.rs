//! A terminal bound to a context, through the app window against the real
//! test cluster: the dock's "+" opens the user's shell with KUBECONFIG on a
//! one-context file; arithmetic typed into it shows `42`; `kubectl` there
//! acts on the selected context and namespace; Ctrl-C interrupts a
//! `sleep`; resizing the window changes
//! the TTY's `stty size`; `exit 3` shows the exit code. The test cluster's
//! kubectl is put on the PATH the app (and so the shell) inherits. Run by
//! scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use capstan_e2e::terminal::{exit_3_and_read_status, type_keys, widen_window_and_wait_for_columns};
use capstan_e2e::{App, Launch};
use capstan_test_support::{TestCluster, DEMO_NAMESPACE};

const TERMINAL: &str = "[data-testid=context-terminal]";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn a_context_terminal_runs_kubectl_on_that_context_and_follows_the_window() {
    let cluster = TestCluster::get();
    let context = cluster
        .kubectl_ok(["config", "current-context"])
        .expect("the test kubeconfig has a current context")
        .trim()
        .to_string();
    // Inherited through tauri-driver by the app and the shells it starts.
    let kubectl_dir = cluster.kubectl_path().parent().expect("kubectl's folder");
    let mut path = std::ffi::OsString::from(kubectl_dir);
    if let Some(rest) = std::env::var_os("PATH") {
        path.push(":");
        path.push(rest);
    }
    std::env::set_var("PATH", path);

    let app = App::launch(
        "terminal",
        Launch {
            kubeconfig: Some(cluster.kubeconfig_path().display().to_string()),
        },
    )
    .await;
    app.wait_for("[data-testid=app-ready]").await;
    app.client
        .set_window_rect(0, 0, 1000, 700)
        .await
        .expect("size the window");
    app.choose_namespace(DEMO_NAMESPACE).await;
    app.click("[data-testid=dock-new-terminal]").await;
    let tab = app
        .wait_for_text("[data-testid=dock-tab][aria-selected=true]", |t| {
            t.starts_with("Terminal:")
        })
        .await;
    assert_eq!(tab, format!("Terminal: {context}/{DEMO_NAMESPACE}"));
    app.wait_for(&format!(
        "{TERMINAL}[data-context='{context}'][data-namespace='{DEMO_NAMESPACE}'][data-state=running]"
    ))
    .await;

    let rows = format!("{TERMINAL} .xterm-rows");
    // The prompt shows once the shell runs; typing before it is echoed late but not lost.
    app.wait_for_text(&rows, |t| t.contains('$') || t.contains('#'))
        .await;
    type_keys(&app, TERMINAL, "echo $((6*7))\n").await;
    app.wait_for_text(&rows, |t| t.contains("42")).await;

    // kubectl without flags: the terminal's kubeconfig says context and namespace.
    type_keys(&app, TERMINAL,
        "echo ctx-$(kubectl config current-context)-ns-$(kubectl config view --minify -o jsonpath='{..namespace}')-end\n",
    )
    .await;
    let want = format!("ctx-{context}-ns-{DEMO_NAMESPACE}-end");
    app.wait_for_text(&rows, |t| t.contains(&want)).await;
    let demo = cluster
        .kubectl_ok(["get", "pods", "-n", DEMO_NAMESPACE, "-o", "name"])
        .expect("kubectl get pods");
    let first = demo
        .lines()
        .next()
        .expect("the demo namespace has pods")
        .to_string();
    type_keys(&app, TERMINAL, "kubectl get pods -o name\n").await;
    app.wait_for_text(&rows, |t| t.contains(&first)).await;

    // Ctrl-C reaches the foreground process: the sleep ends at once.
    type_keys(&app, TERMINAL, "sleep 600\n").await;
    type_keys(&app, TERMINAL, "\u{E009}c\u{E000}").await;
    type_keys(&app, TERMINAL, "echo after-$((1+1))\n").await;
    app.wait_for_text(&rows, |t| t.contains("after-2")).await;

    // The TTY follows the window.
    let (before, after) = widen_window_and_wait_for_columns(&app, TERMINAL, &rows).await;
    println!("stty size {before:?} -> {after:?}");

    let status = exit_3_and_read_status(&app, TERMINAL).await;
    assert_eq!(status, "Exited with code 3");
    app.wait_for_text(&rows, |t| t.contains("[shell exited with code 3]"))
        .await;
    app.close().await;
}
