//! The one place that decides where Capstan keeps its files (DESIGN.md §5
//! "Paths": Tauri's own dirs name other folders, so nothing uses those).

use std::path::PathBuf;

use directories::ProjectDirs;

fn project() -> Option<ProjectDirs> {
    ProjectDirs::from("dev", "Capstan", "Capstan")
}

/// Settings and the app-managed kubeconfig. `CAPSTAN_CONFIG_DIR` overrides it
/// (tests and portable setups).
pub fn config_dir() -> Option<PathBuf> {
    std::env::var_os("CAPSTAN_CONFIG_DIR")
        .map(PathBuf::from)
        .or_else(|| project().map(|p| p.config_dir().to_path_buf()))
}

/// Rolling diagnostic logs. `CAPSTAN_LOG_DIR` overrides it.
pub fn log_dir() -> Option<PathBuf> {
    std::env::var_os("CAPSTAN_LOG_DIR")
        .map(PathBuf::from)
        .or_else(|| project().map(|p| p.data_local_dir().join("logs")))
}
