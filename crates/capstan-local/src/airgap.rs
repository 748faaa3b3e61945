//! Offline system images: k3s imports every archive in its images directory
//! when it starts, so the airgap archive of k3s's own images (pause, CoreDNS,
//! Traefik, … released as `k3s-airgap-images-<arch>.tar[.gz|.zst]`) is copied
//! into each node after the container is created and before it starts. With
//! the node image from a tarball too (`offline`), a cluster needs no registry.

use std::path::Path;

use bollard::Docker;

use crate::import::{upload_file, IMAGES_DIR};
use crate::Error;

/// The archive kinds k3s imports from its images directory.
pub const AIRGAP_SUFFIXES: [&str; 5] = [".tar", ".tar.gz", ".tar.zst", ".tar.lz4", ".tar.bz2"];

/// An airgap archive checked before anything is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AirgapArchive {
    pub path: std::path::PathBuf,
    /// The file name it keeps in the node (k3s goes by the suffix).
    pub name: String,
    pub size: u64,
}

/// Checks that `path` is a readable file k3s would import.
pub fn check_airgap(path: &Path) -> Result<AirgapArchive, Error> {
    let bad = |detail: String| Error::Airgap {
        path: path.display().to_string(),
        detail,
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| bad("not a file name".to_owned()))?
        .to_owned();
    if !AIRGAP_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        return Err(bad(format!(
            "k3s only imports archives ending in {}",
            AIRGAP_SUFFIXES.join(", ")
        )));
    }
    let meta = std::fs::metadata(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
    if !meta.is_file() {
        return Err(bad("not a regular file".to_owned()));
    }
    Ok(AirgapArchive {
        path: path.to_path_buf(),
        name,
        size: meta.len(),
    })
}

/// Copies the archive into a created (not yet started) node container.
pub(crate) async fn seed_node(
    docker: &Docker,
    container: &str,
    archive: &AirgapArchive,
) -> Result<(), Error> {
    upload_file(
        docker,
        container,
        IMAGES_DIR,
        &archive.name,
        &archive.path,
        archive.size,
    )
    .await?;
    tracing::debug!(container, archive = %archive.name, "airgap images copied");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_airgap;

    #[test]
    fn only_files_k3s_imports_are_taken() {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in ["k3s-airgap-images-amd64.tar.zst", "extra.tar", "x.tar.gz"] {
            let p = dir.path().join(name);
            std::fs::write(&p, b"1234").expect("write");
            let a = check_airgap(&p).expect(name);
            assert_eq!((a.name.as_str(), a.size), (name, 4));
        }
        let zip = dir.path().join("images.zip");
        std::fs::write(&zip, b"1").expect("write");
        let text = check_airgap(&zip).expect_err("zip").to_string();
        assert!(text.contains(".tar.zst"), "{text}");
        let missing = check_airgap(&dir.path().join("gone.tar")).expect_err("missing");
        assert!(missing.to_string().contains("cannot read it"), "{missing}");
        let folder = dir.path().join("d.tar");
        std::fs::create_dir(&folder).expect("mkdir");
        assert!(check_airgap(&folder).is_err());
    }
}
