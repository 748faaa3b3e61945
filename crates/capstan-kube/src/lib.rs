//! Capstan's Kubernetes side. Knows nothing of Tauri: long-running work is a
//! handle plus a sink, and every failure is an [`Error`] a user can act on.

pub mod access;
mod atomic;
mod clients;
pub mod contexts;
pub mod credentials;
pub mod discovery;
mod error;
pub mod exec;
pub mod forward;
pub mod helm;
pub mod kubeconfig_writer;
pub mod login_path;
pub mod logs;
pub mod managed;
pub mod metrics;
pub mod names;
pub mod objects;
pub mod paths;
pub mod prefs;
pub mod readiness;
pub mod rows;
pub mod secrets;
pub mod settings;
pub mod table;

pub use clients::ClientCache;
pub use error::Error;

/// Installs rustls' ring provider for this process. kube and bollard bring
/// two providers, and without a choice the first TLS connection panics.
/// Safe to call more than once.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
