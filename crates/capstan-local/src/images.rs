//! k3s's images directory carried over to a node added later. Images imported
//! into a cluster (`import_image`) stay as archives in
//! `/var/lib/rancher/k3s/agent/images/` on every node, and k3s imports that
//! directory when it starts; a new agent gets server 0's archives before it
//! starts, so it can run the pods the other nodes run.

use bollard::query_parameters::{DownloadFromContainerOptions, UploadToContainerOptions};
use bollard::Docker;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::import::{dirs_tar, exec, file_chunks, io_err, IMAGES_DIR};
use crate::{engine_err, Error};

/// Copies the archives in `from`'s images directory into `to` (created, not
/// yet started); returns how many there were (0: nothing to copy).
pub(crate) async fn copy_images_dir(docker: &Docker, from: &str, to: &str) -> Result<usize, Error> {
    let dir = format!("/{IMAGES_DIR}");
    let (code, listing) = exec(docker, from, &["ls", "-A", &dir]).await?;
    let count = listing.lines().filter(|l| !l.trim().is_empty()).count();
    if code != 0 || count == 0 {
        return Ok(0);
    }
    // Spooled to disk: the engine's archive download borrows the client, and
    // image archives are too large to hold in memory.
    let spool = tempfile::NamedTempFile::new().map_err(|e| io_err("a temporary file", e))?;
    let mut out =
        tokio::fs::File::from_std(spool.reopen().map_err(|e| io_err("a temporary file", e))?);
    let mut archive = docker.download_from_container(
        from,
        Some(DownloadFromContainerOptions { path: dir.clone() }),
    );
    while let Some(chunk) = archive.next().await {
        let chunk = chunk.map_err(engine_err("read the images of server 0"))?;
        out.write_all(&chunk)
            .await
            .map_err(|e| io_err("the images archive", e))?;
    }
    out.flush()
        .await
        .map_err(|e| io_err("the images archive", e))?;
    let upload = |path: &str| {
        Some(UploadToContainerOptions {
            path: path.to_owned(),
            ..Default::default()
        })
    };
    // The archive holds `images/...`: its parent must exist in the new node.
    let parent = IMAGES_DIR.rsplit_once('/').map_or("", |(p, _)| p);
    docker
        .upload_to_container(to, upload("/"), bollard::body_full(dirs_tar(parent).into()))
        .await
        .map_err(engine_err("prepare the new node's images directory"))?;
    let body = tokio::fs::File::open(spool.path())
        .await
        .map_err(|e| io_err("the images archive", e))?;
    docker
        .upload_to_container(
            to,
            upload(&format!("/{parent}")),
            bollard::body_try_stream(file_chunks(body)),
        )
        .await
        .map_err(engine_err("copy the cluster's images into the new node"))?;
    tracing::info!(from, to, count, "images directory copied to the new node");
    Ok(count)
}
