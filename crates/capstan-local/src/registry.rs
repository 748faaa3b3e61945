//! An image registry for a cluster: its own container (`capstan-<name>-registry`,
//! removed with the cluster) or one shared by several clusters
//! (`capstan-registry`, on a network of its own and connected to each
//! cluster's; removed when its last cluster goes). Published on
//! 127.0.0.1:<port>, so `docker push localhost:<port>/app:1` works (the engine
//! allows plain HTTP to loopback registries); every node gets a
//! `registries.yaml` mirroring `localhost:<port>` to the registry container,
//! so a pod with `image: localhost:<port>/app:1` pulls it.

use std::collections::HashMap;

use bollard::models::{ContainerCreateBody, HostConfig, NetworkCreateRequest, PortBinding};
use bollard::query_parameters::{
    CreateContainerOptions, ListContainersOptions, RemoveContainerOptions, StartContainerOptions,
};
use bollard::Docker;
use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::spec::{LABEL_CLUSTER, LABEL_ROLE};
use crate::{engine_err, Error};

/// Overrides the registry image (tests use a stand-in built from Debian's
/// `docker-registry`).
pub const IMAGE_ENV: &str = "CAPSTAN_REGISTRY_IMAGE";
pub const DEFAULT_IMAGE: &str = "registry:2";
/// The port the registry image listens on (registry:2's default).
pub const CONTAINER_PORT: u16 = 5000;
pub const SHARED_NAME: &str = "capstan-registry";
/// On the shared registry (it carries no cluster label, so deleting one
/// cluster does not take it).
pub const LABEL_SHARED: &str = "capstan.shared-registry";
pub const LABEL_PORT: &str = "capstan.registry-port";
/// k3s reads this file at start (k3s docs, "Private Registry Configuration").
pub const REGISTRIES_YAML_DIR: &str = "etc/rancher/k3s";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "RegistryMode"))]
pub enum Mode {
    /// The cluster's own, removed with it.
    Own,
    /// `capstan-registry`, shared by every cluster that asks for it.
    Shared,
}

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "RegistryRequest"))]
pub struct Request {
    pub mode: Mode,
    /// None: a free one (shared: the existing registry's).
    pub port: Option<u16>,
    /// None: `CAPSTAN_REGISTRY_IMAGE`, else `registry:2`.
    pub image: Option<String>,
}

/// Where a cluster's registry is, as `list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "RegistryInfo"))]
pub struct Info {
    pub mode: Mode,
    /// Host port on 127.0.0.1; images are pushed as `localhost:<port>/…`.
    pub port: u16,
    pub container: String,
}

impl Info {
    /// The server 0 label value: `own:5000`, `shared:5000`.
    pub fn to_label(&self) -> String {
        let mode = match self.mode {
            Mode::Own => "own",
            Mode::Shared => "shared",
        };
        format!("{mode}:{}", self.port)
    }

    pub fn from_label(cluster: &str, v: &str) -> Option<Info> {
        let (mode, port) = v.split_once(':')?;
        let port = port.parse().ok()?;
        let (mode, container) = match mode {
            "own" => (Mode::Own, container_name(cluster)),
            "shared" => (Mode::Shared, SHARED_NAME.to_owned()),
            _ => return None,
        };
        Some(Info {
            mode,
            port,
            container,
        })
    }
}

/// The registry create will use (or find): resolved before anything is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub info: Info,
    pub image: String,
    /// False when the shared registry exists already.
    pub create: bool,
}

pub fn container_name(cluster: &str) -> String {
    format!("capstan-{cluster}-registry")
}

pub fn default_image() -> String {
    std::env::var(IMAGE_ENV)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_IMAGE.to_owned())
}

/// The `registries.yaml` of every node: `localhost:<port>` (what users push
/// to) mirrored to the registry container on the cluster network, plain HTTP.
/// The shape is k3s's (`mirrors.<host>.endpoint`, k3s-io/k3s
/// pkg/agent/templates/registry.go); k3s turns it into containerd
/// `hosts.toml` files (pkg/agent/containerd/config.go, writeContainerdHosts).
pub fn registries_yaml(info: &Info) -> String {
    format!(
        "# Written by Capstan: images pushed to localhost:{port} come from {c}.\n\
         mirrors:\n  \"localhost:{port}\":\n    endpoint:\n      - \"http://{c}:{CONTAINER_PORT}\"\n",
        port = info.port,
        c = info.container
    )
}

/// Resolves the request: the shared registry is looked for (its port wins;
/// asking for another one is an error), a free port is picked when none
/// was given.
pub(crate) async fn plan(docker: &Docker, cluster: &str, req: &Request) -> Result<Plan, Error> {
    let image = req.image.clone().unwrap_or_else(default_image);
    if req.mode == Mode::Shared {
        if let Some(port) = shared_port(docker).await? {
            if req.port.is_some_and(|p| p != port) {
                return Err(Error::InvalidRegistry {
                    reason: format!(
                        "the shared registry is already published on port {port}: leave the port empty or give {port}"
                    ),
                });
            }
            return Ok(Plan {
                info: Info {
                    mode: Mode::Shared,
                    port,
                    container: SHARED_NAME.to_owned(),
                },
                image,
                create: false,
            });
        }
    }
    let port = match req.port {
        Some(p) => p,
        None => crate::create::free_port()?,
    };
    Ok(Plan {
        info: Info {
            mode: req.mode,
            port,
            container: match req.mode {
                Mode::Own => container_name(cluster),
                Mode::Shared => SHARED_NAME.to_owned(),
            },
        },
        image,
        create: true,
    })
}

/// The shared registry's published port, if it exists.
async fn shared_port(docker: &Docker) -> Result<Option<u16>, Error> {
    let found = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(HashMap::from([(
                "label".to_owned(),
                vec![format!("{LABEL_SHARED}=true")],
            )])),
            ..Default::default()
        }))
        .await
        .map_err(engine_err("list containers"))?;
    Ok(found
        .into_iter()
        .filter_map(|c| c.labels?.get(LABEL_PORT)?.parse().ok())
        .next())
}

fn body(plan: &Plan, cluster: &str, network: &str) -> ContainerCreateBody {
    let mut labels = HashMap::from([(LABEL_PORT.to_owned(), plan.info.port.to_string())]);
    match plan.info.mode {
        Mode::Own => {
            labels.insert(LABEL_CLUSTER.to_owned(), cluster.to_owned());
            labels.insert(LABEL_ROLE.to_owned(), "registry".to_owned());
        }
        Mode::Shared => {
            labels.insert(LABEL_SHARED.to_owned(), "true".to_owned());
        }
    }
    let key = format!("{CONTAINER_PORT}/tcp");
    ContainerCreateBody {
        image: Some(plan.image.clone()),
        labels: Some(labels),
        exposed_ports: Some(vec![key.clone()]),
        host_config: Some(HostConfig {
            network_mode: Some(network.to_owned()),
            port_bindings: Some(HashMap::from([(
                key,
                Some(vec![PortBinding {
                    // Only this machine, as the API.
                    host_ip: Some("127.0.0.1".to_owned()),
                    host_port: Some(plan.info.port.to_string()),
                }]),
            )])),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Makes the registry (when the plan says so) and puts it on the cluster
/// network. The shared one lives on `capstan-registry`'s own network.
pub(crate) async fn ensure(docker: &Docker, plan: &Plan, cluster: &str) -> Result<(), Error> {
    let cluster_net = crate::spec::network_name(cluster);
    if plan.create {
        crate::pull::ensure_present(docker, &plan.image).await?;
        let net = match plan.info.mode {
            Mode::Own => cluster_net.clone(),
            Mode::Shared => {
                let r = docker
                    .create_network(NetworkCreateRequest {
                        name: SHARED_NAME.to_owned(),
                        driver: Some("bridge".to_owned()),
                        labels: Some(HashMap::from([(
                            LABEL_SHARED.to_owned(),
                            "true".to_owned(),
                        )])),
                        ..Default::default()
                    })
                    .await;
                if let Err(e) = r {
                    // Left by an earlier registry: reuse it.
                    if !e.to_string().contains("already exists") {
                        return Err(engine_err("create the registry network")(e));
                    }
                }
                SHARED_NAME.to_owned()
            }
        };
        docker
            .create_container(
                Some(CreateContainerOptions {
                    name: Some(plan.info.container.clone()),
                    ..Default::default()
                }),
                body(plan, cluster, &net),
            )
            .await
            .map_err(engine_err("create the registry container"))?;
        docker
            .start_container(&plan.info.container, None::<StartContainerOptions>)
            .await
            .map_err(|e| {
                if e.to_string().contains("already allocated")
                    || e.to_string().contains("address already in use")
                {
                    Error::RegistryPortInUse {
                        port: plan.info.port,
                    }
                } else {
                    engine_err("start the registry container")(e)
                }
            })?;
    }
    if plan.info.mode == Mode::Shared {
        let r = docker
            .connect_network(
                &cluster_net,
                bollard::models::NetworkConnectRequest {
                    container: plan.info.container.clone(),
                    ..Default::default()
                },
            )
            .await;
        if let Err(e) = r {
            if !e.to_string().contains("already exists") {
                return Err(engine_err("connect the shared registry to the cluster")(e));
            }
        }
    }
    Ok(())
}

/// Removes the shared registry (and its network) when no cluster uses it any
/// more: no container labelled for a cluster names it.
pub(crate) async fn remove_shared_if_unused(docker: &Docker) -> Result<(), Error> {
    let users = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(HashMap::from([(
                "label".to_owned(),
                vec![crate::spec::LABEL_REGISTRY.to_owned()],
            )])),
            ..Default::default()
        }))
        .await
        .map_err(engine_err("list containers"))?;
    let in_use = users.iter().any(|c| {
        c.labels
            .as_ref()
            .and_then(|l| l.get(crate::spec::LABEL_REGISTRY))
            .is_some_and(|v| v.starts_with("shared:"))
    });
    if in_use || shared_port(docker).await?.is_none() {
        return Ok(());
    }
    tracing::info!("removing the shared registry: its last cluster is gone");
    docker
        .remove_container(
            SHARED_NAME,
            Some(RemoveContainerOptions {
                force: true,
                v: true,
                ..Default::default()
            }),
        )
        .await
        .map_err(engine_err("remove the shared registry"))?;
    if let Err(e) = docker.remove_network(SHARED_NAME).await {
        tracing::warn!(error = %e, "could not remove the shared registry's network");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registries_yaml_mirrors_localhost_to_the_container() {
        let info = Info {
            mode: Mode::Own,
            port: 5123,
            container: container_name("dev"),
        };
        let y = registries_yaml(&info);
        let doc: serde_yaml::Value = serde_yaml::from_str(&y).expect("yaml");
        assert_eq!(
            doc["mirrors"]["localhost:5123"]["endpoint"][0].as_str(),
            Some("http://capstan-dev-registry:5000")
        );
        assert_eq!(info.to_label(), "own:5123");
        assert_eq!(Info::from_label("dev", "own:5123"), Some(info));
        let shared = Info::from_label("dev", "shared:5000").expect("shared");
        assert_eq!(shared.container, SHARED_NAME);
        assert!(Info::from_label("dev", "x:1").is_none());
    }
}
