//! Checks on the security baseline that live in config files, so a careless
//! edit fails a test instead of silently widening what the window may do.

use std::collections::BTreeSet;

use crate::commands::names::COMMANDS;

fn read_json(rel: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).expect("read config file");
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn capabilities_grant_exactly_the_app_commands() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let mut granted = BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("capabilities dir") {
        let path = entry.expect("entry").path();
        let cap = read_json(
            path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .expect("inside crate")
                .to_str()
                .expect("utf-8"),
        );
        for p in cap["permissions"].as_array().expect("permissions array") {
            granted.insert(
                p.as_str()
                    .expect("permission identifiers are strings")
                    .to_string(),
            );
        }
    }
    let expected: BTreeSet<String> = COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert_eq!(
        granted, expected,
        "no core or plugin permission, no command beyond the app's own"
    );
}

#[test]
fn csp_allows_no_remote_origin() {
    let conf = read_json("tauri.conf.json");
    let csp = conf["app"]["security"]["csp"]
        .as_object()
        .expect("a CSP is set (null disables it)");
    assert_eq!(csp["default-src"], "'self'");
    for (directive, value) in csp {
        let value = value.as_str().expect("directive value");
        for source in value.split_whitespace() {
            let remote = source.contains("://") && source != "http://ipc.localhost";
            assert!(!remote, "{directive} allows a remote origin: {source}");
            assert!(
                source != "*" && !source.contains("unsafe-eval"),
                "{directive}: {source}"
            );
        }
    }
    assert_eq!(conf["app"]["withGlobalTauri"], false);
}
