use std::time::{Duration, Instant};

use bollard::models::CreateImageInfo;

use super::{Change, PullState, Throttle};
use crate::progress::{LayerPhase, LayerProgress, Step};
use crate::Error;

/// Messages as the engine writes them on `POST /images/create`, one JSON
/// object a line.
fn messages(lines: &str) -> Vec<CreateImageInfo> {
    lines
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

fn fold(state: &mut PullState, lines: &str) -> Vec<Change> {
    messages(lines)
        .iter()
        .map(|m| state.apply(m).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn parts(step: &Step) -> (&[LayerProgress], u64, Option<u64>) {
    match step {
        Step::PullProgress {
            layers,
            downloaded,
            total,
            ..
        } => (layers, *downloaded, *total),
        other => panic!("not a pull progress: {other:?}"),
    }
}

/// Asserts the state's report: these layers, and the download bytes and
/// total over them.
fn assert_report(s: &PullState, layers: &[LayerProgress], bytes: (u64, Option<u64>)) {
    let step = s.step();
    let (got, downloaded, total) = parts(&step);
    assert_eq!(got, layers);
    assert_eq!((downloaded, total), bytes);
}

fn layer(id: &str, phase: LayerPhase, current: u64, total: Option<u64>) -> LayerProgress {
    LayerProgress {
        id: id.to_owned(),
        phase,
        current,
        total,
    }
}

const START: &str = r#"
{"status":"Pulling from rancher/k3s","id":"v1.31.4-k3s1"}
{"status":"Already exists","progressDetail":{},"id":"aaaaaaaaaaaa"}
{"status":"Pulling fs layer","progressDetail":{},"id":"bbbbbbbbbbbb"}
{"status":"Pulling fs layer","progressDetail":{},"id":"cccccccccccc"}
{"status":"Waiting","progressDetail":{},"id":"cccccccccccc"}
{"status":"Downloading","progressDetail":{"current":1000,"total":4000},"progress":"[=>   ]","id":"bbbbbbbbbbbb"}
"#;

const REST: &str = r#"
{"status":"Downloading","progressDetail":{"current":3000,"total":4000},"id":"bbbbbbbbbbbb"}
{"status":"Downloading","progressDetail":{"current":500,"total":2000},"id":"cccccccccccc"}
{"status":"Verifying Checksum","progressDetail":{},"id":"bbbbbbbbbbbb"}
{"status":"Download complete","progressDetail":{},"id":"bbbbbbbbbbbb"}
{"status":"Extracting","progressDetail":{"current":2048,"total":4000},"id":"bbbbbbbbbbbb"}
{"status":"Download complete","progressDetail":{},"id":"cccccccccccc"}
{"status":"Extracting","progressDetail":{"current":4000,"total":4000},"id":"bbbbbbbbbbbb"}
{"status":"Pull complete","progressDetail":{},"id":"bbbbbbbbbbbb"}
{"status":"Extracting","progressDetail":{"current":2000,"total":2000},"id":"cccccccccccc"}
{"status":"Pull complete","progressDetail":{},"id":"cccccccccccc"}
{"status":"Digest: sha256:0123456789abcdef"}
{"status":"Status: Downloaded newer image for rancher/k3s:v1.31.4-k3s1"}
"#;

#[test]
fn folds_a_pull_into_layers_in_the_order_they_appear() {
    let mut s = PullState::new("rancher/k3s:v1.31.4-k3s1");
    fold(&mut s, START);
    // One layer to download has not said its size yet.
    assert_report(
        &s,
        &[
            layer("aaaaaaaaaaaa", LayerPhase::Exists, 0, None),
            layer("bbbbbbbbbbbb", LayerPhase::Downloading, 1000, Some(4000)),
            layer("cccccccccccc", LayerPhase::Waiting, 0, None),
        ],
        (1000, None),
    );

    fold(&mut s, REST);
    assert_report(
        &s,
        &[
            layer("aaaaaaaaaaaa", LayerPhase::Exists, 0, None),
            layer("bbbbbbbbbbbb", LayerPhase::Complete, 4000, Some(4000)),
            layer("cccccccccccc", LayerPhase::Complete, 2000, Some(2000)),
        ],
        (6000, Some(6000)),
    );
    assert!(parts(&s.step()).0.iter().all(|l| l.phase.is_finished()));
}

#[test]
fn a_finished_download_counts_whole_though_the_last_report_lagged() {
    let mut s = PullState::new("i");
    fold(
        &mut s,
        r#"
        {"status":"Downloading","progressDetail":{"current":100,"total":4000},"id":"bbbbbbbbbbbb"}
        {"status":"Download complete","progressDetail":{},"id":"bbbbbbbbbbbb"}
        "#,
    );
    assert_report(
        &s,
        &[layer(
            "bbbbbbbbbbbb",
            LayerPhase::Downloaded,
            4000,
            Some(4000),
        )],
        (4000, Some(4000)),
    );
}

#[test]
fn sizes_the_engine_does_not_know_stay_unknown() {
    let mut s = PullState::new("i");
    fold(
        &mut s,
        r#"
        {"status":"Pulling fs layer","progressDetail":{},"id":"bbbbbbbbbbbb"}
        {"status":"Downloading","progressDetail":{"current":700},"id":"bbbbbbbbbbbb"}
        {"status":"Downloading","progressDetail":{"current":900,"total":0},"id":"bbbbbbbbbbbb"}
        "#,
    );
    assert_report(
        &s,
        &[layer("bbbbbbbbbbbb", LayerPhase::Downloading, 900, None)],
        (900, None),
    );
    fold(
        &mut s,
        r#"
        {"status":"Download complete","progressDetail":{},"id":"bbbbbbbbbbbb"}
        {"status":"Pull complete","progressDetail":{},"id":"bbbbbbbbbbbb"}
        "#,
    );
    assert_report(
        &s,
        &[layer("bbbbbbbbbbbb", LayerPhase::Complete, 900, None)],
        (900, None),
    );
}

#[test]
fn extraction_tells_a_size_downloading_did_not() {
    let mut s = PullState::new("i");
    fold(
        &mut s,
        r#"
        {"status":"Downloading","progressDetail":{"current":700},"id":"bbbbbbbbbbbb"}
        {"status":"Download complete","progressDetail":{},"id":"bbbbbbbbbbbb"}
        {"status":"Extracting","progressDetail":{"current":100,"total":1000},"id":"bbbbbbbbbbbb"}
        "#,
    );
    assert_report(
        &s,
        &[layer(
            "bbbbbbbbbbbb",
            LayerPhase::Extracting,
            100,
            Some(1000),
        )],
        (1000, Some(1000)),
    );
}

#[test]
fn an_image_whose_layers_all_exist_downloads_nothing() {
    let mut s = PullState::new("i");
    fold(
        &mut s,
        r#"
        {"status":"Pulling from capstan/k3s","id":"1"}
        {"status":"Already exists","progressDetail":{},"id":"aaaaaaaaaaaa"}
        {"status":"Already exists","progressDetail":{},"id":"bbbbbbbbbbbb"}
        {"status":"Digest: sha256:0123"}
        "#,
    );
    let step = s.step();
    let (layers, downloaded, total) = parts(&step);
    assert_eq!(layers.len(), 2);
    assert_eq!((downloaded, total), (0, Some(0)));
    assert!(!PullState::new("i").has_layers());
    assert_eq!(parts(&PullState::new("i").step()).2, None);
}

#[test]
fn says_what_changed_for_the_throttle() {
    let mut s = PullState::new("i");
    let changes = fold(
        &mut s,
        r#"
        {"status":"Pulling from capstan/k3s","id":"1"}
        {"status":"Pulling fs layer","progressDetail":{},"id":"bbbbbbbbbbbb"}
        {"status":"Downloading","progressDetail":{"current":1,"total":9},"id":"bbbbbbbbbbbb"}
        {"status":"Downloading","progressDetail":{"current":5,"total":9},"id":"bbbbbbbbbbbb"}
        {"status":"Retrying in 5 seconds","progressDetail":{},"id":"bbbbbbbbbbbb"}
        {"status":"Downloading","progressDetail":{"current":2,"total":9},"id":"bbbbbbbbbbbb"}
        {"status":"Download complete","progressDetail":{},"id":"bbbbbbbbbbbb"}
        {"status":"Status: Downloaded newer image for capstan/k3s:1"}
        "#,
    );
    use Change::{Bytes, Nothing, Phase};
    assert_eq!(
        changes,
        [Nothing, Phase, Phase, Bytes, Nothing, Bytes, Phase, Nothing]
    );
}

#[test]
fn an_error_detail_ends_the_pull_with_the_engines_message() {
    let mut s = PullState::new("127.0.0.1:5000/k3s:nope");
    fold(&mut s, r#"{"status":"Pulling from k3s","id":"nope"}"#);
    let failed = messages(
        r#"{"errorDetail":{"message":"manifest for 127.0.0.1:5000/k3s:nope not found: manifest unknown"},"error":"manifest for 127.0.0.1:5000/k3s:nope not found: manifest unknown"}"#,
    );
    let err = failed
        .first()
        .map(|m| s.apply(m))
        .unwrap_or_else(|| panic!("no message"));
    let Err(e @ Error::ImagePull { .. }) = err else {
        panic!("not a pull error: {err:?}");
    };
    let text = e.to_string();
    assert!(text.contains("manifest unknown"), "{text}");
    assert!(text.contains("cannot pull"), "{text}");
    assert!(text.contains("--image-tarball"), "{text}");

    // Without a message, the code is what there is.
    let coded = messages(r#"{"errorDetail":{"code":500}}"#);
    let err = coded.first().map(|m| PullState::new("i").apply(m));
    assert!(
        matches!(&err, Some(Err(Error::ImagePull { detail, .. })) if detail == "error code 500"),
        "{err:?}"
    );
}

#[test]
fn the_throttle_holds_bytes_back_but_never_a_phase() {
    let t0 = Instant::now();
    let at = |ms| t0 + Duration::from_millis(ms);
    let mut t = Throttle::new(Duration::from_millis(100));
    assert!(t.due(at(0), Change::Bytes), "the first report goes out");
    assert!(!t.due(at(30), Change::Bytes));
    assert!(!t.due(at(60), Change::Nothing));
    assert!(t.due(at(70), Change::Phase));
    assert!(
        !t.due(at(150), Change::Bytes),
        "the gap counts from the last report"
    );
    assert!(t.due(at(170), Change::Bytes));
    assert!(!t.due(at(500), Change::Nothing));
}
