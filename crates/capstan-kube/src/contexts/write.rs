//! "Make current": set `current-context` where kubectl would, atomically,
//! with a backup, keeping every other field of the file.

use std::path::{Path, PathBuf};

use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::LoadedKubeconfig;
use crate::{kubeconfig_writer, Error};

/// What "make current" would touch, for the UI's warning before the first write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct MakeCurrentPreview {
    pub file: String,
    /// The file has YAML comments, which the rewrite drops.
    pub has_comments: bool,
    /// Re-serializing changes the text beyond `current-context` (comments,
    /// quoting, indentation); key order is kept.
    pub formatting_may_change: bool,
}

/// What "make current" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct MakeCurrentOutcome {
    pub file: String,
    /// `None` when the context was already current and nothing was written.
    pub backup: Option<String>,
}

/// The file `make_current` writes: kubectl's `use-context` rule, the first
/// kubeconfig file that exists. That file's `current-context` always wins
/// the merge, so the switch takes effect for kubectl too. The app-managed
/// file is never chosen while a user file exists, since kubectl does not
/// read it.
pub fn target_file(loaded: &LoadedKubeconfig, context: &str) -> Result<PathBuf, Error> {
    let Some(source) = loaded.context_source(context) else {
        return Err(Error::ContextNotFound {
            context: context.to_string(),
            searched: loaded.searched_list(),
        });
    };
    let managed = loaded.managed_file.as_deref();
    let first_user_file = loaded.files.iter().find(|f| Some(f.as_path()) != managed);
    match first_user_file {
        Some(_) if Some(source) == managed => Err(Error::NotInUserKubeconfig {
            context: context.to_string(),
        }),
        Some(f) => Ok(f.clone()),
        None => Ok(source.to_path_buf()),
    }
}

pub fn make_current_preview(
    loaded: &LoadedKubeconfig,
    context: &str,
) -> Result<MakeCurrentPreview, Error> {
    let file = target_file(loaded, context)?;
    let text = read(&file)?;
    let rewritten = rewrite(&file, &text, context)?;
    let expected_only_change = rewrite(&file, &rewritten, context)? == rewritten
        && strip_current(&rewritten) == strip_current(&text);
    Ok(MakeCurrentPreview {
        file: file.display().to_string(),
        has_comments: text
            .lines()
            .any(|l| l.trim_start().starts_with('#') || l.contains(" #")),
        formatting_may_change: !expected_only_change,
    })
}

/// Sets `current-context: <context>` in [`target_file`] through
/// [`crate::kubeconfig_writer`]: the file is read again under its lock, the
/// previous content copied to `<file>.capstan-backup-<UTC time>`; on any
/// failure the file is left as it was.
pub fn make_current(loaded: &LoadedKubeconfig, context: &str) -> Result<MakeCurrentOutcome, Error> {
    let file = target_file(loaded, context)?;
    if loaded.merged.current_context.as_deref() == Some(context) {
        // As kubectl: already current, nothing to write.
        read(&file)?;
        return Ok(MakeCurrentOutcome {
            file: file.display().to_string(),
            backup: None,
        });
    }
    let written = kubeconfig_writer::edit(&file, |text| {
        let Some(text) = text else {
            // Gone since it was loaded: not ours to create.
            return Err(Error::KubeconfigRead {
                path: file.clone(),
                source: std::io::ErrorKind::NotFound.into(),
            });
        };
        rewrite(&file, text, context).map(Some)
    })?;
    let backup = written.and_then(|w| w.backup);
    tracing::info!(file = %file.display(), context, backup = ?backup, "current-context written");
    Ok(MakeCurrentOutcome {
        file: file.display().to_string(),
        backup: backup.map(|b| b.display().to_string()),
    })
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::KubeconfigRead {
        path: path.to_path_buf(),
        source,
    })
}

fn as_mapping(path: &Path, text: &str) -> Result<serde_yaml::Mapping, Error> {
    let invalid = |detail: String| Error::KubeconfigInvalid {
        path: path.to_path_buf(),
        detail,
    };
    if text.trim().is_empty() {
        return Ok(serde_yaml::Mapping::new());
    }
    match serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| invalid(e.to_string()))? {
        serde_yaml::Value::Mapping(m) => Ok(m),
        serde_yaml::Value::Null => Ok(serde_yaml::Mapping::new()),
        _ => Err(invalid("the top level must be a mapping".into())),
    }
}

/// Round trip through a generic YAML value: unknown fields and key order
/// survive; comments do not.
fn rewrite(path: &Path, text: &str, context: &str) -> Result<String, Error> {
    let mut map = as_mapping(path, text)?;
    map.insert("current-context".into(), context.into());
    serde_yaml::to_string(&serde_yaml::Value::Mapping(map)).map_err(|e| Error::KubeconfigInvalid {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}

fn strip_current(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("current-context:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
#[path = "write_tests.rs"]
mod tests;
