//! Offline creation: the node image comes from a tarball (`docker save`
//! output, e.g. k3s's released image archive) loaded into the engine as
//! `docker load` does, so no registry is needed.

use std::path::Path;

use bollard::query_parameters::ImportImageOptions;
use bollard::Docker;
use futures_util::StreamExt;

use crate::import::file_chunks;
use crate::{engine_err, Error};

/// Loads an image tarball into the engine; returns the references it held
/// ("Loaded image: ..." in the engine's answer).
pub async fn load_image_tarball(docker: &Docker, tarball: &Path) -> Result<Vec<String>, Error> {
    let bad = |detail: String, source: Option<bollard::errors::Error>| Error::Image {
        image: tarball.display().to_string(),
        detail,
        source,
    };
    let file = tokio::fs::File::open(tarball)
        .await
        .map_err(|e| bad(format!("cannot open the tarball: {e}"), None))?;
    let mut answers = docker.import_image(
        ImportImageOptions {
            quiet: true,
            ..Default::default()
        },
        bollard::body_try_stream(file_chunks(file)),
        None,
    );
    let mut loaded = Vec::new();
    while let Some(item) = answers.next().await {
        let info = item.map_err(|e| match engine_err("load the image tarball")(e) {
            unreachable @ Error::EngineUnreachable { .. } => unreachable,
            Error::Engine { source, .. } => bad(source.to_string(), Some(source)),
            other => bad(other.to_string(), None),
        })?;
        if let Some(detail) = info.error_detail.and_then(|d| d.message) {
            return Err(bad(detail, None));
        }
        let text = info.stream.unwrap_or_default();
        loaded.extend(loaded_refs(&text));
    }
    if loaded.is_empty() {
        return Err(bad("the engine loaded no image from it".to_owned(), None));
    }
    tracing::info!(tarball = %tarball.display(), ?loaded, "image tarball loaded");
    Ok(loaded)
}

/// The references in the engine's "Loaded image: <ref>" lines (untagged
/// images are reported as "Loaded image ID: sha256:...").
fn loaded_refs(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("Loaded image: ")
                .or_else(|| l.trim().strip_prefix("Loaded image ID: "))
        })
        .map(|r| r.trim().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn loaded_references_are_read_from_the_engine_answer() {
        assert_eq!(
            super::loaded_refs(
                "Loaded image: rancher/k3s:v1.31.4-k3s1\nLoaded image ID: sha256:ab\n"
            ),
            ["rancher/k3s:v1.31.4-k3s1", "sha256:ab"]
        );
        assert!(super::loaded_refs("Loading layer 1/3\n").is_empty());
    }
}
