//! The Helm 3/4 release record (`release.v1`) as stored: only the fields
//! Capstan shows. Chart templates and files are skipped while parsing.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// One revision of a release, decoded from its storage record.
#[derive(Clone, Deserialize)]
pub struct Release {
    pub name: String,
    #[serde(default)]
    pub namespace: String,
    /// The revision.
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub info: Info,
    #[serde(default)]
    pub chart: Chart,
    /// The user-supplied values (`helm get values`). May hold secrets.
    #[serde(default)]
    pub config: Option<Map<String, Value>>,
    #[serde(default)]
    pub manifest: String,
    #[serde(default)]
    pub hooks: Option<Vec<Hook>>,
}

// Values and manifests may hold secrets: Debug names the release only.
impl std::fmt::Debug for Release {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Release({}/{} v{})",
            self.namespace, self.name, self.version
        )
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Info {
    #[serde(default)]
    pub first_deployed: Option<String>,
    #[serde(default)]
    pub last_deployed: Option<String>,
    #[serde(default)]
    pub deleted: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Clone, Default, Deserialize)]
pub struct Chart {
    #[serde(default)]
    pub metadata: Option<ChartMetadata>,
    /// The chart's default values (`values.yaml`).
    #[serde(default)]
    pub values: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChartMetadata {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default, rename = "appVersion")]
    pub app_version: String,
}

/// A hook as stored, e.g. a `test` Pod or a `pre-install` Job (field
/// names as helm writes them).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmHook"))]
pub struct Hook {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    /// The template it came from.
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub manifest: String,
    #[serde(default)]
    pub events: Vec<String>,
    #[serde(default)]
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub weight: i64,
    #[serde(default)]
    pub delete_policies: Vec<String>,
    #[serde(default)]
    pub last_run: Option<HookRun>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmHookRun"))]
pub struct HookRun {
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub completed_at: Option<String>,
    #[serde(default)]
    pub phase: String,
}

impl Release {
    pub fn chart_name(&self) -> &str {
        self.chart.metadata.as_ref().map_or("", |m| m.name.as_str())
    }

    pub fn chart_version(&self) -> &str {
        self.chart
            .metadata
            .as_ref()
            .map_or("", |m| m.version.as_str())
    }

    pub fn app_version(&self) -> &str {
        self.chart
            .metadata
            .as_ref()
            .map_or("", |m| m.app_version.as_str())
    }

    /// `name-version`, as `helm list` prints the chart.
    pub fn chart_label(&self) -> String {
        format!("{}-{}", self.chart_name(), self.chart_version())
    }

    /// When this revision was deployed (`helm list`'s UPDATED), Unix ms.
    pub fn updated_ms(&self) -> Option<i64> {
        parse_time(self.info.last_deployed.as_deref()?)
    }

    pub fn user_values(&self) -> Map<String, Value> {
        self.config.clone().unwrap_or_default()
    }

    pub fn hooks(&self) -> &[Hook] {
        self.hooks.as_deref().unwrap_or_default()
    }
}

/// Helm writes RFC 3339 times (Go's `time.Time` JSON); Unix ms.
pub fn parse_time(text: &str) -> Option<i64> {
    text.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}
