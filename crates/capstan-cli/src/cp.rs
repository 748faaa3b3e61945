//! `capstan cp`: kubectl cp's `[namespace/]pod:path` syntax over
//! capstan-kube's tar-over-exec copy; Ctrl-C cancels.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use capstan_kube::exec::copy::{self, CopyControl, RemotePath};
use clap::Args;

#[derive(Args)]
pub struct CpArgs {
    /// Source: a local path or [namespace/]pod:path.
    src: String,
    /// Destination: a local path or [namespace/]pod:path.
    dest: String,
    /// Container name (default: the pod's default container).
    #[arg(short = 'c', long)]
    container: Option<String>,
    /// Namespace for a pod named without one (default: the context's).
    #[arg(short = 'n', long)]
    namespace: Option<String>,
    /// Context (default: the current one).
    #[arg(long)]
    context: Option<String>,
}

/// `[ns/]pod:path` as (namespace, pod, path); `None` for a local path.
/// A path starting with `/` or `.` is local even with a `:` in it, as
/// kubectl decides.
pub fn parse_remote(spec: &str) -> Option<(Option<String>, String, String)> {
    if spec.starts_with('/') || spec.starts_with('.') {
        return None;
    }
    let (pod, path) = spec.split_once(':')?;
    if pod.is_empty() {
        return None;
    }
    match pod.split_once('/') {
        Some((ns, pod)) => Some((Some(ns.to_string()), pod.to_string(), path.to_string())),
        None => Some((None, pod.to_string(), path.to_string())),
    }
}

pub fn run(rt: &tokio::runtime::Runtime, args: CpArgs) -> anyhow::Result<()> {
    let scope = crate::scope::resolve(args.context.as_deref(), args.namespace.as_deref())?;
    let remote = |(ns, pod, path): (Option<String>, String, String)| RemotePath {
        namespace: ns.unwrap_or_else(|| scope.namespace.clone()),
        pod,
        container: args.container.clone(),
        path,
    };
    let control = CopyControl::default();
    rt.block_on(async {
        let client = capstan_kube::contexts::client(&scope.loaded, &scope.context).await?;
        let cancel = control.cancel.clone();
        let ctrl_c = tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.store(true, Ordering::Relaxed);
            }
        });
        let copied = match (parse_remote(&args.src), parse_remote(&args.dest)) {
            (Some(src), None) => {
                copy::download(client, &remote(src), &PathBuf::from(&args.dest), &control).await
            }
            (None, Some(dest)) => {
                copy::upload(client, &PathBuf::from(&args.src), &remote(dest), &control).await
            }
            _ => {
                ctrl_c.abort();
                return Err(anyhow::anyhow!(
                    "one of SRC and DEST must be a local path and the other [namespace/]pod:path"
                ));
            }
        };
        ctrl_c.abort();
        copied?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_specs_parse_like_kubectl() {
        assert_eq!(
            parse_remote("ns/pod:/tmp/a"),
            Some((Some("ns".into()), "pod".into(), "/tmp/a".into()))
        );
        assert_eq!(
            parse_remote("pod:a"),
            Some((None, "pod".into(), "a".into()))
        );
        assert_eq!(parse_remote("./a:b"), None);
        assert_eq!(parse_remote("/tmp/a"), None);
        assert_eq!(parse_remote("local"), None);
    }
}
