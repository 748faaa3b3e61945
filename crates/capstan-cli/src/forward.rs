//! `capstan forward`: kubectl port-forward over capstan-kube's forwards, in
//! the foreground until Ctrl-C, following the target's pods when they are
//! replaced.

use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

use capstan_kube::forward::{
    Forward, ForwardOptions, ForwardSink, ForwardState, ForwardStatus, PortMapping, TargetRef,
};
use clap::Args;

#[derive(Args)]
pub struct ForwardArgs {
    /// <pod>, pod/<name>, svc/<name>, deploy/<name> or sts/<name>.
    target: String,
    /// [LOCAL:]REMOTE: REMOTE is a number or a port name; no LOCAL uses the
    /// same number, ":REMOTE" a free port.
    #[arg(required = true)]
    ports: Vec<String>,
    /// Listen on this address instead of 127.0.0.1 and ::1. Anyone who can
    /// reach it reaches the pod.
    #[arg(long)]
    address: Option<String>,
    /// Namespace (default: the context's).
    #[arg(short = 'n', long)]
    namespace: Option<String>,
    /// Context (default: the current one).
    #[arg(long)]
    context: Option<String>,
}

pub fn run(rt: &tokio::runtime::Runtime, args: ForwardArgs) -> anyhow::Result<()> {
    let crate::scope::Scope {
        loaded,
        context,
        namespace,
    } = crate::scope::resolve(args.context.as_deref(), args.namespace.as_deref())?;
    let target = TargetRef::parse(&args.target)?;
    let mappings = args
        .ports
        .iter()
        .map(|p| PortMapping::parse(p))
        .collect::<Result<Vec<_>, _>>()?;
    let address = match args.address.as_deref() {
        None | Some("localhost") => None,
        Some(a) => Some(a.parse::<IpAddr>().map_err(|_| {
            anyhow::anyhow!("--address {a} is not an IP address (or \"localhost\")")
        })?),
    };
    if let Some(a) = address.filter(|a| !a.is_loopback()) {
        eprintln!("warning: listening on {a}: anyone who can reach this address reaches the pod");
    }
    rt.block_on(async move {
        let client = capstan_kube::contexts::client(&loaded, &context).await?;
        let sink = Arc::new(Printer::default());
        let mut forward = Forward::start(
            1,
            client,
            &namespace,
            target,
            mappings,
            ForwardOptions { address },
            sink.clone(),
        )
        .await?;
        for l in forward.status().listeners {
            println!("Forwarding from {} -> {}", l.local, l.remote);
        }
        let _ = tokio::signal::ctrl_c().await;
        forward.stop();
        Ok(())
    })
}

/// Prints state changes (kubectl prints nothing when its pod goes; we say
/// what happens) and per-connection errors.
#[derive(Default)]
struct Printer {
    last: Mutex<Option<Shown>>,
}

/// State, pod and reason last printed.
type Shown = (ForwardState, Option<String>, Option<String>);

impl ForwardSink for Printer {
    fn status(&self, status: &ForwardStatus) {
        let now = (status.state, status.pod.clone(), status.reason.clone());
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let first = last.is_none();
        if last.as_ref() == Some(&now) {
            return;
        }
        *last = Some(now);
        let reason = status.reason.as_deref().unwrap_or("");
        match status.state {
            ForwardState::Active => {
                let pod = status.pod.as_deref().unwrap_or("?");
                if first {
                    println!("Forwarding to pod {pod} in namespace {}", status.namespace);
                } else {
                    println!("Active again: forwarding to pod {pod}");
                }
            }
            ForwardState::Reconnecting => println!("Reconnecting: {reason}"),
            ForwardState::Failed => println!("Failed: {reason}"),
            ForwardState::Stopped => {}
        }
    }

    fn connection_error(&self, _id: u64, message: &str) {
        eprintln!("connection error: {message}");
    }
}
