//! The full log of one container, streamed to a file.

use std::path::Path;

use futures_util::AsyncReadExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, LogParams};
use tokio::io::AsyncWriteExt;

use crate::Error;

/// Writes the whole log of `namespace/pod`'s `container` (or the previous
/// instance's) to `path`, calling `progress` with the bytes written so far. The file holds
/// exactly what the server sent (no stamps added). Returns the byte count.
pub async fn download_log(
    client: kube::Client,
    namespace: &str,
    pod: &str,
    container: &str,
    previous: bool,
    path: &Path,
    mut progress: impl FnMut(u64) + Send,
) -> Result<u64, Error> {
    let params = LogParams {
        container: Some(container.to_string()),
        previous,
        ..LogParams::default()
    };
    let request_failed = |e: kube::Error| Error::LogRequest {
        pod: pod.to_string(),
        container: container.to_string(),
        detail: match e {
            kube::Error::Api(s) => s.message,
            other => other.to_string(),
        },
    };
    let api: Api<Pod> = Api::namespaced(client, namespace);
    let mut reader = api.log_stream(pod, &params).await.map_err(request_failed)?;
    let write_failed = |source| Error::WriteFile {
        path: path.to_path_buf(),
        source,
    };
    let mut file = tokio::fs::File::create(path).await.map_err(write_failed)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf).await.map_err(|e| Error::LogRequest {
            pod: pod.to_string(),
            container: container.to_string(),
            detail: format!("the stream broke after {total} bytes: {e}"),
        })?;
        if n == 0 {
            break;
        }
        file.write_all(&buf[..n]).await.map_err(write_failed)?;
        total += n as u64;
        progress(total);
    }
    file.flush().await.map_err(write_failed)?;
    tracing::debug!(pod, container, bytes = total, "log downloaded");
    Ok(total)
}
