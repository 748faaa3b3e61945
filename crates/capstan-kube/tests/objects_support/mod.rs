//! Shared by the objects_* test binaries: a client, a namespace of the
//! test's own (deleted on drop), and object references.

#![allow(dead_code)]

use std::time::Duration;

use capstan_kube::objects::ObjectRef;
use capstan_test_support::TestCluster;

pub async fn client() -> (kube::Client, String) {
    capstan_kube::install_crypto_provider();
    let cluster = TestCluster::get();
    let loaded =
        capstan_kube::contexts::load_kubeconfig(&[cluster.kubeconfig_path().to_path_buf()])
            .expect("load kubeconfig");
    let context = loaded.merged.current_context.clone().expect("context");
    let client = capstan_kube::contexts::client(&loaded, &context)
        .await
        .expect("client");
    (client, context)
}

pub fn kubectl(args: &[&str]) -> String {
    TestCluster::get().kubectl_ok(args).expect("kubectl")
}

pub fn kubectl_json(args: &[&str]) -> serde_json::Value {
    TestCluster::get().kubectl_json(args).expect("kubectl")
}

/// Applies YAML from stdin-free temp file.
pub fn kubectl_apply(ns: &str, yaml: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("o.yaml");
    std::fs::write(&path, yaml).expect("write");
    kubectl(&["-n", ns, "apply", "-f", path.to_str().expect("utf8")]);
}

pub use capstan_test_support::TestNamespace as Ns;

/// A namespace `obj-<test>` of one test, deleted when dropped.
pub fn ns(test: &str) -> Ns {
    Ns::create(&format!("obj-{test}"))
}

pub fn oref(
    group: &str,
    version: &str,
    kind: &str,
    plural: &str,
    ns: Option<&str>,
    name: &str,
) -> ObjectRef {
    ObjectRef {
        group: group.into(),
        version: version.into(),
        kind: kind.into(),
        plural: plural.into(),
        namespace: ns.map(str::to_string),
        name: name.into(),
    }
}

pub fn deployment_ref(ns: &str, name: &str) -> ObjectRef {
    oref("apps", "v1", "Deployment", "deployments", Some(ns), name)
}

pub fn configmap_ref(ns: &str, name: &str) -> ObjectRef {
    oref("", "v1", "ConfigMap", "configmaps", Some(ns), name)
}

pub fn pod_ref(ns: &str, name: &str) -> ObjectRef {
    oref("", "v1", "Pod", "pods", Some(ns), name)
}

/// A deployment of the busybox image serving nothing, with a named port
/// and resource requests so the details have something to show.
pub fn deployment_yaml(name: &str, replicas: u32) -> String {
    format!(
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: capstan.local/busybox:1
        imagePullPolicy: Never
        command: ["sleep", "100000"]
        ports:
        - {{name: http, containerPort: 8080}}
        resources:
          requests: {{cpu: 10m, memory: 8Mi}}
          limits: {{memory: 32Mi}}
"#
    )
}

pub fn bare_pod_yaml(name: &str) -> String {
    format!(
        r#"apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: capstan.local/busybox:1
    imagePullPolicy: Never
    command: ["sleep", "100000"]
"#
    )
}

pub fn rollout(ns: &str, name: &str) {
    kubectl(&[
        "-n",
        ns,
        "rollout",
        "status",
        &format!("deployment/{name}"),
        "--timeout=120s",
    ]);
}

/// Polls `f` (async) until true or `timeout` (the shared
/// [`capstan_test_support::eventually`]).
pub async fn eventually<F, Fut>(timeout: Duration, mut f: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    capstan_test_support::eventually(timeout, || {
        let check = f();
        async move {
            if check.await {
                Ok(())
            } else {
                Err(())
            }
        }
    })
    .await
    .is_ok()
}

/// Names of `kind` objects in `ns` (via kubectl).
pub fn names(ns: &str, kind: &str) -> Vec<String> {
    let v = kubectl_json(&["-n", ns, "get", kind]);
    v["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["metadata"]["name"].as_str().map(str::to_string))
        .collect()
}
