//! A shell in a local cluster node through the app window: a cluster (1
//! server, 1 agent) is created through the library, the app opens a Shell tab
//! on server 0 from Local clusters, a command typed into the terminal runs in
//! the node and its output shows, `exit` shows the exit line; the agent's chip
//! (the node picker) opens a second tab whose shell runs in the agent; then the cluster is deleted
//! and nothing labelled for it is left. Uses the k3s stand-in image of
//! tests/local/build-node-image.sh (`CAPSTAN_K3S_IMAGE`) and a temporary
//! KUBECONFIG. Without a Docker engine or the image: fails under CI=true, else
//! a loud SKIPPED (`capstan_test_support::prerequisites`).

use capstan_e2e::{App, Launch};
use capstan_test_support::local_nodes::{labelled, node_image};

const NAME: &str = "e2e-shell";

/// The terminal of the shell tab on `node` (as the tab was asked for it).
fn terminal(node: &str) -> String {
    format!("[data-testid=node-shell][data-node='{node}']")
}

async fn type_into_terminal(app: &App, node: &str, keys: &str) {
    app.wait_for(&format!("{} .xterm-helper-textarea", terminal(node)))
        .await
        .send_keys(keys)
        .await
        .unwrap_or_else(|e| panic!("type {keys:?}: {e}"));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built app and a Docker engine; run by scripts/test.sh"]
async fn a_shell_tab_runs_commands_in_a_local_node() {
    let Some(image) = node_image() else { return };
    // Read by the library here and, inherited through tauri-driver, by the app.
    std::env::set_var("CAPSTAN_K3S_IMAGE", &image);
    // This engine cannot grant every capability (tests/local/node-image/README.md).
    std::env::set_var("CAPSTAN_LOCAL_UNPRIVILEGED_NODES", "1");
    let dir = tempfile::tempdir().expect("temp dir");
    let kubeconfig = dir.path().join("config");
    let docker = capstan_local::connect().expect("a Docker engine");
    // Leftovers of an interrupted run.
    let _ = capstan_local::delete_cluster(&docker, NAME, &kubeconfig).await;

    let mut opts = capstan_local::CreateOptions::new(NAME);
    opts.image = Some(image);
    opts.kubeconfig = Some(kubeconfig.clone());
    opts.make_current = true;
    opts.agents = 1;
    capstan_local::create_cluster(&docker, &opts, &capstan_local::NoProgress)
        .await
        .expect("create the cluster");

    let app = App::launch(
        "local_shell",
        Launch {
            kubeconfig: Some(kubeconfig.display().to_string()),
        },
    )
    .await;
    app.wait_for("[data-testid=app-ready]").await;
    // Uncaught page errors: a terminal module that breaks under Tauri's frozen
    // Object.prototype only shows as a blank window otherwise.
    app.client
        .execute(
            "window.__errors = []; \
             window.addEventListener('error', e => window.__errors.push(String(e.message))); \
             window.addEventListener('unhandledrejection', e => window.__errors.push(String(e.reason)));",
            vec![],
        )
        .await
        .expect("install the page error hook");
    app.click("[data-testid=nav-local-clusters]").await;
    app.click(&format!(
        "[data-testid=local-cluster][data-name={NAME}][data-state=running] [data-testid=local-shell]"
    ))
    .await;
    let tab = app
        .wait_for_text("[data-testid=dock-tab][aria-selected=true]", |t| {
            t.starts_with("Shell:")
        })
        .await;
    assert_eq!(tab, format!("Shell: {NAME}/server-0"));

    // The prompt shows once the shell is attached; typing before would be lost.
    let server_rows = format!("{} .xterm-rows", terminal("server-0"));
    app.wait_for_text(&server_rows, |t| t.contains('#') || t.contains('$'))
        .await;
    // The shell computes the marker, so the echoed command line alone cannot match.
    type_into_terminal(&app, "server-0", "echo shell-$((40+2))\n").await;
    let rows = app
        .wait_for_text(&server_rows, |t| t.contains("shell-42"))
        .await;
    println!("terminal after echo: {}", rows.trim());
    type_into_terminal(&app, "server-0", "exit 3\n").await;
    app.wait_for_text(&server_rows, |t| t.contains("[shell exited with code 3]"))
        .await;

    // The node picker: the agent's chip opens a shell in the agent.
    let agent = format!("capstan-{NAME}-agent-0");
    app.click(&format!(
        "[data-testid=local-cluster][data-name={NAME}] [data-testid=local-node][title$='{agent}']"
    ))
    .await;
    let tab = app
        .wait_for_text("[data-testid=dock-tab][aria-selected=true]", |t| {
            t.ends_with("agent-0")
        })
        .await;
    assert_eq!(tab, format!("Shell: {NAME}/agent-0"));
    let agent_rows = format!("{} .xterm-rows", terminal(&agent));
    app.wait_for_text(&agent_rows, |t| t.contains('#') || t.contains('$'))
        .await;
    // The node's hostname is its container name: the command ran in the agent.
    type_into_terminal(&app, &agent, "echo on-$(hostname)\n").await;
    app.wait_for_text(&agent_rows, |t| t.contains(&format!("on-{agent}")))
        .await;
    let errors = app
        .client
        .execute("return window.__errors;", vec![])
        .await
        .expect("read the page errors");
    assert_eq!(errors, serde_json::json!([]), "uncaught page errors");
    app.close().await;

    capstan_local::delete_cluster(&docker, NAME, &kubeconfig)
        .await
        .expect("delete the cluster");
    assert_eq!(labelled(NAME), Vec::<String>::new());
}
