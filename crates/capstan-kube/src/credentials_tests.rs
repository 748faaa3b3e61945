use super::*;

fn round_trip(store: &CredentialStore) {
    let id = format!("test/{}-{}", std::process::id(), store.kind() as u8);
    assert_eq!(store.get(&id).expect("get missing"), None);
    store.set(&id, "s3cret value").expect("set");
    assert_eq!(
        store.get(&id).expect("get").as_deref(),
        Some("s3cret value")
    );
    store.set(&id, "changed").expect("overwrite");
    assert_eq!(store.get(&id).expect("get").as_deref(), Some("changed"));
    store.delete(&id).expect("delete");
    assert_eq!(store.get(&id).expect("get deleted"), None);
    store.delete(&id).expect("deleting twice is fine");
}

#[cfg(target_os = "linux")]
#[test]
fn keyutils_round_trip() {
    let store = CredentialStore::keyutils().expect("keyutils works headless");
    assert_eq!(store.kind(), StoreKind::Keyutils);
    round_trip(&store);
}

/// Needs a session bus with an unlocked keyring (gnome-keyring), which a
/// headless machine lacks: scripts/test.sh runs it under dbus-run-session.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "needs a D-Bus session with an unlocked keyring; run by scripts/test.sh"]
fn secret_service_round_trip() {
    let store =
        CredentialStore::secret_service().expect("Secret Service answers on the session bus");
    assert_eq!(store.kind(), StoreKind::SecretService);
    round_trip(&store);
    // With the service present, the app picks it over the file fallback.
    let dir = tempfile::tempdir().expect("tempdir");
    let picked = CredentialStore::open(dir.path()).expect("open");
    assert_eq!(picked.kind(), StoreKind::SecretService);
}

/// The login Keychain answers in a macOS user session.
#[cfg(target_os = "macos")]
#[test]
fn keychain_round_trip() {
    let store = CredentialStore::keychain().expect("the Keychain answers");
    assert_eq!(store.kind(), StoreKind::Keychain);
    round_trip(&store);
    let dir = tempfile::tempdir().expect("tempdir");
    let picked = CredentialStore::open(dir.path()).expect("open");
    assert_eq!(picked.kind(), StoreKind::Keychain);
}

/// Credential Manager answers in a Windows user session.
#[cfg(target_os = "windows")]
#[test]
fn credential_manager_round_trip() {
    let store = CredentialStore::credential_manager().expect("Credential Manager answers");
    assert_eq!(store.kind(), StoreKind::CredentialManager);
    round_trip(&store);
    let dir = tempfile::tempdir().expect("tempdir");
    let picked = CredentialStore::open(dir.path()).expect("open");
    assert_eq!(picked.kind(), StoreKind::CredentialManager);
}

/// A store of another platform is a clear error naming that platform, never
/// a silent fall back.
#[cfg(target_os = "linux")]
#[test]
fn other_platforms_stores_say_where_they_exist() {
    let keychain = CredentialStore::keychain().expect_err("no Keychain on Linux");
    assert!(keychain.to_string().contains("macOS"), "{keychain}");
    let windows = CredentialStore::credential_manager().expect_err("no Credential Manager");
    assert!(windows.to_string().contains("Windows"), "{windows}");
}

#[test]
fn file_fallback_round_trip_is_private() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("credentials.json");
    let store = CredentialStore::file(path.clone());
    assert_eq!(store.kind(), StoreKind::File);
    round_trip(&store);
    store.set("other", "kept").expect("set");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert!(!format!("{store:?}").contains("kept"));
}

#[test]
fn damaged_file_is_a_clear_error_without_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("credentials.json");
    std::fs::write(&path, "{\"a\": \"TOPSECRET\"").expect("write");
    let msg = CredentialStore::file(path)
        .get("a")
        .expect_err("damaged")
        .to_string();
    assert!(
        msg.contains("credentials.json") && !msg.contains("TOPSECRET"),
        "{msg}"
    );
}
