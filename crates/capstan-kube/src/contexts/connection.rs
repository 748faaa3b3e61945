//! Is a context's cluster reachable, and if not, why (DNS, TLS, auth, timeout).

use std::time::Duration;

use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::{client_config, client_from_config, exec, LoadedKubeconfig};
use crate::Error;

/// Long enough for a slow VPN, short enough that the sidebar settles quickly.
pub const DEFAULT_CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// What a connection check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum ConnectionState {
    Reachable,
    AuthFailed,
    TlsError,
    DnsError,
    Timeout,
    Unreachable,
    /// Anything else, including a kubeconfig entry that cannot be used.
    Error,
}

/// One context's check; `message` is the server's or the system's own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ConnectionCheck {
    pub context: String,
    pub state: ConnectionState,
    pub message: Option<String>,
    /// `gitVersion` from `/version` when reachable.
    pub server_version: Option<String>,
}

impl ConnectionCheck {
    fn failed(context: &str, state: ConnectionState, message: String) -> Self {
        Self {
            context: context.to_string(),
            state,
            message: Some(message),
            server_version: None,
        }
    }
}

/// Checks `context` within `timeout` overall: `/version` (reachability and
/// the server's version), then `/api`, which needs an accepted identity, so a
/// bad token shows as auth failure even where `/version` is public.
pub async fn check_connection(
    loaded: &LoadedKubeconfig,
    context: &str,
    timeout: Duration,
) -> ConnectionCheck {
    let mut config = match client_config(loaded, context).await {
        Ok(c) => c,
        Err(e) => return from_setup_error(context, &e),
    };
    config.connect_timeout = Some(timeout);
    config.read_timeout = Some(timeout);
    let server = config.cluster_url.to_string();
    let started = tokio::time::Instant::now();
    // An exec plugin runs here under the deadline and is killed at it; its
    // credential then stands in for it, so building the client runs nothing.
    match exec::run_plugin(&mut config.auth_info, timeout).await {
        Ok(Some(())) => {}
        Ok(None) => return timed_out(context, &server, timeout),
        Err(e) => return from_setup_error(context, &e),
    }
    let client = match client_from_config(config, context) {
        Ok(c) => c,
        Err(e) => return from_setup_error(context, &e),
    };
    let left = timeout.saturating_sub(started.elapsed());
    let requests = async {
        let version = client.apiserver_version().await?;
        client.list_core_api_versions().await?;
        Ok::<_, kube::Error>(version.git_version)
    };
    match tokio::time::timeout(left, requests).await {
        Err(_) => timed_out(context, &server, timeout),
        Ok(Ok(version)) => ConnectionCheck {
            context: context.to_string(),
            state: ConnectionState::Reachable,
            message: None,
            server_version: Some(version),
        },
        Ok(Err(e)) => {
            let (state, message) = classify_error(&e);
            ConnectionCheck::failed(context, state, message)
        }
    }
}

/// Checks every context at once; each has its own deadline, so one dead
/// cluster never delays the others' results beyond `timeout`.
pub async fn check_connections(
    loaded: &LoadedKubeconfig,
    contexts: &[String],
    timeout: Duration,
) -> Vec<ConnectionCheck> {
    let mut set = tokio::task::JoinSet::new();
    for (i, ctx) in contexts.iter().enumerate() {
        let loaded = loaded.clone();
        let ctx = ctx.clone();
        set.spawn(async move { (i, check_connection(&loaded, &ctx, timeout).await) });
    }
    let mut out: Vec<Option<ConnectionCheck>> = vec![None; contexts.len()];
    while let Some(done) = set.join_next().await {
        if let Ok((i, check)) = done {
            out[i] = Some(check);
        }
    }
    out.into_iter()
        .zip(contexts)
        .map(|(c, name)| {
            c.unwrap_or_else(|| {
                ConnectionCheck::failed(
                    name,
                    ConnectionState::Error,
                    "the check did not finish".into(),
                )
            })
        })
        .collect()
}

fn timed_out(context: &str, server: &str, timeout: Duration) -> ConnectionCheck {
    ConnectionCheck::failed(
        context,
        ConnectionState::Timeout,
        format!("{server} did not answer within {} s", timeout.as_secs_f32()),
    )
}

fn from_setup_error(context: &str, e: &Error) -> ConnectionCheck {
    let state = match e {
        Error::ExecPluginMissing { .. } | Error::ExecPluginFailed { .. } => {
            ConnectionState::AuthFailed
        }
        Error::ClientSetup { detail, .. } if detail.to_ascii_lowercase().contains("tls") => {
            ConnectionState::TlsError
        }
        _ => ConnectionState::Error,
    };
    ConnectionCheck::failed(context, state, e.to_string())
}

/// Sorts a kube error into a state plus the most specific message in its
/// chain (the server's Status message, rustls' reason, the resolver's text).
pub fn classify_error(err: &kube::Error) -> (ConnectionState, String) {
    if let kube::Error::Api(status) = err {
        let state = match status.code {
            401 | 403 => ConnectionState::AuthFailed,
            _ => ConnectionState::Error,
        };
        let msg = if status.message.is_empty() {
            format!("{} ({})", status.reason, status.code)
        } else {
            status.message.clone()
        };
        return (state, msg);
    }
    if let Some(plugin) = exec::plugin_failure(err, None) {
        return (ConnectionState::AuthFailed, plugin.to_string());
    }
    let chain = chain_of(err);
    for e in &chain {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return (ConnectionState::TlsError, format!("TLS: {tls}"));
        }
    }
    let texts: Vec<String> = chain.iter().map(|e| e.to_string()).collect();
    let innermost = texts.last().cloned().unwrap_or_default();
    let any = |needle: &str| {
        texts
            .iter()
            .any(|t| t.to_ascii_lowercase().contains(needle))
    };
    for e in &chain {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(tls) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                return (ConnectionState::TlsError, format!("TLS: {tls}"));
            }
            match io.kind() {
                std::io::ErrorKind::TimedOut => return (ConnectionState::Timeout, io.to_string()),
                std::io::ErrorKind::ConnectionRefused
                | std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::HostUnreachable
                | std::io::ErrorKind::NetworkUnreachable => {
                    return (ConnectionState::Unreachable, io.to_string())
                }
                _ => {}
            }
        }
    }
    // hyper-util reports resolver failures as "dns error" over getaddrinfo's text.
    if any("dns error") || any("failed to lookup address") || any("name or service not known") {
        return (ConnectionState::DnsError, innermost);
    }
    if any("certificate") || any("tls") || any("handshake") {
        return (ConnectionState::TlsError, innermost);
    }
    if any("timed out") || any("deadline") {
        return (ConnectionState::Timeout, innermost);
    }
    if any("connection refused") || any("connect error") || any("tcp connect") {
        return (ConnectionState::Unreachable, innermost);
    }
    (ConnectionState::Error, texts.join(": "))
}

fn chain_of<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> Vec<&'a (dyn std::error::Error + 'static)> {
    let mut out = Vec::new();
    let mut cur = Some(err);
    while let Some(e) = cur {
        out.push(e);
        cur = e.source();
    }
    out
}

#[cfg(test)]
#[path = "connection_tests.rs"]
mod tests;
