//! The API load balancer of an HA cluster (3 servers), as k3d puts one in
//! front: a TCP proxy container (`capstan-<name>-lb`, HAProxy) that publishes
//! the API port and the TCP host port mappings and forwards them to every
//! server it finds healthy. The kubeconfig points at it, so stopping server 0
//! leaves the API reachable.

use std::collections::HashMap;

use bollard::models::{ContainerCreateBody, HostConfig, PortBinding};
use bollard::query_parameters::{CreateContainerOptions, StartContainerOptions};
use bollard::Docker;

use crate::ports::{PortMapping, Protocol};
use crate::spec::{self, ClusterRequest, Role, K3S_API_PORT};
use crate::{engine_err, Error};

/// Overrides the load balancer image (tests use a stand-in built from
/// Debian's haproxy).
pub const IMAGE_ENV: &str = "CAPSTAN_LB_IMAGE";
/// The official HAProxy image; it runs `haproxy -f` on [`CONFIG_PATH`].
pub const DEFAULT_IMAGE: &str = "haproxy:3.0";
pub const CONFIG_DIR: &str = "usr/local/etc/haproxy";
pub const CONFIG_PATH: &str = "/usr/local/etc/haproxy/haproxy.cfg";
pub const ROLE: &str = "loadbalancer";

pub fn default_image() -> String {
    std::env::var(IMAGE_ENV)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_IMAGE.to_owned())
}

pub fn container_name(cluster: &str) -> String {
    format!("capstan-{cluster}-lb")
}

/// Whether the cluster gets a load balancer: HA only.
pub fn wanted(req: &ClusterRequest) -> bool {
    req.servers > 1
}

/// The TCP mappings the load balancer takes (HAProxy forwards TCP only; UDP
/// mappings stay published on server 0).
pub fn tcp_ports(ports: &[PortMapping]) -> Vec<&PortMapping> {
    ports
        .iter()
        .filter(|m| m.protocol == Protocol::Tcp)
        .collect()
}

/// HAProxy's configuration: one TCP frontend per container port, each
/// balanced over the servers. The servers are found by name through the
/// engine's DNS (`resolvers`), re-resolved as they restart with new
/// addresses; one that does not resolve yet or fails its check is skipped.
/// Health: a TCP connect to the API port every second, 2 failures take a
/// server out, 1 success brings it back.
pub fn haproxy_cfg(req: &ClusterRequest) -> String {
    let servers: Vec<String> = (0..req.servers)
        .map(|i| spec::container_name(&req.name, Role::Server, i))
        .collect();
    let mut cfg = String::from(
        "# Written by Capstan: the cluster's API and TCP port mappings, over its servers.\n\
         global\n  log stdout format raw local0 info\n\n\
         resolvers docker\n  nameserver dns 127.0.0.11:53\n  resolve_retries 3\n  timeout resolve 1s\n  timeout retry 1s\n  hold valid 1s\n  hold nx 1s\n  hold other 1s\n  hold obsolete 1s\n\n\
         defaults\n  mode tcp\n  log global\n  option tcplog\n  timeout connect 2s\n  retries 2\n  option redispatch\n  timeout client 1h\n  timeout server 1h\n  default-server init-addr last,libc,none resolvers docker inter 1s fall 2 rise 1\n",
    );
    let mut ports: Vec<u16> = vec![K3S_API_PORT];
    for m in tcp_ports(&req.ports) {
        if !ports.contains(&m.container_port) {
            ports.push(m.container_port);
        }
    }
    for p in ports {
        cfg.push_str(&format!(
            "\nfrontend port_{p}\n  bind :{p}\n  default_backend servers_{p}\n\nbackend servers_{p}\n  balance roundrobin\n"
        ));
        for (i, s) in servers.iter().enumerate() {
            // Mapped ports are checked through the API port: an ingress may
            // listen on any server, the API tells whether the server is up.
            cfg.push_str(&format!(
                "  server s{i} {s}:{p} check port {K3S_API_PORT}\n"
            ));
        }
    }
    cfg
}

fn body(req: &ClusterRequest, image: &str) -> ContainerCreateBody {
    let mut bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::from([(
        format!("{K3S_API_PORT}/tcp"),
        Some(vec![PortBinding {
            host_ip: Some("127.0.0.1".to_owned()),
            host_port: Some(req.api_port.to_string()),
        }]),
    )]);
    for m in tcp_ports(&req.ports) {
        bindings
            .entry(m.container_key())
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(PortBinding {
                host_ip: Some(m.host_ip.clone()),
                host_port: Some(m.host_port.to_string()),
            });
    }
    let mut exposed: Vec<String> = bindings.keys().cloned().collect();
    exposed.sort();
    let labels = HashMap::from([
        (spec::LABEL_CLUSTER.to_owned(), req.name.clone()),
        (spec::LABEL_ROLE.to_owned(), ROLE.to_owned()),
        (spec::LABEL_API_PORT.to_owned(), req.api_port.to_string()),
        (
            spec::LABEL_PORTS.to_owned(),
            crate::ports::to_label(&req.ports),
        ),
    ]);
    ContainerCreateBody {
        image: Some(image.to_owned()),
        // The official image runs as `haproxy`, which cannot bind ports
        // below 1024 (an ingress on 80/443).
        user: Some("root".to_owned()),
        labels: Some(labels),
        exposed_ports: Some(exposed),
        host_config: Some(HostConfig {
            network_mode: Some(spec::network_name(&req.name)),
            port_bindings: Some(bindings),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Creates the load balancer, writes its configuration in, starts it.
pub(crate) async fn launch(docker: &Docker, req: &ClusterRequest) -> Result<(), Error> {
    let name = container_name(&req.name);
    let image = req.lb_image.clone().unwrap_or_else(default_image);
    crate::pull::ensure_present(docker, &image).await?;
    docker
        .create_container(
            Some(CreateContainerOptions {
                name: Some(name.clone()),
                ..Default::default()
            }),
            body(req, &image),
        )
        .await
        .map_err(engine_err("create the load balancer"))?;
    crate::import::upload_bytes(
        docker,
        &name,
        CONFIG_DIR,
        "haproxy.cfg",
        haproxy_cfg(req).as_bytes(),
    )
    .await?;
    docker
        .start_container(&name, None::<StartContainerOptions>)
        .await
        .map_err(|e| {
            let text = e.to_string();
            if text.contains("already allocated") || text.contains("address already in use") {
                Error::PortInUse { port: req.api_port }
            } else {
                engine_err("start the load balancer")(e)
            }
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balances_the_api_and_tcp_mappings_over_every_server() {
        let req = ClusterRequest {
            name: "ha".into(),
            servers: 3,
            api_port: 40123,
            ports: vec![
                "8080:80".parse().expect("tcp"),
                "5353:53/udp".parse().expect("udp"),
            ],
            ..Default::default()
        };
        let cfg = haproxy_cfg(&req);
        for i in 0..3 {
            assert!(
                cfg.contains(&format!("server s{i} capstan-ha-server-{i}:6443 check")),
                "{cfg}"
            );
            assert!(
                cfg.contains(&format!(
                    "server s{i} capstan-ha-server-{i}:80 check port 6443"
                )),
                "{cfg}"
            );
        }
        assert!(!cfg.contains(":53 "), "{cfg}");
        let b = body(&req, "haproxy:3.0");
        let bindings = b
            .host_config
            .and_then(|h| h.port_bindings)
            .unwrap_or_default();
        let mut keys: Vec<_> = bindings.keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["6443/tcp", "80/tcp"]);
    }
}
