//! What the About dialog and the diagnostics say about this build: version,
//! commit (embedded by build.rs from `git rev-parse`, or
//! `CAPSTAN_GIT_COMMIT` for builds outside a checkout) and the versions it
//! was tested with.

use serde::Serialize;
#[cfg(test)]
use ts_rs::TS;

/// The Kubernetes version of the test cluster (`tests/cluster`, built from
/// `k8s.io/kubernetes` at this version): the server this build is tested
/// against. A test checks it against `tests/cluster/gomod/kubernetes/go.mod`.
pub const TESTED_KUBERNETES: &str = "1.35.4";

/// The k3s release of the default local-cluster node image; a test checks it
/// against `capstan_local::spec::default_image`.
pub const TESTED_K3S: &str = "v1.34.6+k3s1";

/// The commit this binary was built from ("unknown" outside a checkout).
pub const COMMIT: &str = env!("CAPSTAN_GIT_COMMIT");

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub struct AboutInfo {
    pub version: String,
    pub commit: String,
    pub tested_kubernetes: String,
    pub tested_k3s: String,
    pub os: String,
}

pub fn about() -> AboutInfo {
    AboutInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        commit: COMMIT.to_string(),
        tested_kubernetes: TESTED_KUBERNETES.to_string(),
        tested_k3s: TESTED_K3S.to_string(),
        os: os_description(),
    }
}

/// "linux x86_64 (Debian GNU/Linux 12 (bookworm))": the platform, and on
/// Linux the distribution from os-release.
pub fn os_description() -> String {
    let base = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        });
    match pretty {
        Some(name) if cfg!(target_os = "linux") => format!("{base} ({name})"),
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_file(rel: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn the_tested_kubernetes_is_the_test_clusters() {
        let gomod = repo_file("tests/cluster/gomod/kubernetes/go.mod");
        assert!(
            gomod.contains(&format!("k8s.io/kubernetes v{TESTED_KUBERNETES}")),
            "tests/cluster builds another Kubernetes: update TESTED_KUBERNETES"
        );
    }

    #[test]
    fn the_tested_k3s_is_the_default_node_image() {
        // The image tag spells k3s's "+" as "-".
        let tag = TESTED_K3S.replace('+', "-");
        if std::env::var_os(capstan_local::spec::IMAGE_ENV).is_none() {
            let image = capstan_local::spec::default_image();
            assert!(
                image.ends_with(&format!(":{tag}")),
                "the default node image is {image}: update TESTED_K3S"
            );
        }
    }

    #[test]
    fn about_names_version_and_commit() {
        let info = about();
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert!(!info.commit.is_empty());
        assert!(info.os.contains(std::env::consts::OS), "{}", info.os);
    }
}
