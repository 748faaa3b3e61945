//! Local cluster benchmark: creates 1 server + 2 agents (DESIGN.md §4: Ready
//! in <= 30 s with the image cached) and deletes it, `CAPSTAN_BENCH_ROUNDS`
//! times (default 3). Prints each round's time to every step, then the
//! median, min and max of the total and of delete. Figures, not pass/fail
//! thresholds. Run with scripts/bench-local.sh (it builds the stand-in node
//! image and sets `CAPSTAN_K3S_IMAGE`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use capstan_local::{create_cluster, delete_cluster, CreateOptions, ProgressSink, Step};

const NAME: &str = "bench-create";

/// The time from the start of create to each step.
struct Timeline {
    start: Instant,
    steps: Mutex<Vec<(Duration, String)>>,
}

impl ProgressSink for Timeline {
    fn step(&self, step: Step) {
        let label = match &step {
            Step::Pull { skipped, .. } => format!("pull (skipped: {skipped})"),
            Step::Network { .. } => "network".to_owned(),
            Step::Server { index, of } => format!("server {index}/{of} up"),
            Step::Agents { count } => format!("{count} agents started"),
            Step::ApiReady { .. } => "API /readyz".to_owned(),
            Step::NodesReady { ready, of } => format!("nodes Ready {ready}/{of}"),
            Step::Kubeconfig { .. } => "kubeconfig merged".to_owned(),
            other => format!("{other:?}"),
        };
        if let Ok(mut steps) = self.steps.lock() {
            steps.push((self.start.elapsed(), label));
        }
    }
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn summary(what: &str, mut v: Vec<Duration>) {
    v.sort();
    let (Some(min), Some(max)) = (v.first(), v.last()) else {
        return;
    };
    let median = v[v.len() / 2];
    println!(
        "{what}: median {}, min {}, max {} ({} rounds)",
        secs(median),
        secs(*min),
        secs(*max),
        v.len()
    );
}

#[tokio::main]
async fn main() {
    // kube and bollard bring two rustls providers; pick one as the app does.
    capstan_kube::install_crypto_provider();
    let rounds: usize = std::env::var("CAPSTAN_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let docker = capstan_local::connect().expect("a Docker engine");
    let dir = tempfile::tempdir().expect("temp dir");
    let kubeconfig = dir.path().join("config");
    let _ = delete_cluster(&docker, NAME, &kubeconfig).await;
    let (mut creates, mut deletes) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        let mut opts = CreateOptions::new(NAME);
        opts.agents = 2;
        opts.kubeconfig = Some(kubeconfig.clone());
        let timeline = Timeline {
            start: Instant::now(),
            steps: Mutex::new(Vec::new()),
        };
        let created = create_cluster(&docker, &opts, &timeline)
            .await
            .expect("create 1 server + 2 agents");
        println!("round {round}: Ready in {}", secs(created.elapsed));
        for (at, label) in timeline.steps.lock().map(|s| s.clone()).unwrap_or_default() {
            println!("  {:>7}  {label}", secs(at));
        }
        creates.push(created.elapsed);
        let t = Instant::now();
        delete_cluster(&docker, NAME, &kubeconfig)
            .await
            .expect("delete");
        deletes.push(t.elapsed());
        println!("  deleted in {}", secs(t.elapsed()));
    }
    summary("create 1 server + 2 agents, every node Ready", creates);
    summary("delete", deletes);
}
