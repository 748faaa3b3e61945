//! Local clusters through the app window: create one (1 server + 1 agent) from
//! the Create dialog and watch its steps, see it listed and its context in the
//! sidebar, open it and browse its Nodes, stop and start it, delete it, and check that nothing
//! labelled for it is left in the engine and the kubeconfig is back to its
//! bytes. Uses the k3s stand-in image of tests/local/build-node-image.sh
//! through `CAPSTAN_K3S_IMAGE` (the app's node image override) and a
//! temporary KUBECONFIG (the harness also gives the app a temporary HOME).
//! Without a Docker engine or the image: fails under CI=true, else a loud
//! SKIPPED (`capstan_test_support::prerequisites`).
//! Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};

use capstan_e2e::{free_port, App, Launch};
use capstan_test_support::local_nodes::{labelled, node_image};
use capstan_test_support::{eventually, holds};
use fantoccini::key::Key;

const NAME: &str = "e2e-local";

/// As kubectl writes it; the server refuses at once, so its check ends fast.
const PREVIOUS_KUBECONFIG: &str = "\
apiVersion: v1
clusters:
- cluster:
    server: https://127.0.0.1:1
  name: prev
contexts:
- context:
    cluster: prev
    user: prev
  name: prev
current-context: prev
kind: Config
preferences: {}
users:
- name: prev
  user:
    token: abc
";

/// Leftovers of an earlier, interrupted run.
fn remove_leftovers(name: &str) {
    let filter = format!("label=capstan.cluster={name}");
    let ids = Command::new("docker")
        .args(["ps", "-aq", "--filter", &filter])
        .output()
        .expect("docker CLI");
    for id in String::from_utf8_lossy(&ids.stdout).lines() {
        let _ = Command::new("docker").args(["rm", "-fv", id]).output();
    }
    let _ = Command::new("docker")
        .args(["network", "rm", &format!("capstan-{name}")])
        .output();
    // The nodes' data volumes are named, so `rm -v` leaves them.
    let volumes = Command::new("docker")
        .args(["volume", "ls", "-q", "--filter", &filter])
        .output()
        .expect("docker CLI");
    for v in String::from_utf8_lossy(&volumes.stdout).lines() {
        let _ = Command::new("docker")
            .args(["volume", "rm", "-f", v])
            .output();
    }
}

async fn js(app: &App, script: &str) -> serde_json::Value {
    app.client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}"))
}

/// `step:state` of every row of the progress list.
async fn steps(app: &App) -> Vec<String> {
    let v = js(
        app,
        "return [...document.querySelectorAll('[data-testid=local-step]')].map(e => e.dataset.step + ':' + e.dataset.state);",
    )
    .await;
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn count(app: &App, css: &str) -> u64 {
    app.client
        .execute(
            "return document.querySelectorAll(arguments[0]).length;",
            vec![serde_json::Value::from(css)],
        )
        .await
        .expect("count")
        .as_u64()
        .unwrap_or(0)
}

async fn wait_count(app: &App, css: &str, want: u64, within: Duration) {
    let shown = eventually(within, || async move {
        let n = count(app, css).await;
        if n == want {
            Ok(())
        } else {
            Err(n)
        }
    })
    .await;
    if let Err(n) = shown {
        panic!("{css}: {n} shown, expected {want}");
    }
}

/// One look at the Create dialog: `Ok` when it says done, `Err` while it
/// works; a failure it shows fails the test at once (with a screenshot).
async fn create_outcome(app: &App, shot: &str) -> Result<(), String> {
    if count(app, "[data-testid=local-create-error]").await > 0 {
        let err = app.text("[data-testid=local-create-error]").await;
        app.screenshot(shot).await;
        panic!("create failed: {err}");
    }
    holds(
        count(app, "[data-testid=local-create-done]").await > 0,
        "create did not finish",
    )
}

/// The app on a temporary kubeconfig holding [`PREVIOUS_KUBECONFIG`], with
/// the Create dialog open and `cluster` typed as the name (leftovers of an
/// interrupted run removed first). None (after SKIPPED; under CI=true the
/// test fails instead) when no node image can be had.
async fn open_create_dialog(
    cluster: &str,
    run: &str,
) -> Option<(App, tempfile::TempDir, std::path::PathBuf)> {
    let image = node_image()?;
    // Inherited by tauri-driver and so by the app.
    std::env::set_var("CAPSTAN_K3S_IMAGE", &image);
    // This engine cannot grant every capability (tests/local/node-image/README.md).
    std::env::set_var("CAPSTAN_LOCAL_UNPRIVILEGED_NODES", "1");
    remove_leftovers(cluster);
    let dir = tempfile::tempdir().expect("temp dir");
    let kubeconfig = dir.path().join("config");
    std::fs::write(&kubeconfig, PREVIOUS_KUBECONFIG).expect("write kubeconfig");
    let app = App::launch(
        run,
        Launch {
            kubeconfig: Some(kubeconfig.display().to_string()),
        },
    )
    .await;
    app.wait_for("[data-testid=app-ready]").await;
    app.click("[data-testid=nav-local-clusters]").await;
    app.wait_for("[data-testid=local-engine]").await;
    app.click("[data-testid=local-create]").await;
    let name = app.wait_for("[data-testid=local-name]").await;
    name.clear().await.expect("clear name");
    name.send_keys(cluster).await.expect("type name");
    Some((app, dir, kubeconfig))
}

#[tokio::test]
#[ignore = "needs the built app and a Docker engine; run by scripts/test.sh"]
async fn create_browse_and_delete_a_local_cluster_from_the_ui() {
    let Some((app, _dir, kubeconfig)) = open_create_dialog(NAME, "local").await else {
        return;
    };
    // The defaults: 1 server, 1 agent, a free API port.
    app.click("[data-testid=local-create-submit]").await;
    let started = Instant::now();

    // Progress: some steps done while later ones still wait, then all done.
    let seen: RefCell<BTreeSet<String>> = RefCell::default();
    let partial = Cell::new(false);
    let done = eventually(Duration::from_secs(300), || {
        let (app, seen, partial) = (&app, &seen, &partial);
        async move {
            let now = steps(app).await;
            if now.iter().any(|s| s.ends_with(":done"))
                && now.iter().any(|s| s.ends_with(":pending"))
            {
                partial.set(true);
            }
            seen.borrow_mut().extend(now);
            create_outcome(app, "create-failed").await
        }
    })
    .await;
    let mut seen = seen.into_inner();
    if let Err(e) = done {
        panic!("{e} in 300 s: {seen:?}");
    }
    let partial = partial.get();
    let elapsed = started.elapsed();
    // The last snapshot may predate the final steps (read just before "done").
    seen.extend(steps(&app).await);
    println!(
        "figure: local cluster 1 server + 1 agent created through the UI in {:.1} s",
        elapsed.as_secs_f64()
    );
    assert!(partial, "no step was seen before the end: {seen:?}");
    for step in [
        "image",
        "network",
        "servers",
        "agents",
        "api",
        "nodes",
        "kubeconfig",
    ] {
        assert!(
            seen.contains(&format!("{step}:done")),
            "{step} never done: {seen:?}"
        );
    }
    // Pre-flight warnings stay on the progress view: cgroup v1 is one.
    let warnings = js(
        &app,
        "return [...document.querySelectorAll('[data-testid=local-progress-warning]')].map(e => e.textContent);",
    )
    .await;
    let cgroup_v1 = std::process::Command::new("docker")
        .args(["info", "-f", "{{.CgroupVersion}}"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "1");
    let shown = warnings
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|w| w.as_str().is_some_and(|w| w.contains("cgroup v1")))
                .count()
        })
        .unwrap_or_default();
    assert_eq!(shown, usize::from(cgroup_v1), "{warnings}");
    app.screenshot("created").await;
    app.click("[data-testid=local-create-close]").await;

    // Listed, running, with both nodes; its context in the sidebar.
    let row = format!("[data-testid=local-cluster][data-name=\"{NAME}\"]");
    app.wait_for(&format!("{row}[data-state=running]")).await;
    wait_count(
        &app,
        &format!("{row} [data-testid=local-node][data-state=running]"),
        2,
        Duration::from_secs(30),
    )
    .await;
    let context_item = format!("[data-testid=context-item][data-context-name=\"capstan-{NAME}\"]");
    app.wait_for(&context_item).await;

    // Open it and browse its nodes.
    app.click(&format!("{row} [data-testid=local-open]")).await;
    app.click("[data-testid=nav-item][data-kind=Node]").await;
    for node in ["server-0", "agent-0"] {
        app.wait_for(&format!(
            "[data-testid=resource-row][data-name=\"capstan-{NAME}-{node}\"]"
        ))
        .await;
    }
    app.screenshot("nodes").await;

    // Stop and start it from the list.
    app.click("[data-testid=nav-local-clusters]").await;
    // Stopping and starting k3s nodes on a loaded machine can take longer
    // than the UI timeout: these waits are the cluster's, not the page's.
    let long = Duration::from_secs(180);
    app.click(&format!("{row} [data-testid=local-stop]")).await;
    wait_count(&app, &format!("{row}[data-state=stopped]"), 1, long).await;
    app.click(&format!("{row} [data-testid=local-start]")).await;
    wait_count(&app, &format!("{row}[data-state=running]"), 1, long).await;

    // Add a node once start has seen every node Ready (buttons enabled again).
    let add = format!("{row} [data-testid=local-add-node]:not([disabled])");
    wait_count(&app, &add, 1, long).await;
    app.click(&add).await;
    let nodes = format!("{row} [data-testid=local-node][data-state=running]");
    let third = eventually(Duration::from_secs(180), || {
        let (app, nodes) = (&app, &nodes);
        async move {
            let error = app.text("[data-testid=local-error]").await;
            assert!(error.is_empty(), "adding a node failed: {error}");
            let n = count(app, nodes).await;
            if n == 3 {
                Ok(())
            } else {
                Err(n)
            }
        }
    })
    .await;
    if let Err(n) = third {
        panic!("{n} nodes running after 180 s, expected 3");
    }
    app.wait_for(&format!("{row} [data-testid=local-delete]:not([disabled])"))
        .await;
    app.screenshot("node-added").await;

    // Delete it (after confirming).
    app.click(&format!("{row} [data-testid=local-delete]"))
        .await;
    app.wait_for("[data-testid=confirm-dialog][data-action=delete-local-cluster]")
        .await;
    app.click("[data-testid=confirm-ok]").await;
    wait_count(&app, &row, 0, Duration::from_secs(120)).await;
    wait_count(&app, &context_item, 0, Duration::from_secs(30)).await;
    app.screenshot("deleted").await;
    app.close().await;

    assert_eq!(labelled(NAME), Vec::<String>::new(), "left in the engine");
    let after = std::fs::read_to_string(&kubeconfig).expect("read kubeconfig");
    assert_eq!(after, PREVIOUS_KUBECONFIG, "kubeconfig changed");
}

#[tokio::test]
#[ignore = "needs the built app; run by scripts/test.sh"]
async fn no_engine_is_a_panel_that_says_what_to_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kubeconfig = dir.path().join("config");
    std::fs::write(&kubeconfig, PREVIOUS_KUBECONFIG).expect("write kubeconfig");
    // The driver (and so the app) copies the environment when it starts.
    let socket = format!("unix://{}", dir.path().join("no-docker.sock").display());
    let previous = std::env::var_os("DOCKER_HOST");
    std::env::set_var("DOCKER_HOST", &socket);
    let app = App::launch(
        "local-no-engine",
        Launch {
            kubeconfig: Some(kubeconfig.display().to_string()),
        },
    )
    .await;
    match previous {
        Some(v) => std::env::set_var("DOCKER_HOST", v),
        None => std::env::remove_var("DOCKER_HOST"),
    }
    app.wait_for("[data-testid=app-ready]").await;
    app.click("[data-testid=nav-local-clusters]").await;
    let panel = app.wait_for("[data-testid=local-no-engine]").await;
    let text = panel.text().await.expect("panel text");
    assert!(text.contains("systemctl start docker"), "{text}");
    assert!(text.contains("DOCKER_HOST"), "{text}");
    assert_eq!(count(&app, "[data-testid=local-create]").await, 0);
    // Checking again gives the same panel, not an error dialog.
    app.click("[data-testid=local-check-engine]").await;
    app.wait_for("[data-testid=local-no-engine]").await;
    assert_eq!(count(&app, "[role=dialog]").await, 0);
    app.screenshot("no-engine").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs the built app and a Docker engine; run by scripts/test.sh"]
async fn cancel_during_create_leaves_nothing() {
    const CANCELLED: &str = "e2e-local-cancel";
    let Some((app, _dir, kubeconfig)) = open_create_dialog(CANCELLED, "local-cancel").await else {
        return;
    };
    app.click("[data-testid=local-create-submit]").await;
    // Cancel once the server container is up, so there is something to remove.
    app.wait_for("[data-testid=local-step][data-step=servers][data-state=done]")
        .await;
    assert!(!labelled(CANCELLED).is_empty(), "nothing created yet");
    app.click("[data-testid=local-create-cancel]").await;
    app.wait_for("[data-testid=local-create-dialog][data-phase=cancelled]")
        .await;
    app.wait_for("[data-testid=local-create-cancelled]").await;
    app.screenshot("cancelled").await;
    app.close().await;
    assert_eq!(
        labelled(CANCELLED),
        Vec::<String>::new(),
        "left in the engine"
    );
    let after = std::fs::read_to_string(&kubeconfig).expect("read kubeconfig");
    assert_eq!(after, PREVIOUS_KUBECONFIG, "kubeconfig changed");
}

/// `docker port` of a container for one container port, e.g. `6443/tcp`.
fn docker_port(container: &str, port: &str) -> String {
    let out = Command::new("docker")
        .args(["port", container, port])
        .output()
        .expect("docker CLI");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
#[ignore = "needs the built app and a Docker engine; run by scripts/test.sh"]
async fn advanced_port_mapping_and_preflight_in_the_create_dialog() {
    const PORTS: &str = "e2e-local-ports";
    let Some((app, _dir, _kubeconfig)) = open_create_dialog(PORTS, "local-ports").await else {
        return;
    };
    app.wait_for("[data-testid=local-agents]")
        .await
        .select_by_value("0")
        .await
        .expect("choose 0 agents");

    // Pre-flight: a taken API port is reported next to the field before Create.
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("hold a port");
    let taken_port = taken.local_addr().expect("address").port();
    let api = app.wait_for("[data-testid=local-api-port]").await;
    api.send_keys(&taken_port.to_string())
        .await
        .expect("type API port");
    let finding = app
        .wait_for_text("[data-testid=local-api-port-finding]", |t| {
            t.contains(&taken_port.to_string())
        })
        .await;
    assert!(finding.contains("already in use"), "{finding}");
    app.wait_for("[data-testid=local-api-port-finding][data-severity=blocking]")
        .await;
    app.screenshot("preflight-port-taken").await;
    // Backspaces, so the page sees input events as from a user.
    api.send_keys(&Key::Backspace.to_string().repeat(8))
        .await
        .expect("clear API port");
    wait_count(
        &app,
        "[data-testid=local-api-port-finding]",
        0,
        Duration::from_secs(30),
    )
    .await;
    drop(taken);

    // Advanced: one port mapping, host port -> the API server's 6443 (the
    // stand-in node listens there, so the mapping can be exercised).
    let host_port = free_port();
    app.click("[data-testid=local-advanced-toggle]").await;
    app.click("[data-testid=local-port-add]").await;
    app.wait_for("[data-testid=local-port-host]")
        .await
        .send_keys(&host_port.to_string())
        .await
        .expect("type host port");
    app.wait_for("[data-testid=local-port-container]")
        .await
        .send_keys("6443")
        .await
        .expect("type container port");
    app.screenshot("advanced").await;
    app.click("[data-testid=local-create-submit]").await;
    let started = Instant::now();
    eventually(Duration::from_secs(300), || {
        create_outcome(&app, "ports-create-failed")
    })
    .await
    .unwrap_or_else(|e| panic!("{e} in 300 s"));
    println!(
        "figure: local cluster with a port mapping created through the UI in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let server0 = format!("capstan-{PORTS}-server-0");
    let published = docker_port(&server0, "6443/tcp");
    assert!(
        published.contains(&format!("127.0.0.1:{host_port}")),
        "not published on loopback: {published}"
    );
    assert!(
        !published.contains(&format!("0.0.0.0:{host_port}")),
        "published on every interface: {published}"
    );
    app.click("[data-testid=local-create-close]").await;
    let row = format!("[data-testid=local-cluster][data-name=\"{PORTS}\"]");
    let listed = app
        .wait_for_text(&format!("{row} [data-testid=local-port]"), |t| {
            !t.is_empty()
        })
        .await;
    assert!(
        listed.contains(&format!("127.0.0.1:{host_port}")) && listed.contains("6443/tcp"),
        "{listed}"
    );
    app.screenshot("ports-listed").await;
    app.close().await;
    remove_leftovers(PORTS);
    assert_eq!(labelled(PORTS), Vec::<String>::new(), "left in the engine");
}

/// The create dialog with a registry (its own, on a chosen port) and a host
/// folder on server 0: both listed on the cluster, the folder's file readable
/// in the node, then Delete removes the registry with it. The registry image
/// is the stand-in built from Debian's docker-registry
/// (tests/local/build-service-images.sh), through `CAPSTAN_REGISTRY_IMAGE`.
#[tokio::test]
#[ignore = "needs the built app and a Docker engine; run by scripts/test.sh"]
async fn create_with_a_registry_and_a_host_folder_from_the_dialog() {
    const REG: &str = "e2e-local-reg";
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../local/build-service-images.sh");
    let built = capstan_test_support::require(
        Command::new("bash").arg(&script).arg("registry").output(),
        "bash, to run tests/local/build-service-images.sh",
        "apt-get install bash",
    );
    let Some(built) = built else { return };
    if !built.status.success() {
        capstan_test_support::prerequisite_missing(
            "the registry stand-in image (tests/local/build-service-images.sh failed)",
            String::from_utf8_lossy(&built.stderr).trim(),
            "apt-get install docker-registry busybox-static (scripts/lib/setup.sh installs them)",
        );
        return;
    }
    std::env::set_var(
        "CAPSTAN_REGISTRY_IMAGE",
        String::from_utf8_lossy(&built.stdout).trim(),
    );
    let host = tempfile::tempdir().expect("temp dir");
    std::fs::write(host.path().join("hello.txt"), "from the e2e host\n").expect("write");
    let Some((app, _dir, _kubeconfig)) = open_create_dialog(REG, "local-registry").await else {
        return;
    };
    app.wait_for("[data-testid=local-agents]")
        .await
        .select_by_value("0")
        .await
        .expect("choose 0 agents");
    app.wait_for("[data-testid=local-registry]")
        .await
        .select_by_value("own")
        .await
        .expect("choose its own registry");
    let port = free_port();
    app.wait_for("[data-testid=local-registry-port]")
        .await
        .send_keys(&port.to_string())
        .await
        .expect("type the registry port");
    let volume = format!("{}:/mnt/e2e@server:0", host.path().display());
    app.wait_for("[data-testid=local-volumes]")
        .await
        .send_keys(&volume)
        .await
        .expect("type the host folder");
    app.screenshot("registry-volume-form").await;
    app.click("[data-testid=local-create-submit]").await;
    let started = Instant::now();
    eventually(Duration::from_secs(300), || {
        create_outcome(&app, "registry-create-failed")
    })
    .await
    .unwrap_or_else(|e| panic!("{e} in 300 s"));
    println!(
        "figure: local cluster with a registry and a host folder created through the UI in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    app.click("[data-testid=local-create-close]").await;
    let row = format!("[data-testid=local-cluster][data-name=\"{REG}\"]");
    let registry = app
        .wait_for_text(&format!("{row} [data-testid=local-registry]"), |t| {
            !t.is_empty()
        })
        .await;
    assert!(
        registry.contains(&format!("localhost:{port} (own)")),
        "{registry}"
    );
    let folder = app.text(&format!("{row} [data-testid=local-volume]")).await;
    assert!(
        folder.contains(&host.path().display().to_string()) && folder.contains("/mnt/e2e"),
        "{folder}"
    );
    assert!(!app
        .text(&format!("{row} [data-testid=local-version]"))
        .await
        .is_empty());
    app.screenshot("registry-volume-listed").await;
    let read = Command::new("docker")
        .args([
            "exec",
            &format!("capstan-{REG}-server-0"),
            "cat",
            "/mnt/e2e/hello.txt",
        ])
        .output()
        .expect("docker exec");
    assert_eq!(String::from_utf8_lossy(&read.stdout), "from the e2e host\n");

    app.wait_for(&format!("{row} [data-testid=local-delete]:not([disabled])"))
        .await;
    app.click(&format!("{row} [data-testid=local-delete]"))
        .await;
    app.wait_for("[data-testid=confirm-dialog][data-action=delete-local-cluster]")
        .await;
    app.click("[data-testid=confirm-ok]").await;
    wait_count(&app, &row, 0, Duration::from_secs(120)).await;
    app.close().await;
    assert_eq!(labelled(REG), Vec::<String>::new(), "left in the engine");
    let registry_gone = Command::new("docker")
        .args(["inspect", &format!("capstan-{REG}-registry")])
        .output()
        .is_ok_and(|o| !o.status.success());
    assert!(registry_gone, "the registry outlived its cluster");
}
