//! The chart a release was made from, written back to a directory so
//! `helm upgrade` can take "the same chart" with edited values. Helm stores
//! the chart's metadata, templates, files, values and schema in every
//! release, but not its subcharts: a chart with dependencies is refused.

use std::path::Path;

use base64::Engine;
use serde::Deserialize;
use serde_json::Value;

use super::storage::decode_payload_as;
use crate::Error;

#[derive(Deserialize)]
struct StoredRelease {
    #[serde(default)]
    chart: Option<StoredChart>,
}

#[derive(Deserialize)]
struct StoredChart {
    #[serde(default)]
    metadata: Option<Value>,
    #[serde(default)]
    templates: Option<Vec<StoredFile>>,
    #[serde(default)]
    files: Option<Vec<StoredFile>>,
    #[serde(default)]
    values: Option<Value>,
    /// values.schema.json, base64 (Go's []byte).
    #[serde(default)]
    schema: Option<String>,
}

#[derive(Deserialize)]
struct StoredFile {
    name: String,
    /// base64 (Go's []byte).
    #[serde(default)]
    data: Option<String>,
}

/// Writes the chart of a release record (`payload` as in storage) into
/// `dir`, which must be empty.
pub fn write_chart(payload: &[u8], dir: &Path, release: &str) -> Result<(), Error> {
    let bad = |detail: String| {
        Error::InvalidInput(format!(
            "the chart of release {release} cannot be rebuilt from its record: {detail}"
        ))
    };
    let stored: StoredRelease = decode_payload_as(payload).map_err(bad)?;
    let chart = stored
        .chart
        .ok_or_else(|| bad("the record holds no chart".into()))?;
    let metadata = chart.metadata.unwrap_or(Value::Null);
    let has_deps = metadata
        .get("dependencies")
        .and_then(Value::as_array)
        .is_some_and(|d| !d.is_empty());
    if has_deps {
        return Err(Error::NotSupported {
            action: "upgrade".into(),
            what: format!("release {release} with edited values"),
            reason: "its chart has subcharts, which helm does not keep in the release; upgrade it with helm from its chart (helm upgrade --reuse-values ...)".into(),
        });
    }
    let write = |rel: &str, bytes: &[u8]| -> Result<(), Error> {
        let rel_path = Path::new(rel);
        // A name from the record never leaves the directory.
        if rel_path.is_absolute()
            || rel_path
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(bad(format!("the chart names a file outside itself: {rel}")));
        }
        let path = dir.join(rel_path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::WriteFile {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, bytes).map_err(|source| Error::WriteFile { path, source })
    };
    let yaml = |v: &Value| serde_yaml::to_string(v).map_err(|e| bad(e.to_string()));
    write("Chart.yaml", yaml(&metadata)?.as_bytes())?;
    write(
        "values.yaml",
        yaml(&chart.values.unwrap_or(Value::Object(Default::default())))?.as_bytes(),
    )?;
    let b64 = |s: &Option<String>| {
        base64::engine::general_purpose::STANDARD
            .decode(s.as_deref().unwrap_or(""))
            .map_err(|e| bad(format!("a file is not base64: {e}")))
    };
    if let Some(schema) = chart.schema.as_ref().filter(|s| !s.is_empty()) {
        write("values.schema.json", &b64(&Some(schema.clone()))?)?;
    }
    for f in chart
        .templates
        .iter()
        .flatten()
        .chain(chart.files.iter().flatten())
    {
        write(&f.name, &b64(&f.data)?)?;
    }
    Ok(())
}
