use serde::Serialize;
#[cfg(test)]
use ts_rs::TS;

use crate::startup::Startup;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, ts(export))]
pub struct AppInfo {
    pub version: String,
    pub log_dir: Option<String>,
}

/// Version and where the logs are. The UI calls it once when it has mounted,
/// which also marks the window interactive for the start-up benchmark.
#[tauri::command]
pub fn app_info(startup: tauri::State<'_, Startup>) -> AppInfo {
    startup.mark_interactive();
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        log_dir: capstan_kube::paths::log_dir().map(|p| p.display().to_string()),
    }
}
