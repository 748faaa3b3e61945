//! No silent skips: what a test does when something it needs (a Docker
//! engine, the node image, a binary) is missing.
//!
//! Under CI (`CI=true`, as CI services set it) a missing prerequisite fails
//! the test with a message naming what is missing and how to get it. Outside
//! CI, tests that deliberately skip may do so through [`require`] /
//! [`prerequisite_missing`], which print a loud `SKIPPED` line straight to the
//! process's stderr: libtest captures `eprintln!` of a passing test, which is
//! how earlier skips went unseen. Prerequisites whose absence fails a test
//! everywhere go through [`prerequisite_needed`], for the same message.

use std::ffi::OsStr;
use std::fmt::Display;
use std::io::Write;
use std::path::PathBuf;

/// True when `CI` is set to `true` (or `1`/`yes`, any case): a missing
/// prerequisite then fails the test.
pub fn in_ci() -> bool {
    std::env::var("CI")
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes"))
}

/// The message for a missing prerequisite: what, why (`detail`, may be
/// empty), and how to get it.
pub fn missing_message(what: &str, detail: &str, how: &str) -> String {
    let detail = detail.trim();
    let mut msg = format!("missing prerequisite: {what}");
    if !detail.is_empty() {
        msg.push_str(&format!("\n  why: {detail}"));
    }
    msg.push_str(&format!("\n  to get it: {how}"));
    msg
}

/// A prerequisite of the running test is missing. Under CI this panics (the
/// test fails) with [`missing_message`]. Elsewhere it writes
/// `SKIPPED <test>: ...` to stderr, uncaptured, and returns: the caller then
/// returns without doing the test. The panic names the caller's line.
#[track_caller]
pub fn prerequisite_missing(what: &str, detail: &str, how: &str) {
    let msg = missing_message(what, detail, how);
    if in_ci() {
        panic!("{msg}\n(CI=true: a missing prerequisite fails the test)");
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("<unnamed>")
        .to_owned();
    // Straight to the stream, not through eprintln!: the harness would
    // swallow that for a passing test.
    let _ = writeln!(
        std::io::stderr().lock(),
        "\n*** SKIPPED {test}: {msg}\n*** (with CI=true this fails)\n"
    );
}

/// `found`, or None after [`prerequisite_missing`] (which panics under CI)
/// with the error as the reason. Use as
/// `let Some(x) = require(..) else { return };`.
#[track_caller]
pub fn require<T, E: Display>(found: Result<T, E>, what: &str, how: &str) -> Option<T> {
    match found {
        Ok(v) => Some(v),
        Err(e) => {
            prerequisite_missing(what, &e.to_string(), how);
            None
        }
    }
}

/// A prerequisite whose absence fails the test everywhere, CI or not: panics
/// with [`missing_message`].
#[track_caller]
pub fn prerequisite_needed(what: &str, detail: &str, how: &str) -> ! {
    panic!("{}", missing_message(what, detail, how))
}

/// The first executable file `name` in a `PATH` directory (a name holding a
/// `/` is checked as it is).
pub fn on_path(name: impl AsRef<OsStr>) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let name = name.as_ref();
    let executable = |p: &PathBuf| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if name.as_encoded_bytes().contains(&b'/') {
        return Some(PathBuf::from(name)).filter(executable);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(executable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_what_why_and_how() {
        let m = missing_message("Xvfb", " not found \n", "apt-get install xvfb");
        assert_eq!(
            m,
            "missing prerequisite: Xvfb\n  why: not found\n  to get it: apt-get install xvfb"
        );
        let m = missing_message("Xvfb", "", "apt-get install xvfb");
        assert_eq!(
            m,
            "missing prerequisite: Xvfb\n  to get it: apt-get install xvfb"
        );
    }

    #[test]
    fn finds_sh_on_the_path() {
        let sh = on_path("sh").expect("sh on PATH");
        assert!(sh.is_absolute(), "{}", sh.display());
        assert_eq!(on_path("capstan-no-such-binary"), None);
        assert_eq!(on_path("/capstan/no/such/binary"), None);
    }
}
