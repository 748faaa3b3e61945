//! `capstan top pods|nodes`: kubectl top's tables from capstan-kube's
//! metrics (metrics.k8s.io, else the kubelet Summary API). The figures are
//! on stdout exactly as kubectl prints them; which source gave them goes to
//! stderr.

use std::io::Write;

use capstan_kube::metrics::{top, MetricsSource};
use clap::{Args, Subcommand};

#[derive(Args)]
pub struct TopArgs {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// CPU and memory of pods.
    #[command(visible_aliases = ["pod", "po"])]
    Pods(PodsArgs),
    /// CPU and memory of nodes, with % of allocatable.
    #[command(visible_aliases = ["node", "no"])]
    Nodes(NodesArgs),
}

#[derive(Args)]
struct PodsArgs {
    /// One pod by name.
    name: Option<String>,
    /// Namespace (default: the context's).
    #[arg(short = 'n', long)]
    namespace: Option<String>,
    /// Every namespace.
    #[arg(short = 'A', long, conflicts_with = "namespace")]
    all_namespaces: bool,
    /// One line per container.
    #[arg(long)]
    containers: bool,
    /// Context (default: the current one).
    #[arg(long)]
    context: Option<String>,
}

#[derive(Args)]
struct NodesArgs {
    /// One node by name.
    name: Option<String>,
    /// Context (default: the current one).
    #[arg(long)]
    context: Option<String>,
}

pub fn run(rt: &tokio::runtime::Runtime, args: TopArgs) -> anyhow::Result<()> {
    match args.what {
        What::Pods(a) => pods(rt, a),
        What::Nodes(a) => nodes(rt, a),
    }
}

fn note_source(source: &MetricsSource) {
    if *source != MetricsSource::MetricsApi {
        eprintln!("(figures from the {})", source.describe());
    }
}

fn pods(rt: &tokio::runtime::Runtime, args: PodsArgs) -> anyhow::Result<()> {
    let crate::scope::Scope {
        loaded,
        context,
        namespace,
    } = crate::scope::resolve(args.context.as_deref(), args.namespace.as_deref())?;
    let ns = (!args.all_namespaces).then_some(namespace.as_str());
    let (source, lines) = rt.block_on(async {
        let client = capstan_kube::contexts::client(&loaded, &context).await?;
        anyhow::Ok(top::pods(&client, ns, args.containers).await?)
    })?;
    note_source(&source);
    let lines: Vec<top::PodLine> = lines
        .into_iter()
        .filter(|l| args.name.as_ref().is_none_or(|n| *n == l.pod))
        .collect();
    if lines.is_empty() {
        return match (&args.name, ns) {
            (Some(name), Some(ns)) => Err(anyhow::anyhow!(
                "pod \"{name}\" in namespace \"{ns}\" has no metrics (not found, or not running long enough to be measured)"
            )),
            (Some(name), None) => Err(anyhow::anyhow!("pod \"{name}\" has no metrics")),
            (None, Some(ns)) => {
                eprintln!("No resources found in {ns} namespace.");
                Ok(())
            }
            (None, None) => {
                eprintln!("No resources found");
                Ok(())
            }
        };
    }
    let mut table = Vec::with_capacity(lines.len() + 1);
    let mut header = Vec::new();
    if ns.is_none() {
        header.push("NAMESPACE".to_string());
    }
    header.push(if args.containers { "POD" } else { "NAME" }.to_string());
    if args.containers {
        header.push("NAME".into());
    }
    header.extend(["CPU(cores)".to_string(), "MEMORY(bytes)".to_string()]);
    table.push(header);
    for l in lines {
        let mut row = Vec::new();
        if ns.is_none() {
            row.push(l.namespace);
        }
        row.push(l.pod);
        if let Some(c) = l.container {
            row.push(c);
        }
        row.extend([l.cpu, l.memory]);
        table.push(row);
    }
    let mut out = std::io::stdout().lock();
    crate::get::write_aligned(&mut out, &table)?;
    out.flush()?;
    Ok(())
}

fn nodes(rt: &tokio::runtime::Runtime, args: NodesArgs) -> anyhow::Result<()> {
    let crate::scope::Scope {
        loaded, context, ..
    } = crate::scope::resolve(args.context.as_deref(), None)?;
    let (source, lines) = rt.block_on(async {
        let client = capstan_kube::contexts::client(&loaded, &context).await?;
        anyhow::Ok(top::nodes(&client).await?)
    })?;
    note_source(&source);
    let lines: Vec<top::NodeLine> = lines
        .into_iter()
        .filter(|l| args.name.as_ref().is_none_or(|n| *n == l.name))
        .collect();
    if let (Some(name), true) = (&args.name, lines.is_empty()) {
        return Err(anyhow::anyhow!(
            "node \"{name}\" has no metrics (not found, or not measured yet)"
        ));
    }
    let mut table = vec![
        ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
            .map(str::to_string)
            .to_vec(),
    ];
    for l in lines {
        table.push(vec![
            l.name,
            l.cpu,
            l.cpu_percent,
            l.memory,
            l.memory_percent,
        ]);
    }
    let mut out = std::io::stdout().lock();
    crate::get::write_aligned(&mut out, &table)?;
    out.flush()?;
    Ok(())
}
