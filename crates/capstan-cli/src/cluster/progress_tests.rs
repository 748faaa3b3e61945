use capstan_local::{LayerPhase, LayerProgress, Step};

use super::{bar, bar_line, describe, megabytes, PullSummary};

fn layer(phase: LayerPhase, current: u64, total: Option<u64>) -> LayerProgress {
    LayerProgress {
        id: "0123456789ab".to_owned(),
        phase,
        current,
        total,
    }
}

fn summary(layers: &[LayerProgress], downloaded: u64, total: Option<u64>) -> PullSummary {
    PullSummary::of(layers, downloaded, total)
}

#[test]
fn sums_up_a_pull() {
    let layers = [
        layer(LayerPhase::Exists, 0, None),
        layer(LayerPhase::Complete, 4_000_000, Some(4_000_000)),
        layer(LayerPhase::Downloading, 1_000_000, Some(8_000_000)),
    ];
    let s = summary(&layers, 5_000_000, Some(12_000_000));
    assert_eq!((s.done, s.layers, s.present), (2, 3, 1));
    assert_eq!(s.percent(), Some(41));
    assert_eq!(s.quarter(), 1);
    assert_eq!(s.text(), "41% of 12.0 MB, 2/3 layers");
    // A size still unknown: bytes alone, quarters by finished layers.
    let s = summary(&layers, 5_000_000, None);
    assert_eq!(s.percent(), None);
    assert_eq!(s.quarter(), 2);
    assert_eq!(s.text(), "5.0 MB, 2/3 layers");
    // Nothing to download.
    let s = summary(&layers[..1], 0, Some(0));
    assert_eq!((s.percent(), s.quarter()), (Some(100), 4));
    assert_eq!(summary(&[], 0, None).quarter(), 0);
}

#[test]
fn draws_a_bar_cut_to_the_terminal() {
    assert_eq!(bar(Some(50), 10), "[=====>    ]");
    assert_eq!(bar(Some(100), 4), "[====]");
    assert_eq!(bar(None, 4), "[    ]");
    let s = summary(&[layer(LayerPhase::Downloading, 1, Some(4))], 1, Some(4));
    let line = bar_line(1.25, "rancher/k3s:v1.31.4-k3s1", &s, 200);
    assert_eq!(
        line,
        "[  1.2s] pulling [======>                 ] 25% of 0.0 MB, 0/1 layers (rancher/k3s:v1.31.4-k3s1)"
    );
    assert_eq!(bar_line(1.25, "k3s", &s, 30).chars().count(), 29);
}

#[test]
fn says_what_a_pull_did() {
    let image = "k3s".to_owned();
    let pulled = Step::Pull {
        image: image.clone(),
        skipped: false,
    };
    let layers = [
        layer(LayerPhase::Exists, 0, None),
        layer(LayerPhase::Complete, 2_500_000, Some(2_500_000)),
    ];
    let s = summary(&layers, 2_500_000, Some(2_500_000));
    assert_eq!(
        describe(&pulled, Some(&s)),
        "pulled k3s: 2.5 MB in 2 layers (1 already present)"
    );
    assert_eq!(describe(&pulled, None), "pulled k3s");
    let progress = Step::PullProgress {
        image,
        layers: layers.to_vec(),
        downloaded: 2_500_000,
        total: Some(2_500_000),
    };
    assert_eq!(
        describe(&progress, None),
        "pulling k3s: 100% of 2.5 MB, 2/2 layers"
    );
    assert_eq!(megabytes(123_456_789), "123.5 MB");
}
