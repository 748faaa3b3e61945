//! Helm releases, read in Rust from Helm's own storage (Secrets and
//! ConfigMaps labelled `owner=helm`): the live release list, a release's
//! details, values (user and computed), manifest, hooks and history, and a
//! structural diff between two revisions. Changes (rollback, upgrade with
//! edited values, uninstall) run the real `helm` binary.

pub mod actions;
mod chart;
pub mod diff;
pub mod list;
pub mod locate;
pub mod manifest;
pub mod read;
pub mod release;
pub mod storage;
pub mod values;

pub use actions::{
    run_action, validate_values, ActionOutcome, ActionTarget, HelmAction, OutputLine, OutputSink,
};
pub use diff::{diff_releases, ChangeKind, PathChange, ResourceChange, RevisionDiff};
pub use list::{list_releases, open_release_view, ReleaseRow, ReleaseView};
pub use locate::find_helm;
pub use manifest::{split_manifest, ManifestResource};
pub use read::{
    diff_revisions, history, read_release, release_details, HistoryEntry, ReleaseDetails,
};
pub use release::{Hook, HookRun, Release};
pub use storage::{decode_release, Driver, HelmRelease, Record};
pub use values::computed_values;
