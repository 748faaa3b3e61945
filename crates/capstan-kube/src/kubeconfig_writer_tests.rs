use std::path::PathBuf;

use super::*;

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn kubectl_rule_for_the_file_new_entries_go_to() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let home = dir.path().join("home");
    let list = |files: &[&PathBuf]| std::env::join_paths(files).expect("join");
    let pick = |env: Option<&std::ffi::OsStr>| default_file_from(env, Some(&home)).expect("file");
    // Neither exists: the last one.
    assert_eq!(pick(Some(&list(&[&a, &b]))), b);
    // One exists: that one, wherever it is in the list.
    std::fs::write(&b, "").expect("write");
    assert_eq!(pick(Some(&list(&[&a, &b]))), b);
    std::fs::write(&a, "").expect("write");
    assert_eq!(pick(Some(&list(&[&a, &b]))), a);
    // A single entry is used even when missing.
    let c = dir.path().join("c");
    assert_eq!(pick(Some(&list(&[&c]))), c);
    // No KUBECONFIG (or an empty one): ~/.kube/config.
    let default = home.join(".kube").join("config");
    assert_eq!(pick(None), default);
    assert_eq!(pick(Some(std::ffi::OsStr::new(""))), default);
    assert!(matches!(
        default_file_from(None, None),
        Err(Error::NoHomeDir)
    ));
}

#[test]
fn a_new_file_is_owner_only_and_has_no_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("sub").join("config");
    let w = edit(&file, |cur| {
        assert_eq!(cur, None);
        Ok(Some("kind: Config\n".into()))
    })
    .expect("edit")
    .expect("written");
    assert_eq!(w.backup, None);
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "kind: Config\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Nothing else beside it: no lock file, no temp file.
    assert_eq!(names_in(&dir.path().join("sub")), ["config"]);
}

#[test]
fn no_change_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("config");
    std::fs::write(&file, "a: 1\n").expect("write");
    let w = edit(&file, |cur| {
        assert_eq!(cur, Some("a: 1\n"));
        Ok(None)
    })
    .expect("edit");
    assert_eq!(w, None);
    assert_eq!(names_in(dir.path()), ["config"]);
}

#[test]
fn backups_are_timestamped_and_only_the_newest_are_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("config");
    std::fs::write(&file, "n: 0\n").expect("write");
    let mut backups = Vec::new();
    for n in 1..=BACKUPS_KEPT + 3 {
        let w = edit(&file, |_| Ok(Some(format!("n: {n}\n"))))
            .expect("edit")
            .expect("written");
        backups.push(w.backup.expect("a backup"));
    }
    let kept: Vec<String> = names_in(dir.path())
        .into_iter()
        .filter(|n| n.starts_with("config.capstan-backup-"))
        .collect();
    assert_eq!(kept.len(), BACKUPS_KEPT, "{kept:?}");
    // The survivors are the last ones made, holding the latest contents.
    for (i, b) in backups.iter().enumerate().skip(3) {
        assert_eq!(
            std::fs::read_to_string(b).expect("backup"),
            format!("n: {i}\n")
        );
    }
    assert!(backups.iter().take(3).all(|b| !b.exists()));
}

#[test]
fn backup_order_follows_time_then_counter() {
    let mut v = [
        "20260101T000001Z-10",
        "20260101T000001Z-2",
        "20260101T000001Z",
        "20251231T235959Z",
    ]
    .map(|s| backup_order(s).expect("parses"));
    v.sort();
    assert_eq!(
        v.iter()
            .map(|(s, n)| format!("{s}/{n}"))
            .collect::<Vec<_>>(),
        [
            "20251231T235959/0",
            "20260101T000001/0",
            "20260101T000001/2",
            "20260101T000001/10"
        ]
    );
    assert_eq!(backup_order("20260101T000001Zx"), None);
    assert_eq!(backup_order("notes"), None);
}

#[test]
fn a_held_kubectl_lock_is_reported_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("config");
    std::fs::write(&file, "a: 1\n").expect("write");
    std::fs::write(dir.path().join("config.lock"), "").expect("lock");
    let err = edit(&file, |_| Ok(Some("a: 2\n".into()))).expect_err("locked");
    assert!(matches!(err, Error::KubeconfigLocked { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "a: 1\n");
    // Someone else's lock stays; ours is gone.
    assert_eq!(names_in(dir.path()), ["config", "config.lock"]);
}

/// Many writers at once, each adding its own key: every key lands, because
/// each one reads the file under the lock.
#[test]
fn concurrent_writers_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("config");
    std::fs::write(&file, "{}\n").expect("write");
    let writers = 8;
    let per_writer = 10;
    std::thread::scope(|s| {
        for w in 0..writers {
            let file = &file;
            s.spawn(move || {
                for i in 0..per_writer {
                    edit(file, |cur| {
                        let mut map: serde_yaml::Mapping =
                            serde_yaml::from_str(cur.unwrap_or("{}")).expect("parses");
                        map.insert(format!("w{w}-{i}").into(), i.into());
                        Ok(Some(serde_yaml::to_string(&map).expect("yaml")))
                    })
                    .expect("edit");
                }
            });
        }
    });
    let map: serde_yaml::Mapping =
        serde_yaml::from_str(&std::fs::read_to_string(&file).expect("read")).expect("parses");
    assert_eq!(map.len(), writers * per_writer);
    let left: Vec<String> = names_in(dir.path())
        .into_iter()
        .filter(|n| !n.contains(".capstan-backup-"))
        .collect();
    assert_eq!(left, ["config"]);
}
