//! `capstan exec`, `capstan attach` and `capstan debug`: kubectl's flags over
//! capstan-kube's exec sessions, wired to this terminal.

use capstan_kube::exec::{self, Batching, DebugRequest, ExecRequest, Output, TerminalSession};
use clap::Args;
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::terminal::{self, RawMode};

/// Where: kubectl's `-n` and `--context`.
#[derive(Args)]
pub struct Place {
    /// Namespace (default: the context's).
    #[arg(short = 'n', long)]
    namespace: Option<String>,
    /// Context (default: the current one).
    #[arg(long)]
    context: Option<String>,
}

#[derive(Args)]
pub struct ExecArgs {
    /// The pod.
    pod: String,
    /// Container name (default: the pod's default-container annotation,
    /// else its first container).
    #[arg(short = 'c', long)]
    container: Option<String>,
    /// Pass stdin to the container.
    #[arg(short = 'i', long)]
    stdin: bool,
    /// Stdin is a TTY.
    #[arg(short = 't', long)]
    tty: bool,
    #[command(flatten)]
    place: Place,
    /// The command and its arguments after `--` (default: the first shell
    /// found, bash else sh).
    #[arg(last = true)]
    command: Vec<String>,
}

#[derive(Args)]
pub struct AttachArgs {
    /// The pod.
    pod: String,
    #[arg(short = 'c', long)]
    container: Option<String>,
    /// Pass stdin to the container (when its spec has stdin).
    #[arg(short = 'i', long)]
    stdin: bool,
    /// Stdin is a TTY (when its spec has one).
    #[arg(short = 't', long)]
    tty: bool,
    #[command(flatten)]
    place: Place,
}

#[derive(Args)]
pub struct DebugArgs {
    /// The pod to add an ephemeral debug container to.
    pod: String,
    /// The debug container's image.
    #[arg(long, default_value = exec::DEFAULT_DEBUG_IMAGE)]
    image: String,
    /// The container whose processes the debug container sees.
    #[arg(long)]
    target: Option<String>,
    /// Keep stdin open.
    #[arg(short = 'i', long)]
    stdin: bool,
    /// Allocate a TTY.
    #[arg(short = 't', long)]
    tty: bool,
    #[command(flatten)]
    place: Place,
    /// The command to run instead of the image's own.
    #[arg(last = true)]
    command: Vec<String>,
}

fn client(rt: &tokio::runtime::Runtime, place: &Place) -> anyhow::Result<(kube::Client, String)> {
    let scope = crate::scope::resolve(place.context.as_deref(), place.namespace.as_deref())?;
    let client = rt.block_on(capstan_kube::contexts::client(
        &scope.loaded,
        &scope.context,
    ))?;
    Ok((client, scope.namespace))
}

/// A TTY only when asked for and this is a terminal (as kubectl warns).
fn use_tty(asked: bool) -> bool {
    if asked && !terminal::interactive() {
        eprintln!("Unable to use a TTY - input is not a terminal or the right kind of file");
        return false;
    }
    asked
}

pub fn run_exec(rt: &tokio::runtime::Runtime, args: ExecArgs) -> anyhow::Result<()> {
    let (client, namespace) = client(rt, &args.place)?;
    let tty = use_tty(args.tty);
    let request = ExecRequest {
        namespace,
        pod: args.pod,
        container: args.container,
        command: (!args.command.is_empty()).then_some(args.command),
        tty,
        stdin: args.stdin,
        size: if tty { terminal::size() } else { None },
        batching: Batching::immediate(),
    };
    let code = rt.block_on(async {
        let session = exec::open(client, request).await?;
        drive(session, args.stdin, tty).await
    })?;
    exit_with(code)
}

pub fn run_attach(rt: &tokio::runtime::Runtime, args: AttachArgs) -> anyhow::Result<()> {
    let (client, namespace) = client(rt, &args.place)?;
    let tty = use_tty(args.tty);
    let code = rt.block_on(async {
        let session = exec::attach(
            client,
            &namespace,
            &args.pod,
            args.container.as_deref(),
            if tty { terminal::size() } else { None },
            Batching::immediate(),
        )
        .await?;
        drive(session, args.stdin, tty).await
    })?;
    exit_with(code)
}

pub fn run_debug(rt: &tokio::runtime::Runtime, args: DebugArgs) -> anyhow::Result<()> {
    let (client, namespace) = client(rt, &args.place)?;
    let tty = use_tty(args.tty);
    let mut request = DebugRequest::new(&namespace, &args.pod);
    request.target = args.target;
    request.image = Some(args.image);
    request.command = (!args.command.is_empty()).then_some(args.command);
    request.stdin = args.stdin;
    request.tty = args.tty;
    request.size = if tty { terminal::size() } else { None };
    request.batching = Batching::immediate();
    let code = rt.block_on(async {
        let (name, session) = exec::debug(client, request).await?;
        eprintln!("Debug container {name} is running.");
        drive(session, args.stdin, tty).await
    })?;
    exit_with(code)
}

fn exit_with(code: i32) -> anyhow::Result<()> {
    if code != 0 {
        // Like kubectl exec: the remote command's status is ours.
        std::process::exit(code);
    }
    Ok(())
}

/// Copies this terminal to and from the session until it ends; returns the
/// remote exit code.
async fn drive(mut session: TerminalSession, stdin: bool, tty: bool) -> anyhow::Result<i32> {
    let raw = if tty { RawMode::on() } else { None };
    let mut tasks = Vec::new();
    if let (true, Some(input)) = (stdin, session.input()) {
        tasks.push(tokio::spawn(async move {
            let mut local = tokio::io::stdin();
            let mut buf = vec![0u8; 32 * 1024];
            loop {
                match local.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if !input.write(buf[..n].to_vec()).await {
                            return;
                        }
                    }
                }
            }
            input.close().await;
        }));
    }
    if let (true, Some(resizer)) = (tty, session.resizer()) {
        tasks.push(terminal::follow_resizes(move |w, h| {
            resizer.resize(w, h);
            Box::pin(async {})
        }));
    }
    let mut stdout = tokio::io::stdout();
    let mut stderr = tokio::io::stderr();
    if let Some(mut output) = session.take_output() {
        while let Some(chunk) = output.next().await {
            let written = match chunk {
                Output::Stdout(b) => match stdout.write_all(&b).await {
                    Ok(()) => stdout.flush().await,
                    Err(e) => Err(e),
                },
                // Flushed too: tokio hands the write to a blocking thread,
                // and a non-zero remote code ends the process right after.
                Output::Stderr(b) => match stderr.write_all(&b).await {
                    Ok(()) => stderr.flush().await,
                    Err(e) => Err(e),
                },
            };
            if written.is_err() {
                break;
            }
        }
    }
    let code = match session.take_exit() {
        Some(exit) => exit.await,
        None => Ok(0),
    };
    drop(raw);
    for task in tasks {
        task.abort();
    }
    Ok(code?)
}
