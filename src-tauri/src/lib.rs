//! The desktop shell: window, Tauri commands and IPC. Commands are thin: they
//! parse input, call a crate and map its error to [`ipc_error::IpcError`].

mod commands;
mod ipc_error;
mod logging;
mod startup;

use std::process::ExitCode;

pub use ipc_error::{ErrorKind, IpcError};

pub fn run() -> ExitCode {
    // kube (rustls) and bollard each bring a rustls crypto provider; without
    // choosing one the first TLS connection panics (DESIGN.md §5 "TLS").
    // Err only means one is installed already, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let _log_guard = logging::init();
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "Capstan starting");

    let result = tauri::Builder::default()
        .manage(startup::Startup::now())
        .invoke_handler(tauri::generate_handler![
            commands::contexts::list_contexts,
            commands::app::app_info,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "the window could not be started");
            eprintln!("Capstan could not start its window: {e}");
            ExitCode::FAILURE
        }
    }
}
