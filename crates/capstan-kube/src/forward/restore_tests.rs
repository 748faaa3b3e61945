use super::*;
use crate::forward::{PortMapping, RemotePort, TargetKind, TargetRef};

fn web() -> SavedForward {
    SavedForward {
        namespace: "shop".into(),
        target: TargetRef {
            kind: TargetKind::Pod,
            name: "web".into(),
        },
        ports: vec![PortMapping {
            local: Some(18080),
            remote: RemotePort::Number(8080),
        }],
        address: None,
    }
}

/// A client for a server that refuses connections: every start fails.
fn unreachable_client() -> kube::Client {
    let url = "http://127.0.0.1:1".parse().expect("test fixture");
    kube::Client::try_from(kube::Config::new(url)).expect("test fixture")
}

#[test]
fn addresses_other_than_loopback_need_consent() {
    assert_eq!(parse_address(None, false).expect("none"), None);
    assert_eq!(parse_address(Some("  "), false).expect("blank"), None);
    assert!(parse_address(Some("::1"), false)
        .expect("loopback")
        .is_some());
    let refused = parse_address(Some("0.0.0.0"), false).expect_err("wildcard");
    assert!(
        refused.to_string().contains("confirm it explicitly"),
        "{refused}"
    );
    assert!(parse_address(Some("0.0.0.0"), true)
        .expect("confirmed")
        .is_some());
    assert!(parse_address(Some("web"), true).is_err());
}

#[tokio::test]
async fn a_forward_that_cannot_come_back_is_failed_until_dismissed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("forwards.json");
    saved::update(&file, |s| {
        s.set_enabled("ctx", true);
        s.set_forwards("ctx", vec![web()]);
        true
    })
    .expect("seed file");
    let state = SavedForwardsState::with_file(file.clone());
    let clients = ClientCache::default();
    clients.insert("ctx", unreachable_client());
    let registry = ForwardRegistry::new();

    let outcome = state
        .restore("ctx", &clients, &registry)
        .await
        .expect("restore");
    assert_eq!(
        outcome,
        RestoreOutcome {
            restored: 0,
            failed: 1
        }
    );
    // Once per session.
    let again = state
        .restore("ctx", &clients, &registry)
        .await
        .expect("restore");
    assert_eq!(again, RestoreOutcome::default());

    let view = state.view("ctx").expect("view");
    assert!(view.enabled);
    let [failed] = &view.failed[..] else {
        panic!("one failed entry expected: {view:?}");
    };
    assert_eq!(failed.forward, web());
    assert!(!failed.reason.is_empty());

    // A failed retry keeps it listed and saved.
    state
        .retry(failed.id, &clients, &registry)
        .await
        .expect_err("still unreachable");
    assert_eq!(state.view("ctx").expect("view").failed.len(), 1);
    assert_eq!(
        SavedForwards::load_from(&file)
            .expect("file")
            .forwards("ctx"),
        &[web()]
    );

    state.dismiss(failed.id);
    assert!(state.view("ctx").expect("view").failed.is_empty());
    assert!(SavedForwards::load_from(&file)
        .expect("file")
        .forwards("ctx")
        .is_empty());
    assert!(registry.list().is_empty());
}

#[test]
fn turning_saving_off_drops_the_list_and_the_failed_entries() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("forwards.json");
    let state = SavedForwardsState::with_file(file.clone());
    assert!(state.set_enabled("ctx", true).expect("on").enabled);
    assert!(SavedForwards::load_from(&file)
        .expect("file")
        .enabled("ctx"));
    let view = state.set_enabled("ctx", false).expect("off");
    assert!(!view.enabled && view.failed.is_empty());
    assert!(!SavedForwards::load_from(&file)
        .expect("file")
        .enabled("ctx"));
}
