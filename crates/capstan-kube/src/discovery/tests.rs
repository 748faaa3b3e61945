use super::*;

fn kind(group: &str, version: &str, kind: &str, plural: &str) -> KindInfo {
    KindInfo {
        group: group.into(),
        version: version.into(),
        kind: kind.into(),
        plural: plural.into(),
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
