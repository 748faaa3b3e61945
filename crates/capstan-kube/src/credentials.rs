//! Where secrets of app-added clusters live: the OS keyring (Secret Service or
//! keyutils on Linux, the Keychain on macOS, Credential Manager on Windows),
//! or a 0600 file when no keyring service is available (headless Linux).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::{atomic, Error};

/// The keyring "service" under which every Capstan secret is filed.
const SERVICE: &str = "dev.capstan.Capstan";

/// Which store holds the secrets; `file` is the UI's cue to warn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum StoreKind {
    /// freedesktop Secret Service (GNOME Keyring, KWallet): survives reboots.
    SecretService,
    /// Linux kernel keyutils: works headless, lost at reboot.
    Keyutils,
    /// The macOS login Keychain.
    Keychain,
    /// Windows Credential Manager.
    CredentialManager,
    /// `credentials.json` (mode 0600) in the config dir: no keyring service.
    File,
}

enum Backend {
    Keyring(Arc<keyring_core::CredentialStore>),
    File(PathBuf),
}

/// A secret store. Ids are opaque strings chosen by the caller.
pub struct CredentialStore {
    kind: StoreKind,
    backend: Backend,
}

impl std::fmt::Debug for CredentialStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialStore")
            .field("kind", &self.kind)
            .finish()
    }
}

impl CredentialStore {
    /// The store for this machine. `CAPSTAN_CREDENTIAL_STORE`
    /// (`secret-service`, `keyutils`, `keychain`, `credential-manager`,
    /// `file`) forces one; otherwise the platform's keyring (Secret Service
    /// on Linux when reachable, the Keychain, Credential Manager), else the
    /// file. keyutils is never picked on its own: its keys vanish at reboot
    /// while the managed file stays.
    pub fn open(config_dir: &Path) -> Result<Self, Error> {
        let file = Self::file(config_dir.join("credentials.json"));
        match std::env::var("CAPSTAN_CREDENTIAL_STORE").ok().as_deref() {
            Some("file") => return Ok(file),
            Some("keyutils") => return Self::keyutils(),
            Some("secret-service") => return Self::secret_service(),
            Some("keychain") => return Self::keychain(),
            Some("credential-manager") => return Self::credential_manager(),
            Some(other) if !other.is_empty() => {
                return Err(Error::InvalidInput(format!(
                    "CAPSTAN_CREDENTIAL_STORE={other} is not known: use secret-service, keyutils, keychain, credential-manager or file"
                )))
            }
            _ => {}
        }
        match Self::platform_keyring() {
            Ok(s) => Ok(s),
            Err(e) => {
                tracing::info!(reason = %e, "no keyring service; credentials go to a 0600 file");
                Ok(file)
            }
        }
    }

    /// The 0600 file fallback.
    pub fn file(path: PathBuf) -> Self {
        Self {
            kind: StoreKind::File,
            backend: Backend::File(path),
        }
    }

    #[cfg(target_os = "linux")]
    pub fn keyutils() -> Result<Self, Error> {
        let store =
            linux_keyutils_keyring_store::Store::new().map_err(|e| unavailable("keyutils", &e))?;
        let this = Self {
            kind: StoreKind::Keyutils,
            backend: Backend::Keyring(store),
        };
        // The first write of a process can be refused while the kernel links
        // the persistent keyring (seen in containers and CI): do it here with
        // a probe, so real writes do not meet it.
        for _ in 0..3 {
            if this.set("capstan-probe", "1").is_ok() {
                break;
            }
        }
        let _ = this.delete("capstan-probe");
        Ok(this)
    }

    #[cfg(target_os = "linux")]
    pub fn secret_service() -> Result<Self, Error> {
        let store = dbus_secret_service_keyring_store::Store::new()
            .map_err(|e| unavailable("Secret Service", &e))?;
        Ok(Self {
            kind: StoreKind::SecretService,
            backend: Backend::Keyring(store),
        })
    }

    #[cfg(not(target_os = "linux"))]
    pub fn keyutils() -> Result<Self, Error> {
        Err(not_here("keyutils", "Linux"))
    }

    #[cfg(not(target_os = "linux"))]
    pub fn secret_service() -> Result<Self, Error> {
        Err(not_here("Secret Service", "Linux"))
    }

    #[cfg(target_os = "macos")]
    pub fn keychain() -> Result<Self, Error> {
        let store = apple_native_keyring_store::keychain::Store::new()
            .map_err(|e| unavailable("the Keychain", &e))?;
        Ok(Self {
            kind: StoreKind::Keychain,
            backend: Backend::Keyring(store),
        })
    }

    #[cfg(not(target_os = "macos"))]
    pub fn keychain() -> Result<Self, Error> {
        Err(not_here("the Keychain", "macOS"))
    }

    #[cfg(target_os = "windows")]
    pub fn credential_manager() -> Result<Self, Error> {
        let store = windows_native_keyring_store::Store::new()
            .map_err(|e| unavailable("Credential Manager", &e))?;
        Ok(Self {
            kind: StoreKind::CredentialManager,
            backend: Backend::Keyring(store),
        })
    }

    #[cfg(not(target_os = "windows"))]
    pub fn credential_manager() -> Result<Self, Error> {
        Err(not_here("Credential Manager", "Windows"))
    }

    /// This platform's persistent keyring: the one `open` tries before the
    /// file.
    pub fn platform_keyring() -> Result<Self, Error> {
        if cfg!(target_os = "macos") {
            Self::keychain()
        } else if cfg!(target_os = "windows") {
            Self::credential_manager()
        } else {
            Self::secret_service()
        }
    }

    pub fn kind(&self) -> StoreKind {
        self.kind
    }

    pub fn set(&self, id: &str, secret: &str) -> Result<(), Error> {
        match &self.backend {
            Backend::Keyring(store) => {
                let entry = entry(store, id)?;
                match entry.set_password(secret) {
                    // keyutils refuses the very first write of a process whose
                    // session keyring is not set up yet (seen in containers
                    // and CI); the store attaches it then, so once more works.
                    Err(keyring_core::Error::NoStorageAccess(_)) => entry.set_password(secret),
                    other => other,
                }
                .map_err(|e| keyring_error("save", &e))
            }
            Backend::File(path) => {
                let mut all = read_file(path)?;
                all.insert(id.to_string(), secret.to_string());
                write_file(path, &all)
            }
        }
    }

    /// `None` when nothing is stored under `id`.
    pub fn get(&self, id: &str) -> Result<Option<String>, Error> {
        match &self.backend {
            Backend::Keyring(store) => match entry(store, id)?.get_password() {
                Ok(s) => Ok(Some(s)),
                Err(keyring_core::Error::NoEntry) => Ok(None),
                Err(e) => Err(keyring_error("read", &e)),
            },
            Backend::File(path) => Ok(read_file(path)?.remove(id)),
        }
    }

    /// Deleting what is not there is not an error.
    pub fn delete(&self, id: &str) -> Result<(), Error> {
        match &self.backend {
            Backend::Keyring(store) => match entry(store, id)?.delete_credential() {
                Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
                Err(e) => Err(keyring_error("delete", &e)),
            },
            Backend::File(path) => {
                let mut all = read_file(path)?;
                if all.remove(id).is_some() {
                    write_file(path, &all)?;
                }
                Ok(())
            }
        }
    }
}

fn entry(
    store: &Arc<keyring_core::CredentialStore>,
    id: &str,
) -> Result<keyring_core::Entry, Error> {
    store
        .build(SERVICE, id, None)
        .map_err(|e| keyring_error("address", &e))
}

fn not_here(what: &str, platform: &str) -> Error {
    Error::Credentials {
        action: "open",
        detail: format!("{what} exists only on {platform}"),
    }
}

fn unavailable(what: &str, e: &keyring_core::Error) -> Error {
    Error::Credentials {
        action: "open",
        detail: format!("{what} is not available: {}", describe(e)),
    }
}

fn keyring_error(action: &'static str, e: &keyring_core::Error) -> Error {
    Error::Credentials {
        action,
        detail: describe(e),
    }
}

/// keyring-core's `BadEncoding`/`BadDataFormat` carry the raw secret bytes in
/// their Debug/Display: never print those.
fn describe(e: &keyring_core::Error) -> String {
    match e {
        keyring_core::Error::BadEncoding(_) => "the stored value is not text".into(),
        keyring_core::Error::BadDataFormat(_, _) => {
            "the stored value has an unexpected format".into()
        }
        keyring_core::Error::NoStorageAccess(p) => {
            format!("the keyring is locked or refused access ({p})")
        }
        other => other.to_string(),
    }
}

fn read_file(path: &Path) -> Result<BTreeMap<String, String>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::Credentials {
            action: "read",
            // serde_json's message has a position, not the content.
            detail: format!(
                "{} is damaged ({e}); remove it and add the clusters again",
                path.display()
            ),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(Error::Credentials {
            action: "read",
            detail: format!("{}: {e}", path.display()),
        }),
    }
}

fn write_file(path: &Path, all: &BTreeMap<String, String>) -> Result<(), Error> {
    let bytes = serde_json::to_vec_pretty(all).map_err(|e| Error::Credentials {
        action: "save",
        detail: e.to_string(),
    })?;
    atomic::write_atomic(path, &bytes, Some(0o600))
}

#[cfg(test)]
#[path = "credentials_tests.rs"]
mod tests;
