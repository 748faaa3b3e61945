//! `capstan exec` and `capstan cp` against the real test cluster: output
//! and the remote exit code, stdin piped through `-i`, and a copy round trip.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use capstan_test_support::{TestCluster, TestNamespace};

const POD: &str = r#"
apiVersion: v1
kind: Pod
metadata: {name: box}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: app, image: "capstan.local/busybox:1", imagePullPolicy: Never, command: [sleep, "3600"]}
"#;

fn namespace(tag: &str) -> TestNamespace {
    let ns = TestNamespace::with_manifest(&format!("exec-cli-{tag}-{}", std::process::id()), POD);
    TestCluster::get()
        .kubectl_ok([
            "-n",
            &ns.name,
            "wait",
            "--for=condition=Ready",
            "pod/box",
            "--timeout=120s",
        ])
        .expect("pod box Ready");
    ns
}

fn capstan(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let cluster = TestCluster::get();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_capstan"))
        .args(args)
        .env("KUBECONFIG", cluster.kubeconfig_path())
        .env("CAPSTAN_CONFIG_DIR", dir.path().join("app"))
        .env("CAPSTAN_CREDENTIAL_STORE", "file")
        .env_remove("RUST_LOG")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run capstan");
    if let Some(data) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(data).expect("write stdin");
    }
    child.wait_with_output().expect("capstan output")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn exec_prints_output_and_exits_with_the_remote_code() {
    let ns = namespace("exec");
    let out = capstan(
        &["exec", "-n", &ns.name, "box", "--", "echo", "hello"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "hello\n");

    let out = capstan(
        &[
            "exec",
            "-n",
            &ns.name,
            "box",
            "--",
            "sh",
            "-c",
            "echo err >&2; exit 3",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "err\n");

    // -i: piped stdin reaches the command, and its EOF ends it.
    let out = capstan(
        &["exec", "-i", "-n", &ns.name, "box", "--", "wc", "-c"],
        Some(b"12345"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "5");

    let out = capstan(
        &["exec", "-n", &ns.name, "box", "-c", "nope", "--", "true"],
        None,
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("has no container \"nope\""),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn cp_round_trip_is_byte_identical() {
    let ns = namespace("cp");
    let dir = tempfile::tempdir().expect("tmp");
    let local = dir.path().join("data.bin");
    let data: Vec<u8> = (0..3u32 * 1024 * 1024)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    std::fs::write(&local, &data).expect("write");
    let remote = format!("{}/box:/tmp/data.bin", ns.name);
    let out = capstan(&["cp", &local.display().to_string(), &remote], None);
    assert!(out.status.success(), "upload: {}", text(&out.stderr));
    let back = dir.path().join("back.bin");
    let out = capstan(&["cp", &remote, &back.display().to_string()], None);
    assert!(out.status.success(), "download: {}", text(&out.stderr));
    assert!(
        std::fs::read(&back).expect("read back") == data,
        "the bytes differ"
    );

    let out = capstan(
        &[
            "cp",
            &format!("{}/box:/tmp/none", ns.name),
            &dir.path().join("n").display().to_string(),
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("tar in container"),
        "{}",
        text(&out.stderr)
    );
}
