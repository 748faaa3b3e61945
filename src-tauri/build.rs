// Every app command must be listed in src/commands/names.rs: tauri-build then
// generates an `allow-<command>` permission for each, and commands not granted
// by a file in capabilities/ are refused at runtime (DESIGN.md §5 "Tauri ACL").
include!("src/commands/names.rs");

fn main() {
    embed_commit();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}

/// `CAPSTAN_GIT_COMMIT` for the About dialog: given by the environment (a
/// build from a source archive), else `git rev-parse`, else "unknown".
fn embed_commit() {
    println!("cargo:rerun-if-env-changed=CAPSTAN_GIT_COMMIT");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let commit = std::env::var("CAPSTAN_GIT_COMMIT")
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=CAPSTAN_GIT_COMMIT={commit}");
    // Rebuilt when HEAD moves: HEAD itself (a branch switch) and the refs
    // (a commit on the branch). A worktree's HEAD is in its own git dir.
    for (flag, rel) in [
        ("--git-dir", "HEAD"),
        ("--git-common-dir", "refs/heads"),
        ("--git-common-dir", "packed-refs"),
    ] {
        if let Some(dir) = git(&["rev-parse", flag]) {
            let path = std::path::Path::new(&dir).join(rel);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}
