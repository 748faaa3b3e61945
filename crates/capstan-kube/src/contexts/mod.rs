//! Kubeconfig contexts, loaded the way kubectl loads them.

mod client;
mod connection;
pub(crate) mod exec;
mod load;
mod merge;
mod minify;
mod namespaces;
mod watch;
mod write;

pub use client::{client, client_config, client_from_yaml};
pub use connection::{
    check_connection, check_connections, classify_error, ConnectionCheck, ConnectionState,
    DEFAULT_CHECK_TIMEOUT,
};
pub use load::{default_kubeconfig_paths, load_kubeconfig, LoadedKubeconfig};
pub use minify::{minified_kubeconfig, write_context_kubeconfig, ContextKubeconfig};
pub use namespaces::list_namespaces;
pub use watch::{watch_kubeconfig_files, KubeconfigChanged, KubeconfigWatch};
pub use write::{make_current, make_current_preview, MakeCurrentOutcome, MakeCurrentPreview};

pub(crate) use client::{client_from_config, single_context};
pub(crate) use load::{parse, read_file};
pub(crate) use merge::merge_into as merge_file;

use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::credentials::StoreKind;

/// One context as the sidebar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ContextSummary {
    pub name: String,
    pub cluster: String,
    pub user: String,
    /// The namespace the context names, if any (kubectl then uses "default").
    pub namespace: Option<String>,
    /// API server URL of the context's cluster, when the cluster entry exists.
    pub server: Option<String>,
    /// The file that defines this context (first file wins, as in kubectl).
    pub source: String,
    pub is_current: bool,
    /// Added through "Add cluster" (lives in the app-managed kubeconfig):
    /// only these can be renamed or removed from the app.
    pub managed: bool,
    /// Why this context cannot be used (missing cluster or user), if so.
    pub problem: Option<String>,
}

/// What the merged kubeconfig holds. No files at all is not an error: the UI
/// shows an empty state that says where it looked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct KubeconfigOverview {
    /// Files that exist and were read, in precedence order.
    pub files: Vec<String>,
    /// Where Capstan looked (KUBECONFIG entries, or ~/.kube/config).
    pub searched: Vec<String>,
    pub current_context: Option<String>,
    pub contexts: Vec<ContextSummary>,
    /// Where secrets of added clusters are kept; `file` means no keyring
    /// service was available and the UI should say so.
    pub credential_store: Option<StoreKind>,
}

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod kubectl_tests;
#[cfg(test)]
mod tests;
