//! Node container primitives: create and start (a refused port named),
//! read a file out, the last log lines.

use bollard::query_parameters::{
    CreateContainerOptions, DownloadFromContainerOptions, LogsOptions, StartContainerOptions,
};
use bollard::Docker;
use futures_util::{StreamExt, TryStreamExt};

use crate::spec;
use crate::{engine_err, Error};

/// Creates the node container, copies the airgap archive in (k3s imports it
/// as it starts), then starts it.
pub(crate) async fn launch(
    docker: &Docker,
    n: &spec::NodeSpec,
    airgap: Option<&crate::airgap::AirgapArchive>,
) -> Result<(), Error> {
    create_container(docker, n).await?;
    if let Some(archive) = airgap {
        crate::airgap::seed_node(docker, &n.name, archive).await?;
    }
    start_container(docker, n).await
}

pub(crate) async fn create_container(docker: &Docker, n: &spec::NodeSpec) -> Result<(), Error> {
    let cluster = n
        .body
        .labels
        .as_ref()
        .and_then(|l| l.get(spec::LABEL_CLUSTER))
        .cloned()
        .unwrap_or_default();
    for v in &n.volumes {
        // Idempotent: an upgrade finds the volumes the node had.
        docker
            .create_volume(bollard::models::VolumeCreateRequest {
                name: Some(v.clone()),
                labels: Some(spec::network_labels(&cluster)),
                ..Default::default()
            })
            .await
            .map_err(engine_err("create a node volume"))?;
    }
    docker
        .create_container(
            Some(CreateContainerOptions {
                name: Some(n.name.clone()),
                ..Default::default()
            }),
            n.body.clone(),
        )
        .await
        .map_err(engine_err("create a node container"))?;
    if let Some(yaml) = &n.registries_yaml {
        crate::import::upload_bytes(
            docker,
            &n.name,
            crate::registry::REGISTRIES_YAML_DIR,
            "registries.yaml",
            yaml.as_bytes(),
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn start_container(docker: &Docker, n: &spec::NodeSpec) -> Result<(), Error> {
    docker
        .start_container(&n.name, None::<StartContainerOptions>)
        .await
        .map_err(|e| port_taken(e, n))?;
    Ok(())
}

/// A start failing on a published port is the user's port being taken
/// between our check and the engine binding it (or an address the engine
/// cannot bind). The engine names the socket (`Bind for 127.0.0.1:8080
/// failed: port is already allocated`, `listen tcp4 127.0.0.1:8080: bind:
/// address already in use`), which tells which port it was. Only a node
/// that publishes ports (server 0) can be refused one: every node carries the
/// API-port label, but an agent's bind error is about something else.
fn port_taken(e: bollard::errors::Error, n: &spec::NodeSpec) -> Error {
    let publishes = n
        .body
        .host_config
        .as_ref()
        .is_some_and(|h| h.port_bindings.is_some());
    let labels = n.body.labels.clone().unwrap_or_default();
    publishes
        .then(|| refused_port(&e.to_string(), &labels))
        .flatten()
        .unwrap_or_else(|| engine_err("start a node container")(e))
}

/// The port error an engine's refusal text stands for, if it is one: a
/// mapping it names, else the API port.
fn refused_port(text: &str, labels: &std::collections::HashMap<String, String>) -> Option<Error> {
    let refused = text.contains("address already in use")
        || text.contains("port is already allocated")
        || text.contains("cannot assign requested address");
    if !refused {
        return None;
    }
    let names =
        |port: u16| text.contains(&format!(":{port}:")) || text.contains(&format!(":{port} "));
    let mappings = labels
        .get(spec::LABEL_PORTS)
        .map(|v| crate::ports::from_label(v))
        .unwrap_or_default();
    if let Some(m) = mappings.iter().find(|m| names(m.host_port)) {
        return Some(Error::HostPortInUse {
            port: m.host_port,
            address: m.host_ip.clone(),
            mapping: m.to_string(),
        });
    }
    labels
        .get(spec::LABEL_API_PORT)
        .and_then(|p| p.parse::<u16>().ok())
        .map(|port| Error::PortInUse { port })
}

/// The last `lines` log lines of a container (empty when the engine cannot
/// give them: this only ever adds to an error message).
pub(crate) async fn log_tail_of(docker: &Docker, container: &str, lines: u32) -> String {
    let stream = docker.logs(
        container,
        Some(LogsOptions {
            stdout: true,
            stderr: true,
            tail: lines.to_string(),
            ..Default::default()
        }),
    );
    let chunks: Vec<_> = stream.take(10_000).collect().await;
    chunks
        .into_iter()
        .filter_map(Result::ok)
        .map(|c| c.to_string())
        .collect()
}

/// One file out of a container (the engine sends a tar archive).
pub(crate) async fn read_file(
    docker: &Docker,
    container: &str,
    path: &str,
) -> Result<Option<String>, Error> {
    let bytes: Vec<u8> = docker
        .download_from_container(
            container,
            Some(DownloadFromContainerOptions {
                path: path.to_owned(),
            }),
        )
        .map_ok(|b| b.to_vec())
        .try_concat()
        .await
        .map_err(engine_err("read the server's kubeconfig"))?;
    Ok(first_tar_entry(&bytes).map(|b| String::from_utf8_lossy(b).into_owned()))
}

/// The content of the first entry of a ustar archive.
fn first_tar_entry(tar: &[u8]) -> Option<&[u8]> {
    let header = tar.get(..512)?;
    let size_field = std::str::from_utf8(header.get(124..136)?).ok()?;
    let size =
        usize::from_str_radix(size_field.trim_matches(|c: char| c == '\0' || c == ' '), 8).ok()?;
    tar.get(512..512 + size)
}

#[cfg(test)]
mod tests {
    use super::first_tar_entry;

    #[test]
    fn an_engine_refusing_a_binding_names_the_port() {
        use crate::spec::{LABEL_API_PORT, LABEL_PORTS};
        let labels = std::collections::HashMap::from([
            (LABEL_API_PORT.to_owned(), "40123".to_owned()),
            (
                LABEL_PORTS.to_owned(),
                "127.0.0.1:8080:80/tcp,127.0.0.1:80:8000/tcp".to_owned(),
            ),
        ]);
        // docker-proxy's and the engine's own phrasings.
        let proxy =
            "driver failed programming external connectivity on endpoint capstan-dev-server-0: \
                     Bind for 127.0.0.1:8080 failed: port is already allocated";
        let kernel = "listen tcp4 127.0.0.1:80: bind: address already in use";
        assert!(matches!(
            super::refused_port(proxy, &labels),
            Some(crate::Error::HostPortInUse { port: 8080, .. })
        ));
        assert!(matches!(
            super::refused_port(kernel, &labels),
            Some(crate::Error::HostPortInUse { port: 80, .. })
        ));
        let api = "Bind for 127.0.0.1:40123 failed: port is already allocated";
        assert!(matches!(
            super::refused_port(api, &labels),
            Some(crate::Error::PortInUse { port: 40123 })
        ));
        assert!(super::refused_port("no such image", &labels).is_none());
    }

    #[test]
    fn only_the_publishing_node_is_refused_a_port() {
        use bollard::models::{ContainerCreateBody, HostConfig};
        let refusal = || bollard::errors::Error::DockerResponseServerError {
            status_code: 500,
            message: "listen tcp4 0.0.0.0:10250: bind: address already in use".into(),
        };
        let node = |port_bindings| crate::spec::NodeSpec {
            name: "capstan-dev-agent-0".into(),
            role: crate::spec::Role::Agent,
            index: 0,
            body: ContainerCreateBody {
                labels: Some(std::collections::HashMap::from([(
                    crate::spec::LABEL_API_PORT.to_owned(),
                    "40123".to_owned(),
                )])),
                host_config: Some(HostConfig {
                    port_bindings,
                    ..Default::default()
                }),
                ..Default::default()
            },
            volumes: Vec::new(),
            registries_yaml: None,
        };
        assert!(matches!(
            super::port_taken(refusal(), &node(None)),
            crate::Error::Engine { .. }
        ));
        assert!(matches!(
            super::port_taken(refusal(), &node(Some(Default::default()))),
            crate::Error::PortInUse { port: 40123 }
        ));
    }

    #[test]
    fn reads_the_first_tar_entry() {
        let mut tar = vec![0u8; 1024];
        tar[..4].copy_from_slice(b"file");
        tar[124..135].copy_from_slice(b"00000000005");
        tar[512..517].copy_from_slice(b"hello");
        assert_eq!(first_tar_entry(&tar), Some(&b"hello"[..]));
        assert_eq!(first_tar_entry(&tar[..100]), None);
    }
}
