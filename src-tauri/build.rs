// Every app command must be listed in src/commands/names.rs: tauri-build then
// generates an `allow-<command>` permission for each, and commands not granted
// by a file in capabilities/ are refused at runtime (DESIGN.md §5 "Tauri ACL").
include!("src/commands/names.rs");

fn main() {
    // Declared but not yet granted ones too: an undeclared command would
    // bypass the capabilities.
    let declared: &'static [&'static str] =
        Box::leak(COMMANDS.iter().chain(NOT_YET_GRANTED).copied().collect());
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(declared)),
    )
    .expect("tauri-build failed");
}
