//! Bytes through a forward arrive intact: random payloads both ways from
//! 1 B to 50 MB on parallel connections, and 100 concurrent connections.
//! Service ports resolve by name and by number, listeners are loopback.

mod forward_support;

use std::net::SocketAddr;
use std::sync::Arc;

use capstan_kube::forward::{
    ForwardOptions, ForwardRegistry, ForwardState, PortMapping, TargetRef,
};
use forward_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn payloads_and_many_connections_arrive_intact() {
    let ns = ns("data");
    echo_workload(&ns.name, 1);
    wait_deployment(&ns.name, "echo");

    let registry = ForwardRegistry::new();
    let sink = Recorder::new();
    let status = registry
        .start(
            client().await,
            &ns.name,
            TargetRef::parse("svc/echo").expect("target"),
            vec![
                PortMapping::parse(":17000").expect("port"),
                PortMapping::parse(":web").expect("port"),
            ],
            ForwardOptions::default(),
            sink.clone(),
        )
        .await
        .expect("start");
    assert_eq!(status.state, ForwardState::Active);
    assert!(status
        .pod
        .as_deref()
        .is_some_and(|p| p.starts_with("echo-")));
    // Loopback only; the named targetPort "echo" became 7000, "web" 8080.
    assert!(status.listeners.iter().all(|l| l.local.ip().is_loopback()));
    assert!(status.listeners.iter().any(|l| l.local.is_ipv4()));
    if std::net::TcpListener::bind("[::1]:0").is_ok() {
        assert!(
            status.listeners.iter().any(|l| l.local.is_ipv6()),
            "::1 too when the system has it: {:?}",
            status.listeners
        );
    }
    let echo: Vec<SocketAddr> = status
        .listeners
        .iter()
        .filter(|l| l.remote == 7000)
        .map(|l| l.local)
        .collect();
    let web: Vec<SocketAddr> = status
        .listeners
        .iter()
        .filter(|l| l.remote == 8080)
        .map(|l| l.local)
        .collect();
    assert!(
        !echo.is_empty() && !web.is_empty(),
        "{:?}",
        status.listeners
    );
    assert!(echo.iter().all(|a| a.port() != 0));

    // httpd on the numbered targetPort answers with the pod's name, on
    // every listener (127.0.0.1 and ::1 when the system has it).
    for addr in &web {
        let body = http_get(*addr).await.expect("http through the forward");
        assert_eq!(Some(body.as_str()), status.pod.as_deref(), "via {addr}");
    }

    // Several sizes at once, each both ways, on every echo listener.
    let sizes = [1usize, 1000, 65_543, 1 << 20, 10 << 20, 50 << 20];
    let mut tasks = Vec::new();
    for (i, size) in sizes.iter().enumerate() {
        let addr = echo[i % echo.len()];
        tasks.push(tokio::spawn(echo_roundtrip(addr, *size, i as u64 + 1)));
    }
    for t in tasks {
        t.await.expect("join").expect("payload intact");
    }

    // 100 concurrent connections, each with its own 64 KiB payload.
    let mut tasks = Vec::new();
    for i in 0..100u64 {
        let addr = echo[(i as usize) % echo.len()];
        tasks.push(tokio::spawn(echo_roundtrip(
            addr,
            64 * 1024 + i as usize,
            1000 + i,
        )));
    }
    let mut failures = Vec::new();
    for t in tasks {
        if let Err(e) = t.await.expect("join") {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        failures
    );

    let st = &registry.list()[0];
    assert!(st.total_connections >= 100 + sizes.len() as u64);
    assert!(st.bytes_sent >= (61 << 20) && st.bytes_received >= (61 << 20));
    assert!(sink.errors.lock().expect("lock").is_empty());

    // Stopping frees the ports.
    registry.stop_all();
    let freed = Arc::new(echo.clone());
    assert!(
        wait(T, || freed
            .iter()
            .all(|a| std::net::TcpListener::bind(a).is_ok()))
        .await,
        "ports free after stop"
    );
}

/// `follow` pushes the list when a forward starts, when its counters move
/// and when it stops, without anyone asking for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn follow_pushes_start_traffic_and_stop() {
    let ns = ns("follow");
    echo_workload(&ns.name, 1);
    wait_deployment(&ns.name, "echo");

    let registry = Arc::new(ForwardRegistry::new());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let follower = tokio::spawn({
        let registry = registry.clone();
        async move {
            registry
                .follow(std::time::Duration::from_millis(100), |list| {
                    tx.send(list).is_ok()
                })
                .await;
        }
    });
    let mut next = async || {
        tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv())
            .await
            .expect("a list within 30 s")
            .expect("the follower runs")
    };
    assert!(next().await.is_empty(), "first the empty list");

    let status = registry
        .start(
            client().await,
            &ns.name,
            TargetRef::parse("svc/echo").expect("target"),
            vec![PortMapping::parse(":17000").expect("port")],
            ForwardOptions::default(),
            Recorder::new(),
        )
        .await
        .expect("start");
    let started = next().await;
    assert_eq!(started.len(), 1, "{started:?}");
    assert_eq!(started[0].id, status.id);

    let addr = status.listeners[0].local;
    echo_roundtrip(addr, 4096, 7).await.expect("payload intact");
    loop {
        let list = next().await;
        if list
            .first()
            .is_some_and(|f| f.bytes_sent >= 4096 && f.bytes_received >= 4096)
        {
            break;
        }
    }

    assert!(registry.stop(status.id));
    loop {
        if next().await.is_empty() {
            break;
        }
    }
    follower.abort();
}
