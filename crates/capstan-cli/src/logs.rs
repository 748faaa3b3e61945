//! `capstan logs`: kubectl logs over capstan-kube's log sessions, with
//! stern-style `pod/container` prefixes when several sources stream.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex, PoisonError};

use capstan_kube::logs::{
    self, ContainerChoice, LogBatch, LogOptions, LogSink, LogSource, LogTarget, MarkerKind,
};
use clap::Args;

#[derive(Args)]
pub struct LogsArgs {
    /// <pod>, deploy/<name>, sts/<name>, ds/<name> or job/<name>.
    #[arg(required_unless_present = "selector")]
    target: Option<String>,
    /// Stream every pod matching this label selector.
    #[arg(short = 'l', long = "selector", conflicts_with = "target")]
    selector: Option<String>,
    /// Keep streaming new lines (pods that appear later join).
    #[arg(short = 'f', long)]
    follow: bool,
    /// Lines of history per container (-1: all).
    #[arg(long, default_value_t = logs::DEFAULT_TAIL, allow_negative_numbers = true)]
    tail: i64,
    /// Only lines newer than this (5s, 10m, 1h).
    #[arg(long, conflicts_with = "since_time")]
    since: Option<String>,
    /// Only lines after this RFC3339 time.
    #[arg(long)]
    since_time: Option<String>,
    /// Show the server's timestamp on each line.
    #[arg(long)]
    timestamps: bool,
    /// The previous (terminated) instance of the container.
    #[arg(short = 'p', long)]
    previous: bool,
    /// Container name.
    #[arg(short = 'c', long, conflicts_with = "all_containers")]
    container: Option<String>,
    /// Every container of each pod.
    #[arg(long)]
    all_containers: bool,
    /// Namespace (default: the context's).
    #[arg(short = 'n', long)]
    namespace: Option<String>,
    /// Context (default: the current one).
    #[arg(long)]
    context: Option<String>,
}

pub fn run(rt: &tokio::runtime::Runtime, args: LogsArgs) -> anyhow::Result<()> {
    let crate::scope::Scope {
        loaded,
        context,
        namespace,
    } = crate::scope::resolve(args.context.as_deref(), args.namespace.as_deref())?;
    let target = match (&args.selector, &args.target) {
        (Some(s), _) => LogTarget::Selector {
            selector: s.clone(),
        },
        (None, Some(t)) => LogTarget::parse(t)?,
        (None, None) => {
            return Err(anyhow::anyhow!(
                "give a pod, a workload (deploy/x) or -l <selector>"
            ))
        }
    };
    let mut options = LogOptions::new(namespace);
    options.follow = args.follow;
    options.tail_lines = (args.tail >= 0).then_some(args.tail);
    options.since_seconds = args.since.as_deref().map(logs::parse_since).transpose()?;
    options.since_time = args.since_time.clone();
    options.timestamps = args.timestamps;
    options.previous = args.previous;
    options.container = match (&args.container, args.all_containers) {
        (Some(name), _) => ContainerChoice::Named { name: name.clone() },
        (None, true) => ContainerChoice::All,
        (None, false) => ContainerChoice::Default,
    };
    // One pod and one container prints bare lines, like kubectl.
    let prefixed = !matches!(target, LogTarget::Pod { .. }) || args.all_containers;
    let follow = args.follow;
    rt.block_on(async move {
        let client = capstan_kube::contexts::client(&loaded, &context).await?;
        let sink = Arc::new(Printer::new(
            prefixed,
            follow,
            std::io::stdout().is_terminal(),
        ));
        let handle = logs::open_logs(client, target, options, sink.clone())?;
        tokio::select! {
            _ = handle.finished() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        sink.result()
    })
}

/// Prints batches to stdout; markers and the session error to stderr.
struct Printer {
    prefixed: bool,
    /// Without -f every source ends; saying so for each is noise.
    follow: bool,
    colour: bool,
    state: Mutex<PrinterState>,
}

#[derive(Default)]
struct PrinterState {
    sources: Vec<LogSource>,
    error: Option<String>,
}

/// stern's palette (foreground colours that read on light and dark terminals).
const COLOURS: [&str; 6] = ["31", "32", "33", "34", "35", "36"];

impl Printer {
    fn new(prefixed: bool, follow: bool, colour: bool) -> Self {
        Self {
            prefixed,
            follow,
            colour,
            state: Mutex::default(),
        }
    }

    fn result(&self) -> anyhow::Result<()> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match &state.error {
            Some(e) => Err(anyhow::anyhow!("{e}")),
            None => Ok(()),
        }
    }

    fn prefix(&self, sources: &[LogSource], index: u32) -> String {
        let Some(s) = sources.iter().find(|s| s.index == index) else {
            return String::new();
        };
        let label = format!("{}/{}", s.pod, s.container);
        if self.colour {
            let c = COLOURS[index as usize % COLOURS.len()];
            format!("\x1b[{c}m{label}\x1b[0m ")
        } else {
            format!("{label} ")
        }
    }
}

impl LogSink for Printer {
    fn batch(&self, batch: LogBatch) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.sources.extend(batch.sources);
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
        let mut markers = batch.markers.iter().peekable();
        for (i, line) in batch.lines.iter().enumerate() {
            while let Some(m) = markers.next_if(|m| m.before_line as usize <= i) {
                let _ = out.flush();
                self.marker(&state.sources, m.source, &m.marker);
            }
            // A closed pipe (`| head`) ends output quietly.
            let ok = if self.prefixed {
                let p = self.prefix(&state.sources, line.source);
                writeln!(out, "{p}{}", line.text)
            } else {
                writeln!(out, "{}", line.text)
            };
            if ok.is_err() {
                std::process::exit(0);
            }
        }
        let _ = out.flush();
        for m in markers {
            self.marker(&state.sources, m.source, &m.marker);
        }
        if let Some(e) = batch.error {
            state.error = Some(e);
        }
    }
}

impl Printer {
    fn marker(&self, sources: &[LogSource], source: u32, marker: &MarkerKind) {
        let p = self.prefix(sources, source);
        let text = match marker {
            MarkerKind::Started => return,
            MarkerKind::Resumed { gap_ms } => format!("resumed after {gap_ms} ms"),
            MarkerKind::Reconnecting { reason } => format!("reconnecting: {reason}"),
            MarkerKind::ContainerRestarted { restart_count } => {
                format!("container restarted (restarts: {restart_count})")
            }
            MarkerKind::Ended { reason } => {
                if !self.prefixed || !self.follow {
                    return;
                }
                format!("ended: {reason}")
            }
            MarkerKind::Failed { message } => format!("error: {message}"),
        };
        eprintln!("{p}--- {text}");
    }
}
