use super::*;

fn kind(group: &str, version: &str, kind: &str, plural: &str) -> KindInfo {
    KindInfo {
        group: group.into(),
        version: version.into(),
        kind: kind.into(),
        plural: plural.into(),
        singular: String::new(),
        short_names: Vec::new(),
        namespaced: true,
        verbs: vec!["list".into(), "watch".into()],
    }
}

#[test]
fn navigation_puts_built_ins_in_sections_and_crds_by_group() {
    let kinds = vec![
        kind("", "v1", "Pod", "pods"),
        kind("batch", "v1beta1", "CronJob", "cronjobs"),
        kind("coordination.k8s.io", "v1", "Lease", "leases"),
        kind("capstan.dev", "v1", "Widget", "widgets"),
        kind("capstan.dev", "v1", "Gadget", "gadgets"),
        kind("example.com", "v2", "Thing", "things"),
    ];
    let nav = navigation(&kinds);
    let titles: Vec<&str> = nav.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Workloads", "capstan.dev", "example.com"]);
    let workloads: Vec<&str> = nav[0].kinds.iter().map(|k| k.kind.as_str()).collect();
    assert_eq!(workloads, ["Pod", "CronJob"]);
    assert_eq!(nav[0].kinds[1].version, "v1beta1");
    let capstan: Vec<&str> = nav[1].kinds.iter().map(|k| k.kind.as_str()).collect();
    assert_eq!(capstan, ["Gadget", "Widget"]);
    assert!(nav[1].custom && !nav[0].custom);
}

#[test]
fn api_resource_builds_api_version() {
    let core = kind("", "v1", "Pod", "pods").api_resource();
    assert_eq!(core.api_version, "v1");
    let apps = kind("apps", "v1", "Deployment", "deployments").api_resource();
    assert_eq!(apps.api_version, "apps/v1");
}

#[test]
fn only_list_and_watch_kinds_are_listable() {
    let mut k = kind("", "v1", "Binding", "bindings");
    k.verbs = vec!["create".into()];
    assert!(!k.is_listable());
}

/// Discovery as a 1.20 server serves it (constructed; see the file's note).
fn served_1_20() -> Vec<ServedGroup> {
    #[derive(serde::Deserialize)]
    struct Fixture {
        groups: Vec<ServedGroup>,
    }
    let text = include_str!("../../tests/fixtures/discovery/k8s-1.20.json");
    let fixture: Fixture = serde_json::from_str(text).expect("discovery fixture");
    fixture.groups
}

fn kinds_1_20() -> Vec<KindInfo> {
    kinds_from_discovery(&served_1_20())
}

#[test]
fn discovery_keeps_short_and_singular_names() {
    let kinds = kinds_1_20();
    let get = |group: &str, kind: &str| {
        kinds
            .iter()
            .find(|k| k.group == group && k.kind == kind)
            .unwrap_or_else(|| panic!("{group}/{kind} missing"))
    };
    assert_eq!(get("", "ServiceAccount").short_names, ["sa"]);
    assert_eq!(get("apps", "Deployment").short_names, ["deploy"]);
    assert_eq!(
        get("apiextensions.k8s.io", "CustomResourceDefinition").short_names,
        ["crd", "crds"]
    );
    assert!(get("", "Secret").short_names.is_empty());
    // Built-ins have no singularName on 1.20; a CRD has its own.
    assert_eq!(get("", "Pod").singular, "");
    let widget = get("capstan.dev", "Widget");
    assert_eq!(
        (widget.singular.as_str(), widget.short_names.as_slice()),
        ("widget", ["wdg".to_string()].as_slice())
    );
}

#[test]
fn discovery_picks_preferred_versions_and_listable_kinds() {
    let kinds = kinds_1_20();
    let at = |group: &str, kind: &str| {
        kinds
            .iter()
            .filter(|k| k.group == group && k.kind == kind)
            .map(|k| k.version.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(at("autoscaling", "HorizontalPodAutoscaler"), ["v1"]);
    assert_eq!(at("events.k8s.io", "Event"), ["v1"]);
    // Not at the preferred batch/v1: its most stable version instead.
    assert_eq!(at("batch", "CronJob"), ["v1beta1"]);
    // extensions' Ingress is the networking.k8s.io one under an old name.
    assert!(at("extensions", "Ingress").is_empty());
    assert_eq!(at("networking.k8s.io", "Ingress"), ["v1"]);
    // Bindings (create only) and componentstatuses (no watch) are not
    // listable; subresources (pods/log, widgets/status) are not kinds.
    assert!(at("", "Binding").is_empty() && at("", "ComponentStatus").is_empty());
    assert_eq!(kinds.iter().filter(|k| k.plural.contains('/')).count(), 0);
    assert_eq!(at("capstan.dev", "Widget"), ["v1"]);
    let mut sorted = kinds.clone();
    sorted.sort_by(|a, b| (&a.group, &a.kind).cmp(&(&b.group, &b.kind)));
    assert_eq!(kinds, sorted);
}

#[test]
fn discovery_without_a_preferred_version_takes_the_most_stable() {
    let mut groups = served_1_20();
    let autoscaling = groups
        .iter_mut()
        .find(|g| g.name == "autoscaling")
        .expect("autoscaling");
    autoscaling.preferred_version = None;
    autoscaling.resource_lists.reverse();
    let kinds = kinds_from_discovery(&groups);
    let hpa: Vec<&str> = kinds
        .iter()
        .filter(|k| k.kind == "HorizontalPodAutoscaler")
        .map(|k| k.version.as_str())
        .collect();
    assert_eq!(hpa, ["v1"]);
}

#[test]
fn kind_info_without_names_still_deserializes() {
    // What a UI built before short names sends back to open_view.
    let json = r#"{"group":"","version":"v1","kind":"Pod","plural":"pods","namespaced":true,"verbs":["list","watch"]}"#;
    let k: KindInfo = serde_json::from_str(json).expect("KindInfo");
    assert!(k.singular.is_empty() && k.short_names.is_empty());
}

/// (group, version, kind) of what `arg` resolves to.
fn resolved<'a>(kinds: &'a [KindInfo], arg: &str) -> Option<(&'a str, &'a str, &'a str)> {
    resolve_kind(kinds, arg)
        .ok()
        .map(|k| (k.group.as_str(), k.version.as_str(), k.kind.as_str()))
}

#[test]
fn resolve_takes_short_names_from_discovery() {
    let kinds = kinds_1_20();
    let find = |arg: &str| resolved(&kinds, arg);
    assert_eq!(find("sa"), Some(("", "v1", "ServiceAccount")));
    assert_eq!(find("po"), Some(("", "v1", "Pod")));
    assert_eq!(find("cj"), Some(("batch", "v1beta1", "CronJob")));
    assert_eq!(
        find("netpol"),
        Some(("networking.k8s.io", "v1", "NetworkPolicy"))
    );
    assert_eq!(
        find("pdb"),
        Some(("policy", "v1beta1", "PodDisruptionBudget"))
    );
    assert_eq!(
        find("hpa"),
        Some(("autoscaling", "v1", "HorizontalPodAutoscaler"))
    );
    assert_eq!(find("deploy"), Some(("apps", "v1", "Deployment")));
    assert_eq!(
        find("crds"),
        Some(("apiextensions.k8s.io", "v1", "CustomResourceDefinition"))
    );
    // A CRD's shortNames work the same way.
    assert_eq!(find("wdg"), Some(("capstan.dev", "v1", "Widget")));
    // Case does not matter, as kubectl lowercases the argument.
    assert_eq!(find("PO"), Some(("", "v1", "Pod")));
    // A short name with its group.
    assert_eq!(find("deploy.apps"), Some(("apps", "v1", "Deployment")));
    assert_eq!(find("deploy.batch"), None);
}

#[test]
fn resolve_takes_plural_singular_kind_and_qualified_forms() {
    let kinds = kinds_1_20();
    let find = |arg: &str| resolved(&kinds, arg);
    assert_eq!(find("deployments"), Some(("apps", "v1", "Deployment")));
    assert_eq!(find("DEPLOYMENTS"), Some(("apps", "v1", "Deployment")));
    assert_eq!(find("deployments.apps"), Some(("apps", "v1", "Deployment")));
    assert_eq!(
        find("deployment.v1.apps"),
        Some(("apps", "v1", "Deployment"))
    );
    assert_eq!(find("Deployment"), Some(("apps", "v1", "Deployment")));
    assert_eq!(find("Deployment.apps"), Some(("apps", "v1", "Deployment")));
    assert_eq!(
        find("Deployment.v1.apps"),
        Some(("apps", "v1", "Deployment"))
    );
    // Singular: the server gives none for built-ins on 1.20, so kubectl's
    // guess (the lowercased kind); a CRD's own singular.
    assert_eq!(find("pod"), Some(("", "v1", "Pod")));
    assert_eq!(find("widget"), Some(("capstan.dev", "v1", "Widget")));
    // A group with dots: `widgets.capstan.dev` is not version "capstan".
    assert_eq!(
        find("widgets.capstan.dev"),
        Some(("capstan.dev", "v1", "Widget"))
    );
    assert_eq!(
        find("widgets.v1.capstan.dev"),
        Some(("capstan.dev", "v1", "Widget"))
    );
    assert_eq!(
        find("cronjobs.v1beta1.batch"),
        Some(("batch", "v1beta1", "CronJob"))
    );
    // Only the version discovery picked is known.
    assert_eq!(find("cronjobs.v1.batch"), None);
    assert_eq!(find("widgets.other.io"), None);
}

#[test]
fn resolve_prefers_the_core_group_on_a_tie() {
    let kinds = kinds_1_20();
    let find = |arg: &str| resolved(&kinds, arg);
    // core/v1 and events.k8s.io/v1 both serve `events` (short name `ev`).
    assert_eq!(find("events"), Some(("", "v1", "Event")));
    assert_eq!(find("event"), Some(("", "v1", "Event")));
    assert_eq!(find("ev"), Some(("", "v1", "Event")));
    assert_eq!(find("Event"), Some(("", "v1", "Event")));
    assert_eq!(
        find("events.events.k8s.io"),
        Some(("events.k8s.io", "v1", "Event"))
    );
    assert_eq!(
        find("ev.events.k8s.io"),
        Some(("events.k8s.io", "v1", "Event"))
    );
}

fn named(group: &str, kind_name: &str, plural: &str, short: &[&str]) -> KindInfo {
    KindInfo {
        short_names: short.iter().map(|s| (*s).to_string()).collect(),
        ..kind(group, "v1", kind_name, plural)
    }
}

#[test]
fn resolves_short_names_singulars_and_groups() {
    // Built-ins win over a CRD reusing their names; the CRD stays reachable
    // by its group.
    let kinds = vec![
        named("acme.io", "NetworkPolicy", "networkpolicies", &["netpol"]),
        named("", "Event", "events", &["ev"]),
        named("", "Pod", "pods", &["po"]),
        named("apps", "Deployment", "deployments", &["deploy"]),
        named("events.k8s.io", "Event", "events", &["ev"]),
        named(
            "example.com",
            "Deployment",
            "deployments",
            &["deploy", "po"],
        ),
        named(
            "networking.k8s.io",
            "NetworkPolicy",
            "networkpolicies",
            &["netpol"],
        ),
    ];
    let find = |arg: &str| resolved(&kinds, arg).map(|(g, _, k)| (g, k));
    assert_eq!(find("po"), Some(("", "Pod")));
    assert_eq!(find("Pod"), Some(("", "Pod")));
    assert_eq!(find("deploy"), Some(("apps", "Deployment")));
    assert_eq!(find("deployments"), Some(("apps", "Deployment")));
    assert_eq!(
        find("deployments.example.com"),
        Some(("example.com", "Deployment"))
    );
    assert_eq!(find("po.example.com"), Some(("example.com", "Deployment")));
    assert_eq!(find("ev"), Some(("", "Event")));
    assert_eq!(
        find("events.events.k8s.io"),
        Some(("events.k8s.io", "Event"))
    );
    // acme.io sorts first, but Kubernetes' own groups rank above CRDs.
    assert_eq!(find("netpol"), Some(("networking.k8s.io", "NetworkPolicy")));
    assert_eq!(
        find("networkpolicies"),
        Some(("networking.k8s.io", "NetworkPolicy"))
    );
    assert_eq!(find("netpol.acme.io"), Some(("acme.io", "NetworkPolicy")));
    assert_eq!(find("svc"), None);
}

#[test]
fn resolve_prefers_a_full_name_to_a_short_name() {
    // kubectl expands a short name only when no resource has that name.
    let kinds = vec![
        named("", "Pod", "pods", &["po"]),
        named("example.com", "Po", "pos", &[]),
    ];
    let find = |arg: &str| resolved(&kinds, arg).map(|(g, _, k)| (g, k));
    assert_eq!(find("po"), Some(("example.com", "Po")));
    assert_eq!(find("pods"), Some(("", "Pod")));
}

#[test]
fn unknown_resource_type_names_near_ones() {
    let kinds = kinds_1_20();
    let error = |arg: &str| match resolve_kind(&kinds, arg) {
        Err(Error::UnknownResourceType { name, near }) => {
            assert_eq!(name, arg);
            near
        }
        other => panic!("{arg}: {other:?}"),
    };
    assert_eq!(error("sas"), ["sa", "sts"]);
    assert_eq!(error("deploymnets"), ["deployments"]);
    assert_eq!(error("widgets.other.io"), ["widgets.capstan.dev"]);
    assert_eq!(error("cronjobs.v1.batch"), ["cronjobs.v1beta1.batch"]);
    assert!(error("frobnicators").is_empty());
    let message = |arg: &str| {
        resolve_kind(&kinds, arg)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        message("sas"),
        "the server doesn't have a resource type \"sas\": did you mean sa, sts?"
    );
    let none_near = message("frobnicators");
    assert!(
        none_near.starts_with("the server doesn't have a resource type \"frobnicators\": check"),
        "{none_near}"
    );
}
