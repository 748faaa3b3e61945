//! A namespace of one test's own in the shared cluster: created (after any
//! leftover of an aborted run is gone) and ready for pods, deleted when the
//! guard is dropped, so a failing test cleans up too.

use crate::TestCluster;

/// Deletes the namespace (without waiting) when dropped.
#[derive(Debug)]
pub struct TestNamespace {
    /// The namespace's name.
    pub name: String,
}

impl TestNamespace {
    /// Creates `name` in the test cluster; panics when it cannot, since no
    /// test can go on without it.
    pub fn create(name: &str) -> Self {
        let cluster = TestCluster::get();
        // Left over from an aborted run: wait until it is gone.
        let _ = cluster.kubectl([
            "delete",
            "namespace",
            name,
            "--wait=true",
            "--ignore-not-found",
        ]);
        if let Err(e) = cluster.create_namespace(name) {
            panic!("creating test namespace {name}: {e:#}");
        }
        Self {
            name: name.to_string(),
        }
    }

    /// Like [`TestNamespace::create`], then applies `manifest` in it.
    pub fn with_manifest(name: &str, manifest: &str) -> Self {
        let ns = Self::create(name);
        let file = std::env::temp_dir().join(format!("{name}-{}.yaml", std::process::id()));
        if let Err(e) = std::fs::write(&file, manifest) {
            panic!("writing {}: {e}", file.display());
        }
        let applied =
            TestCluster::get().kubectl_ok(["-n", name, "apply", "-f", &file.display().to_string()]);
        let _ = std::fs::remove_file(&file);
        if let Err(e) = applied {
            panic!("applying the manifest of test namespace {name}: {e:#}");
        }
        ns
    }

    /// Waits (up to 2 minutes) until each of `pods` in this namespace is Ready.
    pub fn wait_ready(&self, pods: &[&str]) {
        let names: Vec<String> = pods.iter().map(|p| format!("pod/{p}")).collect();
        let mut args = vec!["-n", &self.name, "wait", "--for=condition=Ready"];
        args.extend(names.iter().map(String::as_str));
        args.push("--timeout=120s");
        if let Err(e) = TestCluster::get().kubectl_ok(args) {
            panic!("pods {pods:?} in {} not Ready: {e:#}", self.name);
        }
    }
}

impl Drop for TestNamespace {
    fn drop(&mut self) {
        let _ = TestCluster::get().kubectl(["delete", "namespace", &self.name, "--wait=false"]);
    }
}
