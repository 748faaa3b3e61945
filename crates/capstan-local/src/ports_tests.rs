use super::*;

fn parse(s: &str) -> Result<PortMapping, PortProblem> {
    s.parse()
}

#[test]
fn short_forms_bind_loopback_over_tcp() {
    assert_eq!(
        parse("8080:80"),
        Ok(PortMapping::loopback(8080, 80, Protocol::Tcp))
    );
    // One port: the same on both sides, as `docker run -p 8080` would not
    // (it picks a random host port) but k3d users expect.
    assert_eq!(
        parse("8443"),
        Ok(PortMapping::loopback(8443, 8443, Protocol::Tcp))
    );
    assert_eq!(
        parse(" 5353:53/udp "),
        Ok(PortMapping::loopback(5353, 53, Protocol::Udp))
    );
}

#[test]
fn an_explicit_address_opts_into_other_interfaces() {
    let m = parse("0.0.0.0:8080:80/tcp").expect("parses");
    assert_eq!(m.host_ip, "0.0.0.0");
    assert!(m.is_all_interfaces());
    assert!(!parse("8080:80").expect("parses").is_all_interfaces());
}

#[test]
fn bad_mappings_say_what_is_wrong() {
    assert_eq!(parse(""), Err(PortProblem::Syntax));
    assert_eq!(parse("8080:"), Err(PortProblem::Syntax));
    assert_eq!(parse("1:2:3:4"), Err(PortProblem::Syntax));
    assert_eq!(parse("0:80"), Err(PortProblem::BadPort("0".into())));
    assert_eq!(
        parse("8080:70000"),
        Err(PortProblem::BadPort("70000".into()))
    );
    assert_eq!(parse("+80:80"), Err(PortProblem::BadPort("+80".into())));
    assert_eq!(parse("http:80"), Err(PortProblem::BadPort("http".into())));
    assert_eq!(
        parse("8080:80/sctp"),
        Err(PortProblem::BadProtocol("sctp".into()))
    );
    assert_eq!(
        parse("localhost:8080:80"),
        Err(PortProblem::BadAddress("localhost".into()))
    );
    // k3d's node filters have no meaning here.
    assert_eq!(parse("8080:80@loadbalancer"), Err(PortProblem::NodeFilter));
    assert!(PortProblem::Syntax.to_string().contains("8080:80"));
}

#[test]
fn the_label_round_trips_the_full_form() {
    let ports = vec![
        PortMapping::loopback(8080, 80, Protocol::Tcp),
        parse("0.0.0.0:5353:53/udp").expect("parses"),
    ];
    let label = to_label(&ports);
    assert_eq!(label, "127.0.0.1:8080:80/tcp,0.0.0.0:5353:53/udp");
    assert_eq!(from_label(&label), ports);
    assert_eq!(from_label(""), Vec::<PortMapping>::new());
    // A hand-edited part is skipped, not fatal.
    assert_eq!(from_label("junk,127.0.0.1:8080:80/tcp"), ports[..1]);
}

#[test]
fn clashes_need_the_same_port_protocol_and_overlapping_address() {
    let a = PortMapping::loopback(8080, 80, Protocol::Tcp);
    assert!(a.clashes_with(&PortMapping::loopback(8080, 81, Protocol::Tcp)));
    assert!(!a.clashes_with(&PortMapping::loopback(8080, 80, Protocol::Udp)));
    assert!(!a.clashes_with(&PortMapping::loopback(8081, 80, Protocol::Tcp)));
    assert!(a.clashes_with(&parse("0.0.0.0:8080:80").expect("parses")));
    assert!(!a.clashes_with(&parse("127.0.0.2:8080:80").expect("parses")));
}

#[test]
fn a_port_in_use_cannot_be_bound() {
    let held = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let port = held.local_addr().expect("addr").port();
    let m = PortMapping::loopback(port, 80, Protocol::Tcp);
    assert!(bind_error(&m).is_some());
    drop(held);
    assert!(bind_error(&m).is_none());
}
