//! Start-up benchmark (DESIGN.md §4): time from launch to the first interactive
//! window, and resident memory of the app and its webview processes after 10 s
//! idle. Run on demand: `scripts/bench-startup.sh` (not part of CI).
//!
//! "Interactive" is the moment the UI, mounted, makes its first call
//! (`app_info`), which the app reports on stdout when CAPSTAN_STARTUP_MARK is set.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 6;
const IDLE: Duration = Duration::from_secs(10);

fn main() {
    let app = capstan_e2e::app_binary();
    assert!(app.exists(), "build the app first: {}", app.display());
    let mut walls = Vec::new();
    let mut memory = None;
    for run in 0..RUNS {
        let mut child = Command::new(&app)
            .env("CAPSTAN_STARTUP_MARK", "1")
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the app");
        let started = Instant::now();
        let stdout = child.stdout.take().expect("piped stdout");
        let mut reported = None;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("read stdout");
            if let Some(ms) = line.strip_prefix("capstan-startup-interactive-ms ") {
                reported = ms.trim().parse::<f64>().ok();
                break;
            }
        }
        let wall = started.elapsed().as_secs_f64() * 1000.0;
        let reported = reported.expect("the app never reported an interactive window");
        // The first run warms the disk cache; the target is for warm starts.
        if run > 0 {
            walls.push(wall);
        }
        println!("run {run}: interactive after {wall:.0} ms (app-internal {reported:.0} ms)");
        if run == RUNS - 1 {
            std::thread::sleep(IDLE);
            memory = Some(tree_rss_kib(child.id()));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    walls.sort_by(f64::total_cmp);
    let median = walls[walls.len() / 2];
    println!(
        "warm start to interactive: median {median:.0} ms, min {:.0} ms, max {:.0} ms over {} runs",
        walls[0],
        walls[walls.len() - 1],
        walls.len()
    );
    if let Some(m) = memory {
        let mib = |k: u64| k as f64 / 1024.0;
        println!("after {}s idle ({}):", IDLE.as_secs(), m.names.join(", "));
        println!(
            "  app process:        RSS {:.1} MiB, PSS {:.1} MiB, private {:.1} MiB",
            mib(m.own.rss),
            mib(m.own.pss),
            mib(m.own.private)
        );
        println!(
            "  with webview procs: RSS {:.1} MiB, PSS {:.1} MiB, private {:.1} MiB",
            mib(m.all.rss),
            mib(m.all.pss),
            mib(m.all.private)
        );
    }
}

#[derive(Default, Clone, Copy)]
struct Mem {
    rss: u64,
    pss: u64,
    private: u64,
}

struct TreeMem {
    own: Mem,
    all: Mem,
    names: Vec<String>,
}

/// RSS counts shared library pages (WebKitGTK, GTK) in full in every process;
/// PSS splits them between sharers and "private" is what the process alone
/// holds, so all three are reported (KiB, from smaps_rollup).
fn mem_of(pid: u32) -> Mem {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let field = |name: &str| -> u64 {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
            .unwrap_or(0)
    };
    Mem {
        rss: field("Rss:"),
        pss: field("Pss:"),
        private: field("Private_Clean:") + field("Private_Dirty:"),
    }
}

/// Memory of `pid` and of every descendant, from /proc (Linux only).
fn tree_rss_kib(pid: u32) -> TreeMem {
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("read /proc").flatten() {
        let Ok(p) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else {
            continue;
        };
        // Field 4 (ppid) follows the ")" that closes the command name.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let ppid = rest
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parents.push((p, ppid));
        }
    }
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let cur = tree[i];
        tree.extend(parents.iter().filter(|(_, pp)| *pp == cur).map(|(p, _)| *p));
        i += 1;
    }
    let names = tree
        .iter()
        .map(|p| {
            std::fs::read_to_string(format!("/proc/{p}/comm"))
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .collect();
    let all = tree
        .iter()
        .map(|p| mem_of(*p))
        .fold(Mem::default(), |a, m| Mem {
            rss: a.rss + m.rss,
            pss: a.pss + m.pss,
            private: a.private + m.private,
        });
    TreeMem {
        own: mem_of(pid),
        all,
        names,
    }
}
