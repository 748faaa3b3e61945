use k8s_openapi::api::authorization::v1::{ResourceRule, SubjectRulesReviewStatus};

use super::*;

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str], names: &[&str]) -> ResourceRule {
    let v = |s: &[&str]| s.iter().map(|x| (*x).to_string()).collect::<Vec<_>>();
    ResourceRule {
        api_groups: Some(v(groups)),
        resources: Some(v(resources)),
        verbs: v(verbs),
        resource_names: (!names.is_empty()).then(|| v(names)),
    }
}

fn review(rules: Vec<ResourceRule>, incomplete: bool) -> RulesReview {
    RulesReview::from_status(
        "web",
        SubjectRulesReviewStatus {
            evaluation_error: incomplete.then(|| "webhook said maybe".to_string()),
            incomplete,
            non_resource_rules: Vec::new(),
            resource_rules: rules,
        },
    )
}

#[test]
fn a_rule_grants_exactly_its_groups_resources_and_verbs() {
    let r = review(
        vec![
            rule(&[""], &["pods", "services"], &["get", "list"], &[]),
            rule(&["apps"], &["deployments"], &["*"], &[]),
        ],
        false,
    );
    assert!(r.decide("", "pods", None, "list").is_allowed());
    assert!(r.decide("apps", "deployments", None, "delete").is_allowed());
    assert!(!r.decide("", "pods", None, "delete").is_allowed());
    assert!(!r.decide("", "secrets", None, "list").is_allowed());
    // The same plural in another group is another resource.
    assert!(!r
        .decide("extensions", "deployments", None, "list")
        .is_allowed());
    // A subresource needs its own grant.
    let Decision::Denied { reason } = r.decide("", "pods", Some("exec"), "create") else {
        panic!("exec must be denied");
    };
    assert!(
        reason.contains("pods/exec") && reason.contains("namespace \"web\""),
        "{reason}"
    );
}

#[test]
fn wildcards_match_as_rbac_does() {
    let r = review(
        vec![
            rule(&["*"], &["*"], &["get"], &[]),
            rule(&[""], &["*/log"], &["get"], &[]),
        ],
        false,
    );
    assert!(r.decide("batch", "jobs", None, "get").is_allowed());
    assert!(r.decide("", "pods", Some("exec"), "get").is_allowed());
    assert!(!r.decide("", "pods", None, "list").is_allowed());
}

#[test]
fn named_objects_do_not_grant_the_kind() {
    let r = review(
        vec![rule(&[""], &["configmaps"], &["get"], &["app-config"])],
        false,
    );
    let Decision::Denied { reason } = r.decide("", "configmaps", None, "get") else {
        panic!("a name-limited rule must not grant the kind");
    };
    assert!(reason.contains("app-config"), "{reason}");
}

#[test]
fn an_incomplete_review_leaves_ungranted_cells_unknown() {
    let r = review(vec![rule(&[""], &["pods"], &["list"], &[])], true);
    assert!(r.decide("", "pods", None, "list").is_allowed());
    let Decision::Unknown { reason } = r.decide("", "secrets", None, "list") else {
        panic!("an incomplete review cannot deny");
    };
    assert!(
        reason.contains("incomplete") && reason.contains("webhook said maybe"),
        "{reason}"
    );
}

#[test]
fn without_the_api_every_cell_is_unknown() {
    let r = RulesReview::unsupported("web", "404: not found".into());
    assert!(matches!(
        r.decide("", "pods", None, "list"),
        Decision::Unknown { .. }
    ));
}

#[test]
fn pods_have_exec_and_port_forward_columns() {
    let pods: Vec<_> = columns_for("", "pods").into_iter().map(|c| c.0).collect();
    assert_eq!(
        pods,
        [
            "get",
            "list",
            "watch",
            "create",
            "update",
            "patch",
            "delete",
            "exec",
            "portforward"
        ]
    );
    assert_eq!(columns_for("apps", "pods").len(), MATRIX_VERBS.len());
}

#[test]
fn a_denial_names_verb_resource_and_namespace() {
    let status =
        kube::core::Status::failure("secrets is forbidden: User \"u\" cannot list", "Forbidden")
            .with_code(403);
    let e = kube::Error::Api(Box::new(status));
    let d = Denial::from_kube(&e, "list", "", "secrets", Some("web")).expect("a 403");
    assert_eq!(d.describe(), "list secrets in namespace \"web\"");
    assert!(d.reason.contains("forbidden"));
    let other = kube::Error::Api(Box::new(
        kube::core::Status::failure("gone", "NotFound").with_code(404),
    ));
    assert!(Denial::from_kube(&other, "list", "", "secrets", None).is_none());
}
