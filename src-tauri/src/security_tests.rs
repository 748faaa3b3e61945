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
            let id = match p {
                serde_json::Value::String(s) => s.as_str(),
                // Scoped grants: checked by opener_opens_only_loopback_urls.
                other => other["identifier"].as_str().expect("scoped identifier"),
            };
            granted.insert(id.to_string());
        }
    }
    let mut expected: BTreeSet<String> = COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    // The port-forward panel opens and copies a forward's local URL.
    expected.insert("opener:allow-open-url".into());
    expected.insert("clipboard-manager:allow-write-text".into());
    assert_eq!(
        granted, expected,
        "no core permission, no plugin permission beyond open-url and write-text, no command beyond the app's own"
    );
}

/// Commands no page calls yet are declared (so the ACL refuses them) and
/// granted nowhere.
/// The opener may open a forward's local URL and nothing else: exact
/// digits for the port, since `*` would also match user info
/// (`http://127.0.0.1:80@elsewhere/` opens elsewhere).
#[test]
fn opener_opens_only_loopback_urls() {
    let cap = read_json("capabilities/main.json");
    let scoped: Vec<&serde_json::Value> = cap["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter(|p| p.is_object())
        .collect();
    assert_eq!(scoped.len(), 1, "only the opener is scoped");
    assert_eq!(scoped[0]["identifier"], "opener:allow-open-url");
    assert!(scoped[0].get("deny").is_none());
    let patterns: Vec<glob::Pattern> = scoped[0]["allow"]
        .as_array()
        .expect("an allow list (no allow list = the plugin's default scope)")
        .iter()
        .map(|e| {
            let url = e["url"].as_str().expect("url entries only");
            assert!(e.get("app").is_none(), "no other program: {e}");
            glob::Pattern::new(url).expect("valid glob")
        })
        .collect();
    let allowed = |u: &str| patterns.iter().any(|p| p.matches(u));
    for ok in [
        "http://127.0.0.1:8080/",
        "https://127.0.0.1:8443/",
        "http://[::1]:1/",
        "http://localhost:65535/",
    ] {
        assert!(allowed(ok), "{ok} should open");
    }
    for bad in [
        "http://127.0.0.1:80@example.com/",
        "http://127.0.0.1:8080/x",
        "http://127.0.0.1.example.com:80/",
        "http://example.com/",
        "file:///etc/passwd",
        "http://127.0.0.1:123456/",
        "http://10.0.0.1:80/",
        "javascript:alert(1)",
    ] {
        assert!(!allowed(bad), "{bad} must not open");
    }
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
