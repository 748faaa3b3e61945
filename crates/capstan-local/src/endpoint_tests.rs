use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{resolve, Endpoint, Lookup};
use crate::Error;

/// A machine described by its environment and files.
#[derive(Default)]
struct Fake {
    vars: HashMap<&'static str, String>,
    files: HashMap<PathBuf, String>,
    sockets: Vec<PathBuf>,
    windows: bool,
}

impl Fake {
    fn var(mut self, k: &'static str, v: &str) -> Self {
        self.vars.insert(k, v.to_owned());
        self
    }
    fn file(mut self, p: &str, text: &str) -> Self {
        self.files.insert(PathBuf::from(p), text.to_owned());
        self
    }
    fn socket(mut self, p: &str) -> Self {
        self.sockets.push(PathBuf::from(p));
        self
    }
    fn on_windows(mut self) -> Self {
        self.windows = true;
        self
    }
    fn context(self, dir: &str, name: &str, host: &str) -> Self {
        let meta = serde_json::json!({
            "Name": name,
            "Metadata": {},
            "Endpoints": { "docker": { "Host": host, "SkipTLSVerify": false } }
        });
        self.file(
            &format!("/home/u/.docker/contexts/meta/{dir}/meta.json"),
            &meta.to_string(),
        )
    }
}

impl Lookup for Fake {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }
    fn home(&self) -> Option<PathBuf> {
        Some(PathBuf::from("/home/u"))
    }
    fn read(&self, path: &Path) -> Option<String> {
        self.files.get(path).cloned()
    }
    fn exists(&self, path: &Path) -> bool {
        self.sockets.iter().any(|s| s == path) || self.files.contains_key(path)
    }
    fn dirs(&self, path: &Path) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|f| {
                let rest = f.strip_prefix(path).ok()?;
                let first = rest.components().next()?;
                Some(path.join(first))
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
    fn windows(&self) -> bool {
        self.windows
    }
}

fn at(host: &str, source: &str) -> Endpoint {
    Endpoint {
        host: host.to_owned(),
        source: source.to_owned(),
    }
}

fn detail(e: Error) -> String {
    match e {
        Error::EngineUnreachable { detail, .. } => detail,
        other => panic!("expected EngineUnreachable, got {other:?}"),
    }
}

#[test]
fn docker_host_wins_over_everything() {
    let m = Fake::default()
        .var("DOCKER_HOST", "tcp://10.0.0.2:2375")
        .var("DOCKER_CONTEXT", "remote")
        .socket("/var/run/docker.sock");
    assert_eq!(
        resolve(&m).expect("resolves"),
        at("tcp://10.0.0.2:2375", "DOCKER_HOST")
    );
}

#[test]
fn the_default_socket_comes_before_rootless_and_podman() {
    let m = Fake::default()
        .var("XDG_RUNTIME_DIR", "/run/user/1000")
        .socket("/run/user/1000/podman/podman.sock")
        .socket("/var/run/docker.sock");
    assert_eq!(
        resolve(&m).expect("resolves"),
        at("unix:///var/run/docker.sock", "Docker")
    );
}

#[test]
fn rootless_docker_then_podman_sockets_are_found() {
    let rootless = Fake::default()
        .var("XDG_RUNTIME_DIR", "/run/user/1000")
        .socket("/run/user/1000/docker.sock")
        .socket("/run/user/1000/podman/podman.sock");
    assert_eq!(
        resolve(&rootless).expect("resolves"),
        at("unix:///run/user/1000/docker.sock", "rootless Docker")
    );
    let podman = Fake::default()
        .var("XDG_RUNTIME_DIR", "/run/user/1000")
        .socket("/run/user/1000/podman/podman.sock");
    assert_eq!(
        resolve(&podman).expect("resolves"),
        at("unix:///run/user/1000/podman/podman.sock", "Podman")
    );
    let rootful_podman = Fake::default().socket("/run/podman/podman.sock");
    assert_eq!(
        resolve(&rootful_podman).expect("resolves"),
        at("unix:///run/podman/podman.sock", "Podman")
    );
}

#[test]
fn the_current_docker_context_is_followed() {
    let m = Fake::default()
        .file(
            "/home/u/.docker/config.json",
            r#"{"auths":{},"currentContext":"desktop-linux"}"#,
        )
        .context("aaa", "other", "unix:///elsewhere.sock")
        .context(
            "f24fd3749c1368328e2b149bec149cb6795619f244c5b584e844961215dadd16",
            "desktop-linux",
            "unix:///home/u/.docker/desktop/docker.sock",
        )
        .socket("/var/run/docker.sock");
    assert_eq!(
        resolve(&m).expect("resolves"),
        at(
            "unix:///home/u/.docker/desktop/docker.sock",
            "docker context desktop-linux"
        )
    );
    // DOCKER_CONTEXT overrides the config file, as for the docker CLI.
    let m = m.var("DOCKER_CONTEXT", "other");
    assert_eq!(
        resolve(&m).expect("resolves"),
        at("unix:///elsewhere.sock", "docker context other")
    );
}

#[test]
fn the_default_context_and_no_config_fall_through_to_the_sockets() {
    for config in [r#"{"currentContext":"default"}"#, r#"{"auths":{}}"#] {
        let m = Fake::default()
            .file("/home/u/.docker/config.json", config)
            .socket("/var/run/docker.sock");
        assert_eq!(
            resolve(&m).expect("resolves"),
            at("unix:///var/run/docker.sock", "Docker")
        );
    }
    // DOCKER_CONFIG moves the config directory.
    let m = Fake::default()
        .var("DOCKER_CONFIG", "/etc/dk")
        .file("/etc/dk/config.json", r#"{"currentContext":"x"}"#)
        .file(
            "/etc/dk/contexts/meta/h/meta.json",
            r#"{"Name":"x","Endpoints":{"docker":{"Host":"tcp://h:2376"}}}"#,
        );
    assert_eq!(
        resolve(&m).expect("resolves"),
        at("tcp://h:2376", "docker context x")
    );
}

#[test]
fn a_missing_context_or_engine_says_what_to_do() {
    let m = Fake::default()
        .var("DOCKER_CONTEXT", "gone")
        .socket("/var/run/docker.sock");
    let text = detail(resolve(&m).expect_err("missing context"));
    assert!(text.contains("`gone`"), "{text}");
    assert!(text.contains("docker context use default"), "{text}");

    let m = Fake::default().file("/home/u/.docker/config.json", "{not json");
    assert!(detail(resolve(&m).expect_err("bad config")).contains("config.json"));

    let m = Fake::default().var("XDG_RUNTIME_DIR", "/run/user/7");
    let text = detail(resolve(&m).expect_err("nothing there"));
    for path in [
        "/var/run/docker.sock",
        "/run/user/7/docker.sock",
        "/run/user/7/podman/podman.sock",
        "/run/podman/podman.sock",
        "/home/u/.docker/run/docker.sock",
        "/home/u/.colima/default/docker.sock",
        "/home/u/.rd/docker.sock",
        "/home/u/.orbstack/run/docker.sock",
    ] {
        assert!(text.contains(path), "{path} missing from {text}");
    }
    assert!(text.contains("set DOCKER_HOST"), "{text}");
}

#[test]
fn desktop_engines_in_the_home_directory_are_found() {
    for (socket, source) in [
        ("/home/u/.docker/run/docker.sock", "Docker Desktop"),
        ("/home/u/.docker/desktop/docker.sock", "Docker Desktop"),
        ("/home/u/.colima/default/docker.sock", "Colima"),
        ("/home/u/.colima/docker.sock", "Colima"),
        ("/home/u/.rd/docker.sock", "Rancher Desktop"),
        ("/home/u/.orbstack/run/docker.sock", "OrbStack"),
        (
            "/home/u/.local/share/containers/podman/machine/podman.sock",
            "Podman machine",
        ),
        (
            "/home/u/.local/share/containers/podman/machine/qemu/podman.sock",
            "Podman machine",
        ),
        (
            "/home/u/.local/share/containers/podman/machine/applehv/podman.sock",
            "Podman machine",
        ),
        (
            "/home/u/.local/share/containers/podman/machine/libkrun/podman.sock",
            "Podman machine",
        ),
    ] {
        let m = Fake::default().socket(socket);
        assert_eq!(
            resolve(&m).expect("resolves"),
            at(&format!("unix://{socket}"), source)
        );
    }
    // Podman 5 on macOS forwards the machine's API into TMPDIR.
    let m = Fake::default()
        .var("TMPDIR", "/var/folders/x/T")
        .socket("/var/folders/x/T/podman/podman-machine-default-api.sock");
    assert_eq!(
        resolve(&m).expect("resolves"),
        at(
            "unix:///var/folders/x/T/podman/podman-machine-default-api.sock",
            "Podman machine"
        )
    );
}

#[test]
fn the_system_socket_comes_before_desktop_engines_and_docker_desktop_before_colima() {
    let m = Fake::default()
        .socket("/home/u/.colima/default/docker.sock")
        .socket("/var/run/docker.sock");
    assert_eq!(
        resolve(&m).expect("resolves"),
        at("unix:///var/run/docker.sock", "Docker")
    );
    let m = Fake::default()
        .socket("/home/u/.colima/default/docker.sock")
        .socket("/home/u/.docker/run/docker.sock");
    assert_eq!(
        resolve(&m).expect("resolves"),
        at("unix:///home/u/.docker/run/docker.sock", "Docker Desktop")
    );
}

#[test]
fn windows_uses_named_pipes() {
    let m = Fake::default()
        .on_windows()
        .socket(r"\\.\pipe\docker_engine");
    assert_eq!(
        resolve(&m).expect("resolves"),
        at("npipe:////./pipe/docker_engine", "Docker")
    );
    let m = Fake::default()
        .on_windows()
        .socket(r"\\.\pipe\podman-machine-default");
    assert_eq!(
        resolve(&m).expect("resolves"),
        at("npipe:////./pipe/podman-machine-default", "Podman machine")
    );
    // Unix sockets mean nothing there; DOCKER_HOST still wins.
    let m = Fake::default().on_windows().socket("/var/run/docker.sock");
    let text = detail(resolve(&m).expect_err("no pipe"));
    assert!(text.contains(r"\\.\pipe\docker_engine"), "{text}");
    assert!(!text.contains("/var/run/docker.sock"), "{text}");
    let m = m.var("DOCKER_HOST", "npipe:////./pipe/custom");
    assert_eq!(
        resolve(&m).expect("resolves"),
        at("npipe:////./pipe/custom", "DOCKER_HOST")
    );
}
