//! Version choice, registry, host folders, reset and a failed upgrade, on one
//! cluster (1 server) of the k3s stand-in (tests/local/node-image/README.md),
//! with stand-ins for registry:2 and the failing upgrade image built here.
//! The k3s version list is replaced (`CAPSTAN_K3S_VERSIONS`) by one whose
//! stable entry is the stand-in tagged as a k3s release.

mod common;

use std::time::Duration;

use bollard::auth::DockerCredentials;
use bollard::query_parameters::{PushImageOptions, TagImageOptions};
use capstan_local::registry::{Mode, Request};
use capstan_local::{create_cluster, delete_cluster, list_clusters, Error, VolumeMount};
use capstan_test_support::eventually;
use common::{docker_ok, labelled_leftovers, node_image, opts, service_image, Cleanup, Recorder};
use futures_util::TryStreamExt;

const NAME: &str = "it-features";
const VERSION: &str = "v1.35.4+k3s1";

/// Tags the stand-in as `<repo>:v1.35.4-k3s1` and writes a version list
/// naming it (stable) plus the repository custom tags come from.
fn version_list(dir: &std::path::Path, image: &str) -> String {
    let repo = "capstan.local/k3s-fake";
    let tagged = format!("{repo}:v1.35.4-k3s1");
    docker_ok(&["tag", image, &tagged]);
    let list = serde_json::json!({
        "repository": repo,
        "versions": [
            { "version": VERSION, "image": tagged, "digest": null, "kubernetes": "1.35", "stable": true, "latest": true }
        ]
    });
    let path = dir.join("k3s-versions.json");
    std::fs::write(&path, list.to_string()).unwrap_or_else(|e| panic!("{e}"));
    std::env::set_var(capstan_local::versions::VERSIONS_ENV, &path);
    tagged
}

/// A one-layer image holding busybox, for a pod to run.
fn small_image(dir: &std::path::Path, tag: &str) {
    let root = dir.join("app-root");
    std::fs::create_dir_all(root.join("bin")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy("/bin/busybox", root.join("bin/busybox"))
        .unwrap_or_else(|e| panic!("busybox: {e}"));
    let tar = dir.join("app.tar");
    let ok = std::process::Command::new("tar")
        .arg("-cf")
        .arg(&tar)
        .arg("-C")
        .arg(&root)
        .arg(".")
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "tar");
    docker_ok(&["import", &tar.to_string_lossy(), tag]);
}

async fn pod_phase(client: &kube::Client, name: &str) -> Result<String, String> {
    use k8s_openapi::api::core::v1::Pod;
    let pod = kube::Api::<Pod>::namespaced(client.clone(), "default")
        .get(name)
        .await
        .map_err(|e| e.to_string())?;
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default();
    if phase == "Running" {
        Ok(phase)
    } else {
        let waiting = pod
            .status
            .and_then(|s| s.container_statuses)
            .and_then(|c| c.first().cloned())
            .and_then(|c| c.state)
            .and_then(|s| s.waiting)
            .map(|w| format!("{:?}: {:?}", w.reason, w.message))
            .unwrap_or_default();
        Err(format!("{phase} {waiting}"))
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn version_registry_volume_then_failed_upgrade_and_reset() {
    let Some(image) = node_image() else { return };
    let Some(registry_image) = service_image("registry") else {
        return;
    };
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kc = dir.path().join("config");
    let _ = delete_cluster(&docker, NAME, &kc).await;
    let _cleanup = Cleanup(NAME.to_owned());
    let tagged = version_list(dir.path(), &image);
    let host = dir.path().join("shared");
    std::fs::create_dir(&host).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(host.join("hello.txt"), "from the host\n").unwrap_or_else(|e| panic!("{e}"));

    // Bad input: each refused before anything is created.
    let mut o = opts(NAME, &image, kc.clone());
    o.image = None;
    o.k3s_version = Some("v1.99.0+k3s1".into());
    let err = create_cluster(&docker, &o, &Recorder::new(NAME))
        .await
        .err();
    let text = err.as_ref().map(ToString::to_string).unwrap_or_default();
    assert!(
        matches!(err, Some(Error::ImagePull { ref image, .. }) if image == "capstan.local/k3s-fake:v1.99.0-k3s1"),
        "{err:?}"
    );
    assert!(
        text.contains("--image-tarball"),
        "the offline way out: {text}"
    );
    assert_eq!(labelled_leftovers(&docker, NAME).await, 0);
    o.k3s_version = Some(VERSION.into());
    o.volumes = vec![format!("{}/missing:/mnt/x", dir.path().display())
        .parse()
        .unwrap_or_else(|e| panic!("{e}"))];
    assert!(matches!(
        create_cluster(&docker, &o, &Recorder::new(NAME)).await,
        Err(Error::InvalidVolume { .. })
    ));
    o.volumes = Vec::new();
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap_or_else(|e| panic!("{e}"));
    let taken_port = taken.local_addr().map(|a| a.port()).unwrap_or_default();
    o.registry = Some(Request {
        mode: Mode::Own,
        port: Some(taken_port),
        image: Some(registry_image.clone()),
    });
    let err = create_cluster(&docker, &o, &Recorder::new(NAME))
        .await
        .err();
    assert!(
        matches!(err, Some(Error::RegistryPortInUse { port }) if port == taken_port),
        "{err:?}"
    );
    assert_eq!(labelled_leftovers(&docker, NAME).await, 0);
    drop(taken);

    // The cluster: the listed version, its own registry, a host folder on server 0.
    let port = capstan_test_support::free_port();
    o.registry = Some(Request {
        mode: Mode::Own,
        port: Some(port),
        image: Some(registry_image),
    });
    let volume: VolumeMount = format!("{}:/mnt/host:ro@server:0", host.display())
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    o.volumes = vec![volume.clone()];
    let created = create_cluster(&docker, &o, &Recorder::new(NAME))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "created 1 server with a registry in {:.1} s",
        created.elapsed.as_secs_f64()
    );
    let server0 = "capstan-it-features-server-0";
    let listed = list_clusters(&docker).await.unwrap_or_default();
    let info = listed
        .into_iter()
        .find(|c| c.name == NAME)
        .unwrap_or_else(|| panic!("{NAME} not listed"));
    assert_eq!(info.version.as_deref(), Some(VERSION));
    assert_eq!(
        info.registry.as_ref().map(|r| (r.mode, r.port)),
        Some((Mode::Own, port))
    );
    assert_eq!(info.volumes, vec![volume]);
    assert_eq!(
        docker
            .inspect_container(server0, None)
            .await
            .ok()
            .and_then(|c| c.config)
            .and_then(|c| c.image),
        Some(tagged.clone())
    );
    assert_eq!(
        docker_ok(&["exec", server0, "cat", "/mnt/host/hello.txt"]),
        "from the host\n"
    );

    // Push to localhost:<port>, then a pod runs that image.
    let app = format!("localhost:{port}/app");
    let local = format!("capstan.local/it-registry-app:{}", std::process::id());
    small_image(dir.path(), &local);
    docker
        .tag_image(
            &local,
            Some(TagImageOptions {
                repo: Some(app.clone()),
                tag: Some("1".into()),
            }),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    docker
        .push_image(
            &app,
            Some(PushImageOptions {
                tag: Some("1".into()),
                ..Default::default()
            }),
            Some(DockerCredentials::default()),
        )
        .try_collect::<Vec<_>>()
        .await
        .unwrap_or_else(|e| panic!("push {app}:1: {e}"));
    let _ = std::process::Command::new("docker")
        .args(["rmi", &local, &format!("{app}:1")])
        .output();
    let client = common::client_for(&kc, &created.context).await;
    let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "app"},
        "spec": {"automountServiceAccountToken": false, "containers": [{"name": "app", "image": format!("{app}:1"), "command": ["/bin/busybox", "sleep", "3600"]}]}
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let pods = kube::Api::<k8s_openapi::api::core::v1::Pod>::namespaced(client.clone(), "default");
    // The default service account appears shortly after the API.
    eventually(Duration::from_secs(60), || async {
        pods.create(&Default::default(), &pod).await.map(drop)
    })
    .await
    .unwrap_or_else(|e| panic!("create the pod: {e}"));
    eventually(Duration::from_secs(120), || pod_phase(&client, "app"))
        .await
        .unwrap_or_else(|e| panic!("the pod from the registry did not run: {e}"));

    // An upgrade to an image that cannot start is rolled back.
    let broken = "capstan.local/k3s-fake:v1.99.1-broken";
    let bdir = dir.path().join("broken");
    std::fs::create_dir(&bdir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(bdir.join("Dockerfile"), format!("FROM {tagged}\nENTRYPOINT [\"/bin/sh\", \"-c\", \"echo this k3s cannot start; exit 1\"]\n")).unwrap_or_else(|e| panic!("{e}"));
    let built = std::process::Command::new("docker")
        .env("DOCKER_BUILDKIT", "0")
        .args(["build", "-q", "-t", broken])
        .arg(&bdir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let err = capstan_local::upgrade_cluster(&docker, NAME, broken, Duration::from_secs(120))
        .await
        .err();
    let _ = std::process::Command::new("docker")
        .args(["rmi", broken])
        .output();
    assert!(
        matches!(err, Some(Error::UpgradeFailed { restored: true, .. })),
        "{err:?}"
    );
    let info = capstan_local::wait_cluster_ready(&docker, NAME, Duration::from_secs(60))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(info.version.as_deref(), Some(VERSION));
    assert_eq!(info.nodes.len(), 1, "{info:?}");
    assert_eq!(
        docker
            .inspect_container(server0, None)
            .await
            .ok()
            .and_then(|c| c.config)
            .and_then(|c| c.image),
        Some(tagged.clone())
    );
    // Same data: the pod is still there and runs again.
    eventually(Duration::from_secs(120), || pod_phase(&client, "app"))
        .await
        .unwrap_or_else(|e| panic!("after the rollback: {e}"));

    // Reset: same context, Ready again, same settings, fresh data.
    let reset = capstan_local::reset_cluster(
        &docker,
        NAME,
        Some(kc.clone()),
        Duration::from_secs(300),
        &Recorder::new(NAME),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reset.context, created.context);
    assert_eq!(reset.api_port, created.api_port);
    let nodes = common::nodes_via_api(&kc, &reset.context).await;
    assert_eq!(nodes, [(server0.to_owned(), true)]);
    let info = list_clusters(&docker)
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|c| c.name == NAME)
        .unwrap_or_else(|| panic!("gone"));
    assert_eq!(info.version.as_deref(), Some(VERSION));
    assert_eq!(info.registry.map(|r| r.port), Some(port));
    assert_eq!(
        docker_ok(&["exec", server0, "cat", "/mnt/host/hello.txt"]),
        "from the host\n"
    );
    let fresh = common::client_for(&kc, &reset.context).await;
    let gone = kube::Api::<k8s_openapi::api::core::v1::Pod>::namespaced(fresh, "default")
        .get_opt("app")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(gone.is_none(), "reset keeps no data");

    delete_cluster(&docker, NAME, &kc)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(labelled_leftovers(&docker, NAME).await, 0);
    assert!(docker
        .inspect_container("capstan-it-features-registry", None)
        .await
        .is_err());
    let _ = std::process::Command::new("docker")
        .args(["rmi", &tagged])
        .output();
}

/// `GET /v2/` on 127.0.0.1:<port> answered 200: the registry serves.
fn registry_answers(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    if s.write_all(b"GET /v2/ HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

/// Two clusters share one registry: both nodes reach it by name, it outlives
/// the first cluster's deletion and goes with the second's.
#[tokio::test(flavor = "multi_thread")]
async fn a_shared_registry_serves_two_clusters_and_goes_with_the_last() {
    let Some(image) = node_image() else { return };
    let Some(registry_image) = service_image("registry") else {
        return;
    };
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let kc = dir.path().join("config");
    let names = ["it-shared-a", "it-shared-b"];
    let _cleanup: Vec<Cleanup> = names.iter().map(|n| Cleanup((*n).to_owned())).collect();
    let _ = std::process::Command::new("docker")
        .args(["rm", "-f", "-v", capstan_local::registry::SHARED_NAME])
        .output();
    let port = capstan_test_support::free_port();
    for (i, name) in names.iter().enumerate() {
        let _ = delete_cluster(&docker, name, &kc).await;
        let mut o = opts(name, &image, kc.clone());
        o.registry = Some(Request {
            mode: Mode::Shared,
            // The second cluster finds the registry and its port.
            port: (i == 0).then_some(port),
            image: Some(registry_image.clone()),
        });
        create_cluster(&docker, &o, &Recorder::new(name))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let listed = list_clusters(&docker).await.unwrap_or_default();
    for name in names {
        let info = listed
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(
            info.registry
                .as_ref()
                .map(|r| (r.mode, r.port, r.container.as_str())),
            Some((Mode::Shared, port, "capstan-registry")),
            "{name}"
        );
        // The node reaches the registry by its name on the cluster network.
        let node = format!("capstan-{name}-server-0");
        let v2 = docker_ok(&[
            "exec",
            &node,
            "wget",
            "-qO-",
            "http://capstan-registry:5000/v2/",
        ]);
        assert_eq!(v2.trim(), "{}", "{name}");
    }
    assert!(registry_answers(port));
    delete_cluster(&docker, names[0], &kc)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(labelled_leftovers(&docker, names[0]).await, 0);
    assert!(
        registry_answers(port),
        "the shared registry went with its first cluster"
    );
    delete_cluster(&docker, names[1], &kc)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(labelled_leftovers(&docker, names[1]).await, 0);
    assert!(docker
        .inspect_container("capstan-registry", None)
        .await
        .is_err());
    assert!(docker
        .inspect_network(
            "capstan-registry",
            None::<bollard::query_parameters::InspectNetworkOptions>
        )
        .await
        .is_err());
}
