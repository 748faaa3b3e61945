//! The desktop shell: window, Tauri commands and IPC. Commands are thin: they
//! parse input, call a crate and map its error to [`ipc_error::IpcError`].

mod about;
mod commands;
mod diagnostics;
mod ipc_error;
mod logging;
#[cfg(test)]
mod security_tests;
mod sessions;
mod startup;
mod terminal;

use std::process::ExitCode;

use capstan_kube::secrets::SecretClipboard;

pub use ipc_error::{ErrorKind, IpcError};

pub fn run() -> ExitCode {
    // kube (rustls) and bollard each bring a rustls crypto provider; without
    // choosing one the first TLS connection panics (DESIGN.md §5 "TLS").
    capstan_kube::install_crypto_provider();
    let _log_guard = logging::init();
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "Capstan starting");
    // Started from a desktop menu the app has a short PATH: ask the login
    // shell now, so finding exec plugins, helm and kubectl never waits on it.
    capstan_kube::login_path::resolve_in_background();

    let result = tauri::Builder::default()
        .manage(startup::Startup::now())
        .manage(commands::contexts::WatchSlot::default())
        .manage(std::sync::Arc::new(capstan_kube::ClientCache::default()))
        .manage(commands::views::Views::new("view"))
        .manage(commands::metrics::TableMetricsViews::new("table metrics"))
        .manage(commands::metric_charts::MetricsChartFeeds::new(
            "metrics chart feed",
        ))
        .manage(commands::metrics::MetricsHubs::default())
        .manage(std::sync::Arc::new(
            capstan_kube::access::AccessCache::default(),
        ))
        .manage(commands::helm::HelmViews::new("helm release view"))
        .manage(commands::logs::LogSessions::new("log session"))
        .manage(std::sync::Arc::new(commands::charts::ChartSessions::new()))
        .manage(capstan_kube::forward::ForwardRegistry::new())
        .manage(commands::forward::ForwardWatches::new("forward watch"))
        .manage(capstan_kube::forward::SavedForwardsState::default())
        // Scoped in capabilities/main.json: loopback URLs only, text write only.
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        // Used from Rust only (commands::pick): the page gets no dialog permission.
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::local::LocalCreates::default())
        .manage(terminal::TerminalSessions::new("terminal"))
        .manage(std::sync::Arc::new(commands::pod_shell::Copies::new(
            "copy",
        )))
        .setup(|app| {
            use tauri::Manager;
            app.manage(commands::secrets::secret_clipboard(app.handle().clone()));
            Ok(())
        })
        .on_page_load(|webview, _payload| {
            // A reloaded page has lost its channels: stop what fed them.
            use tauri::Manager;
            webview.state::<commands::views::Views>().close_all();
            webview
                .state::<commands::metrics::TableMetricsViews>()
                .close_all();
            webview
                .state::<commands::metric_charts::MetricsChartFeeds>()
                .close_all();
            webview.state::<commands::helm::HelmViews>().close_all();
            webview.state::<commands::logs::LogSessions>().close_all();
            webview
                .state::<commands::forward::ForwardWatches>()
                .close_all();
            webview.state::<terminal::TerminalSessions>().close_all();
            webview
                .state::<std::sync::Arc<commands::charts::ChartSessions>>()
                .close_all();
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::about::about_info,
            commands::about::copy_diagnostics,
            commands::about::open_log_folder,
            commands::contexts::list_contexts,
            commands::contexts::check_connection,
            commands::contexts::make_current_preview,
            commands::contexts::make_current,
            commands::contexts::list_namespaces,
            commands::contexts::get_namespace,
            commands::contexts::set_namespace,
            commands::prefs::ui_prefs,
            commands::prefs::set_pins,
            commands::prefs::remember_view,
            commands::prefs::set_layout,
            commands::prefs::set_dock_height,
            commands::contexts::add_cluster,
            commands::contexts::remove_context,
            commands::contexts::rename_context,
            commands::contexts::watch_kubeconfig,
            commands::views::discover_kinds,
            commands::views::open_view,
            commands::views::close_view,
            commands::metrics::open_view_metrics,
            commands::metrics::close_view_metrics,
            commands::metric_charts::open_metrics_charts,
            commands::metric_charts::close_metrics_charts,
            commands::metrics::cluster_overview,
            commands::access::access_matrix,
            commands::access::access_check,
            commands::access::access_refresh,
            commands::objects::object_details,
            commands::objects::object_yaml,
            commands::objects::object_events,
            commands::objects::apply_yaml,
            commands::objects::create_yaml,
            commands::objects::delete_object,
            commands::objects::scale_object,
            commands::objects::restart_rollout,
            commands::objects::cordon_node,
            commands::objects::drain_node,
            commands::logs::open_logs,
            commands::logs::close_logs,
            commands::logs::download_log,
            commands::logs::save_text,
            commands::forward::forward_ports,
            commands::forward::start_forward,
            commands::forward::list_forwards,
            commands::forward::stop_forward,
            commands::forward::stop_all_forwards,
            commands::forward::watch_forwards,
            commands::forward::close_forward_watch,
            commands::secrets::secret_details,
            commands::secrets::reveal_secret_key,
            commands::secrets::copy_secret_key,
            commands::secrets::update_secret,
            commands::secrets::create_secret,
            commands::secrets::secret_usage,
            commands::forward::saved_forwards,
            commands::forward::set_saved_forwards,
            commands::forward::restore_saved_forwards,
            commands::forward::retry_saved_forward,
            commands::forward::dismiss_saved_forward,
            commands::local::engine_status,
            commands::local::local_node_images,
            commands::local::list_local_clusters,
            commands::local::reset_local_cluster,
            commands::local::upgrade_local_cluster,
            commands::local::create_local_cluster,
            commands::local::local_preflight,
            commands::pick::pick_archive,
            commands::local::cancel_local_create,
            commands::local::start_local_cluster,
            commands::local::stop_local_cluster,
            commands::local::delete_local_cluster,
            commands::local::add_local_agent,
            commands::local::import_local_image,
            commands::terminal::open_node_shell,
            commands::terminal::open_context_terminal,
            commands::terminal::terminal_input,
            commands::terminal::terminal_resize,
            commands::terminal::close_terminal,
            commands::pod_shell::open_pod_shell,
            commands::pod_shell::attach_pod,
            commands::pod_shell::open_debug_shell,
            commands::pod_shell::copy_from_pod,
            commands::pod_shell::copy_to_pod,
            commands::pod_shell::cancel_copy,
            commands::helm::helm_availability,
            commands::helm::open_helm_releases,
            commands::helm::close_helm_releases,
            commands::helm::helm_release,
            commands::helm::helm_history,
            commands::helm::helm_diff,
            commands::helm::helm_validate_values,
            commands::helm::helm_action,
            commands::charts::chart_frame,
            commands::charts::chart_close,
        ])
        .build(tauri::generate_context!());
    match result {
        Ok(app) => {
            app.run(|handle, event| {
                if let tauri::RunEvent::Exit = event {
                    // A copied secret must not outlive the app on the clipboard.
                    use tauri::Manager;
                    if let Some(board) = handle.try_state::<SecretClipboard>() {
                        board.clear_now();
                    }
                    // Ends every shell; context terminals' kubeconfigs go with them.
                    if let Some(terminals) = handle.try_state::<terminal::TerminalSessions>() {
                        terminals.close_all();
                    }
                }
            });
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!(error = %e, "the window could not be started");
            eprintln!("Capstan could not start its window: {e}");
            ExitCode::FAILURE
        }
    }
}
