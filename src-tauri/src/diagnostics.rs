//! "Copy diagnostics": what a bug report needs about this installation —
//! app version and commit, OS, the container engine, the credential store and
//! each context's connection state — and never a credential or secret value.
//! Only facts chosen here go in: no kubeconfig content, no server URLs, no
//! error texts (an exec plugin's stderr could hold anything).

use std::fmt::Write as _;
use std::time::Duration;

use capstan_kube::contexts::{ConnectionState, LoadedKubeconfig};

use crate::about::AboutInfo;

/// How long each context's check may take when diagnostics are gathered.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// The engine as diagnostics show it.
pub enum Engine {
    Found {
        source: String,
        host: String,
        version: String,
        os: String,
    },
    Unreachable {
        source: Option<String>,
    },
}

/// Everything the text is made of.
pub struct Report {
    pub about: AboutInfo,
    pub engine: Engine,
    pub credential_store: Option<capstan_kube::credentials::StoreKind>,
    pub kubeconfig_files: usize,
    pub contexts: Vec<ContextLine>,
}

pub struct ContextLine {
    pub name: String,
    pub current: bool,
    pub added_in_app: bool,
    pub state: ConnectionState,
    pub server_version: Option<String>,
}

/// Checks every context of `loaded` and asks the engine, then the report.
pub async fn gather(about: AboutInfo, loaded: &LoadedKubeconfig) -> Report {
    let overview = loaded.overview();
    let names: Vec<String> = overview.contexts.iter().map(|c| c.name.clone()).collect();
    let (checks, engine) = tokio::join!(
        capstan_kube::contexts::check_connections(loaded, &names, CHECK_TIMEOUT),
        capstan_local::engine_status()
    );
    let engine = match engine {
        Ok(status) => Engine::Found {
            source: status.endpoint.source,
            host: without_userinfo(&status.endpoint.host),
            version: status.version,
            os: status.os,
        },
        Err(_) => Engine::Unreachable {
            source: capstan_local::endpoint::resolve(&capstan_local::endpoint::System)
                .ok()
                .map(|e| e.source),
        },
    };
    let contexts = overview
        .contexts
        .iter()
        .zip(checks)
        .map(|(c, check)| ContextLine {
            name: c.name.clone(),
            current: c.is_current,
            added_in_app: c.managed,
            state: check.state,
            server_version: check.server_version,
        })
        .collect();
    Report {
        about,
        engine,
        credential_store: overview.credential_store,
        kubeconfig_files: overview.files.len(),
        contexts,
    }
}

/// The report as plain text, one fact per line.
pub fn render(report: &Report) -> String {
    let a = &report.about;
    let mut out = String::new();
    let _ = writeln!(out, "Capstan {} ({})", a.version, a.commit);
    let _ = writeln!(out, "OS: {}", a.os);
    let _ = writeln!(
        out,
        "Tested with: Kubernetes {}, k3s {}",
        a.tested_kubernetes, a.tested_k3s
    );
    match &report.engine {
        Engine::Found {
            source,
            host,
            version,
            os,
        } => {
            let _ = writeln!(out, "Engine: {source} {version} on {os} at {host}");
        }
        Engine::Unreachable { source } => {
            let _ = writeln!(
                out,
                "Engine: not reachable ({})",
                source.as_deref().unwrap_or("no engine socket found")
            );
        }
    }
    let store = match report.credential_store {
        Some(kind) => format!("{kind:?}"),
        None => "none used (no clusters added in the app)".into(),
    };
    let _ = writeln!(out, "Credential store: {store}");
    let _ = writeln!(out, "Kubeconfig files: {}", report.kubeconfig_files);
    let _ = writeln!(out, "Contexts: {}", report.contexts.len());
    for c in &report.contexts {
        let mut marks = Vec::new();
        if c.current {
            marks.push("current");
        }
        if c.added_in_app {
            marks.push("added in Capstan");
        }
        let marks = if marks.is_empty() {
            String::new()
        } else {
            format!(" [{}]", marks.join(", "))
        };
        let _ = writeln!(
            out,
            "  {}{marks}: {}{}",
            c.name,
            state_word(c.state),
            c.server_version
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default()
        );
    }
    out
}

fn state_word(state: ConnectionState) -> &'static str {
    match state {
        ConnectionState::Reachable => "reachable",
        ConnectionState::AuthFailed => "auth failed",
        ConnectionState::TlsError => "TLS error",
        ConnectionState::DnsError => "DNS error",
        ConnectionState::Timeout => "timeout",
        ConnectionState::Unreachable => "unreachable",
        ConnectionState::Error => "error",
    }
}

/// `tcp://user:pass@host:2376` -> `tcp://host:2376`: an engine URL may carry
/// credentials.
fn without_userinfo(host: &str) -> String {
    match (host.find("://"), host.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}{}", &host[..scheme + 3], &host[at + 1..])
        }
        _ => host.to_string(),
    }
}

#[cfg(test)]
#[path = "diagnostics_tests.rs"]
mod tests;
