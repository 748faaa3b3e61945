//! What the UI remembers between runs besides the namespace: pinned contexts
//! and objects, the last view per context, and panel sizes per kind. Stored
//! in `settings.json` next to the namespaces, through the same atomic write.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::objects::ObjectRef;
use crate::settings::{settings_path, Settings};
use crate::Error;

/// Pins beyond this are refused: the sidebar and palette list them all.
pub const MAX_PINS: usize = 200;
/// Panel sizes are clamped to this many pixels, so a bad value cannot hide a panel.
const MIN_SIZE: u32 = 40;
const MAX_SIZE: u32 = 4000;

/// A pinned context or object, shown at the top of the sidebar and in the palette.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(tag = "type", rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum Pin {
    Context { context: String },
    Object { context: String, object: ObjectRef },
}

/// The view a context was last left on: a kind (its plural id) and the
/// object open in the details panel, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct LastView {
    pub kind: String,
    pub object: Option<ObjectRef>,
}

/// Sizes the user dragged, per kind (plural id): details panel width and
/// column widths by column key, in CSS pixels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct KindLayout {
    #[serde(default)]
    pub details_width: Option<u32>,
    #[serde(default)]
    pub columns: BTreeMap<String, u32>,
}

/// Everything the UI restores at start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct UiPrefs {
    #[serde(default)]
    pub pins: Vec<Pin>,
    /// Last view per context name.
    #[serde(default)]
    pub last_views: BTreeMap<String, LastView>,
    #[serde(default)]
    pub dock_height: Option<u32>,
    #[serde(default)]
    pub layouts: BTreeMap<String, KindLayout>,
}

impl UiPrefs {
    /// Refuses more than [`MAX_PINS`] pins and drops duplicates, keeping the first.
    pub fn set_pins(&mut self, pins: Vec<Pin>) -> Result<(), Error> {
        if pins.len() > MAX_PINS {
            return Err(Error::InvalidInput(format!(
                "{} pins is more than the {MAX_PINS} Capstan keeps: unpin some first",
                pins.len()
            )));
        }
        let mut kept: Vec<Pin> = Vec::with_capacity(pins.len());
        for pin in pins {
            if !kept.contains(&pin) {
                kept.push(pin);
            }
        }
        self.pins = kept;
        Ok(())
    }

    pub fn remember_view(&mut self, context: &str, view: LastView) {
        self.last_views.insert(context.to_owned(), view);
    }

    /// Stores a kind's sizes, clamped to what keeps every panel usable.
    pub fn set_layout(&mut self, kind: &str, layout: KindLayout) {
        let clamp = |v: u32| v.clamp(MIN_SIZE, MAX_SIZE);
        let layout = KindLayout {
            details_width: layout.details_width.map(clamp),
            columns: layout
                .columns
                .into_iter()
                .map(|(k, v)| (k, clamp(v)))
                .collect(),
        };
        self.layouts.insert(kind.to_owned(), layout);
    }

    pub fn set_dock_height(&mut self, height: u32) {
        self.dock_height = Some(height.clamp(MIN_SIZE, MAX_SIZE));
    }

    /// Pins and the last view follow a renamed context.
    pub fn rename_context(&mut self, from: &str, to: &str) {
        for pin in &mut self.pins {
            match pin {
                Pin::Context { context } | Pin::Object { context, .. } if context == from => {
                    *context = to.to_owned();
                }
                _ => {}
            }
        }
        if let Some(v) = self.last_views.remove(from) {
            self.last_views.insert(to.to_owned(), v);
        }
    }
}

pub fn load_prefs() -> Result<UiPrefs, Error> {
    Ok(Settings::load_from(&settings_path()?)?.ui)
}

/// Reads the settings, applies `change` to the UI part, writes them back atomically.
pub fn update_prefs(
    change: impl FnOnce(&mut UiPrefs) -> Result<(), Error>,
) -> Result<UiPrefs, Error> {
    let path = settings_path()?;
    let mut s = Settings::load_from(&path)?;
    change(&mut s.ui)?;
    s.save_to(&path)?;
    Ok(s.ui)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str) -> ObjectRef {
        ObjectRef {
            group: String::new(),
            version: "v1".into(),
            kind: "Pod".into(),
            plural: "pods".into(),
            namespace: Some("web".into()),
            name: name.into(),
        }
    }

    #[test]
    fn prefs_round_trip_beside_namespaces_and_unknown_keys() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        std::fs::write(
            &path,
            r#"{"theme":"dark","namespaces":{"a":{"kind":"all"}}}"#,
        )
        .expect("seed");
        let mut s = Settings::load_from(&path).expect("load");
        s.ui.set_pins(vec![
            Pin::Context {
                context: "a".into(),
            },
            Pin::Object {
                context: "a".into(),
                object: pod("api-0"),
            },
        ])
        .expect("pins");
        s.ui.remember_view(
            "a",
            LastView {
                kind: "deployments".into(),
                object: Some(pod("api-0")),
            },
        );
        s.save_to(&path).expect("save");

        let back = Settings::load_from(&path).expect("reload");
        assert_eq!(back.ui.pins.len(), 2);
        assert_eq!(
            back.ui.pins[1],
            Pin::Object {
                context: "a".into(),
                object: pod("api-0")
            }
        );
        assert_eq!(back.ui.last_views["a"].kind, "deployments");
        let raw: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        assert_eq!(raw["theme"], "dark");
        assert_eq!(raw["namespaces"]["a"]["kind"], "all");
        assert_eq!(raw["ui"]["pins"][0]["type"], "context");
    }

    #[test]
    fn duplicate_pins_are_dropped_and_too_many_refused() {
        let mut p = UiPrefs::default();
        let c = Pin::Context {
            context: "x".into(),
        };
        p.set_pins(vec![c.clone(), c.clone()]).expect("pins");
        assert_eq!(p.pins, vec![c]);
        let many = (0..=MAX_PINS)
            .map(|i| Pin::Context {
                context: format!("c{i}"),
            })
            .collect();
        let e = p.set_pins(many).expect_err("too many");
        assert!(e.to_string().contains("unpin"), "{e}");
        assert_eq!(p.pins.len(), 1, "a refused change keeps the old pins");
    }

    #[test]
    fn sizes_are_clamped() {
        let mut p = UiPrefs::default();
        p.set_layout(
            "pods",
            KindLayout {
                details_width: Some(1),
                columns: BTreeMap::from([("name".into(), 99_999)]),
            },
        );
        assert_eq!(p.layouts["pods"].details_width, Some(MIN_SIZE));
        assert_eq!(p.layouts["pods"].columns["name"], MAX_SIZE);
        p.set_dock_height(0);
        assert_eq!(p.dock_height, Some(MIN_SIZE));
    }

    #[test]
    fn rename_moves_pins_and_last_view() {
        let mut p = UiPrefs::default();
        p.set_pins(vec![
            Pin::Context {
                context: "old".into(),
            },
            Pin::Object {
                context: "old".into(),
                object: pod("a"),
            },
            Pin::Context {
                context: "other".into(),
            },
        ])
        .expect("pins");
        p.remember_view(
            "old",
            LastView {
                kind: "pods".into(),
                object: None,
            },
        );
        p.rename_context("old", "new");
        assert_eq!(
            p.pins[0],
            Pin::Context {
                context: "new".into()
            }
        );
        assert!(matches!(&p.pins[1], Pin::Object { context, .. } if context == "new"));
        assert_eq!(
            p.pins[2],
            Pin::Context {
                context: "other".into()
            }
        );
        assert!(p.last_views.contains_key("new") && !p.last_views.contains_key("old"));
    }
}
