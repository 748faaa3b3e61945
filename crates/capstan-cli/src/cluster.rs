//! `capstan cluster`: local k3s clusters in Docker (create, list, start, stop,
//! delete, node add, image import) over `capstan-local`. Create prints one line per step
//! (the image pull as a bar, see `progress`); Ctrl-C
//! cancels it, and the library then removes everything it had created.

mod progress;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use capstan_local::{kubeconfig, ClusterInfo, CreateOptions, Error, PortMapping};
use clap::{Args, Subcommand};

use progress::LinePrinter;

#[derive(Args)]
pub struct ClusterArgs {
    #[command(subcommand)]
    command: ClusterCommand,
}

#[derive(Subcommand)]
enum ClusterCommand {
    /// Create a local cluster (k3s server and agent containers) and merge its
    /// context `capstan-<NAME>` into your kubeconfig. Ctrl-C cancels and
    /// removes everything created so far.
    Create(Box<CreateArgs>),
    /// List the local clusters found in the Docker engine, with the state of
    /// each node and the API URL.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Start the stopped nodes of a cluster (servers first) and wait until
    /// every node is Ready again.
    Start {
        name: String,
        /// Seconds to wait for every node to be Ready.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// Stop every node of a cluster (agents first); `start` brings it back.
    Stop { name: String },
    /// Remove a cluster's containers, volumes, network and its kubeconfig
    /// entries. Does not ask.
    Delete { name: String },
    /// Delete a cluster and create it again with the same settings (version,
    /// nodes, ports, registry, volumes); its kubeconfig context keeps its name.
    /// All data in the cluster is lost. Does not ask.
    Reset {
        name: String,
        /// Seconds to wait for the API and every node to be Ready.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// Replace a cluster's nodes with another k3s version over the same data.
    /// If the new nodes do not become Ready, the old ones are put back.
    Upgrade {
        name: String,
        /// A listed version (see `capstan cluster versions`), a Kubernetes
        /// minor such as 1.35, or another rancher/k3s tag.
        #[arg(long)]
        k3s_version: String,
        /// Seconds to wait for every node to be Ready.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// The k3s versions Capstan offers, newest first.
    Versions,
    /// Nodes of a running cluster.
    #[command(subcommand)]
    Node(NodeCommand),
    /// Images for a running cluster.
    #[command(subcommand)]
    Image(ImageCommand),
    /// Open a shell (sh) in a node of a running cluster, like
    /// `docker exec -it`; exits with the shell's exit code.
    Shell {
        name: String,
        /// `server-0` (default), `agent-1`, ... or a container name.
        #[arg(long)]
        node: Option<String>,
    },
}

#[derive(Subcommand)]
enum NodeCommand {
    /// Add an agent node (same network, token and labels) and wait until it
    /// is Ready.
    Add { cluster: String },
}

#[derive(Subcommand)]
enum ImageCommand {
    /// Copy an image from the Docker engine into every node, so pods can use
    /// a locally built image without a registry.
    Import { cluster: String, image: String },
}

#[derive(Args)]
struct CreateArgs {
    /// DNS-1123 label: lowercase letters, digits and '-', at most 40
    /// characters, starting and ending with a letter or digit.
    name: String,
    /// 1, or 3 for high availability (embedded etcd).
    #[arg(long, default_value_t = 1)]
    servers: u32,
    /// 0 to 9.
    #[arg(long, default_value_t = 0)]
    agents: u32,
    /// Port on 127.0.0.1 for the Kubernetes API (default: a free one).
    #[arg(long)]
    api_port: Option<u16>,
    /// k3s version: a listed one (`capstan cluster versions`: v1.34.6+k3s1,
    /// a Kubernetes minor such as 1.34, stable, latest) or another rancher/k3s
    /// tag (default: the stable one).
    #[arg(long, value_name = "VERSION", conflicts_with = "image")]
    k3s_version: Option<String>,
    /// Node image (default: $CAPSTAN_K3S_IMAGE, else the stable listed k3s).
    #[arg(long)]
    image: Option<String>,
    /// An image registry on 127.0.0.1 for the cluster: its own (`--registry`),
    /// removed with it, or the one shared by clusters (`--registry=shared`).
    /// Push to `localhost:<port>/app:1`; pods use that name too.
    #[arg(long, value_name = "shared", num_args = 0..=1, default_missing_value = "own", value_parser = ["own", "shared"])]
    registry: Option<String>,
    /// The registry's host port (default: a free one; shared: the existing
    /// registry's).
    #[arg(long, value_name = "PORT", requires = "registry")]
    registry_port: Option<u16>,
    /// The registry image (default: $CAPSTAN_REGISTRY_IMAGE, else registry:2).
    #[arg(long, value_name = "IMAGE", requires = "registry")]
    registry_image: Option<String>,
    /// Mount a host path into nodes, repeatable: `HOST:NODE[:ro][@NODES]`
    /// with NODES `all` (default), `server:*`, `agent:*`, `server:0`,
    /// `agent:0,1` (`;` joins several). The host path must exist.
    #[arg(long = "volume", value_name = "VOLUME")]
    volumes: Vec<capstan_local::VolumeMount>,
    /// The API load balancer image of an HA cluster (default:
    /// $CAPSTAN_LB_IMAGE, else haproxy:3.0).
    #[arg(long, value_name = "IMAGE")]
    lb_image: Option<String>,
    /// Publish a port of the first server, e.g. for a load balancer or an
    /// ingress: `[ADDRESS:]HOST[:CONTAINER][/tcp|udp]`, repeatable.
    /// `--port 8080:80` listens on 127.0.0.1:8080 only; name an address to
    /// listen elsewhere (`--port 0.0.0.0:8080:80` for every interface).
    #[arg(long = "port", value_name = "PORT")]
    ports: Vec<PortMapping>,
    /// An extra k3s argument for every server, repeatable, one argv element
    /// each: `--k3s-arg=--disable=traefik`. Flags Capstan sets itself
    /// (--token, --server, --cluster-init, --node-name, --write-kubeconfig,
    /// --https-listen-port, ...) are refused.
    #[arg(long = "k3s-arg", value_name = "ARG", allow_hyphen_values = true)]
    k3s_args: Vec<String>,
    /// An extra k3s argument for every agent (also those added later with
    /// `node add`), repeatable: `--k3s-agent-arg=--node-label=pool=a`.
    #[arg(long = "k3s-agent-arg", value_name = "ARG", allow_hyphen_values = true)]
    k3s_agent_args: Vec<String>,
    /// Offline use: load this `docker save` tarball into the engine first
    /// (as `docker load`); it must hold the node image.
    #[arg(long, value_name = "PATH")]
    image_tarball: Option<std::path::PathBuf>,
    /// Offline use: k3s's airgap archive of its own images
    /// (`k3s-airgap-images-<arch>.tar[.gz|.zst]`), copied into every node's
    /// images directory before it starts.
    #[arg(long, value_name = "PATH")]
    airgap_images: Option<std::path::PathBuf>,
    /// Make the new context kubectl's current context (the default only when
    /// your kubeconfig has no current context).
    #[arg(long)]
    make_current: bool,
    /// Seconds to wait for the API and every node to be Ready.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
}

pub fn run(rt: &tokio::runtime::Runtime, args: ClusterArgs) -> anyhow::Result<()> {
    rt.block_on(async move {
        match args.command {
            ClusterCommand::Create(a) => create(*a).await,
            ClusterCommand::List { json } => list(json).await,
            ClusterCommand::Start { name, timeout } => start(&name, timeout).await,
            ClusterCommand::Stop { name } => stop(&name).await,
            ClusterCommand::Delete { name } => delete(&name).await,
            ClusterCommand::Reset { name, timeout } => reset(&name, timeout).await,
            ClusterCommand::Upgrade {
                name,
                k3s_version,
                timeout,
            } => upgrade(&name, &k3s_version, timeout).await,
            ClusterCommand::Versions => versions(),
            ClusterCommand::Node(NodeCommand::Add { cluster }) => add_node(&cluster).await,
            ClusterCommand::Image(ImageCommand::Import { cluster, image }) => {
                import(&cluster, &image).await
            }
            ClusterCommand::Shell { name, node } => shell(&name, node.as_deref()).await,
        }
    })
    .map_err(with_hint)
}

/// The library's error, plus how to get an engine when there is none.
fn with_hint(e: Error) -> anyhow::Error {
    match e {
        Error::EngineUnreachable { .. } => anyhow::anyhow!(
            "{e}\n  Linux: `sudo systemctl start docker` (or start Docker Desktop); \
             Podman: `systemctl --user start podman.socket` and \
             DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock"
        ),
        other => other.into(),
    }
}

async fn create(a: CreateArgs) -> Result<(), Error> {
    let mut opts = CreateOptions::new(&a.name);
    opts.servers = a.servers;
    opts.agents = a.agents;
    opts.api_port = a.api_port;
    opts.image = a.image;
    opts.k3s_version = a.k3s_version;
    opts.registry = a.registry.map(|mode| capstan_local::registry::Request {
        mode: if mode == "shared" {
            capstan_local::registry::Mode::Shared
        } else {
            capstan_local::registry::Mode::Own
        },
        port: a.registry_port,
        image: a.registry_image,
    });
    opts.volumes = a.volumes;
    opts.lb_image = a.lb_image;
    opts.ports = a.ports;
    opts.extra_server_args = a.k3s_args;
    opts.extra_agent_args = a.k3s_agent_args;
    opts.image_tarball = a.image_tarball;
    opts.airgap_images = a.airgap_images;
    // Refuse a bad name, shape, port mapping or k3s argument before touching
    // the engine.
    opts.request()?;
    let docker = capstan_local::connect()?;
    // As the app's checkbox: on for a kubeconfig without a current context,
    // so a first cluster is usable at once; an existing choice is kept.
    let make_current = a.make_current || !has_current_context();
    opts.make_current = make_current;
    opts.timeout = Duration::from_secs(a.timeout.max(1));
    let cancel = opts.cancel.clone();
    let watcher = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("cancelling: removing what was created (Ctrl-C again to abandon)");
            cancel.store(true, Ordering::SeqCst);
            // A second Ctrl-C leaves at once (the rollback may be incomplete).
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    println!(
        "Creating local cluster {} ({} server(s), {} agent(s))",
        a.name, a.servers, a.agents
    );
    let sink = LinePrinter::new();
    let result = capstan_local::create_cluster(&docker, &opts, &sink).await;
    watcher.abort();
    let created = result?;
    println!(
        "Cluster {} is ready in {:.1}s: context {} (API https://127.0.0.1:{}) in {}{}",
        created.name,
        created.elapsed.as_secs_f64(),
        created.context,
        created.api_port,
        created.kubeconfig.display(),
        if make_current { " (now current)" } else { "" }
    );
    if let Some(r) = capstan_local::list_clusters(&docker)
        .await
        .ok()
        .and_then(|l| l.into_iter().find(|c| c.name == created.name))
        .and_then(|c| c.registry)
    {
        println!(
            "  registry {} on 127.0.0.1:{}: docker push localhost:{}/<image>",
            r.container, r.port, r.port
        );
    }
    for m in &opts.ports {
        println!(
            "  {}:{} -> port {}/{} of {}",
            m.host_ip,
            m.host_port,
            m.container_port,
            m.protocol.as_str(),
            capstan_local::spec::container_name(
                &created.name,
                capstan_local::spec::Role::Server,
                0
            )
        );
    }
    Ok(())
}

/// Whether the merged kubeconfig (as kubectl reads it) names a current context.
fn has_current_context() -> bool {
    crate::load()
        .ok()
        .and_then(|l| l.merged.current_context)
        .is_some_and(|c| !c.is_empty())
}

fn cluster_state(c: &ClusterInfo) -> &'static str {
    if c.running() {
        "running"
    } else if c.nodes.iter().all(|n| n.state != "running") {
        "stopped"
    } else {
        "degraded"
    }
}

/// `server-0=running agent-0=exited`: the container name without the
/// `capstan-<cluster>-` prefix.
fn node_states(c: &ClusterInfo) -> String {
    let prefix = format!("capstan-{}-", c.name);
    c.nodes
        .iter()
        .map(|n| {
            let short = n.container.strip_prefix(&prefix).unwrap_or(&n.container);
            format!("{short}={}", n.state)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `127.0.0.1:8080->80/tcp,...`, or `-`.
fn port_list(c: &ClusterInfo) -> String {
    if c.ports.is_empty() {
        return "-".to_owned();
    }
    c.ports
        .iter()
        .map(|m| {
            format!(
                "{}:{}->{}/{}",
                m.host_ip,
                m.host_port,
                m.container_port,
                m.protocol.as_str()
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn api_url(c: &ClusterInfo) -> String {
    c.api_port
        .map(|p| format!("https://127.0.0.1:{p}"))
        .unwrap_or_else(|| "-".to_owned())
}

async fn list(json: bool) -> Result<(), Error> {
    let docker = capstan_local::connect()?;
    let clusters = capstan_local::list_clusters(&docker).await?;
    if json {
        let text = serde_json::to_string_pretty(&clusters).map_err(|e| Error::Io {
            what: "the cluster list as JSON".to_owned(),
            source: e.into(),
        })?;
        println!("{text}");
        return Ok(());
    }
    if clusters.is_empty() {
        println!("No local clusters (create one with `capstan cluster create <name>`).");
        return Ok(());
    }
    println!(
        "{:<24} {:<9} {:<16} {:<26} {:<26} {:<22} NODES",
        "NAME", "STATE", "VERSION", "API", "PORTS", "REGISTRY"
    );
    for c in &clusters {
        println!(
            "{:<24} {:<9} {:<16} {:<26} {:<26} {:<22} {}",
            c.name,
            cluster_state(c),
            c.version.as_deref().unwrap_or("-"),
            api_url(c),
            port_list(c),
            registry_text(c),
            node_states(c)
        );
        for v in &c.volumes {
            println!("  volume {v}");
        }
    }
    Ok(())
}

/// `localhost:5000 (own)`, or `-`.
fn registry_text(c: &ClusterInfo) -> String {
    c.registry.as_ref().map_or_else(
        || "-".to_owned(),
        |r| {
            let mode = match r.mode {
                capstan_local::registry::Mode::Own => "own",
                capstan_local::registry::Mode::Shared => "shared",
            };
            format!("localhost:{} ({mode})", r.port)
        },
    )
}

fn versions() -> Result<(), Error> {
    let list = capstan_local::k3s_versions()?;
    println!("{:<16} {:<11} {:<8} IMAGE", "VERSION", "KUBERNETES", "");
    for v in &list.versions {
        let mark = match (v.stable, v.latest) {
            (true, true) => "stable,latest",
            (true, false) => "stable",
            (false, true) => "latest",
            _ => "",
        };
        println!(
            "{:<16} {:<11} {:<8} {}",
            v.version,
            v.kubernetes,
            mark,
            v.reference()
        );
    }
    println!(
        "Other tags of {} may be given too (--k3s-version <tag>).",
        list.repository
    );
    Ok(())
}

async fn reset(name: &str, timeout: u64) -> Result<(), Error> {
    let docker = capstan_local::connect()?;
    println!("Resetting {name}: deleting it and creating it again with the same settings");
    let sink = LinePrinter::new();
    let created = capstan_local::reset_cluster(
        &docker,
        name,
        None,
        Duration::from_secs(timeout.max(1)),
        &sink,
    )
    .await?;
    println!(
        "Cluster {name} was reset in {:.1}s: context {} (API https://127.0.0.1:{})",
        created.elapsed.as_secs_f64(),
        created.context,
        created.api_port
    );
    Ok(())
}

async fn upgrade(name: &str, version: &str, timeout: u64) -> Result<(), Error> {
    let docker = capstan_local::connect()?;
    let started = Instant::now();
    println!(
        "Upgrading {name} to {version} (the old nodes are kept until the new ones are Ready)…"
    );
    let now =
        capstan_local::upgrade_cluster(&docker, name, version, Duration::from_secs(timeout.max(1)))
            .await?;
    println!(
        "Cluster {name} runs k3s {now}: every node Ready in {:.1}s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn start(name: &str, timeout: u64) -> Result<(), Error> {
    let docker = capstan_local::connect()?;
    let started = Instant::now();
    capstan_local::start_cluster(&docker, name).await?;
    println!("Started the nodes of {name}; waiting for them to be Ready…");
    let info =
        capstan_local::wait_cluster_ready(&docker, name, Duration::from_secs(timeout)).await?;
    println!(
        "Cluster {name} is ready: {} nodes Ready in {:.1}s.",
        info.nodes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn add_node(cluster: &str) -> Result<(), Error> {
    let docker = capstan_local::connect()?;
    let started = Instant::now();
    let node = capstan_local::add_agent(&docker, cluster).await?;
    println!(
        "Added agent {node} to {cluster}; Ready in {:.1}s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn import(cluster: &str, image: &str) -> Result<(), Error> {
    let docker = capstan_local::connect()?;
    let nodes = capstan_local::import_image(&docker, cluster, image).await?;
    for n in &nodes {
        println!("imported {image} into {n}");
    }
    println!("{image} is available on every node of {cluster}.");
    Ok(())
}

async fn stop(name: &str) -> Result<(), Error> {
    let docker = capstan_local::connect()?;
    capstan_local::stop_cluster(&docker, name).await?;
    println!("Stopped cluster {name}.");
    Ok(())
}

async fn delete(name: &str) -> Result<(), Error> {
    let docker = capstan_local::connect()?;
    let file = kubeconfig::user_kubeconfig_path()?;
    let entry = kubeconfig::entry_name(name);
    // What is there before, to say what was removed.
    let nodes: Vec<String> = capstan_local::list_clusters(&docker)
        .await?
        .into_iter()
        .find(|c| c.name == name)
        .map(|c| c.nodes.into_iter().map(|n| n.container).collect())
        .unwrap_or_default();
    let in_kubeconfig = match std::fs::read_to_string(&file) {
        Ok(text) => kubeconfig::remove(&text, &entry)?.is_some(),
        Err(_) => false,
    };
    capstan_local::delete_cluster(&docker, name, &file).await?;
    if nodes.is_empty() && !in_kubeconfig {
        return Err(Error::NotFound {
            name: name.to_owned(),
        });
    }
    for n in &nodes {
        println!("removed container {n} (with its volumes)");
    }
    if !nodes.is_empty() {
        println!(
            "removed network {}",
            capstan_local::spec::network_name(name)
        );
    }
    if in_kubeconfig {
        println!(
            "removed context, cluster and user {entry} from {}",
            file.display()
        );
    }
    println!("Deleted cluster {name}.");
    Ok(())
}

async fn shell(name: &str, node: Option<&str>) -> Result<(), Error> {
    use futures_util::StreamExt;

    use crate::terminal::{self, RawMode};
    use tokio::io::AsyncWriteExt;

    let docker = capstan_local::connect()?;
    let tty = terminal::interactive();
    let size = if tty { terminal::size() } else { None };
    let mut sh = capstan_local::open_shell(&docker, name, node, tty, size).await?;
    let raw = if tty { RawMode::on() } else { None };

    // Keys (or piped input) to the shell; at EOF its stdin closes, as with
    // `docker exec -i`.
    let mut input = sh.input;
    tokio::spawn(async move {
        let mut stdin = tokio::io::stdin();
        if tokio::io::copy(&mut stdin, &mut input).await.is_ok() {
            let _ = input.shutdown().await;
        }
    });
    let resizes = tty.then(|| {
        let docker = docker.clone();
        let id = sh.exec_id.clone();
        terminal::follow_resizes(move |w, h| {
            let docker = docker.clone();
            let id = id.clone();
            Box::pin(async move {
                let _ = capstan_local::shell::resize_shell(&docker, &id, w, h).await;
            })
        })
    });
    let mut stdout = tokio::io::stdout();
    let mut stderr = tokio::io::stderr();
    while let Some(chunk) = sh.output.next().await {
        let written = match chunk {
            Ok(capstan_local::shell::Output::StdErr { message }) => {
                stderr.write_all(&message).await
            }
            Ok(other) => stdout.write_all(&other.into_bytes()).await,
            Err(_) => break,
        };
        if written.is_err() {
            break;
        }
        // Both flushed: tokio hands writes to a blocking thread, and a
        // non-zero code ends the process right after the loop.
        let _ = stdout.flush().await;
        let _ = stderr.flush().await;
    }
    drop(raw);
    if let Some(task) = resizes {
        task.abort();
    }
    let code = capstan_local::shell::exit_code(&docker, &sh.exec_id)
        .await
        .unwrap_or(0);
    if code != 0 {
        // Like `docker exec`: the shell's status is the command's.
        std::process::exit(i32::try_from(code).unwrap_or(1));
    }
    Ok(())
}
