//! The Docker side of the local-cluster tests: the k3s stand-in node image
//! and what is left labelled for a cluster.

use std::path::Path;
use std::process::Command;

/// The stand-in image built by tests/local/build-node-image.sh, or None (with
/// the reason printed) when no Docker engine answers.
pub fn node_image() -> Option<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../local/build-node-image.sh");
    let out = Command::new("bash").arg(script).output().ok()?;
    if !out.status.success() {
        eprintln!(
            "SKIPPED: no Docker engine or node image: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Containers and networks labelled `capstan.cluster=<name>`, by the docker CLI.
pub fn labelled(name: &str) -> Vec<String> {
    let filter = format!("label=capstan.cluster={name}");
    let mut found = Vec::new();
    for args in [
        vec!["ps", "-aq", "--filter", filter.as_str()],
        vec!["network", "ls", "-q", "--filter", filter.as_str()],
    ] {
        let out = Command::new("docker")
            .args(&args)
            .output()
            .unwrap_or_else(|e| panic!("docker {args:?}: {e}"));
        assert!(out.status.success(), "docker {args:?} failed");
        found.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
        );
    }
    found
}
