//! Classification against local fakes: a listener that never answers, a
//! closed port, an unresolvable name, and a tiny HTTPS server.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;
use crate::contexts::load_kubeconfig;

const SHORT: Duration = Duration::from_secs(2);

fn config(dir: &tempfile::TempDir, server: &str, ca_pem: Option<&str>) -> LoadedKubeconfig {
    let ca = ca_pem
        .map(|p| {
            format!(
                ", certificate-authority-data: {}",
                base64::engine::general_purpose::STANDARD.encode(p)
            )
        })
        .unwrap_or_default();
    let body = format!(
        "clusters:\n- name: c\n  cluster: {{server: \"{server}\"{ca}}}\n\
         contexts:\n- name: x\n  context: {{cluster: c, user: u}}\n\
         users:\n- name: u\n  user: {{token: secret-token}}\n"
    );
    let p: PathBuf = dir.path().join("config");
    std::fs::write(&p, body).expect("write");
    load_kubeconfig(&[p]).expect("load")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_listener_is_a_timeout_within_the_bound() {
    crate::install_crypto_provider();
    let dir = tempfile::tempdir().expect("tempdir");
    // The kernel completes the TCP handshake from the backlog; nobody speaks TLS.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let l = config(&dir, &format!("https://127.0.0.1:{port}"), None);
    let started = Instant::now();
    let c = check_connection(&l, "x", SHORT).await;
    assert_eq!(c.state, ConnectionState::Timeout, "{c:?}");
    assert!(
        started.elapsed() < SHORT + Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(listener);
}

#[tokio::test]
async fn closed_port_is_unreachable() {
    crate::install_crypto_provider();
    let dir = tempfile::tempdir().expect("tempdir");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let l = config(&dir, &format!("https://127.0.0.1:{port}"), None);
    let c = check_connection(&l, "x", SHORT).await;
    assert_eq!(c.state, ConnectionState::Unreachable, "{c:?}");
    assert!(
        c.message
            .as_deref()
            .unwrap_or("")
            .to_lowercase()
            .contains("refused"),
        "{c:?}"
    );
}

#[tokio::test]
async fn unresolvable_host_is_a_dns_error() {
    crate::install_crypto_provider();
    let dir = tempfile::tempdir().expect("tempdir");
    let l = config(&dir, "https://nonexistent.invalid:6443", None);
    let c = check_connection(&l, "x", SHORT).await;
    assert_eq!(c.state, ConnectionState::DnsError, "{c:?}");
}

/// A one-route-per-path HTTPS server with a fresh self-signed certificate;
/// returns its port and the certificate PEM.
async fn https_server(route: fn(&str) -> (u16, String)) -> (u16, String) {
    crate::install_crypto_provider();
    let key =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .expect("cert");
    let pem = key.cert.pem();
    let der = key.cert.der().clone();
    let priv_key = rustls::pki_types::PrivateKeyDer::Pkcs8(key.signing_key.serialize_der().into());
    let server = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![der], priv_key)
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf);
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (code, body) = route(&path);
                let reply = format!(
                    "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, pem)
}

fn unauthorized(_: &str) -> (u16, String) {
    (
        401,
        r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#.into(),
    )
}

fn healthy(path: &str) -> (u16, String) {
    match path {
        "/version" => (
            200,
            r#"{"major":"1","minor":"20","gitVersion":"v1.20.2","gitCommit":"x","gitTreeState":"clean","buildDate":"2021-01-13T13:20:00Z","goVersion":"go1.15","compiler":"gc","platform":"linux/amd64"}"#.into(),
        ),
        "/api" => (
            200,
            r#"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:6443"}]}"#.into(),
        ),
        _ => (404, "{}".into()),
    }
}

#[tokio::test]
async fn untrusted_certificate_is_a_tls_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (port, _) = https_server(healthy).await;
    let l = config(&dir, &format!("https://127.0.0.1:{port}"), None);
    let c = check_connection(&l, "x", SHORT).await;
    assert_eq!(c.state, ConnectionState::TlsError, "{c:?}");
    assert!(
        c.message.as_deref().unwrap_or("").contains("certificate"),
        "{c:?}"
    );
}

#[tokio::test]
async fn rejected_token_is_auth_failed_with_the_server_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (port, pem) = https_server(unauthorized).await;
    let l = config(&dir, &format!("https://127.0.0.1:{port}"), Some(&pem));
    let c = check_connection(&l, "x", SHORT).await;
    assert_eq!(c.state, ConnectionState::AuthFailed, "{c:?}");
    assert_eq!(c.message.as_deref(), Some("Unauthorized"));
    assert!(!format!("{c:?}").contains("secret-token"));
}

#[tokio::test]
async fn healthy_server_is_reachable_with_its_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (port, pem) = https_server(healthy).await;
    let l = config(&dir, &format!("https://127.0.0.1:{port}"), Some(&pem));
    let c = check_connection(&l, "x", SHORT).await;
    assert_eq!(c.state, ConnectionState::Reachable, "{c:?}");
    assert_eq!(c.server_version.as_deref(), Some("v1.20.2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_dead_cluster_does_not_hold_up_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (port, pem) = https_server(healthy).await;
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead = silent.local_addr().expect("addr").port();
    let ca = base64::engine::general_purpose::STANDARD.encode(&pem);
    let body = format!(
        "clusters:\n- name: good\n  cluster: {{server: \"https://127.0.0.1:{port}\", certificate-authority-data: {ca}}}\n\
         - name: dead\n  cluster: {{server: \"https://127.0.0.1:{dead}\"}}\n\
         contexts:\n- name: good\n  context: {{cluster: good}}\n- name: dead\n  context: {{cluster: dead}}\n\
         - name: broken\n  context: {{cluster: missing}}\n"
    );
    let p = dir.path().join("config");
    std::fs::write(&p, body).expect("write");
    let l = load_kubeconfig(&[p]).expect("load");
    let names: Vec<String> = ["dead", "good", "broken"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let started = Instant::now();
    let checks = check_connections(&l, &names, SHORT).await;
    assert!(started.elapsed() < SHORT + Duration::from_secs(2));
    let states: Vec<_> = checks.iter().map(|c| c.state).collect();
    assert_eq!(
        states,
        [
            ConnectionState::Timeout,
            ConnectionState::Reachable,
            ConnectionState::Error
        ],
        "{checks:?}"
    );
    drop(silent);
}

/// A kubeconfig whose user runs `plugin` (an absolute path) as its exec
/// credential plugin, against a closed port.
#[cfg(unix)]
fn exec_config(dir: &tempfile::TempDir, plugin: &std::path::Path) -> LoadedKubeconfig {
    let body = format!(
        "clusters:\n- name: c\n  cluster: {{server: \"https://127.0.0.1:1\", insecure-skip-tls-verify: true}}\n\
         contexts:\n- name: x\n  context: {{cluster: c, user: p}}\n\
         users:\n- name: p\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n",
        plugin.display()
    );
    let p: PathBuf = dir.path().join("config");
    std::fs::write(&p, body).expect("write");
    load_kubeconfig(&[p]).expect("load")
}

#[cfg(unix)]
fn script(dir: &tempfile::TempDir, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.path().join("plugin.sh");
    std::fs::write(&p, body).expect("write");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    p
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_hanging_exec_plugin_is_killed_at_the_deadline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pid_file = dir.path().join("pid");
    // `exec` so the plugin's own pid is the process that hangs.
    let plugin = script(
        &dir,
        &format!(
            "#!/bin/sh\necho $$ > {}\nexec sleep 100000\n",
            pid_file.display()
        ),
    );
    let l = exec_config(&dir, &plugin);
    let c = check_connection(&l, "x", SHORT).await;
    assert_eq!(c.state, ConnectionState::Timeout, "{c:?}");
    let pid = std::fs::read_to_string(&pid_file).expect("the plugin ran");
    let proc_entry = PathBuf::from(format!("/proc/{}", pid.trim()));
    // Killed and reaped by the time the check returns: not even a zombie.
    assert!(
        !proc_entry.exists(),
        "plugin process {} is still there",
        pid.trim()
    );
}

#[cfg(unix)]
#[tokio::test]
async fn an_exec_plugins_token_is_used_and_its_failure_shows_stderr_only() {
    crate::install_crypto_provider();
    let dir = tempfile::tempdir().expect("tempdir");
    let plugin = script(
        &dir,
        "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"tok\"}}'\n",
    );
    let l = exec_config(&dir, &plugin);
    // The plugin worked; the closed port is what fails.
    let c = check_connection(&l, "x", SHORT).await;
    assert_eq!(c.state, ConnectionState::Unreachable, "{c:?}");

    let dir = tempfile::tempdir().expect("tempdir");
    let plugin = script(
        &dir,
        "#!/bin/sh\necho 'LEAKED-TOKEN-VALUE'\necho 'please run: login --sso' >&2\nexit 3\n",
    );
    let l = exec_config(&dir, &plugin);
    let c = check_connection(&l, "x", SHORT).await;
    assert_eq!(c.state, ConnectionState::AuthFailed, "{c:?}");
    let msg = c.message.unwrap_or_default();
    assert!(
        msg.contains("please run: login --sso") && msg.contains("exit status 3"),
        "{msg}"
    );
    assert!(!msg.contains("LEAKED-TOKEN-VALUE"), "{msg}");
}
