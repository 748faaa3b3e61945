//! Forwards saved per context, for users who opt in ("restore these
//! forwards when Capstan starts"): a small JSON file in the config dir
//! (`forwards.json`), written atomically. Off unless a context's entry says
//! `enabled`; turning it off drops that context's list.
//!
//! Every change is read-modify-write of the file on disk, so one context's
//! change never loses another's (a second window or instance).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::spec::{PortMapping, TargetRef};
use crate::{atomic, paths, Error};

/// The file name inside the config dir.
pub const FILE_NAME: &str = "forwards.json";

/// One forward to start again: what the user asked for, with the local port
/// it got (so `:80` comes back on the same port, and bookmarks keep working).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct SavedForward {
    pub namespace: String,
    pub target: TargetRef,
    pub ports: Vec<PortMapping>,
    /// Bind address other than loopback; None = 127.0.0.1 and ::1.
    #[serde(default)]
    pub address: Option<String>,
}

impl SavedForward {
    /// A running forward as saved: each mapping's local port pinned to the
    /// port it was bound to (`bound`, same order as `ports`).
    pub fn pinned(
        namespace: &str,
        target: TargetRef,
        ports: &[PortMapping],
        bound: &[u16],
        address: Option<String>,
    ) -> Self {
        let ports = ports
            .iter()
            .enumerate()
            .map(|(i, m)| PortMapping {
                local: bound.get(i).copied().or(m.local),
                remote: m.remote.clone(),
            })
            .collect();
        Self {
            namespace: namespace.to_string(),
            target,
            ports,
            address,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContextEntry {
    #[serde(default)]
    enabled: bool,
    #[serde(default)]
    forwards: Vec<SavedForward>,
}

/// The whole file. Unknown keys are kept so an older build does not erase
/// what a newer one wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedForwards {
    #[serde(default)]
    contexts: BTreeMap<String, ContextEntry>,
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}

impl SavedForwards {
    /// A missing file is "nothing saved"; a damaged one is an error naming
    /// it (and nothing here ever writes over it).
    pub fn load_from(path: &Path) -> Result<Self, Error> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::SavedForwardsInvalid {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(Error::SavedForwardsInvalid {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }),
        }
    }

    /// Replaces the file atomically (temp file, fsync, rename).
    pub fn save_to(&self, path: &Path) -> Result<(), Error> {
        let mut bytes =
            serde_json::to_vec_pretty(self).map_err(|e| Error::SavedForwardsInvalid {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })?;
        bytes.push(b'\n');
        atomic::write_atomic(path, &bytes, None)
    }

    pub fn enabled(&self, context: &str) -> bool {
        self.contexts.get(context).is_some_and(|c| c.enabled)
    }

    /// The forwards saved for `context` (empty when it is not enabled).
    pub fn forwards(&self, context: &str) -> &[SavedForward] {
        match self.contexts.get(context) {
            Some(c) if c.enabled => &c.forwards,
            _ => &[],
        }
    }

    /// On: an empty list until forwards are set. Off: the context's entry
    /// goes, list included.
    pub fn set_enabled(&mut self, context: &str, on: bool) {
        if on {
            self.contexts
                .entry(context.to_string())
                .or_default()
                .enabled = true;
        } else {
            self.contexts.remove(context);
        }
    }

    /// Replaces `context`'s list (duplicates dropped, order kept). Ignored
    /// when the context is not enabled: nothing is saved without opt-in.
    /// True when something changed.
    pub fn set_forwards(&mut self, context: &str, forwards: Vec<SavedForward>) -> bool {
        let Some(entry) = self.contexts.get_mut(context).filter(|c| c.enabled) else {
            return false;
        };
        let mut unique: Vec<SavedForward> = Vec::with_capacity(forwards.len());
        for f in forwards {
            if !unique.contains(&f) {
                unique.push(f);
            }
        }
        if entry.forwards == unique {
            return false;
        }
        entry.forwards = unique;
        true
    }

    /// Keeps a context's list when it is renamed.
    pub fn rename_context(&mut self, from: &str, to: &str) {
        if let Some(entry) = self.contexts.remove(from) {
            self.contexts.insert(to.to_string(), entry);
        }
    }
}

/// `<config_dir>/forwards.json`.
pub fn saved_forwards_path() -> Result<PathBuf, Error> {
    Ok(paths::config_dir()
        .ok_or(Error::NoConfigDir)?
        .join(FILE_NAME))
}

/// Reads the file, applies `change`, and writes it back only when `change`
/// returns true. A damaged file is an error and stays as it is.
pub fn update(
    path: &Path,
    change: impl FnOnce(&mut SavedForwards) -> bool,
) -> Result<SavedForwards, Error> {
    let mut saved = SavedForwards::load_from(path)?;
    if change(&mut saved) {
        saved.save_to(path)?;
    }
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forward::{RemotePort, TargetKind};

    fn fwd(name: &str, local: u16) -> SavedForward {
        SavedForward {
            namespace: "shop".into(),
            target: TargetRef {
                kind: TargetKind::Service,
                name: name.into(),
            },
            ports: vec![PortMapping {
                local: Some(local),
                remote: RemotePort::Name("http".into()),
            }],
            address: None,
        }
    }

    fn temp() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(FILE_NAME);
        (dir, path)
    }

    #[test]
    fn round_trip_keeps_forwards_and_unknown_keys() {
        let (_dir, path) = temp();
        std::fs::write(&path, r#"{"contexts": {}, "future": [1, 2]}"#).expect("seed");
        let written = update(&path, |s| {
            s.set_enabled("kind", true);
            s.set_forwards("kind", vec![fwd("web", 8080), fwd("api", 9090)])
        })
        .expect("update");
        let read = SavedForwards::load_from(&path).expect("load");
        assert_eq!(read, written);
        assert!(read.enabled("kind"));
        assert_eq!(read.forwards("kind"), &[fwd("web", 8080), fwd("api", 9090)]);
        let raw: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        assert_eq!(raw["future"], serde_json::json!([1, 2]));
        assert_eq!(
            raw["contexts"]["kind"]["forwards"][0]["ports"][0],
            serde_json::json!({"local": 8080, "remote": {"type": "name", "value": "http"}})
        );
    }

    #[test]
    fn missing_file_is_nothing_saved_and_off() {
        let (_dir, path) = temp();
        let s = SavedForwards::load_from(&path).expect("load");
        assert!(!s.enabled("kind"));
        assert!(s.forwards("kind").is_empty());
        // Reading never creates the file.
        assert!(!path.exists());
    }

    #[test]
    fn nothing_is_saved_without_opt_in() {
        let (_dir, path) = temp();
        update(&path, |s| s.set_forwards("kind", vec![fwd("web", 8080)])).expect("update");
        assert!(!path.exists(), "a context that is off writes nothing");
    }

    #[test]
    fn corrupt_file_is_a_clear_error_and_left_untouched() {
        let (_dir, path) = temp();
        let junk = b"{\"contexts\": {\"kind\": [oops";
        std::fs::write(&path, junk).expect("seed");
        let e = update(&path, |s| {
            s.set_enabled("kind", true);
            true
        })
        .expect_err("invalid file");
        let msg = e.to_string();
        assert!(matches!(e, Error::SavedForwardsInvalid { .. }), "{msg}");
        assert!(
            msg.contains(FILE_NAME) && msg.contains("fix or delete it"),
            "{msg}"
        );
        assert_eq!(std::fs::read(&path).expect("read"), junk);
    }

    #[test]
    fn contexts_are_isolated() {
        let (_dir, path) = temp();
        update(&path, |s| {
            s.set_enabled("a", true);
            s.set_enabled("b", true);
            s.set_forwards("a", vec![fwd("web", 8080)]);
            s.set_forwards("b", vec![fwd("db", 5432)])
        })
        .expect("seed");
        // A change to "a" made from a fresh read keeps "b" as it was.
        update(&path, |s| s.set_forwards("a", vec![])).expect("clear a");
        let s = SavedForwards::load_from(&path).expect("load");
        assert!(s.forwards("a").is_empty());
        assert_eq!(s.forwards("b"), &[fwd("db", 5432)]);
        // Turning "b" off drops its list; "a" stays on.
        update(&path, |s| {
            s.set_enabled("b", false);
            true
        })
        .expect("off");
        let s = SavedForwards::load_from(&path).expect("load");
        assert!(!s.enabled("b") && s.forwards("b").is_empty());
        assert!(s.enabled("a"));
        // Renaming carries the list over.
        let mut s = s;
        s.set_forwards("a", vec![fwd("web", 1)]);
        s.rename_context("a", "c");
        assert_eq!(s.forwards("c"), &[fwd("web", 1)]);
        assert!(!s.enabled("a"));
    }

    #[test]
    fn duplicates_are_saved_once_and_unchanged_lists_not_rewritten() {
        let mut s = SavedForwards::default();
        s.set_enabled("kind", true);
        assert!(s.set_forwards("kind", vec![fwd("web", 1), fwd("web", 1), fwd("api", 2)]));
        assert_eq!(s.forwards("kind").len(), 2);
        assert!(!s.set_forwards("kind", vec![fwd("web", 1), fwd("api", 2)]));
    }

    #[test]
    fn write_is_atomic_no_temp_file_left_and_old_content_replaced_whole() {
        let (dir, path) = temp();
        update(&path, |s| {
            s.set_enabled("kind", true);
            s.set_forwards("kind", (0..50).map(|i| fwd("web", 8000 + i)).collect())
        })
        .expect("big");
        update(&path, |s| s.set_forwards("kind", vec![fwd("web", 1)])).expect("small");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            vec![FILE_NAME.to_string()],
            "temp files left: {names:?}"
        );
        let s = SavedForwards::load_from(&path).expect("whole file, no tail of the old one");
        assert_eq!(s.forwards("kind"), &[fwd("web", 1)]);
    }

    #[test]
    fn pinned_takes_the_bound_ports() {
        let ports = vec![
            PortMapping::parse(":80").expect("valid"),
            PortMapping::parse("http").expect("valid"),
        ];
        let target = TargetRef::parse("svc/web").expect("valid");
        let f = SavedForward::pinned("shop", target, &ports, &[40123, 8080], None);
        assert_eq!(f.ports[0].local, Some(40123));
        assert_eq!(f.ports[0].remote, RemotePort::Number(80));
        assert_eq!(f.ports[1].local, Some(8080));
        assert_eq!(f.ports[1].remote, RemotePort::Name("http".into()));
    }
}
