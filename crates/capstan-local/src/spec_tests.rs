use super::*;

fn req(servers: u32, agents: u32) -> ClusterRequest {
    ClusterRequest {
        name: "dev".into(),
        image: "rancher/k3s:v1.31.4-k3s1".into(),
        servers,
        agents,
        api_port: 40123,
        extra_server_args: vec!["--disable=traefik".into()],
        extra_agent_args: vec!["--node-label=pool=a".into()],
        ports: Vec::new(),
        image_tarball: None,
        airgap_images: None,
        ..Default::default()
    }
}

fn env_of(n: &NodeSpec) -> Vec<String> {
    n.body.env.clone().unwrap_or_default()
}

#[test]
fn single_server_with_two_agents() {
    let specs = node_specs(&req(1, 2), "tok", EngineFacts::default());
    let names: Vec<_> = specs.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "capstan-dev-server-0",
            "capstan-dev-agent-0",
            "capstan-dev-agent-1"
        ]
    );
    let s = &specs[0];
    // k3s CLI: `server --tls-san <host>`; no --cluster-init without HA.
    assert_eq!(
        s.body.cmd.clone().unwrap_or_default(),
        ["server", "--tls-san", "127.0.0.1", "--disable=traefik"]
    );
    assert!(env_of(s).contains(&"K3S_TOKEN=tok".to_owned()));
    assert!(env_of(s).contains(&format!("K3S_KUBECONFIG_OUTPUT={KUBECONFIG_OUTPUT}")));
    assert!(!env_of(s).iter().any(|e| e.starts_with("K3S_URL=")));
    for a in &specs[1..] {
        assert_eq!(
            a.body.cmd.clone().unwrap_or_default(),
            ["agent", "--node-label=pool=a"]
        );
        assert!(env_of(a).contains(&"K3S_URL=https://capstan-dev-server-0:6443".to_owned()));
        assert!(env_of(a).contains(&"K3S_TOKEN=tok".to_owned()));
    }
}

#[test]
fn ha_puts_cluster_init_on_the_first_server_only() {
    let specs = node_specs(&req(3, 1), "tok", EngineFacts::default());
    let cmds: Vec<_> = specs
        .iter()
        .map(|s| s.body.cmd.clone().unwrap_or_default())
        .collect();
    // k3s: `server --cluster-init` starts embedded etcd on the first server ...
    assert!(cmds[0].contains(&"--cluster-init".to_owned()));
    assert!(!env_of(&specs[0]).iter().any(|e| e.starts_with("K3S_URL=")));
    // ... and the others join it: K3S_URL (the env form of `server --server
    // https://<server-0>:6443`) with the same token, no --cluster-init.
    for joiner in &specs[1..3] {
        assert_eq!(joiner.role, Role::Server);
        let cmd = joiner.body.cmd.clone().unwrap_or_default();
        assert_eq!(cmd[0], "server");
        assert!(!cmd.contains(&"--cluster-init".to_owned()));
        let env = env_of(joiner);
        assert!(env.contains(&"K3S_URL=https://capstan-dev-server-0:6443".to_owned()));
        assert!(env.contains(&"K3S_TOKEN=tok".to_owned()));
    }
    assert_eq!(specs[3].role, Role::Agent);
}

#[test]
fn containers_are_privileged_with_tmpfs_labels_and_network() {
    for s in node_specs(&req(1, 1), "tok", EngineFacts::default()) {
        let hc = s.body.host_config.clone().unwrap_or_default();
        assert_eq!(hc.privileged, Some(true));
        let tmpfs = hc.tmpfs.unwrap_or_default();
        assert!(tmpfs.contains_key("/run") && tmpfs.contains_key("/var/run"));
        assert_eq!(hc.network_mode.as_deref(), Some("capstan-dev"));
        assert_eq!(hc.cgroupns_mode, Some(HostConfigCgroupnsModeEnum::HOST));
        let labels = s.body.labels.clone().unwrap_or_default();
        assert_eq!(labels.get(LABEL_CLUSTER).map(String::as_str), Some("dev"));
        assert_eq!(
            labels.get(LABEL_ROLE).map(String::as_str),
            Some(s.role.as_str())
        );
        // k3s's data directories in named volumes of its own, no host path.
        let binds = hc.binds.unwrap_or_default();
        let expected: Vec<String> = DATA_VOLUMES
            .iter()
            .map(|(suffix, path)| format!("{}-{suffix}:{path}", s.name))
            .collect();
        assert_eq!(binds, expected, "a node gets no host path");
        assert_eq!(s.volumes.len(), DATA_VOLUMES.len());
    }
}

#[test]
fn no_node_gets_the_engine_socket_not_even_the_test_image() {
    // The test stand-in runs containerd in the node, as k3s does: the
    // engine's socket is mounted into no node, whatever the image.
    let mut r = req(1, 1);
    r.image = "capstan.local/k3s-fake:latest".into();
    let facts = EngineFacts {
        cgroup_v2: false,
        no_privileged: true,
    };
    for s in node_specs(&r, "tok", facts) {
        let hc = s.body.host_config.clone().unwrap_or_default();
        assert!(
            hc.binds
                .iter()
                .flatten()
                .all(|b| !b.starts_with('/') && !b.contains("docker.sock")),
            "{}: {:?}",
            s.name,
            hc.binds
        );
        assert!(hc.mounts.is_none(), "{}: {:?}", s.name, hc.mounts);
    }
}

#[test]
fn cgroup_v2_uses_a_private_cgroup_namespace() {
    let facts = EngineFacts {
        cgroup_v2: true,
        no_privileged: false,
    };
    let hc = node_specs(&req(1, 0), "t", facts)[0]
        .body
        .host_config
        .clone()
        .unwrap_or_default();
    assert_eq!(hc.cgroupns_mode, Some(HostConfigCgroupnsModeEnum::PRIVATE));
}

#[test]
fn only_the_first_server_publishes_the_api_on_loopback() {
    // HA: the load balancer publishes it, no node does.
    let ha = node_specs(&req(3, 1), "t", EngineFacts::default());
    assert!(ha.iter().all(|s| s
        .body
        .host_config
        .as_ref()
        .and_then(|h| h.port_bindings.as_ref())
        .is_none()));
    let specs = node_specs(&req(1, 1), "t", EngineFacts::default());
    let published: Vec<_> = specs
        .iter()
        .filter_map(|s| s.body.host_config.as_ref()?.port_bindings.clone())
        .collect();
    assert_eq!(published.len(), 1);
    let b = published[0]
        .get("6443/tcp")
        .cloned()
        .flatten()
        .unwrap_or_default();
    assert_eq!(b[0].host_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(b[0].host_port.as_deref(), Some("40123"));
    // The Engine API ignores a binding for a port the container does not expose.
    let exposed: Vec<_> = specs
        .iter()
        .filter_map(|s| s.body.exposed_ports.clone())
        .collect();
    assert_eq!(exposed, vec![vec!["6443/tcp".to_owned()]]);
}

#[test]
fn volumes_version_and_registry_reach_the_nodes_they_name() {
    let mut r = req(1, 2);
    r.version = "v1.34.6+k3s1".into();
    r.volumes = vec!["/srv/a:/a@agent:1".parse().expect("volume")];
    r.registry = Some(crate::registry::Info {
        mode: crate::registry::Mode::Own,
        port: 5123,
        container: "capstan-dev-registry".into(),
    });
    for s in node_specs(&r, "t", EngineFacts::default()) {
        let labels = s.body.labels.clone().unwrap_or_default();
        assert_eq!(
            labels.get(LABEL_VERSION).map(String::as_str),
            Some("v1.34.6+k3s1")
        );
        let binds = s.body.host_config.and_then(|h| h.binds).unwrap_or_default();
        let mounted = binds.contains(&"/srv/a:/a".to_owned());
        assert_eq!(mounted, s.name == "capstan-dev-agent-1", "{}", s.name);
        assert!(s
            .registries_yaml
            .as_deref()
            .is_some_and(|y| y.contains("localhost:5123")));
        let first = s.name == "capstan-dev-server-0";
        assert_eq!(
            labels.get(LABEL_REGISTRY).map(String::as_str),
            first.then_some("own:5123")
        );
        assert_eq!(labels.contains_key(LABEL_VOLUMES), first);
    }
}

#[test]
fn names_and_shapes_are_validated() {
    assert!(validate_name("dev-1").is_ok());
    for bad in ["", "Dev", "-a", "a-", "a_b", &"x".repeat(41)] {
        assert!(validate_name(bad).is_err(), "{bad:?}");
    }
    assert!(validate(&req(2, 0)).is_err());
    assert!(validate(&req(1, 10)).is_err());
    assert!(validate(&req(3, 9)).is_ok());
}

#[test]
fn tokens_are_fresh_hex() {
    let (a, b) = (
        new_token().unwrap_or_default(),
        new_token().unwrap_or_default(),
    );
    assert_eq!(a.len(), 64);
    assert_ne!(a, b);
}

fn mapping(s: &str) -> crate::PortMapping {
    s.parse().expect("a valid mapping")
}

#[test]
fn port_mappings_are_published_on_the_first_server_only() {
    let mut r = req(1, 1);
    r.ports = vec![
        mapping("8080:80"),
        mapping("8443:80"),
        mapping("0.0.0.0:5353:53/udp"),
    ];
    let specs = node_specs(&r, "t", EngineFacts::default());
    let bindings = specs[0]
        .body
        .host_config
        .clone()
        .unwrap_or_default()
        .port_bindings
        .unwrap_or_default();
    let of = |key: &str| -> Vec<(String, String)> {
        bindings
            .get(key)
            .cloned()
            .flatten()
            .unwrap_or_default()
            .into_iter()
            .map(|b| {
                (
                    b.host_ip.unwrap_or_default(),
                    b.host_port.unwrap_or_default(),
                )
            })
            .collect()
    };
    assert_eq!(
        of("80/tcp"),
        [
            ("127.0.0.1".to_owned(), "8080".to_owned()),
            ("127.0.0.1".to_owned(), "8443".to_owned())
        ]
    );
    assert_eq!(of("53/udp"), [("0.0.0.0".to_owned(), "5353".to_owned())]);
    assert_eq!(
        of("6443/tcp"),
        [("127.0.0.1".to_owned(), "40123".to_owned())]
    );
    assert_eq!(
        specs[0].body.exposed_ports.clone().unwrap_or_default(),
        ["53/udp", "6443/tcp", "80/tcp"]
    );
    // The agent publishes nothing.
    assert!(specs[1]
        .body
        .host_config
        .as_ref()
        .and_then(|h| h.port_bindings.as_ref())
        .is_none());
    // Labels let `list` show the mappings and `node add` reuse the agent args.
    let labels = specs[0].body.labels.clone().unwrap_or_default();
    assert_eq!(
        labels.get(LABEL_PORTS).map(String::as_str),
        Some("127.0.0.1:8080:80/tcp,127.0.0.1:8443:80/tcp,0.0.0.0:5353:53/udp")
    );
    assert_eq!(
        labels.get(LABEL_AGENT_ARGS).map(String::as_str),
        Some(r#"["--node-label=pool=a"]"#)
    );
    assert!(!specs[1]
        .body
        .labels
        .clone()
        .unwrap_or_default()
        .contains_key(LABEL_PORTS));
}

#[test]
fn port_mappings_are_validated() {
    let with = |ports: &[&str]| {
        let mut r = req(1, 0);
        r.ports = ports.iter().map(|p| mapping(p)).collect();
        validate(&r)
    };
    assert!(with(&["8080:80", "8443:443", "8080:80/udp"]).is_ok());
    // The same host socket twice.
    let e = with(&["8080:80", "8080:81"]).expect_err("duplicate");
    assert!(matches!(e, Error::InvalidPortMapping { .. }), "{e}");
    assert!(
        e.to_string()
            .contains("already mapped by `127.0.0.1:8080:80/tcp`"),
        "{e}"
    );
    assert!(with(&["0.0.0.0:8080:80", "8080:81"]).is_err());
    // The API port.
    let e = with(&["40123:80"]).expect_err("API port");
    assert!(e.to_string().contains("API port"), "{e}");
    assert!(with(&["40123:53/udp"]).is_ok());
    // Zero, when built by hand rather than parsed.
    let mut r = req(1, 0);
    r.ports = vec![crate::PortMapping::loopback(0, 80, crate::Protocol::Tcp)];
    assert!(matches!(
        validate(&r),
        Err(Error::InvalidPortMapping { .. })
    ));
}

#[test]
fn k3s_args_that_capstan_manages_are_refused() {
    let with = |server: &[&str], agent: &[&str]| {
        let mut r = req(1, 1);
        r.extra_server_args = server.iter().map(|s| (*s).to_owned()).collect();
        r.extra_agent_args = agent.iter().map(|s| (*s).to_owned()).collect();
        validate(&r)
    };
    assert!(with(
        &[
            "--disable=traefik",
            "--disable",
            "servicelb",
            "--tls-san=my.host"
        ],
        &["--node-label=a=b", "--kubelet-arg=max-pods=50"]
    )
    .is_ok());
    for bad in [
        "--token=abc",
        "-t",
        "--server=https://x:6443",
        "--cluster-init",
        "--node-name=n",
        "--write-kubeconfig=/tmp/k",
        "--https-listen-port=7443",
    ] {
        let e = with(&[bad], &[]).expect_err(bad);
        assert!(
            matches!(e, Error::InvalidK3sArg { role: "server", .. }),
            "{bad}: {e}"
        );
        assert!(e.to_string().contains("set by Capstan"), "{e}");
    }
    let e = with(&[], &["--server", "https://elsewhere:6443"]).expect_err("agent --server");
    assert!(
        matches!(e, Error::InvalidK3sArg { role: "agent", .. }),
        "{e}"
    );
    assert!(e.to_string().contains("`--server`"), "{e}");
    assert!(matches!(
        with(&[" "], &[]),
        Err(Error::InvalidK3sArg { .. })
    ));
}
