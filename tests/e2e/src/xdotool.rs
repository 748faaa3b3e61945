//! Real X input on the test's own display through `xdotool` (XTEST), for
//! what WebDriver cannot do: the native GTK file dialog is not part of the
//! page, and after a WebDriver pointer action WebKitWebDriver types every
//! character unshifted (`$((6*7))` arrives as `49968700`), so a right click
//! goes through X instead.

use std::path::Path;
use std::process::Output;

use capstan_test_support::prerequisite_needed;
use capstan_test_support::prerequisites::on_path;

use crate::{App, UI_TIMEOUT};

async fn xdotool(app: &App, args: &[&str]) -> Output {
    if on_path("xdotool").is_none() {
        prerequisite_needed(
            "xdotool on PATH (drives the native file dialog)",
            "",
            "apt-get install xdotool (scripts/test.sh installs it)",
        );
    }
    tokio::process::Command::new("xdotool")
        .args(args)
        .env("DISPLAY", app.display())
        .output()
        .await
        .unwrap_or_else(|e| panic!("run xdotool {args:?}: {e}"))
}

/// Waits for the window titled exactly `title` to be shown; its id.
async fn window(app: &App, title: &str) -> String {
    let pattern = format!("^{}$", regex_escape(title));
    capstan_test_support::eventually(UI_TIMEOUT, || async {
        let out = xdotool(app, &["search", "--onlyvisible", "--name", &pattern]).await;
        let ids = String::from_utf8_lossy(&out.stdout).into_owned();
        ids.lines()
            .next()
            .map(str::to_string)
            .ok_or_else(|| format!("no window titled {title:?} yet"))
    })
    .await
    .unwrap_or_else(|e| panic!("{}: the file dialog did not open: {e}", app.name))
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\^$.|?*+()[]{}".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

/// A real right click at (`x`, `y`) of the app window (CSS pixels from
/// its top-left corner, where the page starts: no WM, so no decorations).
pub async fn right_click(app: &App, x: f64, y: f64) {
    let id = window(app, "Capstan").await;
    let (x, y) = (x.round().to_string(), y.round().to_string());
    ok(app, &["mousemove", "--window", &id, "--sync", &x, &y]).await;
    ok(app, &["click", "3"]).await;
}

/// Moves the real X pointer to (`x`, `y`) of the app window (CSS pixels
/// from its top-left corner): a hover the page sees as mouse events.
pub async fn move_to(app: &App, x: f64, y: f64) {
    let id = window(app, "Capstan").await;
    let (x, y) = (x.round().to_string(), y.round().to_string());
    ok(app, &["mousemove", "--window", &id, "--sync", &x, &y]).await;
}

/// Presses `chord` in the app window (which gets the X focus first).
pub async fn press(app: &App, chord: &str) {
    let id = window(app, "Capstan").await;
    ok(app, &["windowfocus", "--sync", &id]).await;
    ok(app, &["key", "--clearmodifiers", chord]).await;
}

async fn ok(app: &App, args: &[&str]) {
    let out = xdotool(app, args).await;
    assert!(
        out.status.success(),
        "xdotool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// In the save dialog titled `title`, replaces the name with the absolute
/// `path` (GTK's name field takes a whole path) and saves.
pub async fn save_as(app: &App, title: &str, path: &Path) {
    assert!(path.is_absolute(), "{} is not absolute", path.display());
    let id = window(app, title).await;
    // No window manager runs on the test display: give the dialog the
    // keyboard focus directly, then wait until X reports it focused.
    ok(app, &["windowfocus", "--sync", &id]).await;
    ok(app, &["key", "--clearmodifiers", "ctrl+a"]).await;
    let typed = path.to_str().expect("a UTF-8 path");
    ok(app, &["type", "--delay", "20", typed]).await;
    ok(app, &["key", "Return"]).await;
}
