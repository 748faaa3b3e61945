//! Docker-backed tests against the k3s stand-in image built by
//! tests/local/build-node-image.sh (real apiserver/etcd/kubelet of the test
//! cluster's Kubernetes build, containerd in every node; what is substituted is
//! listed in tests/local/node-image/README.md: token-file agent join, plain-HTTP
//! etcd for HA, no flannel/CoreDNS). Without an engine or the image: fails
//! under CI=true, else a loud SKIPPED (`capstan_test_support::prerequisites`).

mod common;

use capstan_local::{create_cluster, delete_cluster, list_clusters, Step};
use common::{labelled_leftovers, node_image, opts, Recorder};

#[tokio::test(flavor = "multi_thread")]
async fn create_one_server_two_agents_then_delete_leaves_nothing() {
    let Some(image) = node_image() else { return };
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kc = dir.path().join("config");
    let name = "it-create";
    let _ = delete_cluster(&docker, name, &kc).await;
    let mut o = opts(name, &image, kc.clone());
    o.agents = 2;
    // The warnings this machine earns (cgroup v1, inotify limits ...), as
    // the dialog's pre-flight shows them: create reports the same ones.
    let expected: Vec<String> =
        capstan_local::preflight(&docker, &o.request().unwrap_or_else(|e| panic!("{e}")))
            .await
            .into_iter()
            .filter(|f| f.severity == capstan_local::Severity::Warning)
            .map(|f| f.message)
            .collect();
    let rec = Recorder::new(name);
    let created = create_cluster(&docker, &o, &rec)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rec.warnings(), expected);
    println!(
        "created 1 server + 2 agents in {:.1} s",
        created.elapsed.as_secs_f64()
    );
    let steps = rec.steps();
    assert!(
        steps.contains(&Step::NodesReady { ready: 3, of: 3 }),
        "{steps:?}"
    );
    assert_eq!(steps.last(), Some(&Step::Done));
    let listed = list_clusters(&docker).await.unwrap_or_default();
    let info = listed.iter().find(|c| c.name == name).cloned();
    let info = info.unwrap_or_else(|| panic!("{name} not rediscovered: {listed:?}"));
    assert_eq!(info.nodes.len(), 3);
    assert!(info.running());
    assert_eq!(info.api_port, Some(created.api_port));
    let text = std::fs::read_to_string(&kc).unwrap_or_default();
    assert!(
        text.contains("capstan-it-create")
            && text.contains(&format!("https://127.0.0.1:{}", created.api_port))
    );

    delete_cluster(&docker, name, &kc)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(labelled_leftovers(&docker, name).await, 0);
    assert!(!std::fs::read_to_string(&kc)
        .unwrap_or_default()
        .contains("capstan-it-create"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_taken_port_leaves_nothing_and_the_kubeconfig_untouched() {
    let Some(image) = node_image() else { return };
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kc = dir.path().join("config");
    let before = "apiVersion: v1\nkind: Config\nclusters: []\n# keep me\n";
    std::fs::write(&kc, before).unwrap_or_else(|e| panic!("{e}"));
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap_or_else(|e| panic!("{e}"));
    let port = taken.local_addr().map(|a| a.port()).unwrap_or_default();
    let name = "it-port";
    let mut o = opts(name, &image, kc.clone());
    o.api_port = Some(port);
    let err = create_cluster(&docker, &o, &capstan_local::NoProgress)
        .await
        .err();
    assert!(
        matches!(err, Some(capstan_local::Error::PortInUse { port: p }) if p == port),
        "{err:?}"
    );
    assert_eq!(labelled_leftovers(&docker, name).await, 0);
    assert_eq!(std::fs::read_to_string(&kc).unwrap_or_default(), before);
}

/// HA: 3 servers with embedded etcd (`--cluster-init` on the first; the others
/// join it one at a time with K3S_URL + the token) and an agent. The stand-in
/// runs a real 3-member etcd (member add against server 0) and three real API
/// servers; see tests/local/node-image/README.md for what it simplifies.
#[tokio::test(flavor = "multi_thread")]
async fn create_three_servers_one_agent_stop_start_then_delete_leaves_nothing() {
    let Some(image) = node_image() else { return };
    let Some(lb_image) = common::service_image("lb") else {
        return;
    };
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kc = dir.path().join("config");
    let name = "it-ha";
    let _ = delete_cluster(&docker, name, &kc).await;
    let _cleanup = common::Cleanup(name.to_owned());
    let mut o = opts(name, &image, kc.clone());
    o.servers = 3;
    o.agents = 1;
    o.lb_image = Some(lb_image);
    let rec = Recorder::new(name);
    let created = create_cluster(&docker, &o, &rec)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "created 3 servers + 1 agent (with the load balancer) in {:.1} s",
        created.elapsed.as_secs_f64()
    );
    // Servers reported one at a time, in order, before the agents.
    let steps = rec.steps();
    let order: Vec<&Step> = steps
        .iter()
        .filter(|s| matches!(s, Step::Server { .. } | Step::Agents { .. }))
        .collect();
    assert_eq!(
        order,
        [
            &Step::Server { index: 1, of: 3 },
            &Step::Server { index: 2, of: 3 },
            &Step::Server { index: 3, of: 3 },
            &Step::Agents { count: 1 },
        ]
    );
    assert!(
        steps.contains(&Step::NodesReady { ready: 4, of: 4 }),
        "{steps:?}"
    );
    let nodes = common::nodes_via_api(&kc, "capstan-it-ha").await;
    assert_eq!(
        nodes,
        [
            ("capstan-it-ha-agent-0".to_owned(), true),
            ("capstan-it-ha-server-0".to_owned(), true),
            ("capstan-it-ha-server-1".to_owned(), true),
            ("capstan-it-ha-server-2".to_owned(), true),
        ]
    );
    // One etcd cluster of three started members, not three single ones.
    let members = common::docker_ok(&[
        "exec",
        "capstan-it-ha-server-0",
        "etcdctl",
        "member",
        "list",
    ]);
    let started: Vec<&str> = members
        .lines()
        .filter(|l| l.contains(", started, "))
        .collect();
    assert_eq!(started.len(), 3, "{members}");
    for i in 0..3 {
        assert!(
            members.contains(&format!("capstan-it-ha-server-{i}")),
            "{members}"
        );
    }
    let listed = list_clusters(&docker).await.unwrap_or_default();
    let info = listed.iter().find(|c| c.name == name).cloned();
    let info = info.unwrap_or_else(|| panic!("{name} not listed: {listed:?}"));
    let servers = info.nodes.iter().filter(|n| n.role == "server").count();
    assert_eq!((servers, info.nodes.len()), (3, 4));
    // The API goes through the load balancer, which no node replaces.
    let lb: Vec<_> = info
        .services
        .iter()
        .map(|s| (s.container.as_str(), s.role.as_str()))
        .collect();
    assert_eq!(lb, [("capstan-it-ha-lb", "loadbalancer")]);

    // The etcd cluster survives a stop/start (members found by name, not IP).
    capstan_local::stop_cluster(&docker, name)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let t = std::time::Instant::now();
    capstan_local::start_cluster(&docker, name)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    capstan_local::wait_cluster_ready(&docker, name, std::time::Duration::from_secs(240))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "HA cluster started again, all Ready, in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let nodes = common::nodes_via_api(&kc, "capstan-it-ha").await;
    assert!(
        nodes.len() == 4 && nodes.iter().all(|(_, r)| *r),
        "{nodes:?}"
    );

    // Server 0 stops: kubectl through Capstan's kubeconfig still answers
    // (the load balancer takes it out after its failed checks and retries
    // a refused connection on another server meanwhile).
    common::docker_ok(&["stop", "capstan-it-ha-server-0"]);
    let kubectl = capstan_test_support::default_kubectl();
    let answered =
        capstan_test_support::eventually_blocking(std::time::Duration::from_secs(60), || {
            let out = std::process::Command::new(&kubectl)
                .arg("--kubeconfig")
                .arg(&kc)
                .args([
                    "--context",
                    "capstan-it-ha",
                    "get",
                    "nodes",
                    "--request-timeout=10s",
                ])
                .output()
                .map_err(|e| format!("{}: {e}", kubectl.display()))?;
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            if out.status.success() && text.contains("capstan-it-ha-server-1") {
                Ok(text)
            } else {
                Err(String::from_utf8_lossy(&out.stderr).into_owned())
            }
        });
    let listed =
        answered.unwrap_or_else(|e| panic!("kubectl get nodes with server 0 stopped: {e}"));
    assert!(listed.contains("capstan-it-ha-server-0"), "{listed}");

    delete_cluster(&docker, name, &kc)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(labelled_leftovers(&docker, name).await, 0);
    assert!(!std::fs::read_to_string(&kc)
        .unwrap_or_default()
        .contains("capstan-it-ha"));
}

/// Offline: the node image exists only in a `docker save` tarball (its tag is
/// removed from the engine first); create loads it and the cluster comes up,
/// with an airgap images archive (zstd, as k3s releases it) in every node's
/// k3s images directory, imported into each node's containerd at start. A
/// tarball or archive that does not exist is refused before anything is created.
#[tokio::test(flavor = "multi_thread")]
async fn create_from_an_image_tarball_loads_it_first() {
    let Some(image) = node_image() else { return };
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kc = dir.path().join("config");
    let name = "it-offline";
    let _cleanup = common::Cleanup(name.to_owned());
    let offline = format!("capstan.local/k3s-fake:offline-{}", std::process::id());
    let tarball = dir.path().join("node-image.tar");
    common::docker_ok(&["tag", &image, &offline]);
    common::docker_ok(&["save", "-o", &tarball.to_string_lossy(), &offline]);
    common::docker_ok(&["rmi", &offline]);
    assert!(docker.inspect_image(&offline).await.is_err());

    let mut o = opts(name, &offline, kc.clone());
    o.image_tarball = Some(dir.path().join("missing.tar"));
    let err = create_cluster(&docker, &o, &Recorder::new(name))
        .await
        .err();
    assert!(
        matches!(err, Some(capstan_local::Error::Image { .. })),
        "{err:?}"
    );
    assert_eq!(labelled_leftovers(&docker, name).await, 0);

    // A real images archive: one small image, `docker save`d and compressed
    // with zstd, gone from the engine, so only the archive can bring it.
    let probe = format!("capstan.local/it-airgap-probe:{}", std::process::id());
    let airgap = dir.path().join("k3s-airgap-images-amd64.tar.zst");
    airgap_archive(dir.path(), &probe, &airgap);
    let airgap_size = std::fs::metadata(&airgap).map(|m| m.len()).unwrap_or(0);
    o.airgap_images = Some(dir.path().join("no-such-airgap.tar"));
    let err = create_cluster(&docker, &o, &Recorder::new(name))
        .await
        .err();
    assert!(
        matches!(err, Some(capstan_local::Error::Airgap { .. })),
        "{err:?}"
    );
    assert_eq!(labelled_leftovers(&docker, name).await, 0);
    o.airgap_images = Some(airgap);
    o.agents = 1;

    o.image_tarball = Some(tarball);
    let rec = Recorder::new(name);
    let created = create_cluster(&docker, &o, &rec).await;
    let loaded = docker.inspect_image(&offline).await.is_ok();
    let _ = std::process::Command::new("docker")
        .args(["rmi", &offline])
        .output();
    let created = created.unwrap_or_else(|e| panic!("{e}"));
    println!(
        "created 1 server + 1 agent from a tarball in {:.1} s (load included)",
        created.elapsed.as_secs_f64()
    );
    assert!(loaded, "the tarball's image was not loaded");
    let steps = rec.steps();
    assert_eq!(
        steps.first(),
        Some(&Step::Pull {
            image: offline.clone(),
            skipped: true
        })
    );
    assert!(
        steps.contains(&Step::NodesReady { ready: 2, of: 2 }),
        "{steps:?}"
    );
    for node in ["capstan-it-offline-server-0", "capstan-it-offline-agent-0"] {
        let size = common::docker_ok(&[
            "exec",
            node,
            "stat",
            "-c",
            "%s",
            "/var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst",
        ]);
        assert_eq!(size.trim(), airgap_size.to_string(), "{node}");
        let listed =
            common::docker_ok(&["exec", node, "ctr", "-n", "k8s.io", "images", "ls", "-q"]);
        assert!(listed.lines().any(|l| l == probe), "{node}: {listed}");
    }
    delete_cluster(&docker, name, &kc)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(labelled_leftovers(&docker, name).await, 0);
}

/// `out`: a zstd-compressed `docker save` archive of a one-file image tagged
/// `reference`, which is removed from the engine again.
fn airgap_archive(dir: &std::path::Path, reference: &str, out: &std::path::Path) {
    let rootfs = dir.join("airgap-rootfs.tar");
    let plain = dir.join("airgap.tar");
    std::fs::write(dir.join("airgap-hello"), b"airgap").expect("write a file");
    let ok = |c: &mut std::process::Command| c.status().is_ok_and(|s| s.success());
    assert!(ok(std::process::Command::new("tar")
        .arg("-cf")
        .arg(&rootfs)
        .arg("-C")
        .arg(dir)
        .arg("airgap-hello")));
    common::docker_ok(&["import", &rootfs.to_string_lossy(), reference]);
    common::docker_ok(&["save", "-o", &plain.to_string_lossy(), reference]);
    common::docker_ok(&["rmi", reference]);
    assert!(
        ok(std::process::Command::new("zstd")
            .args(["-q", "-f", "--rm"])
            .arg(&plain)
            .arg("-o")
            .arg(out)),
        "zstd (apt-get install zstd)"
    );
}
