//! Harness for end-to-end tests through the real app window.
//!
//! Each [`App`] gets its own Xvfb display and its own tauri-driver (which
//! drives WebKitWebDriver), so every test starts the app with its own
//! environment (KUBECONFIG, config and log dirs). Tests are `#[ignore]`d in
//! plain `cargo test`: they need the app built with its UI embedded, which
//! `scripts/test.sh` does before running them with `--ignored`.
//!
//! A missing piece (the built app, Xvfb, tauri-driver, WebKitWebDriver,
//! ImageMagick's `import`) fails the test, in CI and elsewhere, with a
//! message naming what to install ([`capstan_test_support::prerequisite_needed`]).

pub mod terminal;
pub mod xdotool;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use capstan_test_support::prerequisite_needed;
use capstan_test_support::prerequisites::on_path;
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

/// How long to wait for the UI to reach a state before failing the test.
pub const UI_TIMEOUT: Duration = Duration::from_secs(30);

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The app binary: `CAPSTAN_APP_BIN`, else the debug build in the target dir.
pub fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("CAPSTAN_APP_BIN") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    target.join("debug").join("capstan-app")
}

/// Where screenshots go: `CAPSTAN_ARTIFACTS`, else tests/artifacts.
pub fn artifacts_dir() -> PathBuf {
    let dir = std::env::var_os("CAPSTAN_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("tests").join("artifacts"));
    std::fs::create_dir_all(&dir).expect("create artifacts dir");
    dir
}

/// A port nothing listens on now, below the ephemeral range.
pub use capstan_test_support::free_port;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        // tauri-driver runs in a process group of its own (see `launch`):
        // killing the group also ends WebKitWebDriver and the app, which
        // would otherwise outlive a failed test and hold its output open.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// True when the process named in an X lock file still runs.
fn lock_is_live(lock: &std::path::Path) -> bool {
    std::fs::read_to_string(lock)
        .ok()
        .and_then(|t| t.trim().parse::<u32>().ok())
        .is_some_and(|pid| PathBuf::from(format!("/proc/{pid}")).exists())
}

/// The app binary, tauri-driver, WebKitWebDriver (which tauri-driver looks
/// up on PATH, exiting when it is not there) and Xvfb, checked before
/// anything starts; fails the test naming what is missing. Returns the app
/// and tauri-driver paths.
fn check_prerequisites(app: Option<&Path>) -> (PathBuf, PathBuf) {
    let app = app.map(Path::to_path_buf).unwrap_or_else(app_binary);
    if !app.is_file() {
        prerequisite_needed(
            &format!("the app binary {}", app.display()),
            "",
            "build it with UI embedded: scripts/test.sh does (`cargo build -p capstan \
             --features capstan/custom-protocol` after the UI build), or set CAPSTAN_APP_BIN",
        );
    }
    let driver = tauri_driver();
    let Some(driver) = on_path(&driver) else {
        prerequisite_needed(
            &format!("tauri-driver ({})", driver.display()),
            "",
            "cargo install tauri-driver --locked (scripts/test.sh does), or set TAURI_DRIVER",
        );
    };
    if on_path("WebKitWebDriver").is_none() {
        prerequisite_needed(
            "WebKitWebDriver on PATH (tauri-driver drives the window through it)",
            "",
            "apt-get install webkit2gtk-driver (scripts/test.sh installs it)",
        );
    }
    if on_path("Xvfb").is_none() {
        prerequisite_needed(
            "Xvfb on PATH",
            "",
            "apt-get install xvfb (scripts/test.sh installs it)",
        );
    }
    (app, driver)
}

fn start_xvfb() -> (Killed, String) {
    for n in 90..140 {
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let lock = PathBuf::from(format!("/tmp/.X{n}-lock"));
        if lock.exists() && !lock_is_live(&lock) {
            // Xvfb killed with SIGKILL (how tests end it) leaves its lock and
            // socket behind; without this the displays run out after a few runs.
            let _ = std::fs::remove_file(&lock);
            let _ = std::fs::remove_file(&socket);
        }
        if socket.exists() || lock.exists() {
            continue;
        }
        let child = Command::new("Xvfb")
            .args([
                format!(":{n}").as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting Xvfb :{n}: {e}"));
        capstan_test_support::eventually_blocking(Duration::from_secs(10), || {
            capstan_test_support::holds(socket.exists(), &format!("Xvfb :{n}'s socket"))
        })
        .unwrap_or_else(|last| panic!("Xvfb :{n} did not start: {last}"));
        return (Killed(child), format!(":{n}"));
    }
    panic!("no free X display between :90 and :139");
}

/// A running app window under test, with its own display and driver.
pub struct App {
    pub client: Client,
    pub name: String,
    display: String,
    config_dir: PathBuf,
    _driver: Killed,
    _xvfb: Killed,
    _home: tempfile::TempDir,
}

/// Options for one app launch.
#[derive(Default)]
pub struct Launch {
    /// Value for KUBECONFIG; `None` leaves it unset (then ~/.kube/config of a temp HOME).
    pub kubeconfig: Option<String>,
}

/// An app started from a given binary with a config dir that outlives the
/// launch: an installed package across its upgrade.
pub struct Installed<'a> {
    /// The binary to start instead of [`app_binary`].
    pub app: &'a Path,
    /// Settings and added clusters, kept between launches.
    pub config_dir: &'a Path,
}

impl App {
    /// Starts Xvfb, tauri-driver and the app. `name` labels screenshots.
    /// Launches against the test cluster in a window of `size`, with the
    /// current context open on the Pods of `namespace`.
    pub async fn open_pods(name: &str, namespace: &str, size: (u32, u32)) -> App {
        let kubeconfig = capstan_test_support::TestCluster::get().kubeconfig_path();
        let app = App::launch(
            name,
            Launch {
                kubeconfig: Some(kubeconfig.display().to_string()),
            },
        )
        .await;
        app.wait_for("[data-testid=app-ready]").await;
        app.client
            .set_window_rect(0, 0, size.0, size.1)
            .await
            .unwrap_or_else(|e| panic!("{name}: size the window: {e}"));
        app.click("[data-testid=context-item][data-current=true]")
            .await;
        app.choose_namespace(namespace).await;
        app.click("[data-testid=nav-item][data-kind=Pod]").await;
        app
    }

    pub async fn launch(name: &str, opts: Launch) -> App {
        Self::launch_seeded(name, opts, &[]).await
    }

    /// As `launch`, with `seed` files copied into the config dir before the
    /// app starts: a "restart" carries a previous launch's settings this way.
    pub async fn launch_seeded(name: &str, opts: Launch, seed: &[PathBuf]) -> App {
        Self::start(name, opts, seed, None).await
    }

    /// As `launch`, with the binary and config dir of `installed`.
    pub async fn launch_installed(name: &str, opts: Launch, installed: Installed<'_>) -> App {
        Self::start(name, opts, &[], Some(installed)).await
    }

    async fn start(
        name: &str,
        opts: Launch,
        seed: &[PathBuf],
        installed: Option<Installed<'_>>,
    ) -> App {
        let (app, driver) = check_prerequisites(installed.as_ref().map(|i| i.app));
        let (xvfb, display) = start_xvfb();
        let home = tempfile::tempdir().expect("temp home");
        let config_dir = installed
            .as_ref()
            .map(|i| i.config_dir.to_path_buf())
            .unwrap_or_else(|| home.path().join("config"));
        if !seed.is_empty() {
            let config = config_dir.clone();
            std::fs::create_dir_all(&config).expect("config dir");
            for file in seed {
                let name = file.file_name().expect("a file to seed");
                std::fs::copy(file, config.join(name))
                    .unwrap_or_else(|e| panic!("seeding {}: {e}", file.display()));
            }
        }
        let port = free_port();
        let native_port = free_port();
        let mut cmd = Command::new(&driver);
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", &display)
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .env("CAPSTAN_CONFIG_DIR", &config_dir)
        .env("CAPSTAN_LOG_DIR", home.path().join("logs"))
        // A temp HOME keeps the developer's ~/.kube/config out of the test.
        .env("HOME", home.path())
        .env_remove("KUBECONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
        if let Some(k) = &opts.kubeconfig {
            cmd.env("KUBECONFIG", k);
        }
        let mut driver = Killed(
            cmd.spawn()
                .unwrap_or_else(|e| panic!("starting {}: {e}", driver.display())),
        );

        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app.display().to_string() }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let target = url.as_str();
        let client = capstan_test_support::eventually(UI_TIMEOUT, || {
            let exited = driver.0.try_wait().ok().flatten();
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            let caps = caps.clone();
            async move {
                let session = ClientBuilder::new(connector)
                    .capabilities(caps)
                    .connect(target)
                    .await;
                if let (Err(e), Some(status)) = (&session, exited) {
                    // Its reason (e.g. no WebKitWebDriver) is on stderr above.
                    panic!("tauri-driver exited ({status:?}) before a WebDriver session: {e}")
                }
                session
            }
        })
        .await
        .unwrap_or_else(|e| panic!("could not start a WebDriver session on {url}: {e}"));
        App {
            client,
            name: name.to_string(),
            display,
            config_dir,
            _driver: driver,
            _xvfb: xvfb,
            _home: home,
        }
    }

    /// Waits for the element matching `css` and clicks it.
    pub async fn click(&self, css: &str) {
        self.wait_for(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Waits for the element matching `css` and right-clicks its middle,
    /// with a real X pointer (see [`xdotool`] for why not WebDriver's).
    pub async fn right_click(&self, css: &str) {
        self.wait_for(css).await;
        let middle = self
            .client
            .execute(
                "const r = document.querySelector(arguments[0]).getBoundingClientRect(); \
                 return [r.left + r.width / 2, r.top + r.height / 2];",
                vec![serde_json::Value::from(css)],
            )
            .await
            .unwrap_or_else(|e| panic!("{}: locate {css}: {e}", self.name));
        let at = |i: usize| middle.get(i).and_then(serde_json::Value::as_f64);
        let (Some(x), Some(y)) = (at(0), at(1)) else {
            panic!("{}: no position for {css}: {middle}", self.name)
        };
        xdotool::right_click(self, x, y).await;
    }

    /// Moves a real X pointer over the element matching `css`, at the
    /// fractions (`fx`, `fy`) of its width and height.
    pub async fn hover(&self, css: &str, fx: f64, fy: f64) {
        self.wait_for(css).await;
        let at = self
            .client
            .execute(
                "const r = document.querySelector(arguments[0]).getBoundingClientRect(); \
                 return [r.left + r.width * arguments[1], r.top + r.height * arguments[2]];",
                vec![
                    serde_json::Value::from(css),
                    serde_json::Value::from(fx),
                    serde_json::Value::from(fy),
                ],
            )
            .await
            .unwrap_or_else(|e| panic!("{}: locate {css}: {e}", self.name));
        let get = |i: usize| at.get(i).and_then(serde_json::Value::as_f64);
        let (Some(x), Some(y)) = (get(0), get(1)) else {
            panic!("{}: no position for {css}: {at}", self.name)
        };
        xdotool::move_to(self, x, y).await;
    }

    /// Presses a key chord (xdotool's names, e.g. `shift+F10`) on the page's
    /// focused element, with a real X keyboard (see [`xdotool`] for why).
    pub async fn press(&self, chord: &str) {
        xdotool::press(self, chord).await;
    }

    /// The `data-testid` of the focused element ("" when it has none).
    pub async fn focused_test_id(&self) -> String {
        self.client
            .execute(
                "const e = document.activeElement; return e ? (e.getAttribute('data-testid') ?? '') : '';",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("read the focused element: {e}"))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The X display the app runs on (for tools driving native windows).
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Waits until an element matching `css` exists.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(UI_TIMEOUT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "{}: `{css}` did not appear within {UI_TIMEOUT:?}: {e}",
                    self.name
                )
            })
    }

    /// Picks `ns` in the namespace switcher once the server has listed it.
    pub async fn choose_namespace(&self, ns: &str) {
        self.wait_for(&format!(
            "[data-testid=namespace-select] option[value=\"{ns}\"]"
        ))
        .await;
        self.wait_for("[data-testid=namespace-select]")
            .await
            .select_by_value(ns)
            .await
            .unwrap_or_else(|e| panic!("{}: choose namespace {ns}: {e}", self.name));
    }

    /// The text of the first element matching `css` ("" when there is none).
    pub async fn text(&self, css: &str) -> String {
        self.client
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
                vec![serde_json::Value::from(css)],
            )
            .await
            .unwrap_or_else(|e| panic!("read the text of {css}: {e}"))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Polls until the text of `css` satisfies `ok`, and returns it.
    pub async fn wait_for_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        capstan_test_support::eventually(UI_TIMEOUT, || async {
            let t = self.text(css).await;
            if ok(&t) {
                Ok(t)
            } else {
                Err(t)
            }
        })
        .await
        .unwrap_or_else(|t| {
            panic!(
                "{}: the text of `{css}` is still {t:?} after {UI_TIMEOUT:?}",
                self.name
            )
        })
    }

    /// Everything the app wrote to its log files so far.
    pub fn log_text(&self) -> String {
        let dir = self._home.path().join("logs");
        let mut out = String::new();
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                out.push_str(&text);
            }
        }
        out
    }

    /// The app's config dir (settings, app-managed kubeconfig) for this launch.
    pub fn config_dir(&self) -> PathBuf {
        self.config_dir.clone()
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .expect("find_all")
    }

    /// Saves a PNG of the window to the artifacts dir and returns its path.
    ///
    /// Captured from the Xvfb display (ImageMagick's `import`): WebKitWebDriver's
    /// own screenshot command never answers under Xvfb on these machines.
    pub async fn screenshot(&self, label: &str) -> PathBuf {
        let path = artifacts_dir().join(format!("{}-{label}.png", self.name));
        let status = tokio::process::Command::new("import")
            .args(["-display", &self.display, "-window", "root"])
            .arg(&path)
            .status()
            .await
            .unwrap_or_else(|e| {
                prerequisite_needed(
                    "ImageMagick's import (screenshots)",
                    &e.to_string(),
                    "apt-get install imagemagick (scripts/test.sh installs it)",
                )
            });
        assert!(status.success(), "screenshot of {} failed", self.display);
        path
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let home_bin = std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver"))
        .filter(|p| p.exists());
    home_bin.unwrap_or_else(|| PathBuf::from("tauri-driver"))
}
