//! Secrets against the real cluster: details of each common type, reveal,
//! edits with a real conflict, and creation with local checks.

mod secrets_support;

use capstan_kube::secrets::decode::RevealedValue;
use capstan_kube::secrets::{
    create_secret, reveal_key, secret_details, secret_usage, update_secret, KeyChange, NewSecret,
    SecretValue,
};
use capstan_kube::Error;
use capstan_test_support::TestCluster;
use secrets_support::*;

fn val(s: &str) -> SecretValue {
    SecretValue::new(s.as_bytes().to_vec())
}

fn server_value(ns: &str, name: &str, key: &str) -> Option<String> {
    let s = TestCluster::get()
        .kubectl_json(["get", "secret", "-n", ns, name])
        .expect("get secret");
    let b = s["data"][key].as_str()?.to_string();
    use base64::Engine;
    Some(
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .expect("b64"),
        )
        .expect("utf8"),
    )
}

#[tokio::test]
async fn details_of_each_type_without_values() {
    let ns = ns("sec-details");
    copy_seeded(&ns.name);
    let client = client().await;

    let opaque = secret_details(client.clone(), &ns.name, "demo-opaque")
        .await
        .expect("opaque");
    assert_eq!(opaque.type_, "Opaque");
    let keys: Vec<(&str, usize)> = opaque
        .keys
        .iter()
        .map(|k| (k.key.as_str(), k.size))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("binary", 7),
            ("multiline", 23),
            ("password", 15),
            ("username", 5)
        ]
    );
    assert!(!opaque.resource_version.is_empty());

    let reg = secret_details(client.clone(), &ns.name, "demo-registry")
        .await
        .expect("registry");
    let docker = reg.docker.expect("docker view");
    assert_eq!(docker.registries[0].server, "registry.capstan.local");
    assert_eq!(docker.registries[0].username.as_deref(), Some("demo"));

    let tls = secret_details(client.clone(), &ns.name, "demo-tls")
        .await
        .expect("tls");
    let cert = tls.tls.expect("cert info");
    assert!(
        cert.subject.contains("demo.capstan.local"),
        "{}",
        cert.subject
    );
    assert!(
        cert.sans.iter().any(|s| s == "*.demo.capstan.local"),
        "{:?}",
        cert.sans
    );
    assert!(tls.warnings.is_empty(), "{:?}", tls.warnings);

    let sa = secret_details(client.clone(), &ns.name, "demo-sa-token")
        .await
        .expect("sa token");
    assert_eq!(sa.service_account.as_deref(), Some("demo-sa"));

    let helm = secret_details(client.clone(), &ns.name, "sh.helm.release.v1.demo.v1")
        .await
        .expect("helm");
    let release = helm.helm.expect("release");
    assert_eq!(
        (release.name.as_str(), release.chart.as_str()),
        ("demo", "demo")
    );
    assert_eq!(release.status, "deployed");

    // No value, raw or base64, in anything the UI receives.
    let all = serde_json::to_string(&[&opaque]).expect("json")
        + &serde_json::to_string(&[&reg.keys]).expect("json")
        + &docker.masked_json;
    for v in seeded_values() {
        assert!(!all.contains(&v), "a value leaked into details");
    }

    let missing = secret_details(client.clone(), &ns.name, "no-such")
        .await
        .expect_err("missing");
    assert!(missing.to_string().contains("does not exist"), "{missing}");
}

#[tokio::test]
async fn reveal_update_and_a_real_conflict() {
    let ns = ns("sec-update");
    let client = client().await;
    create_secret(
        client.clone(),
        &ns.name,
        "app",
        NewSecret::Opaque {
            pairs: vec![
                ("user".into(), val("alice")),
                ("pass".into(), val("first-pass")),
            ],
        },
    )
    .await
    .expect("create");

    let v = reveal_key(client.clone(), &ns.name, "app", "pass")
        .await
        .expect("reveal");
    assert_eq!(
        v,
        RevealedValue::Text {
            text: "first-pass".into()
        }
    );
    let no_key = reveal_key(client.clone(), &ns.name, "app", "nope")
        .await
        .expect_err("no key");
    assert!(no_key.to_string().contains("no key \"nope\""), "{no_key}");

    let d = secret_details(client.clone(), &ns.name, "app")
        .await
        .expect("details");
    let rv = update_secret(
        client.clone(),
        &ns.name,
        "app",
        &d.resource_version,
        vec![
            KeyChange::Set {
                key: "pass".into(),
                value: val("second-pass"),
            },
            KeyChange::Remove { key: "user".into() },
        ],
    )
    .await
    .expect("update");
    assert_ne!(rv, d.resource_version);
    assert_eq!(
        server_value(&ns.name, "app", "pass").as_deref(),
        Some("second-pass")
    );
    assert_eq!(server_value(&ns.name, "app", "user"), None);

    // Someone edits with kubectl between our read and our save.
    let before = secret_details(client.clone(), &ns.name, "app")
        .await
        .expect("details");
    TestCluster::get()
        .kubectl_ok([
            "patch",
            "secret",
            "-n",
            &ns.name,
            "app",
            "--type=merge",
            "-p",
            &format!("{{\"data\":{{\"pass\":\"{}\"}}}}", b64("kubectl-pass")),
        ])
        .expect("kubectl patch");
    let err = update_secret(
        client.clone(),
        &ns.name,
        "app",
        &before.resource_version,
        vec![KeyChange::Set {
            key: "pass".into(),
            value: val("our-pass"),
        }],
    )
    .await
    .expect_err("conflict");
    assert!(matches!(err, Error::SecretConflict { .. }), "{err}");
    assert!(!err.to_string().contains("our-pass"));
    assert_eq!(
        server_value(&ns.name, "app", "pass").as_deref(),
        Some("kubectl-pass")
    );

    // A bad key is refused before anything is sent.
    let fresh = secret_details(client.clone(), &ns.name, "app")
        .await
        .expect("details");
    let err = update_secret(
        client.clone(),
        &ns.name,
        "app",
        &fresh.resource_version,
        vec![KeyChange::Set {
            key: "bad key".into(),
            value: val("x-value"),
        }],
    )
    .await
    .expect_err("bad key");
    assert!(err.to_string().contains("letters, digits"), "{err}");

    // An immutable secret: the server refuses (422) and says why, no value.
    apply(&serde_json::json!({
        "apiVersion": "v1", "kind": "Secret", "immutable": true,
        "metadata": {"name": "frozen", "namespace": ns.name},
        "data": {"k": b64("frozen-value")}
    }));
    let f = secret_details(client.clone(), &ns.name, "frozen")
        .await
        .expect("details");
    let err = update_secret(
        client.clone(),
        &ns.name,
        "frozen",
        &f.resource_version,
        vec![KeyChange::Set {
            key: "k".into(),
            value: val("thawed-value"),
        }],
    )
    .await
    .expect_err("immutable");
    let msg = err.to_string();
    assert!(msg.contains("invalid"), "{msg}");
    assert!(
        !msg.contains("thawed-value") && !msg.contains("frozen-value"),
        "{msg}"
    );
}

fn cert_pair() -> (String, String) {
    let mut p = rcgen::CertificateParams::new(vec!["sec.example.com".into()]).expect("params");
    p.distinguished_name
        .push(rcgen::DnType::CommonName, "sec.example.com");
    let kp = rcgen::KeyPair::generate().expect("key");
    let c = p.self_signed(&kp).expect("cert");
    (c.pem(), kp.serialize_pem())
}

#[tokio::test]
async fn create_each_type_and_refusals() {
    let ns = ns("sec-create");
    let client = client().await;
    create_secret(
        client.clone(),
        &ns.name,
        "plain",
        NewSecret::Opaque {
            pairs: vec![("a.key".into(), val("alpha-value"))],
        },
    )
    .await
    .expect("opaque");
    assert_eq!(
        server_value(&ns.name, "plain", "a.key").as_deref(),
        Some("alpha-value")
    );

    let (cert, key) = cert_pair();
    create_secret(
        client.clone(),
        &ns.name,
        "web-tls",
        NewSecret::Tls {
            cert: cert.clone().into_bytes(),
            key: val(&key),
        },
    )
    .await
    .expect("tls");
    let d = secret_details(client.clone(), &ns.name, "web-tls")
        .await
        .expect("details");
    assert_eq!(d.type_, "kubernetes.io/tls");
    assert!(d.tls.expect("cert").subject.contains("sec.example.com"));

    create_secret(
        client.clone(),
        &ns.name,
        "pull",
        NewSecret::DockerRegistry {
            server: "reg.example.com".into(),
            username: "bob".into(),
            password: val("registry-pass"),
            email: Some("bob@example.com".into()),
        },
    )
    .await
    .expect("registry");
    let d = secret_details(client.clone(), &ns.name, "pull")
        .await
        .expect("details");
    assert_eq!(
        d.docker.expect("view").registries[0].server,
        "reg.example.com"
    );

    let bad_name = create_secret(
        client.clone(),
        &ns.name,
        "Bad_Name",
        NewSecret::Opaque { pairs: vec![] },
    )
    .await
    .expect_err("bad name");
    assert!(bad_name.to_string().contains("DNS-1123"), "{bad_name}");
    let bad_key = create_secret(
        client.clone(),
        &ns.name,
        "ok-name",
        NewSecret::Opaque {
            pairs: vec![("no/slash".into(), val("slash-value"))],
        },
    )
    .await
    .expect_err("bad key");
    assert!(bad_key.to_string().contains("letters, digits"), "{bad_key}");
    assert!(!bad_key.to_string().contains("slash-value"));
    let (_, other_key) = cert_pair();
    let mismatch = create_secret(
        client.clone(),
        &ns.name,
        "mismatch",
        NewSecret::Tls {
            cert: cert.into_bytes(),
            key: val(&other_key),
        },
    )
    .await
    .expect_err("mismatch");
    assert!(
        mismatch.to_string().contains("does not match"),
        "{mismatch}"
    );
    let exists = create_secret(
        client.clone(),
        &ns.name,
        "plain",
        NewSecret::Opaque {
            pairs: vec![("b".into(), val("beta-value"))],
        },
    )
    .await
    .expect_err("exists");
    assert!(exists.to_string().contains("already exists"), "{exists}");
    let listed = TestCluster::get()
        .kubectl_ok(["get", "secrets", "-n", &ns.name, "-o", "name"])
        .expect("list");
    assert!(
        !listed.contains("ok-name") && !listed.contains("mismatch"),
        "{listed}"
    );
}

#[tokio::test]
async fn usage_by_pods() {
    let ns = ns("sec-usage");
    let client = client().await;
    create_secret(
        client.clone(),
        &ns.name,
        "creds",
        NewSecret::Opaque {
            pairs: vec![("pw".into(), val("usage-value"))],
        },
    )
    .await
    .expect("create");
    apply(&serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "user", "namespace": ns.name},
        "spec": {
            "imagePullSecrets": [{"name": "creds"}],
            "containers": [{
                "name": "app", "image": "capstan.local/busybox:1", "imagePullPolicy": "Never",
                "command": ["sleep", "3600"],
                "env": [{"name": "PW", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "pw"}}}],
                "envFrom": [{"secretRef": {"name": "creds"}}]
            }],
            "volumes": [
                {"name": "v1", "secret": {"secretName": "creds"}},
                {"name": "v2", "projected": {"sources": [{"secret": {"name": "creds"}}]}}
            ]
        }
    }));
    apply(&serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "bystander", "namespace": ns.name},
        "spec": {"containers": [{"name": "app", "image": "capstan.local/busybox:1",
            "imagePullPolicy": "Never", "command": ["sleep", "3600"]}]}
    }));
    let uses = secret_usage(client.clone(), &ns.name, "creds")
        .await
        .expect("usage");
    assert_eq!(uses.len(), 1, "{uses:?}");
    assert_eq!(uses[0].pod, "user");
    assert_eq!(
        uses[0].how,
        vec![
            "env PW (container app)",
            "envFrom (container app)",
            "volume v1",
            "projected volume v2",
            "imagePullSecrets"
        ]
    );
}
