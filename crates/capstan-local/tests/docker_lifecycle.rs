//! A running cluster's life against the k3s stand-in: import an image into
//! every node, add an agent (which gets the imported images), stop/start, rediscover with a fresh engine client
//! (as after restarting the app's backend), delete. Readiness is always judged
//! through the cluster's API with the merged kubeconfig. Without an engine or
//! the image: fails under CI=true, else a loud SKIPPED
//! (`capstan_test_support::prerequisites`).

mod common;

use std::time::{Duration, Instant};

use capstan_local::{
    add_agent, create_cluster, delete_cluster, import_image, list_clusters, start_cluster,
    stop_cluster, wait_cluster_ready,
};
use common::{docker_ok, labelled_leftovers, node_image, nodes_via_api, opts, Cleanup, Recorder};

#[tokio::test(flavor = "multi_thread")]
async fn add_agent_import_stop_start_rediscover_delete() {
    let Some(image) = node_image() else { return };
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kc = dir.path().join("config");
    let name = "it-grow";
    let context = "capstan-it-grow";
    let _ = delete_cluster(&docker, name, &kc).await;
    let _cleanup = Cleanup(name.to_owned());
    let mut o = opts(name, &image, kc.clone());
    o.agents = 1;
    let created = create_cluster(&docker, &o, &Recorder::new(name))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "created 1 server + 1 agent in {:.1} s",
        created.elapsed.as_secs_f64()
    );

    // Import a locally made image into every node: the `docker save` archive
    // lands in each node's k3s images directory and the node's containerd
    // (real, as in k3s) has the image in the kubelet's `k8s.io` namespace.
    let probe = "capstan.local/it-import-probe:1";
    let src = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(src.path().join("hello"), b"hi").unwrap_or_else(|e| panic!("{e}"));
    let tarball = src.path().join("rootfs.tar");
    let tarred = std::process::Command::new("tar")
        .arg("-cf")
        .arg(&tarball)
        .arg("-C")
        .arg(src.path())
        .arg("hello")
        .status()
        .is_ok_and(|s| s.success());
    assert!(tarred);
    docker_ok(&["import", &tarball.to_string_lossy(), probe]);
    let into = import_image(&docker, name, probe).await;
    docker_ok(&["rmi", probe]);
    let mut into = into.unwrap_or_else(|e| panic!("{e}"));
    into.sort();
    assert_eq!(into.len(), 2, "{into:?}");
    for node in &into {
        let listed = docker_ok(&["exec", node, "ctr", "-n", "k8s.io", "images", "ls", "-q"]);
        assert!(listed.lines().any(|l| l == probe), "{node}: {listed}");
        docker_ok(&[
            "exec",
            node,
            "test",
            "-s",
            "/var/lib/rancher/k3s/agent/images/capstan-capstan.local_it-import-probe_1.tar",
        ]);
    }
    let missing = import_image(&docker, name, "capstan.local/no-such-image:0").await;
    assert!(
        matches!(missing, Err(capstan_local::Error::Image { .. })),
        "{missing:?}"
    );

    // Add an agent: the next index, Ready through the API, with the images
    // imported into the cluster before it existed (copied from server 0).
    let t = Instant::now();
    let added = add_agent(&docker, name)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "added {added} (Ready) in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(added, "capstan-it-grow-agent-1");
    let nodes = nodes_via_api(&kc, context).await;
    assert_eq!(
        nodes,
        [
            ("capstan-it-grow-agent-0".to_owned(), true),
            ("capstan-it-grow-agent-1".to_owned(), true),
            ("capstan-it-grow-server-0".to_owned(), true),
        ]
    );
    let labels = docker_ok(&[
        "inspect",
        "-f",
        "{{json .Config.Labels}} {{.HostConfig.NetworkMode}}",
        &added,
    ]);
    assert!(
        labels.contains("\"capstan.cluster\":\"it-grow\"")
            && labels.contains("\"capstan.role\":\"agent\"")
            && labels.contains("\"capstan.index\":\"1\""),
        "{labels}"
    );
    assert!(labels.trim().ends_with("capstan-it-grow"), "{labels}");

    docker_ok(&[
        "exec",
        &added,
        "test",
        "-s",
        "/var/lib/rancher/k3s/agent/images/capstan-capstan.local_it-import-probe_1.tar",
    ]);

    // Stop: every node exited. Start: every node Ready again, with a
    // heartbeat from after the restart.
    stop_cluster(&docker, name)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let stopped = list_clusters(&docker).await.unwrap_or_default();
    let stopped = stopped.iter().find(|c| c.name == name).cloned();
    let stopped = stopped.unwrap_or_else(|| panic!("{name} not listed when stopped"));
    assert!(
        stopped.nodes.iter().all(|n| n.state == "exited"),
        "{stopped:?}"
    );
    let t = Instant::now();
    start_cluster(&docker, name)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_cluster_ready(&docker, name, Duration::from_secs(240))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "started again, all Ready, in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let nodes = nodes_via_api(&kc, context).await;
    assert_eq!(nodes.len(), 3, "{nodes:?}");
    assert!(nodes.iter().all(|(_, ready)| *ready), "{nodes:?}");

    // Rediscovery through a new engine client, knowing nothing but the name.
    drop(docker);
    let fresh = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let listed = list_clusters(&fresh)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let info = listed.iter().find(|c| c.name == name).cloned();
    let info = info.unwrap_or_else(|| panic!("{name} not rediscovered: {listed:?}"));
    assert_eq!(info.api_port, Some(created.api_port));
    let shape: Vec<(String, String, String)> = info
        .nodes
        .iter()
        .map(|n| (n.container.clone(), n.role.clone(), n.state.clone()))
        .collect();
    let want = |c: &str, r: &str| (c.to_owned(), r.to_owned(), "running".to_owned());
    assert_eq!(
        shape,
        [
            want("capstan-it-grow-agent-0", "agent"),
            want("capstan-it-grow-agent-1", "agent"),
            want("capstan-it-grow-server-0", "server"),
        ]
    );

    delete_cluster(&fresh, name, &kc)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(labelled_leftovers(&fresh, name).await, 0);
    assert!(!std::fs::read_to_string(&kc)
        .unwrap_or_default()
        .contains(context));
}
