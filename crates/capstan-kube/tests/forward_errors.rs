//! Bad input fails before anything listens, with a message a user can act
//! on, and leaves no listener behind.

mod forward_support;

use capstan_kube::forward::{
    ForwardOptions, ForwardRegistry, ForwardStatus, NoSink, PortMapping, TargetRef,
};
use capstan_kube::Error;
use capstan_test_support::free_port;
use forward_support::*;

async fn start_typed(
    registry: &ForwardRegistry,
    ns: &str,
    target: &str,
    ports: &[&str],
) -> Result<ForwardStatus, Error> {
    let target = TargetRef::parse(target)?;
    let ports = ports
        .iter()
        .map(|p| PortMapping::parse(p))
        .collect::<Result<Vec<_>, _>>()?;
    registry
        .start(
            client().await,
            ns,
            target,
            ports,
            ForwardOptions::default(),
            std::sync::Arc::new(NoSink),
        )
        .await
}

async fn start(
    registry: &ForwardRegistry,
    ns: &str,
    target: &str,
    ports: &[&str],
) -> Result<ForwardStatus, String> {
    start_typed(registry, ns, target, ports)
        .await
        .map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_clear_error_and_leaves_no_listener() {
    let ns = ns("errors");
    echo_workload(&ns.name, 1);
    plain_pod(&ns.name, "plain");
    apply(
        &ns.name,
        &serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "unready"},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "unready"}},
                "template": {"metadata": {"labels": {"app": "unready"}}, "spec": {
                    "terminationGracePeriodSeconds": 1,
                    "containers": [{
                        "name": "c", "image": "capstan.local/busybox:1",
                        "imagePullPolicy": "Never",
                        "command": ["sleep", "100000"],
                        "readinessProbe": {"tcpSocket": {"port": 9}, "periodSeconds": 1}
                    }]
                }}
            }
        }),
    );
    wait_deployment(&ns.name, "echo");
    wait_ready_pod(&ns.name, "plain");
    let registry = ForwardRegistry::new();
    let ns = &ns.name;

    // Invalid targets.
    let e = start(&registry, ns, "cm/x", &["80"])
        .await
        .expect_err("kind");
    assert!(e.contains("svc/NAME"), "{e}");
    let e = start_typed(&registry, ns, "nope", &["80"])
        .await
        .expect_err("pod");
    assert!(matches!(e, Error::TargetNotFound { .. }), "{e}");
    assert!(e.to_string().contains("pod \"nope\" not found"), "{e}");
    let e = start(&registry, ns, "deploy/nope", &["80"])
        .await
        .expect_err("deployment");
    assert!(e.contains("not found"), "{e}");
    let e = start(&registry, ns, "svc/echo", &["x:80"])
        .await
        .expect_err("mapping");
    assert!(e.contains("[LOCAL:]REMOTE"), "{e}");

    // A service without selector has no pods.
    let e = start_typed(&registry, ns, "svc/nosel", &[":80"])
        .await
        .expect_err("no selector");
    assert!(matches!(e, Error::ServiceWithoutSelector { .. }), "{e}");
    assert!(e.to_string().contains("no selector"), "{e}");

    // Unknown port names: on a service, on a pod, on a deployment's pod.
    let e = start_typed(&registry, ns, "svc/echo", &[":nope"])
        .await
        .expect_err("svc port");
    assert!(matches!(e, Error::UnknownServicePort { .. }), "{e}");
    // The message names the ports there are.
    let e = e.to_string();
    assert!(e.contains("has no port nope") && e.contains("(web)"), "{e}");
    let e = start_typed(&registry, ns, "plain", &[":nope"])
        .await
        .expect_err("pod port");
    assert!(matches!(e, Error::UnknownPortName { .. }), "{e}");
    let e = e.to_string();
    assert!(
        e.contains("no container port named \"nope\"") && e.contains("http"),
        "{e}"
    );
    let e = start(&registry, ns, "deploy/echo", &[":nope"])
        .await
        .expect_err("deploy port");
    assert!(e.contains("no container port named \"nope\""), "{e}");

    // No ready pod.
    let e = start_typed(&registry, ns, "deploy/unready", &[":80"])
        .await
        .expect_err("unready");
    assert!(matches!(e, Error::NoReadyPod { .. }), "{e}");
    assert!(e.to_string().contains("no ready pod"), "{e}");

    // A busy local port is named; the mapping before it does not stay bound.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let busy_port = busy.local_addr().expect("addr").port();
    let first = free_port();
    let e = start_typed(
        &registry,
        ns,
        "svc/echo",
        &[&format!("{first}:17000"), &format!("{busy_port}:web")],
    )
    .await
    .expect_err("busy");
    assert!(
        matches!(&e, Error::PortInUse { port, .. } if *port == busy_port),
        "{e}"
    );
    let e = e.to_string();
    assert!(
        e.contains(&format!("local port {busy_port}")) && e.contains("already in use"),
        "{e}"
    );
    std::net::TcpListener::bind(("127.0.0.1", first)).expect("first port free again");
    drop(busy);
    assert!(registry.list().is_empty());

    // Named ports work on a plain pod and a deployment.
    let st = start(&registry, ns, "plain", &[":http"])
        .await
        .expect("pod forward");
    assert_eq!(st.listeners[0].remote, 8080);
    assert_eq!(http_get(st.listeners[0].local).await.expect("get"), "plain");
    let st = start(&registry, ns, "deploy/echo", &[":http"])
        .await
        .expect("deploy forward");
    assert_eq!(st.listeners[0].remote, 8080);
    let body = http_get(st.listeners[0].local).await.expect("get");
    assert!(body.starts_with("echo-"), "{body}");
    registry.stop_all();
}
