//! App settings: a small JSON file in the config dir (`settings.json`).
//! Unknown keys are kept so an older build does not erase a newer one's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::{atomic, paths, Error};

/// The namespace a context was last viewed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(tag = "kind", rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum NamespaceSelection {
    /// "All namespaces".
    All,
    Named {
        name: String,
    },
}

/// Namespace names are DNS-1123 labels; anything else is refused before it
/// is saved, with the rule stated.
pub fn validate_namespace_name(name: &str) -> Result<(), Error> {
    if crate::names::is_label(name, crate::names::LABEL_MAX) {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "\"{name}\" is not a valid namespace name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit (RFC 1123 label)"
        )))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// Last namespace per context name.
    #[serde(default)]
    pub namespaces: BTreeMap<String, NamespaceSelection>,
    /// The `helm` to run for Helm actions; unset: found on PATH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helm_path: Option<PathBuf>,
    /// Pins, last views and panel sizes (see `prefs`).
    #[serde(default)]
    pub ui: crate::prefs::UiPrefs,
    /// Metrics sampling interval and Prometheus per context.
    #[serde(
        default,
        skip_serializing_if = "crate::metrics::MetricsSettings::is_default"
    )]
    pub metrics: crate::metrics::MetricsSettings,
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}

impl Settings {
    /// A missing file is empty settings; a damaged one is an error naming it.
    pub fn load_from(path: &Path) -> Result<Self, Error> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::SettingsInvalid {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(Error::KubeconfigRead {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    pub fn save_to(&self, path: &Path) -> Result<(), Error> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|e| Error::SettingsInvalid {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        bytes.push(b'\n');
        atomic::write_atomic(path, &bytes, None)
    }

    pub fn namespace(&self, context: &str) -> Option<&NamespaceSelection> {
        self.namespaces.get(context)
    }

    pub fn set_namespace(&mut self, context: &str, selection: NamespaceSelection) {
        self.namespaces.insert(context.to_string(), selection);
    }

    /// Keeps the remembered namespace when a context is renamed.
    pub fn rename_context(&mut self, from: &str, to: &str) {
        if let Some(sel) = self.namespaces.remove(from) {
            self.namespaces.insert(to.to_string(), sel);
        }
        self.ui.rename_context(from, to);
    }
}

/// `<config_dir>/settings.json`.
pub fn settings_path() -> Result<PathBuf, Error> {
    Ok(paths::config_dir()
        .ok_or(Error::NoConfigDir)?
        .join("settings.json"))
}

pub fn load_settings() -> Result<Settings, Error> {
    Settings::load_from(&settings_path()?)
}

/// The namespace to open `context` in: the remembered one, if any.
pub fn remembered_namespace(context: &str) -> Result<Option<NamespaceSelection>, Error> {
    Ok(load_settings()?.namespace(context).cloned())
}

/// Remembers `selection` for `context` (read, change, atomic write).
pub fn remember_namespace(context: &str, selection: NamespaceSelection) -> Result<(), Error> {
    if let NamespaceSelection::Named { name } = &selection {
        validate_namespace_name(name)?;
    }
    let path = settings_path()?;
    let mut s = Settings::load_from(&path)?;
    s.set_namespace(context, selection);
    s.save_to(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_round_trip_and_unknown_keys_survive() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        std::fs::write(&path, r#"{"theme":"dark","namespaces":{}}"#).expect("seed");
        let mut s = Settings::load_from(&path).expect("load");
        s.set_namespace("a", NamespaceSelection::All);
        s.set_namespace(
            "b",
            NamespaceSelection::Named {
                name: "kube-system".into(),
            },
        );
        s.save_to(&path).expect("save");
        let back = Settings::load_from(&path).expect("reload");
        assert_eq!(back.namespace("a"), Some(&NamespaceSelection::All));
        assert_eq!(
            back.namespace("b"),
            Some(&NamespaceSelection::Named {
                name: "kube-system".into()
            })
        );
        let raw: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        assert_eq!(raw["theme"], "dark");
        assert_eq!(raw["namespaces"]["a"], serde_json::json!({"kind": "all"}));
    }

    #[test]
    fn missing_file_is_empty_and_damaged_file_names_itself() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        assert_eq!(
            Settings::load_from(&path).expect("load"),
            Settings::default()
        );
        std::fs::write(&path, "{not json").expect("seed");
        let msg = Settings::load_from(&path).expect_err("damaged").to_string();
        assert!(msg.contains("settings.json"), "{msg}");
    }

    #[test]
    fn rename_moves_the_remembered_namespace() {
        let mut s = Settings::default();
        s.set_namespace("old", NamespaceSelection::All);
        s.rename_context("old", "new");
        assert_eq!(s.namespace("old"), None);
        assert_eq!(s.namespace("new"), Some(&NamespaceSelection::All));
    }
}

#[cfg(test)]
mod name_tests {
    use super::validate_namespace_name;

    #[test]
    fn namespace_names_follow_rfc_1123_labels() {
        for good in ["default", "kube-system", "a", "team-42"] {
            assert!(validate_namespace_name(good).is_ok(), "{good}");
        }
        for bad in ["", "Default", "-a", "a-", "a_b", "a.b", &"x".repeat(64)] {
            let e = validate_namespace_name(bad).expect_err(bad);
            assert!(e.to_string().contains("RFC 1123"), "{e}");
        }
    }
}
