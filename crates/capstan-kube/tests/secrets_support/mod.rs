//! Shared by the secrets cluster tests: a client, a throw-away namespace and
//! copies of the seeded secrets (tests/cluster/seed/40-secrets.yaml).
#![allow(dead_code)]

#[path = "../cluster_client/mod.rs"]
mod cluster_client;

use base64::Engine;
use capstan_test_support::TestCluster;

pub const SEEDED: &[&str] = &[
    "demo-opaque",
    "demo-registry",
    "demo-basic-auth",
    "demo-sa-token",
    "demo-tls",
    "demo-ssh",
    "sh.helm.release.v1.demo.v1",
];

pub async fn client() -> kube::Client {
    cluster_client::client_and_context().await.0
}

pub use capstan_test_support::TestNamespace as Ns;

/// A namespace `name`, deleted (without waiting) when dropped.
pub fn ns(name: &str) -> Ns {
    Ns::create(name)
}

/// kubectl apply of a JSON object.
pub fn apply(obj: &serde_json::Value) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("obj.json");
    std::fs::write(&path, obj.to_string()).expect("write");
    TestCluster::get()
        .kubectl_ok(["apply", "-f", path.to_str().expect("utf8 path")])
        .expect("kubectl apply");
}

/// The seeded secret `name` from capstan-demo, as JSON.
pub fn seeded(name: &str) -> serde_json::Value {
    TestCluster::get()
        .kubectl_json(["get", "secret", "-n", "capstan-demo", name])
        .expect("seeded secret")
}

/// Copies seeded secrets (and the service account the token needs) into `ns`.
pub fn copy_seeded(ns: &str) {
    apply(&serde_json::json!({
        "apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": "demo-sa", "namespace": ns}
    }));
    for name in SEEDED {
        let src = seeded(name);
        let mut data = src["data"].clone();
        if *name == "demo-sa-token" {
            // The token controller fills these for the copy's own account.
            data = serde_json::json!({});
        }
        apply(&serde_json::json!({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": {
                "name": name, "namespace": ns,
                "annotations": src["metadata"]["annotations"].as_object()
                    .map(|a| a.iter().filter(|(k, _)| !k.starts_with("kubectl.kubernetes.io") && !k.ends_with("service-account.uid"))
                        .map(|(k, v)| (k.clone(), v.clone())).collect::<serde_json::Map<_, _>>())
                    .unwrap_or_default(),
            },
            "type": src["type"], "data": data,
        }));
    }
}

/// Every seeded value, raw and as the API's base64, for leak checks. Short
/// values (under 6 bytes) are left out: they would match by accident.
pub fn seeded_values() -> Vec<String> {
    let mut out = Vec::new();
    for name in SEEDED {
        let s = seeded(name);
        for (k, v) in s["data"].as_object().into_iter().flatten() {
            // Public parts (certificates, the token's namespace) may be shown.
            if ["namespace", "ca.crt", "tls.crt"].contains(&k.as_str()) {
                continue;
            }
            let b64 = v.as_str().unwrap_or_default().to_string();
            let raw = base64::engine::general_purpose::STANDARD
                .decode(&b64)
                .unwrap_or_default();
            if raw.len() >= 6 {
                out.push(b64);
                if let Ok(t) = String::from_utf8(raw) {
                    // Multi-line values: any long line is enough to leak.
                    out.extend(
                        t.lines()
                            .filter(|l| l.len() >= 12 && !l.starts_with("-----"))
                            .map(str::to_string),
                    );
                    out.push(t);
                }
            }
        }
    }
    out.extend(["s3cr3t-Passw0rd".to_string(), "basic-s3cret".to_string()]);
    out
}

pub fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}
