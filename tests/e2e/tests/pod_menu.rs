//! Pod terminals and copies opened from a pod row's context menu, through
//! the app window against the real test cluster: a shell (right click) where
//! `echo $((6*7))` shows `42`; the menu from the keyboard (Shift+F10) and
//! Escape giving the focus back to the rows; a debug container that sees
//! the target container's processes; attach to a main process that is an
//! interactive `sh`; and a download through the native GTK save dialog
//! (driven with xdotool), byte-identical on disk. Run by scripts/test.sh
//! (`cargo test -p capstan-e2e -- --ignored`).

use capstan_e2e::terminal::type_keys;
use capstan_e2e::App;
use capstan_test_support::{TestCluster, TestNamespace};
use fantoccini::key::Key;

const TERMINAL: &str = "[data-testid=pod-terminal]";
/// The locally built test image (no registry is reachable from the node).
const IMAGE: &str = "capstan.local/busybox:1";

fn manifest() -> String {
    format!(
        r#"apiVersion: v1
kind: Pod
metadata: {{name: box}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {{name: app, image: "{IMAGE}", imagePullPolicy: Never, command: [sleep, "3600"]}}
---
apiVersion: v1
kind: Pod
metadata: {{name: tty}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {{name: main, image: "{IMAGE}", imagePullPolicy: Never, command: [sh], stdin: true, tty: true}}
"#
    )
}

/// The namespace with both pods Ready, and the app showing its pods.
async fn pods_table(ns: &str, name: &str) -> (TestNamespace, App) {
    let namespace = TestNamespace::with_manifest(ns, &manifest());
    namespace.wait_ready(&["box", "tty"]);
    let app = App::open_pods(name, ns, (1200, 800)).await;
    app.wait_for(&row("box")).await;
    (namespace, app)
}

fn row(pod: &str) -> String {
    format!("[data-testid=resource-row][data-name=\"{pod}\"]")
}

/// Waits for the dock tab titled `title` and its pod terminal labelled
/// `label` (`pod/container`; a trailing `*` matches any rest) to run;
/// returns the selector of its rows.
async fn running_terminal(app: &App, title: &str, label: &str) -> String {
    let label = match label.strip_suffix('*') {
        Some(start) => format!("[data-label^='{start}']"),
        None => format!("[data-label='{label}']"),
    };
    let tab = app
        .wait_for_text("[data-testid=dock-tab][aria-selected=true]", |t| t == title)
        .await;
    assert_eq!(tab, title);
    // Past connecting, it must be running (else the status says why not).
    let state = format!("{TERMINAL}{label}:not([data-state=connecting])");
    app.wait_for(&state).await;
    let status = app
        .text(&format!("{TERMINAL}{label} [data-testid=terminal-status]"))
        .await;
    app.wait_for(&format!("{TERMINAL}{label}[data-state=running]"))
        .await;
    assert!(status.is_empty() || status.contains("unning"), "{status}");
    format!("{TERMINAL}{label} .xterm-rows")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn a_shell_opens_from_a_pod_rows_menu() {
    let (_ns, app) = pods_table("e2e-pod-menu-shell", "pod_menu_shell").await;

    // From the keyboard: Shift+F10 on the selected row; Escape closes the
    // menu and the focus is back on the rows.
    app.click(&row("tty")).await;
    assert_eq!(app.focused_test_id().await, "resource-rows");
    app.press("shift+F10").await;
    app.wait_for("[role=menu][aria-label='Actions for tty'] [data-testid=row-menu-shell]")
        .await;
    assert_eq!(app.focused_test_id().await, "row-menu-details");
    app.wait_for("[data-testid=row-menu-details]")
        .await
        .send_keys(&Key::Escape.to_string())
        .await
        .expect("Escape in the menu");
    capstan_test_support::eventually(capstan_e2e::UI_TIMEOUT, || async {
        let menus = app.find_all("[role=menu]").await.len();
        let focused = app.focused_test_id().await;
        if menus == 0 && focused == "resource-rows" {
            Ok(())
        } else {
            Err(format!("{menus} menu(s) open, focus on {focused:?}"))
        }
    })
    .await
    .unwrap_or_else(|e| panic!("Escape closes the menu and gives the focus back: {e}"));

    // With the mouse: a right click on the box row, then Shell.
    app.right_click(&row("box")).await;
    app.click("[role=menu][aria-label='Actions for box'] [data-testid=row-menu-shell]")
        .await;
    // The container left to Rust is named in the title once it answers.
    let text = running_terminal(&app, "box/app", "box/app").await;
    app.wait_for_text(&text, |t| t.contains('#') || t.contains('$'))
        .await;
    type_keys(&app, TERMINAL, "echo $((6*7))\n").await;
    app.wait_for_text(&text, |t| t.contains("42")).await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn a_debug_container_from_the_menu_sees_the_targets_processes() {
    let (_ns, app) = pods_table("e2e-pod-menu-debug", "pod_menu_debug").await;
    app.right_click(&row("box")).await;
    app.click("[data-testid=row-menu-debug]").await;
    // The panel opens with the image field ready; the test node cannot pull,
    // so the image it has replaces the default.
    let image = app.wait_for("[data-testid=debug-image]").await;
    assert_eq!(
        image.prop("value").await.expect("image value").as_deref(),
        Some("busybox:1.36")
    );
    image.clear().await.expect("clear the image");
    image.send_keys(IMAGE).await.expect("type the image");
    app.click("[data-testid=debug-start]").await;

    // Titled after the target container, whose processes it shares; the
    // session is in the debug container the server named (debugger-xxxxx).
    let text = running_terminal(&app, "debug: box/app", "box/debugger-*").await;
    app.wait_for(&format!("{TERMINAL}[data-mode=debug]")).await;
    // `ps` there lists the target's main process: the namespace is shared.
    type_keys(&app, TERMINAL, "ps\n").await;
    app.wait_for_text(&text, |t| t.contains("sleep 3600")).await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn attach_reaches_an_interactive_main_process() {
    let (_ns, app) = pods_table("e2e-pod-menu-attach", "pod_menu_attach").await;
    app.right_click(&row("tty")).await;
    app.click("[data-testid=row-menu-attach]").await;
    let text = running_terminal(&app, "attach: tty/main", "tty/main").await;
    app.wait_for(&format!("{TERMINAL}[data-mode=attach]")).await;
    // The main process is `sh` itself: what is typed reaches it, and it answers.
    type_keys(&app, TERMINAL, "echo attached-$((6*7))\n").await;
    app.wait_for_text(&text, |t| t.contains("attached-42"))
        .await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn a_file_downloads_through_the_native_save_dialog() {
    let (ns, app) = pods_table("e2e-pod-menu-copy", "pod_menu_copy").await;
    // Known content in the pod: the numbers 1 to 30000, one a line (~170 KB).
    let expected: String = (1..=30_000).map(|i| format!("{i}\n")).collect();
    TestCluster::get()
        .kubectl_ok([
            "-n",
            &ns.name,
            "exec",
            "box",
            "--",
            "sh",
            "-c",
            "seq 1 30000 > /tmp/numbers.txt",
        ])
        .expect("write the file in the pod");

    app.right_click(&row("box")).await;
    app.click("[data-testid=row-menu-copyFrom]").await;
    app.wait_for("[data-testid=copy-path]")
        .await
        .send_keys("/tmp/numbers.txt")
        .await
        .expect("type the path in the container");
    app.click("[data-testid=copy-start]").await;

    // Rust opens the native dialog; the destination is typed there, as a
    // user would (the page never names a local path).
    let dir = tempfile::tempdir().expect("a destination folder");
    let dest = dir.path().join("from-pod.txt");
    capstan_e2e::xdotool::save_as(&app, "Save the file from the container", &dest).await;

    let result = app
        .wait_for_text("[data-testid=copy-result]", |t| !t.is_empty())
        .await;
    assert!(
        result.contains(&dest.display().to_string()),
        "the result names the chosen file: {result:?}"
    );
    let got = std::fs::read(&dest).expect("the downloaded file");
    assert!(
        got == expected.as_bytes(),
        "{} holds {} bytes, not the pod's {} bytes",
        dest.display(),
        got.len(),
        expected.len()
    );
    app.close().await;
}
