// Every app command must be listed here: tauri-build then generates an
// `allow-<command>` permission for each, and commands not granted by a file in
// capabilities/ are refused at runtime (DESIGN.md §5 "Tauri ACL").
const COMMANDS: &[&str] = &["list_contexts", "app_info"];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
