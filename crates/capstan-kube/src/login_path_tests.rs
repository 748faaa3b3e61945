use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;

/// A HOME whose login profile puts `bin` (holding an executable
/// `fake-plugin`) on PATH, plus that directory.
fn home_with_profile(profile: &str, body: &str) -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().expect("tempdir");
    let bin = home.path().join("login-bin");
    std::fs::create_dir(&bin).expect("bin dir");
    let plugin = bin.join("fake-plugin");
    std::fs::write(&plugin, "#!/bin/sh\necho hi\n").expect("plugin");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    std::fs::write(home.path().join(profile), body).expect("profile");
    (home, bin)
}

const SHORT_PATH: &str = "/usr/bin:/bin";

fn ask(shell: &str, home: &Path, limit: Duration) -> Option<OsString> {
    ask_login_shell(
        Path::new(shell),
        &[
            ("HOME", home.as_os_str()),
            ("PATH", OsStr::new(SHORT_PATH)),
            // bash reads ENV/BASH_ENV for non-interactive shells: keep the
            // developer's out.
            ("BASH_ENV", OsStr::new("")),
        ],
        limit,
    )
}

#[cfg(unix)]
#[test]
fn the_login_shells_path_finds_a_plugin_the_short_path_does_not() {
    let (home, bin) = home_with_profile(
        ".profile",
        "echo 'Welcome, a greeting on stdout'\nPATH=\"$HOME/login-bin:$PATH\"\nexport PATH\n",
    );
    assert_eq!(
        find_in("fake-plugin", Some(OsStr::new(SHORT_PATH))),
        None,
        "not on the short PATH"
    );
    // sh -l reads ~/.profile, as bash does without a ~/.bash_profile.
    for shell in ["/bin/sh", "/bin/bash"] {
        if !Path::new(shell).is_file() {
            continue;
        }
        let login = ask(shell, home.path(), TIMEOUT).expect("the login shell printed PATH");
        let dirs: Vec<PathBuf> = std::env::split_paths(&login).collect();
        assert!(dirs.contains(&bin), "{shell}: {login:?}");
        assert!(
            !login.to_string_lossy().contains("Welcome"),
            "{shell}: the profile's greeting is not PATH: {login:?}"
        );
        let merged = merge(Some(OsStr::new(SHORT_PATH)), Some(&login)).expect("merged");
        assert_eq!(
            find_in("fake-plugin", Some(&merged)),
            Some(bin.join("fake-plugin")),
            "{shell}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_shell_that_hangs_or_fails_gives_no_path() {
    let (home, _) = home_with_profile(".profile", "exec sleep 600\n");
    assert_eq!(
        ask("/bin/sh", home.path(), Duration::from_millis(300)),
        None
    );
    let (home, _) = home_with_profile(".profile", "exit 3\n");
    assert_eq!(ask("/bin/sh", home.path(), TIMEOUT), None);
    assert_eq!(ask("/nonexistent/shell", home.path(), TIMEOUT), None);
}

#[test]
fn merge_keeps_path_first_and_adds_only_new_entries() {
    let merged = merge(
        Some(OsStr::new("/usr/bin:/bin")),
        Some(OsStr::new("/home/u/.local/bin:/usr/bin:/opt/homebrew/bin")),
    )
    .expect("merged");
    assert_eq!(merged, "/usr/bin:/bin:/home/u/.local/bin:/opt/homebrew/bin");
    assert_eq!(merge(None, Some(OsStr::new("/a"))), Some("/a".into()));
    assert_eq!(merge(Some(OsStr::new("/a")), None), Some("/a".into()));
    assert_eq!(merge(None, None), None);
}

#[test]
fn the_users_shell_is_shell_then_a_fallback_that_exists() {
    let all = |_: &Path| true;
    assert_eq!(
        user_shell(Some("/usr/bin/fish".into()), all),
        Some(PathBuf::from("/usr/bin/fish"))
    );
    // A relative or missing SHELL is not trusted.
    let expected_first = if cfg!(target_os = "macos") {
        "/bin/zsh"
    } else {
        "/bin/bash"
    };
    assert_eq!(
        user_shell(Some("zsh".into()), all),
        Some(PathBuf::from(expected_first))
    );
    let only_sh = |p: &Path| p == Path::new("/bin/sh");
    assert_eq!(
        user_shell(Some("/usr/bin/zsh".into()), only_sh),
        Some(PathBuf::from("/bin/sh"))
    );
    assert_eq!(user_shell(None, |_| false), None);
}
