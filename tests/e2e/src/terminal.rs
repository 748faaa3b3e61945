//! Typing into a terminal tab (xterm) and reading its TTY size, for the
//! terminal tests. `terminal` is the CSS selector of the tab's terminal.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::App;

/// Types `keys` into the terminal (WebDriver key codes allowed).
pub async fn type_keys(app: &App, terminal: &str, keys: &str) {
    app.wait_for(&format!("{terminal} .xterm-helper-textarea"))
        .await
        .send_keys(keys)
        .await
        .unwrap_or_else(|e| panic!("type {keys:?}: {e}"));
}

/// The TTY size in the last `S<rows>x<cols>E` marker of `text`.
fn last_size(text: &str) -> Option<(u32, u32)> {
    text.rmatch_indices('S').find_map(|(at, _)| {
        let rest = &text[at + 1..];
        let (size, _) = rest.split_once('E')?;
        let (rows, cols) = size.split_once('x')?;
        Some((rows.parse().ok()?, cols.parse().ok()?))
    })
}

/// Asks the shell for its size; the marker is computed by the shell, so the
/// echoed command line cannot match, and each ask has its own tag, so an
/// earlier answer cannot either. `rows_css` selects the rows to read.
/// Returns (rows, cols).
pub async fn stty_size(app: &App, terminal: &str, rows_css: &str) -> (u32, u32) {
    static ASKED: AtomicU32 = AtomicU32::new(0);
    let tag = format!("size{}-S", ASKED.fetch_add(1, Ordering::Relaxed));
    type_keys(
        app,
        terminal,
        &format!("echo {tag}$(stty size | tr ' ' x)E\n"),
    )
    .await;
    let answer = |t: &str| {
        t.rsplit(tag.as_str())
            .next()
            .and_then(|after| last_size(&format!("S{after}")))
    };
    let text = app
        .wait_for_text(rows_css, |t| t.contains(&tag) && answer(t).is_some())
        .await;
    answer(&text).unwrap_or_else(|| panic!("no size in {text:?}"))
}

/// Widens the window to 1400x900 and waits until the TTY reports more
/// columns than before (the dock keeps its height; the width follows the
/// window). Returns (before, after).
pub async fn widen_window_and_wait_for_columns(
    app: &App,
    terminal: &str,
    rows_css: &str,
) -> ((u32, u32), (u32, u32)) {
    let before = stty_size(app, terminal, rows_css).await;
    app.client
        .set_window_rect(0, 0, 1400, 900)
        .await
        .expect("resize the window");
    let after = capstan_test_support::eventually(crate::UI_TIMEOUT, || async {
        let now = stty_size(app, terminal, rows_css).await;
        if now.1 > before.1 {
            Ok(now)
        } else {
            Err(now)
        }
    })
    .await
    .unwrap_or_else(|now| {
        panic!("stty size stayed {now:?} (before {before:?}) after the window widened")
    });
    (before, after)
}

/// Types `exit 3` and waits for the tab to show the code; returns the
/// status line's text.
pub async fn exit_3_and_read_status(app: &App, terminal: &str) -> String {
    type_keys(app, terminal, "exit 3\n").await;
    app.wait_for(&format!("{terminal}[data-exit-code='3']"))
        .await;
    app.wait_for_text(&format!("{terminal} [data-testid=terminal-status]"), |t| {
        t.contains("code 3")
    })
    .await
}
