//! The k3s versions Capstan offers: `resources/k3s-versions.json` (shipped
//! with the app, included at build time), or the file named by
//! `CAPSTAN_K3S_VERSIONS` (tests point it at a list of locally tagged
//! stand-ins). A version asked for is one of the list (by k3s release name,
//! image tag, Kubernetes minor, `stable` or `latest`) or a custom tag of the
//! list's repository.

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::Error;

/// Names a JSON file that replaces the shipped list (same shape).
pub const VERSIONS_ENV: &str = "CAPSTAN_K3S_VERSIONS";

/// One k3s release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct K3sVersion {
    /// k3s's release name, e.g. `v1.34.6+k3s1`.
    pub version: String,
    /// The image by tag, e.g. `rancher/k3s:v1.34.6-k3s1`.
    pub image: String,
    /// `sha256:…` of the image index, when known; the reference used is then
    /// pinned by it.
    #[serde(default)]
    pub digest: Option<String>,
    /// The Kubernetes minor it runs, e.g. `1.34`.
    pub kubernetes: String,
    #[serde(default)]
    pub stable: bool,
    #[serde(default)]
    pub latest: bool,
}

impl K3sVersion {
    /// What the engine is asked for: pinned by digest when the list has one.
    pub fn reference(&self) -> String {
        match &self.digest {
            Some(d) if !d.is_empty() => format!("{}@{d}", self.image),
            _ => self.image.clone(),
        }
    }

    /// The image tag (`v1.34.6-k3s1`).
    pub fn tag(&self) -> &str {
        self.image.rsplit_once(':').map_or("", |(_, t)| t)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct K3sVersions {
    /// Where a custom tag is taken from (`rancher/k3s`).
    pub repository: String,
    /// Newest first.
    pub versions: Vec<K3sVersion>,
}

/// A version resolved to the image to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub image: String,
    /// The k3s version as shown (`v1.34.6+k3s1`, or the custom tag).
    pub version: String,
}

const SHIPPED: &str = include_str!("../../../resources/k3s-versions.json");

/// The list in effect: `CAPSTAN_K3S_VERSIONS`'s file when set, else the
/// shipped one.
pub fn k3s_versions() -> Result<K3sVersions, Error> {
    match std::env::var_os(VERSIONS_ENV).filter(|v| !v.is_empty()) {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(Error::io(format!(
                "the k3s version list {} ({VERSIONS_ENV})",
                std::path::Path::new(&path).display()
            )))?;
            parse(&text).map_err(|e| Error::InvalidVersion {
                version: String::new(),
                reason: format!(
                    "the list {} cannot be read: {e}",
                    std::path::Path::new(&path).display()
                ),
            })
        }
        None => parse(SHIPPED).map_err(|e| Error::InvalidVersion {
            version: String::new(),
            reason: format!("the shipped list cannot be read: {e}"),
        }),
    }
}

fn parse(text: &str) -> Result<K3sVersions, serde_json::Error> {
    serde_json::from_str(text)
}

/// An image tag as the registry accepts it: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
fn valid_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 128
        && !tag.starts_with(['.', '-'])
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

impl K3sVersions {
    /// The one marked stable, else the first.
    pub fn default_version(&self) -> Option<&K3sVersion> {
        self.versions
            .iter()
            .find(|v| v.stable)
            .or_else(|| self.versions.first())
    }

    /// `wanted` as an image: a listed version (release name, tag, Kubernetes
    /// minor such as `1.34`, `stable`, `latest`), else a custom tag of the
    /// repository (k3s's `+` becomes the image tag's `-`).
    pub fn resolve(&self, wanted: &str) -> Result<Resolved, Error> {
        let w = wanted.trim();
        let listed = |v: &K3sVersion| Resolved {
            image: v.reference(),
            version: v.version.clone(),
        };
        let found = match w {
            "stable" => self.default_version(),
            "latest" => self
                .versions
                .iter()
                .find(|v| v.latest)
                .or_else(|| self.versions.first()),
            _ => self.versions.iter().find(|v| {
                v.version == w
                    || v.tag() == w
                    || v.kubernetes == w
                    || v.kubernetes == w.trim_start_matches('v')
            }),
        };
        if let Some(v) = found {
            return Ok(listed(v));
        }
        let tag = w.replace('+', "-");
        if !valid_tag(&tag) {
            return Err(Error::InvalidVersion {
                version: wanted.to_owned(),
                reason: format!(
                    "not a listed version ({}) nor an image tag (letters, digits, '.', '_', '-')",
                    self.versions
                        .iter()
                        .map(|v| v.version.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        Ok(Resolved {
            image: format!("{}:{tag}", self.repository),
            version: tag,
        })
    }

    /// The listed version an image reference stands for, if any.
    pub fn of_image(&self, image: &str) -> Option<&K3sVersion> {
        self.versions
            .iter()
            .find(|v| v.reference() == image || v.image == image)
    }
}

/// The version shown for an image given as such (`--image`): the listed
/// release, else the image's tag.
pub fn version_of_image(image: &str) -> String {
    if let Some(v) = k3s_versions().ok().and_then(|l| l.of_image(image).cloned()) {
        return v.version;
    }
    let without_digest = image.split('@').next().unwrap_or(image);
    match without_digest.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') && !repo.is_empty() => tag.to_owned(),
        _ => "latest".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> K3sVersions {
        parse(SHIPPED).expect("the shipped list parses")
    }

    #[test]
    fn the_shipped_list_has_one_stable_and_one_latest_with_their_minor() {
        let l = list();
        assert_eq!(l.versions.iter().filter(|v| v.stable).count(), 1);
        assert_eq!(l.versions.iter().filter(|v| v.latest).count(), 1);
        for v in &l.versions {
            assert!(v.image.starts_with("rancher/k3s:v"), "{v:?}");
            // The image tag is the release name with `-` for `+`.
            assert_eq!(v.tag(), v.version.replace('+', "-"));
            assert!(
                v.version.starts_with(&format!("v{}.", v.kubernetes)),
                "{v:?}"
            );
        }
    }

    #[test]
    fn versions_resolve_by_name_tag_minor_or_channel() {
        let l = list();
        let stable = l.default_version().cloned().expect("a stable version");
        assert_eq!(
            l.resolve("stable").map(|r| r.version).ok(),
            Some(stable.version.clone())
        );
        assert_eq!(
            l.resolve(&stable.version).map(|r| r.image).ok(),
            Some(stable.reference())
        );
        assert_eq!(
            l.resolve(stable.tag()).map(|r| r.version).ok(),
            Some(stable.version.clone())
        );
        assert_eq!(
            l.resolve(&stable.kubernetes).map(|r| r.version).ok(),
            Some(stable.version)
        );
        let latest = l.resolve("latest").expect("latest");
        assert_eq!(latest.version, l.versions[0].version);
        // A custom tag, typed in k3s's spelling or the image's.
        let custom = l.resolve("v1.30.2+k3s2").expect("custom");
        assert_eq!(custom.image, "rancher/k3s:v1.30.2-k3s2");
        assert_eq!(custom.version, "v1.30.2-k3s2");
        assert!(matches!(
            l.resolve("v1 30"),
            Err(Error::InvalidVersion { .. })
        ));
        assert!(l.resolve("").is_err());
    }

    #[test]
    fn a_digest_pins_the_reference() {
        let v = K3sVersion {
            version: "v1.34.6+k3s1".into(),
            image: "rancher/k3s:v1.34.6-k3s1".into(),
            digest: Some("sha256:abc".into()),
            kubernetes: "1.34".into(),
            stable: false,
            latest: false,
        };
        assert_eq!(v.reference(), "rancher/k3s:v1.34.6-k3s1@sha256:abc");
    }

    #[test]
    fn an_image_shows_its_tag_as_version() {
        assert_eq!(version_of_image("capstan.local/k3s-fake:abc"), "abc");
        assert_eq!(version_of_image("localhost:5000/k3s"), "latest");
    }
}
