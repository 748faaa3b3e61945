//! `capstan forward` against the real test cluster: prints where it
//! listens, serves through a service, follows a deleted pod on the same
//! port, names a busy port, stops on Ctrl-C (SIGINT) leaving the port free.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use capstan_test_support::{eventually_blocking, TestCluster, TestNamespace};

mod common;
use common::capstan_command as capstan;

const OBJECTS: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: srv
        image: capstan.local/busybox:1
        imagePullPolicy: Never
        command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: web, port: 80, targetPort: http}]}
"#;

/// Kills the forward if the test fails before it stops it.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(addr: SocketAddr) -> Result<String, String> {
    let mut s =
        TcpStream::connect_timeout(&addr, Duration::from_secs(10)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    s.write_all(b"GET / HTTP/1.0\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut out = String::new();
    s.read_to_string(&mut out).map_err(|e| e.to_string())?;
    match out.split_once("\r\n\r\n") {
        Some((head, body)) if head.contains(" 200 ") => Ok(body.trim().to_string()),
        _ => Err(format!("unexpected reply {out:?}")),
    }
}

fn wait_for(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    TestCluster::get().wait_until(timeout, &mut f)
}

#[test]
fn forward_serves_heals_and_stops() {
    let cluster = TestCluster::get();
    let ns = TestNamespace::create(&format!("fwd-cli-{}", std::process::id()));
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("objects.yaml");
    std::fs::write(&file, OBJECTS).expect("write");
    let path = file.to_string_lossy().into_owned();
    cluster
        .kubectl_ok(["-n", &ns.name, "apply", "-f", &path])
        .expect("apply");
    cluster
        .kubectl_ok([
            "-n",
            &ns.name,
            "rollout",
            "status",
            "deployment/web",
            "--timeout=120s",
        ])
        .expect("ready");

    let child = capstan(&dir, &["forward", "-n", &ns.name, "svc/web", ":80"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut child = Running(child);
    let stderr = child.0.stderr.take().expect("stderr");
    let errors = Arc::new(Mutex::new(String::new()));
    let err_sink = errors.clone();
    std::thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(stderr).read_to_string(&mut s);
        err_sink.lock().expect("lock").push_str(&s);
    });
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let stdout = child.0.stdout.take().expect("stdout");
    let sink = lines.clone();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            sink.lock().expect("lock").push(line);
        }
    });
    let text = || {
        format!(
            "{}\n{}",
            lines.lock().expect("lock").join("\n"),
            errors.lock().expect("lock")
        )
    };
    assert!(
        wait_for(Duration::from_secs(60), || text()
            .contains("Forwarding from 127.0.0.1:")),
        "output: {}",
        text()
    );
    let addr: SocketAddr = text()
        .lines()
        .find_map(|l| l.strip_prefix("Forwarding from 127.0.0.1:"))
        .and_then(|rest| rest.split_once(" -> "))
        .map(|(port, remote)| {
            assert_eq!(remote, "8080", "named targetPort resolved");
            format!("127.0.0.1:{port}").parse().expect("addr")
        })
        .expect("listener line");

    let first = get(addr).expect("get through the forward");
    assert!(first.starts_with("web-"), "{first}");

    cluster.delete_pod(&ns.name, &first);
    let mut tries = 0;
    let mut second = String::new();
    assert!(
        wait_for(Duration::from_secs(90), || {
            tries += 1;
            match get(addr) {
                Ok(b) if b != first => {
                    second = b;
                    true
                }
                _ => false,
            }
        }),
        "no replacement pod served; output: {}",
        text()
    );
    println!("replacement {second} after {tries} tries");
    assert!(
        text().contains("Reconnecting:") || text().contains("Active again"),
        "state changes printed: {}",
        text()
    );

    // A busy local port is a clear error naming it.
    let busy = std::net::TcpListener::bind(addr).err();
    assert!(busy.is_some(), "the forward holds its port");
    let out = capstan(
        &dir,
        &[
            "forward",
            "-n",
            &ns.name,
            "svc/web",
            &format!("{}:80", addr.port()),
        ],
    )
    .output()
    .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("local port {}", addr.port())),
        "{err}"
    );

    // Ctrl-C stops it and frees the port.
    let status = Command::new("kill")
        .args(["-INT", &child.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = eventually_blocking(Duration::from_secs(30), || {
        child
            .0
            .try_wait()
            .expect("wait")
            .ok_or("still running after SIGINT")
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(exit.success(), "{exit:?}");
    reader.join().expect("reader");
    std::net::TcpListener::bind(addr).expect("port free after Ctrl-C");
}
