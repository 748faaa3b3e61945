//! Resource-table benchmark through the real window (DESIGN.md §4): with
//! 10 000 pods in one namespace, the time from choosing that namespace to the
//! rows being in the window, then the UI's frame gaps while every pod is
//! relabelled (a stream of watch events). Prints figures; asserts nothing
//! about time. Run on demand: `scripts/bench-table.sh` (not part of CI).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use capstan_e2e::{App, Launch};

const NS: &str = "bench-10k";
const PODS: usize = 10_000;

fn kubeconfig() -> String {
    std::env::var("CAPSTAN_TEST_KUBECONFIG")
        .unwrap_or_else(|_| "/var/tmp/capstan-k8s/admin.kubeconfig".to_string())
}

fn kubectl() -> Command {
    // Else the one `tests/cluster/cluster.sh build` caches.
    let bin = std::env::var_os("CAPSTAN_TEST_KUBECTL")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(capstan_test_support::default_kubectl);
    let mut cmd = Command::new(bin);
    cmd.env("KUBECONFIG", kubeconfig());
    cmd
}

fn pod_count() -> usize {
    let out = kubectl()
        .args(["-n", NS, "get", "pods", "-o", "name"])
        .output()
        .expect("run kubectl");
    String::from_utf8_lossy(&out.stdout).lines().count()
}

#[tokio::main]
async fn main() {
    let have = pod_count();
    if have < PODS {
        let script = capstan_e2e::repo_root().join("tests/cluster/cluster.sh");
        let status = Command::new(script)
            .args(["seed-pending", &(PODS - have).to_string(), NS])
            .status()
            .expect("seed pods");
        assert!(status.success(), "seeding failed");
    }
    let app = App::launch(
        "bench-table",
        Launch {
            kubeconfig: Some(kubeconfig()),
        },
    )
    .await;
    app.wait_for("[data-testid=context-item][data-current=true]")
        .await
        .click()
        .await
        .expect("open the context");
    app.wait_for("[data-testid=nav-item][data-kind=Pod]")
        .await
        .click()
        .await
        .expect("open pods");
    app.wait_for(&format!(
        "[data-testid=namespace-select] option[value=\"{NS}\"]"
    ))
    .await;
    let select = app.wait_for("[data-testid=namespace-select]").await;
    let t0 = Instant::now();
    select.select_by_value(NS).await.expect("choose namespace");
    let total = format!("[data-testid=row-count][data-total=\"{PODS}\"]");
    app.wait_for(&total).await;
    app.wait_for(&format!(
        "[data-testid=resource-row][data-namespace=\"{NS}\"]"
    ))
    .await;
    let visible = t0.elapsed();
    let rendered = app.find_all("[data-testid=resource-row]").await.len();
    println!(
        "namespace chosen -> {PODS} rows listed and visible: {:.0} ms ({rendered} row elements in the DOM)",
        visible.as_secs_f64() * 1e3
    );

    // Frame gaps while the pods change: a requestAnimationFrame loop records
    // the longest pause between frames.
    app.client
        .execute(
            "window.__gaps = []; let last = performance.now(); \
             const tick = (t) => { window.__gaps.push(t - last); last = t; \
             if (!window.__stop) requestAnimationFrame(tick); }; requestAnimationFrame(tick);",
            vec![],
        )
        .await
        .expect("start frame probe");
    let marker = format!("b{}", std::process::id());
    let t0 = Instant::now();
    let status = Command::new(kubectl().get_program())
        .env("KUBECONFIG", kubeconfig())
        .args([
            "-n",
            NS,
            "label",
            "pods",
            "--all",
            &format!("capstan.dev/bench={marker}"),
            "--overwrite",
        ])
        .stdout(Stdio::null())
        .status()
        .expect("label pods");
    assert!(status.success(), "kubectl label failed");
    let labelled = t0.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let gaps = app
        .client
        .execute(
            "window.__stop = true; return window.__gaps.slice(1);",
            vec![],
        )
        .await
        .expect("read frame gaps");
    let mut gaps: Vec<f64> = gaps
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default();
    gaps.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        gaps.get(((gaps.len() as f64 - 1.0) * q) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    println!(
        "{PODS} pods relabelled in {:.1} s ({:.0} events/s); frames meanwhile: {} , median gap {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        labelled.as_secs_f64(),
        PODS as f64 / labelled.as_secs_f64(),
        gaps.len(),
        pick(0.5),
        pick(0.99),
        pick(1.0)
    );
    app.close().await;
}
