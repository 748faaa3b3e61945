//! How `capstan cluster create` prints its steps: one line per step with the
//! time since start, and the image pull as a bar redrawn in place on a
//! terminal, or as a few plain lines (start, each quarter, end) when the
//! output is piped, so logs stay readable.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Instant;

use capstan_local::{LayerPhase, LayerProgress, ProgressSink, Step};

/// The pull as the last report left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PullSummary {
    done: usize,
    layers: usize,
    present: usize,
    downloaded: u64,
    total: Option<u64>,
}

impl PullSummary {
    fn of(layers: &[LayerProgress], downloaded: u64, total: Option<u64>) -> Self {
        PullSummary {
            done: layers.iter().filter(|l| l.phase.is_finished()).count(),
            layers: layers.len(),
            present: layers
                .iter()
                .filter(|l| l.phase == LayerPhase::Exists)
                .count(),
            downloaded,
            total,
        }
    }

    /// 0–100 of the bytes, once every size is known.
    fn percent(&self) -> Option<u64> {
        match self.total {
            Some(0) => Some(if self.done == self.layers { 100 } else { 0 }),
            Some(t) => Some((self.downloaded.saturating_mul(100) / t).min(100)),
            None => None,
        }
    }

    /// Which quarter the pull is in (0 to 4): by bytes, or by finished
    /// layers while a size is unknown. A plain line is printed per new one.
    fn quarter(&self) -> u64 {
        match self.percent() {
            Some(p) => p / 25,
            None if self.layers == 0 => 0,
            None => (self.done * 4 / self.layers) as u64,
        }
    }

    /// "45% of 12.3 MB, 2/5 layers" (bytes alone while a size is unknown).
    fn text(&self) -> String {
        let bytes = match (self.percent(), self.total) {
            (Some(p), Some(t)) => format!("{p}% of {}", megabytes(t)),
            _ => megabytes(self.downloaded),
        };
        format!("{bytes}, {}/{} layers", self.done, self.layers)
    }
}

/// Decimal megabytes, as `docker pull` shows them.
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// `[=====>     ]` for a percentage, `width` inside the brackets.
fn bar(percent: Option<u64>, width: usize) -> String {
    let filled = percent.map_or(0, |p| (p.min(100) as usize * width) / 100);
    let mut s = String::with_capacity(width + 2);
    s.push('[');
    for i in 0..width {
        s.push(if i < filled {
            '='
        } else if i == filled && percent.is_some() {
            '>'
        } else {
            ' '
        });
    }
    s.push(']');
    s
}

/// The terminal line: time, bar, text, then the image (what a narrow
/// terminal can best lose), cut to the terminal's width.
fn bar_line(elapsed: f64, image: &str, s: &PullSummary, columns: usize) -> String {
    let line = format!(
        "[{elapsed:>5.1}s] pulling {} {} ({image})",
        bar(s.percent(), 24),
        s.text()
    );
    line.chars()
        .take(columns.saturating_sub(1).max(20))
        .collect()
}

/// The step's line (without the time).
fn describe(step: &Step, pull: Option<&PullSummary>) -> String {
    match step {
        Step::Pull {
            image,
            skipped: true,
        } => format!("image {image} present"),
        Step::Pull { image, .. } => match pull {
            Some(s) => format!(
                "pulled {image}: {} in {} layers ({} already present)",
                megabytes(s.downloaded),
                s.layers,
                s.present
            ),
            None => format!("pulled {image}"),
        },
        Step::PullProgress {
            image,
            layers,
            downloaded,
            total,
        } => format!(
            "pulling {image}: {}",
            PullSummary::of(layers, *downloaded, *total).text()
        ),
        Step::Network { name } => format!("network {name} created"),
        Step::Server { index, of } => format!("server {index}/{of} up"),
        Step::Agents { count } => format!("{count} agent(s) started"),
        Step::ApiReady { port } => format!("API ready at https://127.0.0.1:{port}"),
        Step::NodesReady { ready, of } => format!("nodes Ready: {ready}/{of}"),
        Step::Kubeconfig { context } => format!("context {context} merged into the kubeconfig"),
        Step::Warning { message } => format!("warning: {message}"),
        Step::RollingBack => "removing what was created".to_owned(),
        Step::Done => "done".to_owned(),
    }
}

#[derive(Default)]
struct State {
    last: Option<Step>,
    pull: Option<PullSummary>,
    /// The pull's quarter last printed as a plain line.
    printed_quarter: Option<u64>,
    /// A bar is drawn on the current terminal line.
    bar_shown: bool,
}

/// One line per step, with the time since create began. Repeats of the same
/// step are not printed again.
pub(super) struct LinePrinter {
    started: Instant,
    terminal: bool,
    state: Mutex<State>,
}

impl LinePrinter {
    pub(super) fn new() -> Self {
        LinePrinter {
            started: Instant::now(),
            terminal: std::io::stdout().is_terminal(),
            state: Mutex::new(State::default()),
        }
    }

    fn pull_progress(&self, st: &mut State, image: &str, summary: PullSummary, elapsed: f64) {
        st.pull = Some(summary);
        let mut out = std::io::stdout().lock();
        if self.terminal {
            // A pseudo-terminal may report 0 columns.
            let columns = crossterm::terminal::size()
                .ok()
                .map(|(w, _)| usize::from(w))
                .filter(|&w| w > 0)
                .unwrap_or(80);
            // Back to the line's start and clear it, then redraw.
            let _ = write!(
                out,
                "\r\x1b[2K{}",
                bar_line(elapsed, image, &summary, columns)
            );
            let _ = out.flush();
            st.bar_shown = true;
        } else if st.printed_quarter.is_none_or(|q| summary.quarter() > q) {
            st.printed_quarter = Some(summary.quarter());
            let _ = writeln!(out, "[{elapsed:>5.1}s] pulling {image}: {}", summary.text());
        }
    }
}

impl ProgressSink for LinePrinter {
    fn step(&self, step: Step) {
        let elapsed = self.started.elapsed().as_secs_f64();
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        if let Step::PullProgress {
            image,
            layers,
            downloaded,
            total,
        } = &step
        {
            let summary = PullSummary::of(layers, *downloaded, *total);
            self.pull_progress(&mut st, image, summary, elapsed);
            return;
        }
        if st.last.as_ref() == Some(&step) {
            return;
        }
        let line = describe(&step, st.pull.as_ref());
        let warning = matches!(step, Step::Warning { .. });
        st.last = Some(step);
        let mut out = std::io::stdout().lock();
        if std::mem::take(&mut st.bar_shown) {
            let _ = write!(out, "\r\x1b[2K");
        }
        if warning {
            // Warnings go to stderr, so `create … > log` still shows them.
            let _ = out.flush();
            eprintln!("{line}");
        } else {
            let _ = writeln!(out, "[{elapsed:>5.1}s] {line}");
        }
    }
}

/// A pull that failed leaves the bar drawn: end its line before the error.
impl Drop for LinePrinter {
    fn drop(&mut self) {
        if self.state.get_mut().is_ok_and(|st| st.bar_shown) {
            println!();
        }
    }
}

#[cfg(test)]
#[path = "progress_tests.rs"]
mod tests;
