//! Failure injection against the k3s stand-in (tests/local/node-image): a node
//! that never becomes ready, the engine going away mid-create, and cancel.
//! Each is triggered from the progress sink at a given step (no sleeping), and
//! each must leave zero containers, networks and volumes of the cluster and the
//! kubeconfig byte-identical. Without an engine or the image: fails under
//! CI=true, else a loud SKIPPED (`capstan_test_support::prerequisites`).

mod common;

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use capstan_local::{create_cluster, Error, Step};
use common::{assert_nothing_left, existing_kubeconfig, node_image, opts, Recorder};

fn fail<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_node_that_never_becomes_ready_times_out_with_the_server_log_and_leaves_nothing() {
    let Some(image) = node_image() else { return };
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (kc, before) = existing_kubeconfig(dir.path());
    let name = "it-never-ready";
    let mut o = opts(name, &image, kc.clone());
    // A real k3s flag; the stand-in passes it to its (real) kubelet, which then
    // never registers its node.
    o.extra_server_args = vec!["--kubelet-arg=register-node=false".to_owned()];
    o.nodes_ready_timeout = Some(Duration::from_secs(8));
    let rec = Recorder::new(name);
    let err = create_cluster(&docker, &o, &rec).await.err();
    match &err {
        Some(Error::Timeout {
            seconds,
            what,
            log_tail,
        }) => {
            assert_eq!(*seconds, 8);
            assert!(what.contains("nodes Ready: 0 of 1"), "{what}");
            // The last lines of server 0's log, as the user would see them.
            assert!(log_tail.contains("k3s is up and running"), "{log_tail}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    let msg = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("last server log lines"), "{msg}");
    let steps = rec.steps();
    assert!(
        steps.iter().any(|s| matches!(s, Step::ApiReady { .. })),
        "{steps:?}"
    );
    assert_eq!(steps.last(), Some(&Step::RollingBack), "{steps:?}");
    assert!(
        !rec.volumes().is_empty(),
        "the node's volumes were not seen"
    );
    assert_nothing_left(&docker, name, &rec).await;
    assert_eq!(std::fs::read(&kc).unwrap_or_default(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_at_the_network_step_leaves_nothing() {
    cancel_at("it-cancel-net", |s| matches!(s, Step::Network { .. }), 0).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_while_waiting_for_nodes_leaves_nothing() {
    cancel_at("it-cancel-ready", |s| matches!(s, Step::ApiReady { .. }), 1).await;
}

async fn cancel_at(name: &str, at: fn(&Step) -> bool, agents: u32) {
    let Some(image) = node_image() else { return };
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (kc, before) = existing_kubeconfig(dir.path());
    let mut o = opts(name, &image, kc.clone());
    o.agents = agents;
    let cancel = o.cancel.clone();
    let rec = Recorder::with_action(name, move |s| {
        if at(s) {
            cancel.store(true, Ordering::SeqCst);
        }
    });
    let err = create_cluster(&docker, &o, &rec).await.err();
    assert!(matches!(err, Some(Error::Cancelled)), "{err:?}");
    let steps = rec.steps();
    let hit = steps
        .iter()
        .position(at)
        .unwrap_or_else(|| panic!("{steps:?}"));
    // Nothing but the rollback after the step that cancelled.
    assert_eq!(&steps[hit + 1..], &[Step::RollingBack], "{steps:?}");
    assert_nothing_left(&docker, name, &rec).await;
    assert_eq!(std::fs::read(&kc).unwrap_or_default(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_engine_going_away_mid_create_leaves_nothing_once_it_is_back() {
    let Some(image) = node_image() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sock = dir.path().join("engine.sock");
    let proxy = Proxy::start(&sock, &engine_socket());
    // Create talks to the engine only through the proxy.
    let via_proxy = bollard::Docker::connect_with_unix(
        &sock.to_string_lossy(),
        120,
        bollard::API_DEFAULT_VERSION,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let (kc, before) = existing_kubeconfig(dir.path());
    let name = "it-engine-gone";
    let mut o = opts(name, &image, kc.clone());
    o.agents = 1;
    let p = proxy.clone();
    // Gone once server 0 is up (before the agents are created). When the
    // rollback starts the socket is back but the first connections are
    // dropped (a dockerd still starting), so the rollback has to retry.
    let rec = Recorder::with_action(name, move |s| match s {
        Step::Server { index: 1, .. } => p.cut(),
        Step::RollingBack => p.restore_dropping(2),
        _ => {}
    });
    let err = create_cluster(&via_proxy, &o, &rec).await.err();
    assert!(
        matches!(err, Some(Error::EngineUnreachable { .. })),
        "{err:?}"
    );
    assert!(proxy.was_cut());
    assert_eq!(
        proxy.dropped(),
        2,
        "the rollback did not meet a still-starting engine"
    );
    let steps = rec.steps();
    assert!(
        !steps.iter().any(|s| matches!(s, Step::Agents { .. })),
        "{steps:?}"
    );
    assert!(
        !rec.volumes().is_empty(),
        "the server's volumes were not seen"
    );
    assert_nothing_left(&docker, name, &rec).await;
    assert_eq!(std::fs::read(&kc).unwrap_or_default(), before);
}

fn engine_socket() -> PathBuf {
    match std::env::var("DOCKER_HOST") {
        Ok(h) if h.starts_with("unix://") => PathBuf::from(h.trim_start_matches("unix://")),
        _ => PathBuf::from("/var/run/docker.sock"),
    }
}

/// A Unix-socket proxy to the engine that can be cut (every open connection
/// shut down and the socket file removed, synchronously, so the very next
/// request fails) and restored. Plain threads: `cut` is called from a
/// synchronous progress sink and must have taken effect when it returns.
#[derive(Clone)]
struct Proxy {
    path: PathBuf,
    upstream: PathBuf,
    conns: Arc<Mutex<Vec<UnixStream>>>,
    cut: Arc<AtomicBool>,
    was_cut: Arc<AtomicBool>,
    /// Connections still to be closed at once after a restore.
    to_drop: Arc<AtomicUsize>,
    dropped: Arc<AtomicUsize>,
}

impl Proxy {
    fn start(path: &Path, upstream: &Path) -> Proxy {
        let p = Proxy {
            path: path.to_owned(),
            upstream: upstream.to_owned(),
            conns: Arc::new(Mutex::new(Vec::new())),
            cut: Arc::new(AtomicBool::new(false)),
            was_cut: Arc::new(AtomicBool::new(false)),
            to_drop: Arc::new(AtomicUsize::new(0)),
            dropped: Arc::new(AtomicUsize::new(0)),
        };
        p.listen();
        p
    }

    fn listen(&self) {
        let listener = UnixListener::bind(&self.path).unwrap_or_else(|e| panic!("{}", fail(e)));
        let me = self.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if me.cut.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(client) = client else { return };
                let dropping = me
                    .to_drop
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                if dropping {
                    me.dropped.fetch_add(1, Ordering::SeqCst);
                    drop(client);
                    continue;
                }
                let Ok(up) = UnixStream::connect(&me.upstream) else {
                    return;
                };
                if let (Ok(c2), Ok(u2), Ok(mut reg)) =
                    (client.try_clone(), up.try_clone(), me.conns.lock())
                {
                    reg.push(c2);
                    reg.push(u2);
                }
                pipe(&client, &up);
                pipe(&up, &client);
            }
        });
    }

    fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        self.was_cut.store(true, Ordering::SeqCst);
        let _ = std::fs::remove_file(&self.path);
        if let Ok(mut reg) = self.conns.lock() {
            for s in reg.drain(..) {
                let _ = s.shutdown(std::net::Shutdown::Both);
            }
        }
    }

    /// Back, but the next `n` connections are closed without an answer.
    fn restore_dropping(&self, n: usize) {
        self.to_drop.store(n, Ordering::SeqCst);
        if self.cut.swap(false, Ordering::SeqCst) {
            self.listen();
        }
    }

    fn dropped(&self) -> usize {
        self.dropped.load(Ordering::SeqCst)
    }

    fn was_cut(&self) -> bool {
        self.was_cut.load(Ordering::SeqCst)
    }
}

fn pipe(from: &UnixStream, to: &UnixStream) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    std::thread::spawn(move || {
        let mut buf = [0u8; 64 * 1024];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to.shutdown(std::net::Shutdown::Write);
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn no_engine_is_a_blocking_finding_and_create_touches_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // A socket file nobody listens on: what a stopped dockerd leaves behind.
    let sock = dir.path().join("dead.sock");
    drop(UnixListener::bind(&sock).unwrap_or_else(|e| panic!("{e}")));
    let dead = bollard::Docker::connect_with_unix(
        &sock.to_string_lossy(),
        5,
        bollard::API_DEFAULT_VERSION,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (kc, before) = existing_kubeconfig(dir.path());
    let o = opts("it-no-engine", "capstan.local/k3s-fake:latest", kc.clone());
    let req = capstan_local::spec::ClusterRequest {
        name: o.name.clone(),
        image: "capstan.local/k3s-fake:latest".into(),
        servers: 1,
        agents: 0,
        api_port: 1,
        extra_server_args: Vec::new(),
        extra_agent_args: Vec::new(),
        ports: Vec::new(),
        image_tarball: None,
        airgap_images: None,
        ..Default::default()
    };
    let findings = capstan_local::preflight(&dead, &req).await;
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].check, capstan_local::preflight::Check::Engine);
    assert_eq!(findings[0].severity, capstan_local::Severity::Blocking);
    let rec = Recorder::new("it-no-engine");
    let err = create_cluster(&dead, &o, &rec).await.err();
    assert!(
        matches!(err, Some(Error::EngineUnreachable { .. })),
        "{err:?}"
    );
    assert_eq!(
        rec.steps(),
        [],
        "nothing was started, so nothing to roll back"
    );
    assert_eq!(std::fs::read(&kc).unwrap_or_default(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn preflight_on_this_engine_blocks_only_the_taken_port() {
    if node_image().is_none() {
        return;
    }
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap_or_else(|e| panic!("{e}"));
    let port = taken.local_addr().map(|a| a.port()).unwrap_or_default();
    let req = capstan_local::spec::ClusterRequest {
        name: "it-preflight".into(),
        image: "capstan.local/k3s-fake:latest".into(),
        servers: 3,
        agents: 9,
        api_port: port,
        extra_server_args: Vec::new(),
        extra_agent_args: Vec::new(),
        ports: Vec::new(),
        image_tarball: None,
        airgap_images: None,
        ..Default::default()
    };
    let findings = capstan_local::preflight(&docker, &req).await;
    let blocking: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == capstan_local::Severity::Blocking)
        .map(|f| f.check)
        .collect();
    assert_eq!(
        blocking,
        [capstan_local::preflight::Check::ApiPort],
        "{findings:?}"
    );
    for f in &findings {
        println!(
            "preflight here: {:?} {:?}: {}",
            f.severity, f.check, f.message
        );
    }
}
