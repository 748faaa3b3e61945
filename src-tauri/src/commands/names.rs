// Shared by build.rs (which declares them to tauri-build) and the security
// tests (which check the capability grants exactly these). Plain `include!`
// keeps one list without a build-time crate.
/// Every app command the UI may call.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "list_contexts",
    "check_connection",
    "make_current_preview",
    "make_current",
    "list_namespaces",
    "get_namespace",
    "set_namespace",
    "add_cluster",
    "remove_context",
    "rename_context",
    "watch_kubeconfig",
    "discover_kinds",
    "open_view",
    "close_view",
    "open_logs",
    "close_logs",
    "downloads_dir",
    "download_log",
    "save_text",
];
