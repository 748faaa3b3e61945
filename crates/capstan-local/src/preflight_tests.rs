use super::*;

fn req(servers: u32, agents: u32) -> ClusterRequest {
    ClusterRequest {
        name: "dev".into(),
        image: "rancher/k3s:v1.31.4-k3s1".into(),
        servers,
        agents,
        api_port: 40123,
        extra_server_args: Vec::new(),
        extra_agent_args: Vec::new(),
        ports: Vec::new(),
        image_tarball: None,
        airgap_images: None,
        ..Default::default()
    }
}

const GIB: u64 = 1024 * 1024 * 1024;

fn healthy() -> Facts {
    Facts {
        engine_error: None,
        existing_clusters: vec!["other".into()],
        api_port_free: Some(true),
        taken_ports: Vec::new(),
        tarball_problem: None,
        mem_total_bytes: Some(16 * GIB),
        cgroup_version: Some("2".into()),
        inotify: Some((SUGGESTED_MAX_USER_WATCHES, SUGGESTED_MAX_USER_INSTANCES)),
        engine: Default::default(),
    }
}

fn checks(f: &[Finding]) -> Vec<(Check, Severity)> {
    f.iter().map(|f| (f.check, f.severity)).collect()
}

#[test]
fn a_healthy_engine_has_no_findings() {
    assert_eq!(evaluate(&req(3, 9), &healthy()), []);
}

#[test]
fn no_engine_is_the_only_finding() {
    let facts = Facts {
        engine_error: Some("connection refused".into()),
        ..healthy()
    };
    let f = evaluate(&req(1, 0), &facts);
    assert_eq!(checks(&f), [(Check::Engine, Severity::Blocking)]);
    assert!(f[0].message.contains("DOCKER_HOST"), "{}", f[0].message);
}

#[test]
fn a_taken_name_or_port_blocks() {
    let facts = Facts {
        existing_clusters: vec!["dev".into()],
        api_port_free: Some(false),
        ..healthy()
    };
    let f = evaluate(&req(1, 0), &facts);
    assert_eq!(
        checks(&f),
        [
            (Check::Name, Severity::Blocking),
            (Check::ApiPort, Severity::Blocking)
        ]
    );
    assert!(f[1].message.contains("40123"));
}

#[test]
fn memory_is_estimated_per_server_and_agent() {
    assert_eq!(estimated_mib(&req(1, 2)), 465 + 2 * 138);
    assert_eq!(estimated_mib(&req(3, 1)), 3 * 465 + 138);
    // 3 servers + 9 agents = 2637 MiB.
    let with = |mib: u64| Facts {
        mem_total_bytes: Some(mib * 1024 * 1024),
        ..healthy()
    };
    assert_eq!(
        checks(&evaluate(&req(3, 9), &with(2000))),
        [(Check::Memory, Severity::Blocking)]
    );
    // Fits, but leaves less than a quarter.
    assert_eq!(
        checks(&evaluate(&req(3, 9), &with(3000))),
        [(Check::Memory, Severity::Warning)]
    );
    assert_eq!(evaluate(&req(3, 9), &with(4000)), []);
}

#[test]
fn cgroup_v1_and_low_inotify_limits_only_warn() {
    let facts = Facts {
        cgroup_version: Some("1".into()),
        // Debian's defaults.
        inotify: Some((8192, 128)),
        ..healthy()
    };
    let f = evaluate(&req(1, 2), &facts);
    assert_eq!(
        checks(&f),
        [
            (Check::Cgroup, Severity::Warning),
            (Check::Inotify, Severity::Warning)
        ]
    );
    assert!(f[1]
        .message
        .contains("fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512"));
    // Either limit alone is enough to warn.
    let one_low = Facts {
        inotify: Some((SUGGESTED_MAX_USER_WATCHES, 128)),
        ..healthy()
    };
    assert_eq!(
        checks(&evaluate(&req(1, 0), &one_low)),
        [(Check::Inotify, Severity::Warning)]
    );
}

#[test]
fn unknown_facts_give_no_findings() {
    let facts = Facts {
        api_port_free: None,
        mem_total_bytes: None,
        cgroup_version: None,
        inotify: None,
        ..healthy()
    };
    assert_eq!(evaluate(&req(1, 0), &facts), []);
}

#[test]
fn a_taken_host_port_blocks_and_names_the_port() {
    let m: crate::PortMapping = "8080:80".parse().expect("mapping");
    let facts = Facts {
        taken_ports: vec![(m, "Address already in use".into())],
        ..healthy()
    };
    let f = evaluate(&req(1, 0), &facts);
    assert_eq!(checks(&f), [(Check::Ports, Severity::Blocking)]);
    assert!(
        f[0].message.contains("port 8080 on 127.0.0.1"),
        "{}",
        f[0].message
    );
    assert!(
        f[0].message.contains("choose another host port"),
        "{}",
        f[0].message
    );
}

#[test]
fn an_unreadable_image_tarball_blocks() {
    let mut r = req(1, 0);
    r.image_tarball = Some("/nowhere/k3s.tar".into());
    let facts = Facts {
        tarball_problem: Some("No such file or directory (os error 2)".into()),
        ..healthy()
    };
    let f = evaluate(&r, &facts);
    assert_eq!(checks(&f), [(Check::ImageTarball, Severity::Blocking)]);
    assert!(
        f[0].message.contains("/nowhere/k3s.tar"),
        "{}",
        f[0].message
    );
    assert!(f[0].message.contains("check the path"), "{}", f[0].message);
    // Without a tarball there is nothing to check.
    assert_eq!(evaluate(&req(1, 0), &facts), []);
}

#[test]
fn tarball_problems_are_found_on_disk() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(tarball_problem(&dir.path().join("missing.tar")).is_some());
    assert_eq!(tarball_problem(dir.path()).as_deref(), Some("not a file"));
    let file = dir.path().join("k3s.tar");
    std::fs::write(&file, b"x").expect("write");
    assert_eq!(tarball_problem(&file), None);
}
