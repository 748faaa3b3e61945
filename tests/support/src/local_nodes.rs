//! The Docker side of the local-cluster tests: the k3s stand-in node image
//! and what is left labelled for a cluster.

use std::path::Path;
use std::process::Command;

use crate::prerequisites::{prerequisite_missing, require};

/// What to do when no Docker engine answers.
pub const ENGINE_HOW: &str = "start a Docker engine (scripts/test.sh starts dockerd: \
`apt-get install docker.io`), or point DOCKER_HOST at a running one";

/// What to do when the node image cannot be had.
pub const NODE_IMAGE_HOW: &str = "run `tests/cluster/cluster.sh build` (the \
Kubernetes binaries the image is made of) and start a Docker engine (scripts/test.sh \
starts dockerd: `apt-get install docker.io`; or set DOCKER_HOST); then \
`bash tests/local/build-node-image.sh` must print an image (its message above says what it lacks)";

/// The stand-in image built by tests/local/build-node-image.sh. When it
/// cannot be built (no Docker engine, no cluster binaries, ...) the test fails
/// under CI; elsewhere this prints SKIPPED with the script's reason and
/// returns None, and the caller returns.
#[track_caller]
pub fn node_image() -> Option<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../local/build-node-image.sh");
    let out = require(
        Command::new("bash").arg(&script).output(),
        "bash, to run tests/local/build-node-image.sh",
        "apt-get install bash",
    )?;
    if !out.status.success() {
        prerequisite_missing(
            "the k3s stand-in node image (tests/local/build-node-image.sh failed)",
            &format!(
                "{}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            NODE_IMAGE_HOW,
        );
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Containers, networks and volumes (the nodes' data volumes) labelled
/// `capstan.cluster=<name>`, by the docker CLI.
pub fn labelled(name: &str) -> Vec<String> {
    let filter = format!("label=capstan.cluster={name}");
    let mut found = Vec::new();
    for args in [
        vec!["ps", "-aq", "--filter", filter.as_str()],
        vec!["network", "ls", "-q", "--filter", filter.as_str()],
        vec!["volume", "ls", "-q", "--filter", filter.as_str()],
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
