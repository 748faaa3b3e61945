//! Tauri commands, one module per area. Each new command must also be listed
//! in names.rs and granted in capabilities/main.json.

pub mod about;
pub mod access;
pub mod app;
pub mod charts;
pub mod contexts;
pub mod forward;
pub mod helm;
pub mod local;
pub mod logs;
pub mod metric_charts;
pub mod metrics;
#[cfg(test)]
pub mod names;
pub mod objects;
pub mod pick;
pub mod pod_shell;
pub mod prefs;
pub mod secrets;
pub mod terminal;
pub mod views;
