//! What changed between two revisions of a release: per resource of the
//! manifest added, removed or changed (with the paths into its YAML that
//! changed), the same for the values, and unified text diffs of both.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::manifest::{split_manifest, ManifestResource};
use super::release::Release;
use super::values::computed_values;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmChangeKind"))]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One changed value at a path such as `spec.template.spec.containers[0].image`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmPathChange"))]
pub struct PathChange {
    pub path: String,
    pub change: ChangeKind,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "unknown"))]
    pub old: Option<Value>,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "unknown"))]
    pub new: Option<Value>,
}

/// One resource of the manifest that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmResourceChange"))]
pub struct ResourceChange {
    /// `Kind[.group] [namespace/]name`.
    pub key: String,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub change: ChangeKind,
    /// For a changed resource, what changed inside it.
    pub paths: Vec<PathChange>,
}

/// Everything that differs from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmRevisionDiff"))]
pub struct RevisionDiff {
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub from: i64,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub to: i64,
    /// `name-version` of each side's chart.
    pub from_chart: String,
    pub to_chart: String,
    /// User-supplied values.
    pub values: Vec<PathChange>,
    /// Chart defaults coalesced with user values.
    pub computed_values: Vec<PathChange>,
    pub resources: Vec<ResourceChange>,
    /// Unified diffs (3 lines of context), empty when equal.
    pub values_text: String,
    pub manifest_text: String,
}

pub fn diff_releases(from: &Release, to: &Release) -> RevisionDiff {
    let user_from = from.user_values();
    let user_to = to.user_values();
    let computed_from = computed_values(from.chart.values.as_ref(), &user_from);
    let computed_to = computed_values(to.chart.values.as_ref(), &user_to);
    let label = |r: &Release| format!("revision {}", r.version);
    RevisionDiff {
        from: from.version,
        to: to.version,
        from_chart: from.chart_label(),
        to_chart: to.chart_label(),
        values: diff_maps(&user_from, &user_to),
        computed_values: diff_maps(&computed_from, &computed_to),
        resources: diff_manifests(&from.manifest, &to.manifest),
        values_text: unified(
            &values_yaml(&user_from),
            &values_yaml(&user_to),
            &label(from),
            &label(to),
        ),
        manifest_text: unified(&from.manifest, &to.manifest, &label(from), &label(to)),
    }
}

/// Values as YAML, keys sorted (as `helm get values` prints them).
pub fn values_yaml(values: &Map<String, Value>) -> String {
    if values.is_empty() {
        return String::new();
    }
    serde_yaml::to_string(values).unwrap_or_default()
}

fn unified(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string()
}

pub fn diff_maps(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<PathChange> {
    let mut out = Vec::new();
    diff_objects("", old, new, &mut out);
    out
}

/// Resources matched by [`ManifestResource::key`], in the newer order
/// (removed ones after).
pub fn diff_manifests(old: &str, new: &str) -> Vec<ResourceChange> {
    let old = split_manifest(old);
    let new = split_manifest(new);
    let old_by_key: BTreeMap<String, &ManifestResource> =
        old.iter().map(|r| (r.key(), r)).collect();
    let new_keys: std::collections::HashSet<String> = new.iter().map(|r| r.key()).collect();
    let mut out = Vec::new();
    for r in &new {
        let key = r.key();
        match old_by_key.get(&key) {
            None => out.push(change_of(r, key, ChangeKind::Added, Vec::new())),
            Some(before) => {
                let mut paths = Vec::new();
                diff_values("", &before.parsed, &r.parsed, &mut paths);
                if !paths.is_empty() {
                    out.push(change_of(r, key, ChangeKind::Changed, paths));
                }
            }
        }
    }
    for r in &old {
        let key = r.key();
        if !new_keys.contains(&key) {
            out.push(change_of(r, key, ChangeKind::Removed, Vec::new()));
        }
    }
    out
}

fn change_of(
    r: &ManifestResource,
    key: String,
    change: ChangeKind,
    paths: Vec<PathChange>,
) -> ResourceChange {
    ResourceChange {
        key,
        api_version: r.api_version.clone(),
        kind: r.kind.clone(),
        name: r.name.clone(),
        namespace: r.namespace.clone(),
        change,
        paths,
    }
}

fn diff_values(path: &str, old: &Value, new: &Value, out: &mut Vec<PathChange>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => diff_objects(path, a, b, out),
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                let p = format!("{path}[{i}]");
                match (a.get(i), b.get(i)) {
                    (Some(x), Some(y)) => diff_values(&p, x, y, out),
                    (Some(x), None) => out.push(removed(p, x)),
                    (None, Some(y)) => out.push(added(p, y)),
                    (None, None) => {}
                }
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(PathChange {
            path: display_path(path),
            change: ChangeKind::Changed,
            old: Some(a.clone()),
            new: Some(b.clone()),
        }),
    }
}

fn diff_objects(
    path: &str,
    a: &Map<String, Value>,
    b: &Map<String, Value>,
    out: &mut Vec<PathChange>,
) {
    for (k, x) in a {
        let p = join(path, k);
        match b.get(k) {
            Some(y) => diff_values(&p, x, y, out),
            None => out.push(removed(p, x)),
        }
    }
    for (k, y) in b {
        if !a.contains_key(k) {
            out.push(added(join(path, k), y));
        }
    }
}

fn added(path: String, v: &Value) -> PathChange {
    PathChange {
        path: display_path(&path),
        change: ChangeKind::Added,
        old: None,
        new: Some(v.clone()),
    }
}

fn removed(path: String, v: &Value) -> PathChange {
    PathChange {
        path: display_path(&path),
        change: ChangeKind::Removed,
        old: Some(v.clone()),
        new: None,
    }
}

/// `a.b`, or `a["app.kubernetes.io/name"]` for keys that are not plain.
fn join(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", serde_json::Value::String(key.to_string())),
    }
}

/// The whole document changed (e.g. from a map to a list): path `.`.
fn display_path(path: &str) -> String {
    if path.is_empty() {
        ".".to_string()
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn values_paths_cover_added_removed_changed() {
        let a = map(json!({"replicaCount": 1, "image": {"tag": "1"}, "gone": true, "l": [1, 2]}));
        let b = map(
            json!({"replicaCount": 2, "image": {"tag": "1", "pullPolicy": "Never"}, "l": [1], "labels": {"app.kubernetes.io/x": "y"}}),
        );
        let changes = diff_maps(&a, &b);
        let got: Vec<(String, ChangeKind)> =
            changes.iter().map(|c| (c.path.clone(), c.change)).collect();
        assert_eq!(
            got,
            vec![
                ("gone".to_string(), ChangeKind::Removed),
                ("image.pullPolicy".to_string(), ChangeKind::Added),
                ("l[1]".to_string(), ChangeKind::Removed),
                ("replicaCount".to_string(), ChangeKind::Changed),
                ("labels".to_string(), ChangeKind::Added),
            ]
        );
        assert_eq!(changes[3].old, Some(json!(1)));
        assert_eq!(changes[3].new, Some(json!(2)));
    }

    #[test]
    fn odd_keys_are_quoted() {
        let a = map(json!({"m": {"app.kubernetes.io/name": "a"}}));
        let b = map(json!({"m": {"app.kubernetes.io/name": "b"}}));
        assert_eq!(diff_maps(&a, &b)[0].path, "m[\"app.kubernetes.io/name\"]");
    }

    #[test]
    fn manifests_diff_per_resource() {
        let old = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\n";
        let new = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 81\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n";
        let d = diff_manifests(old, new);
        assert_eq!(d.len(), 3);
        assert_eq!(
            (d[0].key.as_str(), d[0].change),
            ("Service s", ChangeKind::Changed)
        );
        assert_eq!(d[0].paths.len(), 1);
        assert_eq!(d[0].paths[0].path, "spec.ports[0].port");
        assert_eq!(
            (d[1].key.as_str(), d[1].change),
            ("Deployment.apps d", ChangeKind::Added)
        );
        assert_eq!(
            (d[2].key.as_str(), d[2].change),
            ("ConfigMap gone", ChangeKind::Removed)
        );
    }

    #[test]
    fn equal_texts_give_no_text_diff() {
        assert_eq!(unified("a\n", "a\n", "x", "y"), "");
        let u = unified("a\nb\n", "a\nc\n", "revision 1", "revision 2");
        assert!(u.contains("--- revision 1"), "{u}");
        assert!(u.contains("-b\n+c\n"), "{u}");
    }
}
