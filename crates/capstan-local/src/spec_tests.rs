use super::*;

fn req(servers: u32, agents: u32) -> ClusterRequest {
    ClusterRequest {
        name: "dev".into(),
        image: "rancher/k3s:v1.31.4-k3s1".into(),
        servers,
        agents,
        api_port: 40123,
        extra_server_args: vec!["--disable=traefik".into()],
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
        assert_eq!(a.body.cmd.clone().unwrap_or_default(), ["agent"]);
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
        assert!(hc.binds.is_none(), "the real image gets no engine socket");
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
    let specs = node_specs(&req(3, 1), "t", EngineFacts::default());
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
