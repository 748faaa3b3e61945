//! Watches kubeconfig files so an edit outside the app shows up without a
//! restart. Parent directories are watched, not the files: editors and
//! `kubectl` replace files by rename, which a file watch would lose.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::Error;

/// Sent when one or more watched kubeconfig files changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct KubeconfigChanged {
    pub paths: Vec<String>,
}

/// Changes closer together than this arrive as one notification (an editor's
/// save is often several events).
const SETTLE: Duration = Duration::from_millis(250);

/// Stops watching when dropped.
pub struct KubeconfigWatch {
    _watcher: RecommendedWatcher,
}

/// Watches `files` (existing or not yet created) and calls `on_change` from a
/// background thread after each settled burst of changes.
pub fn watch_kubeconfig_files<F>(files: &[PathBuf], on_change: F) -> Result<KubeconfigWatch, Error>
where
    F: Fn(KubeconfigChanged) + Send + 'static,
{
    let wanted: BTreeSet<PathBuf> = files.iter().map(|p| absolute(p)).collect();
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let filter = wanted.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            // Reading a kubeconfig (kubectl, or our own client rebuild after
            // a change) is an access event: reporting it would loop.
            if event.kind.is_access() {
                return;
            }
            for p in event.paths {
                if filter.contains(&p) {
                    let _ = tx.send(p);
                }
            }
        }
    })
    .map_err(|e| Error::Watch(e.to_string()))?;

    let dirs: BTreeSet<&Path> = wanted.iter().filter_map(|p| p.parent()).collect();
    for dir in dirs {
        if dir.is_dir() {
            watcher
                .watch(dir, RecursiveMode::NonRecursive)
                .map_err(|e| Error::Watch(format!("{}: {e}", dir.display())))?;
        } else {
            tracing::debug!(dir = %dir.display(), "kubeconfig directory absent; not watched");
        }
    }

    std::thread::Builder::new()
        .name("kubeconfig-watch".into())
        .spawn(move || {
            // Ends when the watcher (and so the sender) is dropped.
            while let Ok(first) = rx.recv() {
                let mut changed = BTreeSet::from([first]);
                while let Ok(more) = rx.recv_timeout(SETTLE) {
                    changed.insert(more);
                }
                tracing::debug!(files = changed.len(), "kubeconfig changed on disk");
                on_change(KubeconfigChanged {
                    paths: changed.iter().map(|p| p.display().to_string()).collect(),
                });
            }
        })
        .map_err(|e| Error::Watch(e.to_string()))?;
    Ok(KubeconfigWatch { _watcher: watcher })
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_replace_of_a_watched_file_is_reported_once_settled() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("config");
        std::fs::write(&config, "a: 1\n").expect("write");
        let other = dir.path().join("unrelated");
        let (tx, rx) = mpsc::channel();
        let _watch = watch_kubeconfig_files(std::slice::from_ref(&config), move |c| {
            let _ = tx.send(c);
        })
        .expect("watch");

        std::fs::write(&other, "x").expect("write unrelated");
        let tmp = dir.path().join("config.tmp");
        std::fs::write(&tmp, "a: 2\n").expect("write temp");
        std::fs::rename(&tmp, &config).expect("rename over");

        let got = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("a change notification");
        assert_eq!(got.paths, vec![config.display().to_string()]);
        // The burst settled into that one message.
        assert!(rx.recv_timeout(SETTLE * 4).is_err());
    }

    #[test]
    fn dropping_the_handle_stops_notifications() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("config");
        let (tx, rx) = mpsc::channel();
        let watch = watch_kubeconfig_files(std::slice::from_ref(&config), move |c| {
            let _ = tx.send(c);
        })
        .expect("watch");
        drop(watch);
        std::fs::write(&config, "a: 1\n").expect("write");
        assert!(rx.recv_timeout(Duration::from_secs(1)).is_err());
    }
}
