//! A shell in a pod, through the app window against the real test cluster:
//! the pod's details panel opens a terminal tab titled `pod/container`;
//! arithmetic typed into it shows `42`; resizing the window changes the
//! TTY's `stty size`; `exit 3` shows the exit code. Run by scripts/test.sh
//! (`cargo test -p capstan-e2e -- --ignored`).

use capstan_e2e::terminal::{exit_3_and_read_status, type_keys, widen_window_and_wait_for_columns};
use capstan_e2e::App;
use capstan_test_support::TestNamespace;

const NS: &str = "e2e-pod-shell";
const TERMINAL: &str = "[data-testid=pod-terminal]";
/// The locally built test image (no registry is reachable from the node).
const POD: &str = r#"apiVersion: v1
kind: Pod
metadata: {name: box}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: app, image: "capstan.local/busybox:1", imagePullPolicy: Never, command: [sleep, "3600"]}
"#;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn a_pod_shell_runs_in_the_pod_and_follows_the_window() {
    let ns = TestNamespace::with_manifest(NS, POD);
    ns.wait_ready(&["box"]);
    let app = App::open_pods("pod_shell", NS, (1000, 700)).await;
    app.click("[data-testid=resource-row][data-name=\"box\"]")
        .await;
    app.wait_for("[data-testid=details-panel][data-kind=Pod]")
        .await;
    // Once the details are in, the container is known and named in the title.
    app.wait_for_text("[data-testid=details-summary]", |t| {
        t.contains("capstan.local/busybox:1")
    })
    .await;
    app.click("[data-testid=action-shell]").await;
    let tab = app
        .wait_for_text("[data-testid=dock-tab][aria-selected=true]", |t| {
            t.starts_with("box")
        })
        .await;
    assert_eq!(tab, "box/app");
    app.wait_for(&format!(
        "{TERMINAL}[data-pod=box][data-label='box/app'][data-state=running]"
    ))
    .await;

    let rows = format!("{TERMINAL} .xterm-rows");
    app.wait_for_text(&rows, |t| t.contains('#') || t.contains('$'))
        .await;
    type_keys(&app, TERMINAL, "echo $((6*7))\n").await;
    app.wait_for_text(&rows, |t| t.contains("42")).await;

    // The TTY follows the window.
    let (before, after) = widen_window_and_wait_for_columns(&app, TERMINAL, &rows).await;
    println!("stty size {before:?} -> {after:?}");

    let status = exit_3_and_read_status(&app, TERMINAL).await;
    assert_eq!(status, "Exited with code 3");
    app.close().await;
}
