//! `capstan`: the command-line front end over Capstan's crates.

use std::process::ExitCode;

use capstan_kube::contexts::{self, ConnectionState};
use capstan_kube::settings::{self, NamespaceSelection};
use clap::{Parser, Subcommand};
use tokio::runtime::Runtime;

mod cluster;
mod cp;
mod exec;
mod forward;
mod get;
mod helm;
mod logs;
mod scope;
mod secret;
mod terminal;
mod top;

#[derive(Parser)]
#[command(
    name = "capstan",
    version,
    about = "Capstan: Kubernetes clusters from the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the contexts of your kubeconfig (KUBECONFIG, else ~/.kube/config,
    /// plus clusters added in Capstan) with their connection state.
    Contexts {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Skip the connection checks.
        #[arg(long)]
        offline: bool,
        /// Seconds each check may take.
        #[arg(long, default_value_t = 5)]
        timeout: u64,
    },
    /// Make <CONTEXT> kubectl's current context (writes current-context into
    /// the first kubeconfig file, with a backup beside it).
    Use { context: String },
    /// Remember <NAMESPACE> for the current context ("all" or "-A" for all
    /// namespaces).
    Ns {
        #[arg(allow_hyphen_values = true)]
        namespace: String,
    },
    /// Print (and with -f follow) the logs of a pod, a workload or every pod
    /// matching a label selector.
    Logs(logs::LogsArgs),
    /// Show a secret (masked unless --reveal) or create one.
    Secret(secret::SecretArgs),
    /// List objects of a kind (or one by name) like kubectl get.
    Get(get::GetArgs),
    /// Forward local ports to a pod, service or workload (like kubectl
    /// port-forward) until Ctrl-C, following replaced pods.
    Forward(forward::ForwardArgs),
    /// Local k3s clusters in Docker: create, list, start, stop, delete.
    Cluster(cluster::ClusterArgs),
    /// Run a command in a container (like kubectl exec); without a command,
    /// the first shell found (bash, else sh). Exits with the command's code.
    Exec(exec::ExecArgs),
    /// Attach to a running container's main process (like kubectl attach).
    Attach(exec::AttachArgs),
    /// Add an ephemeral debug container to a pod and attach to it (like
    /// kubectl debug -it --target).
    Debug(exec::DebugArgs),
    /// Copy files and folders to and from containers (like kubectl cp;
    /// needs tar in the container).
    Cp(cp::CpArgs),
    /// Helm releases read from the cluster (no helm needed): list, history,
    /// diff between revisions, values, manifest.
    Helm(helm::HelmArgs),
    /// CPU and memory of pods or nodes, as kubectl top prints them
    /// (metrics.k8s.io, else the kubelet Summary API).
    Top(top::TopArgs),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        // Quiet unless RUST_LOG asks: connection failures are already shown
        // in the STATE column, kube's own error logs would repeat them.
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off")),
        )
        .with_writer(std::io::stderr)
        .init();
    capstan_kube::install_crypto_provider();
    let cli = Cli::parse();
    // The one runtime of the process; commands block on it after their
    // synchronous set-up (kubeconfig loading stays outside async code).
    let result = tokio::runtime::Runtime::new()
        .map_err(anyhow::Error::from)
        .and_then(|rt| run(cli, &rt));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The crates' messages are whole sentences that already name
            // their cause, so the chain is not printed again.
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, rt: &Runtime) -> anyhow::Result<()> {
    match cli.command {
        Command::Contexts {
            json,
            offline,
            timeout,
        } => list(
            rt,
            json,
            offline,
            std::time::Duration::from_secs(timeout.max(1)),
        ),
        Command::Use { context } => use_context(&context),
        Command::Ns { namespace } => namespace_cmd(&namespace),
        Command::Logs(args) => logs::run(rt, args),
        Command::Secret(args) => secret::run(rt, args),
        Command::Helm(args) => helm::run(rt, args),
        Command::Get(args) => get::run(rt, args),
        Command::Forward(args) => forward::run(rt, args),
        Command::Cluster(args) => cluster::run(rt, args),
        Command::Exec(args) => exec::run_exec(rt, args),
        Command::Attach(args) => exec::run_attach(rt, args),
        Command::Debug(args) => exec::run_debug(rt, args),
        Command::Cp(args) => cp::run(rt, args),
        Command::Top(args) => top::run(rt, args),
    }
}

fn load() -> anyhow::Result<contexts::LoadedKubeconfig> {
    Ok(capstan_kube::managed::load_all()?)
}

fn list(
    rt: &Runtime,
    json: bool,
    offline: bool,
    timeout: std::time::Duration,
) -> anyhow::Result<()> {
    let loaded = load()?;
    let overview = loaded.overview();
    if overview.files.is_empty() {
        let searched: Vec<_> = overview.searched.iter().map(String::as_str).collect();
        return Err(anyhow::anyhow!(
            "no kubeconfig found (looked in: {}); set KUBECONFIG or create ~/.kube/config",
            searched.join(", ")
        ));
    }
    let names: Vec<String> = overview.contexts.iter().map(|c| c.name.clone()).collect();
    let checks = if offline {
        Vec::new()
    } else {
        rt.block_on(contexts::check_connections(&loaded, &names, timeout))
    };
    if json {
        let value = serde_json::json!({ "overview": overview, "connections": checks });
        let text = serde_json::to_string_pretty(&value)?;
        println!("{text}");
        return Ok(());
    }
    println!(
        "{:<2}{:<32} {:<24} {:<20} {:<16} STATE",
        "", "NAME", "CLUSTER", "USER", "NAMESPACE"
    );
    for (i, c) in overview.contexts.iter().enumerate() {
        let state = match checks.get(i) {
            None => String::new(),
            Some(check) => match check.state {
                ConnectionState::Reachable => {
                    format!(
                        "reachable {}",
                        check.server_version.as_deref().unwrap_or("")
                    )
                }
                other => format!(
                    "{} ({})",
                    state_word(other),
                    check.message.as_deref().unwrap_or("")
                ),
            },
        };
        println!(
            "{:<2}{:<32} {:<24} {:<20} {:<16} {}",
            if c.is_current { "*" } else { "" },
            c.name,
            c.cluster,
            c.user,
            c.namespace.as_deref().unwrap_or(""),
            state
        );
    }
    Ok(())
}

fn state_word(s: ConnectionState) -> &'static str {
    match s {
        ConnectionState::Reachable => "reachable",
        ConnectionState::AuthFailed => "auth failed",
        ConnectionState::TlsError => "TLS error",
        ConnectionState::DnsError => "DNS error",
        ConnectionState::Timeout => "timeout",
        ConnectionState::Unreachable => "unreachable",
        ConnectionState::Error => "error",
    }
}

fn use_context(context: &str) -> anyhow::Result<()> {
    let loaded = load()?;
    let out = contexts::make_current(&loaded, context)?;
    match out.backup {
        Some(backup) => println!(
            "Switched to context \"{context}\" in {} (backup: {backup})",
            out.file
        ),
        None => println!("Context \"{context}\" is already current ({})", out.file),
    }
    Ok(())
}

fn namespace_cmd(namespace: &str) -> anyhow::Result<()> {
    let loaded = load()?;
    let Some(context) = loaded
        .merged
        .current_context
        .clone()
        .filter(|c| !c.is_empty())
    else {
        return Err(anyhow::anyhow!(
            "no current context: run `capstan use <context>` first"
        ));
    };
    if loaded.context_source(&context).is_none() {
        return Err(anyhow::anyhow!(
            "the current context \"{context}\" is not defined in your kubeconfig: run `capstan use <context>`"
        ));
    }
    let selection = match namespace {
        "all" | "-A" | "--all-namespaces" => NamespaceSelection::All,
        "" => return Err(anyhow::anyhow!("give a namespace name, or \"all\"")),
        name => NamespaceSelection::Named {
            name: name.to_string(),
        },
    };
    settings::remember_namespace(&context, selection.clone())?;
    let path = settings::settings_path()?;
    match selection {
        NamespaceSelection::All => println!(
            "Context \"{context}\" now opens in all namespaces (saved in {})",
            path.display()
        ),
        NamespaceSelection::Named { name } => println!(
            "Context \"{context}\" now opens in namespace \"{name}\" (saved in {}; your kubeconfig is unchanged)",
            path.display()
        ),
    }
    Ok(())
}
