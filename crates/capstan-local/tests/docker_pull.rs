//! `pull_image` against the real engine and a real registry on 127.0.0.1: an
//! image made of the stand-in node image plus three layers of random bytes
//! is pushed there and removed locally, then pulled with progress. The base
//! layer is reported as already there, the new ones go through every phase.
//! Unknown tags and unreachable registries are typed pull errors; a create
//! cancelled mid-pull stops it.

mod common;
mod registry;

use std::io::Read;
use std::process::Command;
use std::sync::Mutex;

use bollard::auth::DockerCredentials;
use bollard::query_parameters::{PushImageOptions, RemoveImageOptions, TagImageOptions};
use bollard::Docker;
use capstan_local::{pull_image, Error, LayerPhase, LayerProgress, ProgressSink, Step};
use capstan_test_support::local_nodes::ENGINE_HOW;
use capstan_test_support::{prerequisite_missing, require};
use futures_util::TryStreamExt;

use registry::Registry;

#[derive(Default)]
struct Steps(Mutex<Vec<Step>>);

impl ProgressSink for Steps {
    fn step(&self, s: Step) {
        if let Ok(mut v) = self.0.lock() {
            v.push(s);
        }
    }
}

impl Steps {
    fn all(&self) -> Vec<Step> {
        self.0.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

/// Removes the test's image names when dropped, passing or not.
struct Images(Vec<String>);

impl Drop for Images {
    fn drop(&mut self) {
        for i in &self.0 {
            let _ = Command::new("docker").args(["rmi", "-f", i]).output();
        }
    }
}

/// `FROM base` plus three files of random bytes, one layer each (random, so
/// no engine or registry has them and they compress to their full size).
fn build_image(base: &str, tag: &str) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut dockerfile = format!("FROM {base}\n");
    for (name, size) in [("one", 3 << 20), ("two", 2 << 20), ("three", 1 << 20)] {
        let mut bytes = Vec::new();
        std::fs::File::open("/dev/urandom")
            .and_then(|f| f.take(size).read_to_end(&mut bytes))
            .unwrap_or_else(|e| panic!("/dev/urandom: {e}"));
        std::fs::write(dir.path().join(name), bytes).unwrap_or_else(|e| panic!("{e}"));
        dockerfile.push_str(&format!("COPY {name} /capstan-pull-test/{name}\n"));
    }
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new("docker")
        .env("DOCKER_BUILDKIT", "0")
        .args(["build", "-q", "-t", tag])
        .arg(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("docker build: {e}"));
    assert!(
        out.status.success(),
        "docker build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn push(docker: &Docker, repo: &str, tag: &str) {
    // The engine wants an X-Registry-Auth header even for a registry without auth.
    docker
        .push_image(
            repo,
            Some(PushImageOptions {
                tag: Some(tag.to_owned()),
                ..Default::default()
            }),
            Some(DockerCredentials::default()),
        )
        .try_collect::<Vec<_>>()
        .await
        .unwrap_or_else(|e| panic!("push {repo}:{tag}: {e}"));
}

/// Builds `base` plus three layers as `capstan/<name>` in `registry`, and
/// removes it from the engine (names and new layers), so a pull has to fetch
/// it. The image names are removed again when the guard drops.
async fn publish(docker: &Docker, registry: &Registry, base: &str, name: &str) -> (String, Images) {
    let run = std::process::id().to_string();
    let local = format!("capstan.local/{name}:{run}");
    let repo = format!("{}/capstan/{name}", registry.host());
    let remote = format!("{repo}:{run}");
    let images = Images(vec![local.clone(), remote.clone()]);
    build_image(base, &local);
    docker
        .tag_image(
            &local,
            Some(TagImageOptions {
                repo: Some(repo.clone()),
                tag: Some(run.clone()),
            }),
        )
        .await
        .unwrap_or_else(|e| panic!("tag: {e}"));
    push(docker, &repo, &run).await;
    for image in [&remote, &local] {
        docker
            .remove_image(image, None::<RemoveImageOptions>, None)
            .await
            .unwrap_or_else(|e| panic!("rmi {image}: {e}"));
    }
    assert!(docker.inspect_image(&remote).await.is_err());
    (remote, images)
}

async fn layer_count(docker: &Docker, image: &str) -> usize {
    docker
        .inspect_image(image)
        .await
        .unwrap_or_else(|e| panic!("{image}: {e}"))
        .root_fs
        .and_then(|r| r.layers)
        .map_or(0, |l| l.len())
}

fn progress(s: &Step) -> Option<(&[LayerProgress], u64, Option<u64>)> {
    match s {
        Step::PullProgress {
            layers,
            downloaded,
            total,
            ..
        } => Some((layers, *downloaded, *total)),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pulls_every_layer_with_progress_from_a_registry() {
    let Some(base) = common::node_image() else {
        return;
    };
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let registry = Registry::start();
    let (remote, _images) = publish(&docker, &registry, &base, "pull-test").await;

    let steps = Steps::default();
    pull_image(&docker, &remote, &steps)
        .await
        .unwrap_or_else(|e| panic!("{e}\nregistry log:\n{}", registry.log()));
    let steps = steps.all();
    // The pulled image is the base plus the three layers the registry held.
    let layers = layer_count(&docker, &remote).await;
    assert_eq!(layers, layer_count(&docker, &base).await + 3);
    assert_eq!(
        steps.last(),
        Some(&Step::Pull {
            image: remote.clone(),
            skipped: false
        })
    );
    let reports: Vec<_> = steps.iter().filter_map(progress).collect();
    let Some(&(last, downloaded, total)) = reports.last() else {
        panic!("no pull progress: {steps:?}");
    };

    println!(
        "{} progress reports ({} steps); last: {last:?}",
        reports.len(),
        steps.len()
    );
    // Every layer of the image, each finished; the new ones downloaded.
    assert_eq!(last.len(), layers, "{last:?}");
    assert!(last.iter().all(|l| l.phase.is_finished()), "{last:?}");
    let exists = last
        .iter()
        .filter(|l| l.phase == LayerPhase::Exists)
        .count();
    assert_eq!(exists, layers - 3, "{last:?}");
    for l in last.iter().filter(|l| l.phase == LayerPhase::Complete) {
        assert_eq!(Some(l.current), l.total, "{l:?}");
    }
    // Random bytes do not compress: the download is at least what was written.
    let sizes: u64 = last.iter().filter_map(|l| l.total).sum();
    assert_eq!(total, Some(sizes));
    assert_eq!(downloaded, sizes);
    assert!(sizes >= 6 << 20, "{sizes} bytes");

    // Each report is consistent, and no layer ever goes back a phase.
    for (i, (layers, downloaded, total)) in reports.iter().enumerate() {
        if let Some(total) = total {
            assert!(downloaded <= total, "report {i}: {downloaded} > {total}");
        }
        for l in layers.iter() {
            if let Some(t) = l.total {
                assert!(l.current <= t, "report {i}: {l:?}");
            }
            let before = reports
                .get(..i)
                .unwrap_or_default()
                .iter()
                .flat_map(|r| r.0.iter())
                .filter(|p| p.id == l.id)
                .map(|p| p.phase)
                .max();
            assert!(before.is_none_or(|b| b <= l.phase), "report {i}: {l:?}");
        }
    }

    // A tag the registry does not have: the engine's words, nothing left.
    let repo = remote
        .rsplit_once(':')
        .map_or(remote.as_str(), |(repo, _)| repo);
    let missing = format!("{repo}:no-such-tag");
    let steps = Steps::default();
    let err = pull_image(&docker, &missing, &steps).await;
    let Err(e @ Error::ImagePull { .. }) = &err else {
        panic!("not a pull error: {err:?}");
    };
    let text = e.to_string();
    println!("{text}");
    assert!(text.contains("no-such-tag"), "{text}");
    assert!(text.contains("--image-tarball"), "{text}");
    assert!(docker.inspect_image(&missing).await.is_err());
    assert!(
        !steps.all().iter().any(|s| matches!(s, Step::Pull { .. })),
        "{:?}",
        steps.all()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_registry_that_does_not_answer_is_a_pull_error() {
    let Some(docker) = require(capstan_local::connect(), "a Docker engine", ENGINE_HOW) else {
        return;
    };
    if let Err(e) = docker.ping().await {
        prerequisite_missing("a Docker engine", &e.to_string(), ENGINE_HOW);
        return;
    }
    // A registry started and stopped: its port is known to be closed.
    let host = Registry::start().host();
    let image = format!("{host}/capstan/gone:1");
    let err = pull_image(&docker, &image, &capstan_local::NoProgress).await;
    let Err(e @ Error::ImagePull { .. }) = &err else {
        panic!("not a pull error: {err:?}");
    };
    let text = e.to_string();
    println!("{text}");
    assert!(text.contains("cannot pull the node image"), "{text}");
    assert!(docker.inspect_image(&image).await.is_err());
}

/// Create cancelled while its node image is being pulled: `Cancelled`, the
/// pull never reported done, and nothing labelled was created.
#[tokio::test(flavor = "multi_thread")]
async fn a_create_cancelled_during_the_pull_stops_it() {
    // Only for the test's engine facts (unprivileged nodes), and to fail
    // (CI) or skip when there is no engine.
    if common::node_image().is_none() {
        return;
    }
    let docker = capstan_local::connect().unwrap_or_else(|e| panic!("{e}"));
    let registry = Registry::start();
    let (remote, _images) = publish(&docker, &registry, "scratch", "pull-cancel").await;

    let name = "pull-cancel-test";
    let _cleanup = common::Cleanup(name.to_owned());
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = common::opts(name, &remote, dir.path().join("config"));
    let cancel = o.cancel.clone();
    // The first pull report cancels: the pull is under way, nothing created yet.
    let rec = common::Recorder::with_action(name, move |s| {
        if matches!(s, Step::PullProgress { .. }) {
            cancel.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let err = capstan_local::create_cluster(&docker, &o, &rec).await.err();
    assert!(matches!(err, Some(Error::Cancelled)), "{err:?}");
    let steps = rec.steps();
    assert!(
        matches!(steps.first(), Some(Step::PullProgress { .. })),
        "{steps:?}"
    );
    assert!(
        !steps
            .iter()
            .any(|s| matches!(s, Step::Pull { .. } | Step::Network { .. })),
        "{steps:?}"
    );
    assert_eq!(common::labelled_leftovers(&docker, name).await, 0);
}
