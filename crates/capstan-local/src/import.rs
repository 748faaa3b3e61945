//! Importing an image from the Docker engine into every node, so a locally
//! built image runs without a registry: the engine exports it (`docker save`
//! format), the archive is copied into each node's
//! `/var/lib/rancher/k3s/agent/images/` (k3s also imports that directory at
//! every start) and imported now with the node's `ctr images import`, in
//! containerd's `k8s.io` namespace where the kubelet looks.

use bollard::exec::{CreateExecOptions, StartExecResults};
use bollard::query_parameters::UploadToContainerOptions;
use bollard::Docker;
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::lifecycle::find;
use crate::{engine_err, Error};

/// k3s's airgap image directory.
pub const IMAGES_DIR: &str = "var/lib/rancher/k3s/agent/images";

/// The archive's file name: the reference with anything but `[A-Za-z0-9._-]`
/// replaced, so one image keeps one file.
pub fn archive_name(image: &str) -> String {
    let safe: String = image
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("capstan-{safe}.tar")
}

/// Imports `image` from the engine into every node of `cluster`; returns the
/// nodes it went into. The archive is spooled to a temporary file once and
/// streamed to each node, so large images are never held in memory.
pub async fn import_image(
    docker: &Docker,
    cluster: &str,
    image: &str,
) -> Result<Vec<String>, Error> {
    let info = find(docker, cluster).await?;
    if !info.running() {
        return Err(Error::NotRunning {
            name: cluster.to_owned(),
            before: "before importing an image",
        });
    }
    docker
        .inspect_image(image)
        .await
        .map_err(|e| Error::Image {
            image: image.to_owned(),
            detail: e.to_string(),
            source: Some(e),
        })?;
    let spool = export_to_file(docker, image).await?;
    let size = spool
        .as_file()
        .metadata()
        .map_err(|e| io_err("the exported image", e))?
        .len();
    let file = archive_name(image);
    let path_in_node = format!("/{IMAGES_DIR}/{file}");
    let mut done = Vec::new();
    for node in &info.nodes {
        upload_file(
            docker,
            &node.container,
            IMAGES_DIR,
            &file,
            spool.path(),
            size,
        )
        .await?;
        let cmd = ["ctr", "-n", "k8s.io", "images", "import", &path_in_node];
        let (code, output) = exec(docker, &node.container, &cmd).await?;
        if code != 0 {
            return Err(Error::Image {
                image: image.to_owned(),
                detail: format!(
                    "`ctr images import` on {} exited with {code}: {}",
                    node.container,
                    output.trim()
                ),
                source: None,
            });
        }
        tracing::info!(cluster, node = %node.container, image, "image imported");
        done.push(node.container.clone());
    }
    Ok(done)
}

/// Streams the `size`-byte file at `path` into `container` as `/dir/name`
/// (the directories are created); the file is never held in memory.
pub(crate) async fn upload_file(
    docker: &Docker,
    container: &str,
    dir: &str,
    name: &str,
    path: &std::path::Path,
    size: u64,
) -> Result<(), Error> {
    let body = tokio::fs::File::open(path)
        .await
        .map_err(|e| io_err(&path.display().to_string(), e))?;
    let (head, tail) = tar_parts(dir, name, size);
    let part =
        |b: Vec<u8>| futures_util::stream::once(std::future::ready(Ok(bytes::Bytes::from(b))));
    let stream = part(head).chain(file_chunks(body)).chain(part(tail));
    docker
        .upload_to_container(
            container,
            Some(UploadToContainerOptions {
                path: "/".to_owned(),
                ..Default::default()
            }),
            bollard::body_try_stream(stream),
        )
        .await
        .map_err(engine_err("copy a file into a node"))
}

/// Writes `data` into `container` as `/dir/name` (a small file: a config).
pub(crate) async fn upload_bytes(
    docker: &Docker,
    container: &str,
    dir: &str,
    name: &str,
    data: &[u8],
) -> Result<(), Error> {
    let (mut body, tail) = tar_parts(dir, name, data.len() as u64);
    body.extend_from_slice(data);
    body.extend_from_slice(&tail);
    docker
        .upload_to_container(
            container,
            Some(UploadToContainerOptions {
                path: "/".to_owned(),
                ..Default::default()
            }),
            bollard::body_full(body.into()),
        )
        .await
        .map_err(engine_err("copy a file into a container"))
}

pub(crate) fn io_err(what: &str, source: std::io::Error) -> Error {
    Error::Io {
        what: what.to_owned(),
        source,
    }
}

/// `docker save` of one image into a temporary file (removed when dropped).
async fn export_to_file(docker: &Docker, image: &str) -> Result<tempfile::NamedTempFile, Error> {
    let spool = tempfile::NamedTempFile::new().map_err(|e| io_err("a temporary file", e))?;
    let mut out =
        tokio::fs::File::from_std(spool.reopen().map_err(|e| io_err("a temporary file", e))?);
    let mut stream = docker.export_image(image);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| Error::Image {
            image: image.to_owned(),
            detail: format!("export failed: {e}"),
            source: Some(e),
        })?;
        out.write_all(&chunk)
            .await
            .map_err(|e| io_err("the exported image", e))?;
    }
    out.flush()
        .await
        .map_err(|e| io_err("the exported image", e))?;
    Ok(spool)
}

/// A file as a stream of 1 MiB chunks (a read error fails the upload).
pub(crate) fn file_chunks(
    file: tokio::fs::File,
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> {
    futures_util::stream::try_unfold(file, |mut file| async move {
        let mut buf = vec![0u8; 1 << 20];
        let n = file.read(&mut buf).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.truncate(n);
        Ok(Some((bytes::Bytes::from(buf), file)))
    })
}

/// Runs `cmd` in a container; returns its exit code and combined output.
pub(crate) async fn exec(
    docker: &Docker,
    container: &str,
    cmd: &[&str],
) -> Result<(i64, String), Error> {
    let created = docker
        .create_exec(
            container,
            CreateExecOptions {
                cmd: Some(cmd.iter().map(|s| (*s).to_owned()).collect()),
                attach_stdout: Some(true),
                attach_stderr: Some(true),
                ..Default::default()
            },
        )
        .await
        .map_err(engine_err("run a command in a node"))?;
    let mut text = String::new();
    if let StartExecResults::Attached { mut output, .. } = docker
        .start_exec(&created.id, None)
        .await
        .map_err(engine_err("run a command in a node"))?
    {
        while let Some(chunk) = output.next().await {
            if let Ok(c) = chunk {
                text.push_str(&c.to_string());
            }
        }
    }
    let code = docker
        .inspect_exec(&created.id)
        .await
        .map_err(engine_err("run a command in a node"))?
        .exit_code
        .unwrap_or(-1);
    Ok((code, text))
}

/// What goes before and after a file's `size` bytes in a ustar archive
/// holding `dir/` (and its parents) and `dir/name`: the body the engine's
/// archive upload expects.
pub(crate) fn tar_parts(dir: &str, name: &str, size: u64) -> (Vec<u8>, Vec<u8>) {
    let (mut head, prefix) = dir_headers(dir);
    head.extend_from_slice(&header(&format!("{prefix}{name}"), size, b'0', 0o644));
    // Pad the data to a whole block, then two empty blocks end the archive.
    let pad = usize::try_from((512 - size % 512) % 512).unwrap_or(0);
    (head, vec![0u8; pad + 1024])
}

/// Headers for `dir` and each of its parents, and `dir/` as written.
fn dir_headers(dir: &str) -> (Vec<u8>, String) {
    let mut head = Vec::new();
    let mut prefix = String::new();
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        prefix.push_str(part);
        prefix.push('/');
        head.extend_from_slice(&header(&prefix, 0, b'5', 0o755));
    }
    (head, prefix)
}

/// An archive holding only `dir` and its parents: uploaded first so that a
/// later upload into `dir` finds it (the engine refuses missing targets).
pub(crate) fn dirs_tar(dir: &str) -> Vec<u8> {
    let (mut out, _) = dir_headers(dir);
    out.extend_from_slice(&[0u8; 1024]);
    out
}

#[cfg(test)]
fn tar_with_file(dir: &str, name: &str, data: &[u8]) -> Vec<u8> {
    let (mut out, tail) = tar_parts(dir, name, data.len() as u64);
    out.extend_from_slice(data);
    out.extend_from_slice(&tail);
    out
}

/// One ustar header. Paths longer than 100 bytes use the prefix field.
fn header(path: &str, size: u64, kind: u8, mode: u32) -> [u8; 512] {
    let mut h = [0u8; 512];
    let (prefix, name) = if path.len() > 100 {
        let cut = path[..path.len().min(155)].rfind('/').unwrap_or(0);
        (&path[..cut], &path[cut + 1..])
    } else {
        ("", path)
    };
    let put = |h: &mut [u8; 512], at: usize, len: usize, s: &[u8]| {
        let n = s.len().min(len);
        h[at..at + n].copy_from_slice(&s[..n]);
    };
    put(&mut h, 0, 100, name.as_bytes());
    put(&mut h, 100, 8, format!("{mode:07o}\0").as_bytes());
    put(&mut h, 108, 8, b"0000000\0");
    put(&mut h, 116, 8, b"0000000\0");
    put(&mut h, 124, 12, format!("{size:011o}\0").as_bytes());
    put(&mut h, 136, 12, b"00000000000\0");
    h[156] = kind;
    put(&mut h, 257, 8, b"ustar\x0000");
    put(&mut h, 345, 155, prefix.as_bytes());
    // The checksum is computed with its own field as spaces.
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
    put(&mut h, 148, 8, format!("{sum:06o}\0 ").as_bytes());
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_names_are_file_safe() {
        assert_eq!(
            archive_name("capstan.local/app:1.2"),
            "capstan-capstan.local_app_1.2.tar"
        );
    }

    #[test]
    fn the_upload_archive_is_a_valid_tar() {
        let data = b"image bytes".repeat(100);
        let tar = tar_with_file(IMAGES_DIR, "x.tar", &data);
        assert_eq!(tar.len() % 512, 0);
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("a.tar");
        std::fs::write(&file, &tar).unwrap_or_else(|e| panic!("{e}"));
        // The system tar is the judge of the format (checksums, prefix, types).
        let out = std::process::Command::new("tar")
            .arg("-xf")
            .arg(&file)
            .arg("-C")
            .arg(dir.path())
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let back = std::fs::read(dir.path().join(IMAGES_DIR).join("x.tar")).unwrap_or_default();
        assert_eq!(back, data);
    }

    #[test]
    fn a_directories_only_archive_makes_the_directories() {
        let tar = super::dirs_tar(IMAGES_DIR);
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("d.tar");
        std::fs::write(&file, &tar).expect("write");
        let out = std::process::Command::new("tar")
            .arg("-xf")
            .arg(&file)
            .arg("-C")
            .arg(dir.path())
            .output()
            .expect("run tar");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(dir.path().join(IMAGES_DIR).is_dir());
    }

    #[test]
    fn long_paths_use_the_prefix_field() {
        let dir = "d".repeat(90);
        let tar = tar_with_file(&dir, &"f".repeat(40), b"hi");
        let t = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = t.path().join("a.tar");
        std::fs::write(&file, &tar).unwrap_or_else(|e| panic!("{e}"));
        let ok = std::process::Command::new("tar")
            .arg("-xf")
            .arg(&file)
            .arg("-C")
            .arg(t.path())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok);
        assert!(t.path().join(&dir).join("f".repeat(40)).exists());
    }
}
