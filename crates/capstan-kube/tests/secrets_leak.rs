//! Secret values must never reach a log or an error message. Everything runs
//! under one global TRACE subscriber that records every event and span field
//! of every crate (kube, hyper, h2, tower, rustls via `log`); then no seeded
//! or submitted value may appear in an error string, nor in any event the
//! app's log filter lets through.

mod secrets_support;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use capstan_kube::secrets::{Clipboard, SecretClipboard};

use capstan_kube::secrets::log_safety::may_carry_secrets;
use capstan_kube::secrets::{
    create_secret, reveal_key, secret_details, update_secret, KeyChange, NewSecret, SecretValue,
};
use k8s_openapi::api::core::v1::Secret;
use secrets_support::*;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<(String, tracing::Level, String)>>>);

struct Text(String);
impl Visit for Text {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push_str(&format!(" {}={}", field.name(), value));
    }
}

impl<S> Layer<S> for Captured
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut t = Text(String::new());
        event.record(&mut t);
        let m = event.metadata();
        self.push(m.target(), *m.level(), t.0);
    }
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: Context<'_, S>,
    ) {
        let mut t = Text(String::new());
        attrs.record(&mut t);
        let m = attrs.metadata();
        self.push(m.target(), *m.level(), t.0);
    }
    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        ctx: Context<'_, S>,
    ) {
        let mut t = Text(String::new());
        values.record(&mut t);
        if let Some(span) = ctx.span(id) {
            let m = span.metadata();
            self.push(m.target(), *m.level(), t.0);
        }
    }
}

impl Captured {
    fn push(&self, target: &str, level: tracing::Level, text: String) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push((
            target.to_string(),
            level,
            text,
        ));
    }
}

/// Stands in for the system clipboard (CI has none to share).
#[derive(Default)]
struct FakeClipboard(Mutex<Option<String>>);
impl Clipboard for FakeClipboard {
    fn write_text(&self, text: &str) -> Result<(), String> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(text.to_owned());
        Ok(())
    }
    fn read_text(&self) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
    fn clear(&self) -> Result<(), String> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = None;
        Ok(())
    }
}

fn val(s: &str) -> SecretValue {
    SecretValue::new(s.as_bytes().to_vec())
}

/// A type a Secret cannot be parsed into: kube then logs the body.
#[derive(serde::Deserialize, Debug)]
#[allow(dead_code)]
struct NotASecret {
    data: u32,
}

#[tokio::test]
async fn no_value_in_logs_or_errors() {
    let captured = Captured::default();
    tracing_subscriber::registry()
        .with(
            captured
                .clone()
                .with_filter(tracing_subscriber::filter::LevelFilter::TRACE),
        )
        .try_init()
        .expect("the only subscriber of this test binary");
    let ns = ns("sec-leak");
    copy_seeded(&ns.name);
    let client = client().await;
    let mut errors: Vec<String> = Vec::new();
    let clipboard = Arc::new(FakeClipboard::default());
    let board = SecretClipboard::new(clipboard.clone(), Duration::from_millis(10));
    let mut copied = 0;
    let submitted = [
        "leak-first-value",
        "leak-second-value",
        "leak-bad-key-value",
        "leak-immutable-value",
    ];

    // List, as the secrets view does (every value crosses the wire).
    let api: kube::Api<Secret> = kube::Api::namespaced(client.clone(), &ns.name);
    let listed = api.list(&Default::default()).await.expect("list");
    assert!(listed.items.len() >= SEEDED.len());
    for name in SEEDED {
        let d = secret_details(client.clone(), &ns.name, name)
            .await
            .expect("details");
        for k in &d.keys {
            // Revealing returns the value; it must not be logged on the way.
            reveal_key(client.clone(), &ns.name, name, &k.key)
                .await
                .expect("reveal");
            // So does copying (binary values are refused with an error).
            match board.copy_key(client.clone(), &ns.name, name, &k.key).await {
                Ok(()) => copied += 1,
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    assert!(copied > 0, "no value was copied");
    // Let the clears (due after 10 ms) run: they are checked for leaks too.
    capstan_test_support::eventually(Duration::from_secs(10), || {
        std::future::ready(capstan_test_support::holds(
            clipboard.read_text().is_none(),
            "the last copy to be cleared",
        ))
    })
    .await
    .expect("the last copy was cleared");

    create_secret(
        client.clone(),
        &ns.name,
        "edit-me",
        NewSecret::Opaque {
            pairs: vec![("k".into(), val(submitted[0]))],
        },
    )
    .await
    .expect("create");
    let d = secret_details(client.clone(), &ns.name, "edit-me")
        .await
        .expect("details");
    update_secret(
        client.clone(),
        &ns.name,
        "edit-me",
        &d.resource_version,
        vec![KeyChange::Set {
            key: "k".into(),
            value: val(submitted[1]),
        }],
    )
    .await
    .expect("update");
    // Failures: stale version (409), bad key (local), exists (409 on create),
    // immutable (422), bad name (local), missing secret (404).
    let failures = vec![
        update_secret(
            client.clone(),
            &ns.name,
            "edit-me",
            &d.resource_version,
            vec![KeyChange::Set {
                key: "k".into(),
                value: val(submitted[0]),
            }],
        )
        .await
        .map(|_| ()),
        create_secret(
            client.clone(),
            &ns.name,
            "edit-me2",
            NewSecret::Opaque {
                pairs: vec![("bad key".into(), val(submitted[2]))],
            },
        )
        .await
        .map(|_| ()),
        create_secret(
            client.clone(),
            &ns.name,
            "edit-me",
            NewSecret::Opaque {
                pairs: vec![("k".into(), val(submitted[2]))],
            },
        )
        .await
        .map(|_| ()),
        create_secret(
            client.clone(),
            &ns.name,
            "Bad Name",
            NewSecret::Opaque {
                pairs: vec![("k".into(), val(submitted[2]))],
            },
        )
        .await
        .map(|_| ()),
        reveal_key(client.clone(), &ns.name, "missing", "k")
            .await
            .map(|_| ()),
    ];
    apply(&serde_json::json!({
        "apiVersion": "v1", "kind": "Secret", "immutable": true,
        "metadata": {"name": "frozen", "namespace": ns.name},
        "data": {"k": b64(submitted[3])}
    }));
    let f = secret_details(client.clone(), &ns.name, "frozen")
        .await
        .expect("details");
    let immutable = update_secret(
        client.clone(),
        &ns.name,
        "frozen",
        &f.resource_version,
        vec![KeyChange::Set {
            key: "k".into(),
            value: val(submitted[0]),
        }],
    )
    .await
    .map(|_| ());
    for r in failures.into_iter().chain([immutable]) {
        let e = r.expect_err("each of these must fail");
        errors.push(e.to_string());
        errors.push(format!("{e:?}"));
    }

    // A body kube cannot parse: kube-client logs it whole at WARN.
    let req = http::Request::get(format!(
        "/api/v1/namespaces/{}/secrets/demo-opaque",
        ns.name
    ))
    .body(Vec::new())
    .expect("request");
    assert!(client.request::<NotASecret>(req).await.is_err());

    let mut values = seeded_values();
    values.extend(submitted.iter().map(|s| s.to_string()));
    values.extend(submitted.iter().map(|s| b64(s)));
    let events = captured
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    assert!(
        events.len() > 100,
        "the capture saw only {} events",
        events.len()
    );
    let mut dropped_leaks = 0;
    for (target, level, text) in &events {
        for v in &values {
            if text.contains(v.as_str()) {
                assert!(
                    may_carry_secrets(target, level),
                    "a value reached a {level} event of {target} that the app's filter keeps"
                );
                dropped_leaks += 1;
            }
        }
    }
    // Proof the capture can see a leak: kube-client's WARN with the body.
    assert!(
        dropped_leaks > 0,
        "kube-client's unparsable-body warning was not seen"
    );
    for e in &errors {
        for v in &values {
            assert!(!e.contains(v.as_str()), "a value leaked into an error: {e}");
        }
    }
    let mut targets: Vec<&str> = events.iter().map(|(t, _, _)| t.as_str()).collect();
    targets.sort_unstable();
    targets.dedup();
    println!(
        "{} events captured from {targets:?}; {dropped_leaks} value matches, all in events the app drops",
        events.len()
    );
}
