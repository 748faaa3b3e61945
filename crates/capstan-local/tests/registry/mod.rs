//! A throw-away image registry for the pull tests: Debian's `docker-registry`
//! (the distribution registry) on 127.0.0.1 with its storage in a temporary
//! directory. The engine allows plain HTTP to 127.0.0.0/8 registries, so no
//! TLS is needed. Killed when dropped.

use capstan_test_support::{eventually_blocking, free_port, prerequisite_needed};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const BINARY: &str = "/usr/bin/docker-registry";

pub struct Registry {
    child: Child,
    pub port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

/// `GET /v2/` answered 200: the registry is serving.
fn answers(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    if s.write_all(b"GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

impl Registry {
    /// Starts a registry and waits until it answers (or panics with its log).
    pub fn start() -> Registry {
        if !std::path::Path::new(BINARY).exists() {
            prerequisite_needed(
                &format!("the distribution registry, {BINARY}"),
                "",
                "apt-get install docker-registry (scripts/test.sh installs it)",
            );
        }
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let port = free_port();
        let config = dir.path().join("config.yml");
        let storage = dir.path().join("storage");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n",
                storage.display()
            ),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let log = dir.path().join("registry.log");
        let out = std::fs::File::create(&log).unwrap_or_else(|e| panic!("{e}"));
        let err = out.try_clone().unwrap_or_else(|e| panic!("{e}"));
        let child = Command::new(BINARY)
            .arg("serve")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("{BINARY}: {e}"));
        let mut registry = Registry {
            child,
            port,
            log,
            _dir: dir,
        };
        let started = eventually_blocking(Duration::from_secs(30), || {
            match registry.child.try_wait().ok().flatten() {
                Some(exited) => Ok(Err(format!("it exited ({exited})"))),
                None if answers(port) => Ok(Ok(())),
                None => Err("it does not answer yet".to_string()),
            }
        });
        if let Err(why) | Ok(Err(why)) = started {
            panic!("the registry did not start ({why}): {}", registry.log());
        }
        registry
    }

    /// `127.0.0.1:<port>`, the prefix of image names in this registry.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
