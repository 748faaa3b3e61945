//! Finding the `helm` binary: a path the user set, else `CAPSTAN_HELM`,
//! else PATH, else the PATH of the user's login shell (an app started from
//! a desktop menu often has a short PATH).

use std::path::{Path, PathBuf};

use crate::login_path::{self, find_in, is_executable};
use crate::Error;

/// The helm to run. `configured` is the path from settings, if any; when
/// it is set it must work (no silent fallback to another helm).
pub fn find_helm(configured: Option<&Path>) -> Result<PathBuf, Error> {
    if let Some(path) = configured.filter(|p| !p.as_os_str().is_empty()) {
        return if is_executable(path) {
            Ok(path.to_path_buf())
        } else {
            Err(Error::HelmNotFound {
                searched: format!(
                    "the helm path in settings, {}, is not an executable file",
                    path.display()
                ),
            })
        };
    }
    if let Some(path) = std::env::var_os("CAPSTAN_HELM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if is_executable(&path) {
            Ok(path)
        } else {
            Err(Error::HelmNotFound {
                searched: format!("CAPSTAN_HELM={} is not an executable file", path.display()),
            })
        };
    }
    let name = if cfg!(windows) { "helm.exe" } else { "helm" };
    if let Some(found) = find_in(name, std::env::var_os("PATH").as_deref()) {
        return Ok(found);
    }
    login_path::find(name).ok_or_else(|| Error::HelmNotFound {
        searched: "not on PATH nor on your login shell's PATH".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_path_that_is_not_executable_is_refused_by_name() {
        let err = find_helm(Some(Path::new("/nonexistent/helm"))).expect_err("missing");
        let text = err.to_string();
        assert!(text.contains("/nonexistent/helm"), "{text}");
        assert!(text.contains("install helm"), "{text}");
    }
}
