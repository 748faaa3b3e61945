//! Create from YAML: every document of a `---` stream on its own, so one
//! bad document does not stop the others.

use kube::api::{Api, DynamicObject, PostParams};
use serde_yaml::Value;

use super::common::{map_err, status_code};
use super::{CreateResult, ObjectRef};
use crate::discovery::{discover_kinds, KindInfo};
use crate::Error;

/// Creates each document, resolving apiVersion+kind through discovery and
/// putting namespaced objects without a namespace into `default_namespace`.
/// Only a failed discovery is an `Err`; per-document problems are in the
/// results.
pub async fn create_yaml(
    client: &kube::Client,
    context: &str,
    default_namespace: &str,
    yaml: &str,
) -> Result<Vec<CreateResult>, Error> {
    let kinds = discover_kinds(client, context).await?;
    let mut out = Vec::new();
    for (index, doc) in split_documents(yaml).into_iter().enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let (label, result) = create_one(client, context, &kinds, default_namespace, &doc).await;
        match result {
            Ok(created) => out.push(CreateResult {
                index,
                label,
                created: Some(created),
                error: None,
            }),
            Err(e) => out.push(CreateResult {
                index,
                label,
                created: None,
                error: Some(e),
            }),
        }
    }
    Ok(out)
}

/// One document: its text and the 1-based line it starts on.
#[derive(Debug, PartialEq)]
pub(crate) struct Doc {
    pub text: String,
    pub first_line: usize,
}

/// Splits at `---` lines, dropping documents that hold only blanks and
/// comments. Done by hand so a syntax error in one document leaves the
/// others readable.
pub(crate) fn split_documents(yaml: &str) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut cur = String::new();
    let mut first = 1;
    let flush = |cur: &mut String, first: usize, docs: &mut Vec<Doc>| {
        let meaningful = cur
            .lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        if meaningful {
            docs.push(Doc {
                text: std::mem::take(cur),
                first_line: first,
            });
        }
        cur.clear();
    };
    for (i, line) in yaml.lines().enumerate() {
        if line == "---" || line.starts_with("--- ") {
            flush(&mut cur, first, &mut docs);
            first = i + 2;
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
    }
    flush(&mut cur, first, &mut docs);
    docs
}

async fn create_one(
    client: &kube::Client,
    context: &str,
    kinds: &[KindInfo],
    default_namespace: &str,
    doc: &Doc,
) -> (String, Result<ObjectRef, String>) {
    let value: Value = match serde_yaml::from_str(&doc.text) {
        Ok(v) => v,
        Err(e) => {
            let where_ = e
                .location()
                .map(|l| format!("line {}: ", l.line() + doc.first_line - 1))
                .unwrap_or_default();
            let msg = e.to_string();
            // The parser's own "at line N" counts within the document.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            return (
                label_of_text(&doc.text),
                Err(format!("invalid YAML, {where_}{msg}")),
            );
        }
    };
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let name = value
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let label = format!("{}/{}", if kind.is_empty() { "?" } else { &kind }, name);
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if kind.is_empty() || api_version.is_empty() {
        return (
            label,
            Err("the document needs both apiVersion and kind".into()),
        );
    }
    let (group, version) = match api_version.rsplit_once('/') {
        Some((g, v)) => (g.to_string(), v.to_string()),
        None => (String::new(), api_version.to_string()),
    };
    let Some(info) = kinds.iter().find(|k| k.group == group && k.kind == kind) else {
        return (
            label,
            Err(format!(
                "this cluster has no kind \"{kind}\" in API group \"{}\" (is its CRD installed?)",
                if group.is_empty() { "core" } else { &group }
            )),
        );
    };
    let mut obj: DynamicObject = match serde_json::to_value(&value).and_then(serde_json::from_value)
    {
        Ok(o) => o,
        Err(e) => return (label, Err(format!("not a Kubernetes object: {e}"))),
    };
    let namespace = if info.namespaced {
        let ns = obj
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| default_namespace.to_string());
        obj.metadata.namespace = Some(ns.clone());
        Some(ns)
    } else {
        obj.metadata.namespace = None;
        None
    };
    let reference = ObjectRef {
        group,
        version,
        kind: kind.clone(),
        plural: info.plural.clone(),
        namespace,
        name: name.clone(),
    };
    let ar = super::common::api_resource(&reference);
    let api: Api<DynamicObject> = match &reference.namespace {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &ar),
        None => Api::all_with(client.clone(), &ar),
    };
    match api.create(&PostParams::default(), &obj).await {
        Ok(created) => {
            let mut reference = reference;
            if let Some(n) = created.metadata.name {
                // generateName: the server picked the name.
                reference.name = n;
            }
            (label, Ok(reference))
        }
        Err(e) if status_code(&e) == Some(404) => {
            let msg = match &reference.namespace {
                Some(ns) => format!(
                    "apiVersion \"{api_version}\" is not served here or namespace \"{ns}\" does not exist (this cluster serves {kind} at {}/{})",
                    info.group, info.version
                ),
                None => format!("apiVersion \"{api_version}\" is not served by this cluster"),
            };
            (label, Err(msg))
        }
        Err(e) => {
            let what = format!("{kind} \"{name}\"");
            (label, Err(map_err(context, "create", &what, e).to_string()))
        }
    }
}

/// `kind/name` dug out of text that does not parse, for the result label.
fn label_of_text(text: &str) -> String {
    let find = |key: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim().to_string()))
            .unwrap_or_default()
    };
    let kind = find("kind:");
    format!(
        "{}/{}",
        if kind.is_empty() { "?" } else { &kind },
        find("name:")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_documents_and_keeps_line_numbers() {
        let y = "# c\n---\na: 1\n---\n\n---\nb: 2\nc: 3\n";
        let d = split_documents(y);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].first_line, 3);
        assert_eq!(d[1].first_line, 7);
        assert_eq!(d[1].text, "b: 2\nc: 3\n");
        assert_eq!(split_documents("x: 1").len(), 1);
    }
}
