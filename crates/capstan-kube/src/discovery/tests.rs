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
fn find_kind_by_plural_kind_or_qualified_name() {
    let kinds = vec![
        kind("", "v1", "Pod", "pods"),
        kind("capstan.dev", "v1", "Widget", "widgets"),
    ];
    assert_eq!(find_kind(&kinds, "pods").map(|k| &*k.kind), Some("Pod"));
    assert_eq!(
        find_kind(&kinds, "Widget").map(|k| &*k.group),
        Some("capstan.dev")
    );
    assert!(find_kind(&kinds, "widgets.capstan.dev").is_some());
    assert!(find_kind(&kinds, "widgets.other.io").is_none());
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
