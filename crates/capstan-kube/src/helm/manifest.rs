//! A release's rendered manifest split into its resources, each named by
//! apiVersion, kind, namespace and name, so the UI can link it to its view.

use serde::Serialize;
use serde_json::Value;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// One document of the manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmResource"))]
pub struct ManifestResource {
    /// The chart template it came from (`# Source: ...`).
    pub source: Option<String>,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// As written in the manifest; helm puts namespaced objects without one
    /// into the release's namespace.
    pub namespace: Option<String>,
    /// The document's YAML as helm rendered it.
    pub yaml: String,
    /// The document parsed (null when it is not valid YAML).
    #[serde(skip)]
    pub(crate) parsed: Value,
}

impl ManifestResource {
    /// What identifies the resource across revisions.
    pub fn key(&self) -> String {
        let group = self
            .api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group);
        let kind = if group.is_empty() {
            self.kind.clone()
        } else {
            format!("{}.{group}", self.kind)
        };
        match &self.namespace {
            Some(ns) => format!("{kind} {ns}/{}", self.name),
            None => format!("{kind} {}", self.name),
        }
    }
}

/// Splits on helm's `---` separators; empty documents are skipped.
pub fn split_manifest(manifest: &str) -> Vec<ManifestResource> {
    let mut docs: Vec<String> = vec![String::new()];
    for line in manifest.lines() {
        if line.trim_end() == "---" || line.starts_with("--- ") {
            docs.push(String::new());
        } else if let Some(doc) = docs.last_mut() {
            doc.push_str(line);
            doc.push('\n');
        }
    }
    docs.into_iter().filter_map(|doc| resource(&doc)).collect()
}

fn resource(doc: &str) -> Option<ManifestResource> {
    let source = doc
        .lines()
        .find_map(|l| l.strip_prefix("# Source: "))
        .map(str::to_string);
    let has_content = doc
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    if !has_content {
        return None;
    }
    let parsed: Value = serde_yaml::from_str(doc).unwrap_or(Value::Null);
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    let meta = parsed.get("metadata");
    Some(ManifestResource {
        source,
        api_version: text(parsed.get("apiVersion")),
        kind: text(parsed.get("kind")),
        name: text(meta.and_then(|m| m.get("name"))),
        namespace: meta
            .and_then(|m| m.get("namespace"))
            .and_then(Value::as_str)
            .map(str::to_string),
        yaml: doc.trim_end().to_string() + "\n",
        parsed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "---\n# Source: demo/templates/serviceaccount.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: r1-demo\n---\n# Source: demo/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: r1-demo\n  namespace: other\nspec:\n  replicas: 2\n---\n# Source: demo/templates/empty.yaml\n\n";

    #[test]
    fn splits_into_named_resources() {
        let r = split_manifest(MANIFEST);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].kind, "ServiceAccount");
        assert_eq!(r[0].name, "r1-demo");
        assert_eq!(r[0].namespace, None);
        assert_eq!(
            r[0].source.as_deref(),
            Some("demo/templates/serviceaccount.yaml")
        );
        assert_eq!(r[1].api_version, "apps/v1");
        assert_eq!(r[1].namespace.as_deref(), Some("other"));
        assert_eq!(r[1].key(), "Deployment.apps other/r1-demo");
        assert_eq!(r[1].parsed["spec"]["replicas"], 2);
        assert!(r[1].yaml.contains("replicas: 2"));
    }
}
