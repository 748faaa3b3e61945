//! Access reviews on the real cluster, as a ServiceAccount bound to a Role
//! that reads pods, deployments, services and configmaps in one namespace:
//! the matrix marks exactly those, matches `kubectl auth can-i --list`, and
//! a forbidden list is "not allowed" (an error now, a terminal view status).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use capstan_kube::access::{columns_for, AccessCache, AccessQuery, Decision};
use capstan_kube::discovery::{discover_kinds, navigation, KindInfo};
use capstan_kube::table::{
    check_listable, open_live_view, LiveSink, LiveSpec, ViewEvent, ViewStatus,
};
use capstan_kube::Error;
use capstan_test_support::limited_user::READ_ONLY_RULES;
use capstan_test_support::{eventually, holds, LimitedUser, TestNamespace};

const NS: &str = "capstan-access-rules";

async fn limited_client(user: &LimitedUser) -> kube::Client {
    capstan_kube::install_crypto_provider();
    let loaded = capstan_kube::contexts::load_kubeconfig(std::slice::from_ref(&user.kubeconfig))
        .expect("load");
    capstan_kube::contexts::client(&loaded, &user.context)
        .await
        .expect("client")
}

/// The sidebar's kinds, as the limited user's discovery gives them.
async fn nav_kinds(client: &kube::Client, context: &str) -> Vec<KindInfo> {
    let kinds = discover_kinds(client, context).await.expect("discovery");
    navigation(&kinds)
        .into_iter()
        .flat_map(|s| s.kinds)
        .collect()
}

/// One line of `kubectl auth can-i --list`: resource (plural[.group]),
/// resource names, verbs.
struct CanI {
    resource: String,
    names_empty: bool,
    verbs: Vec<String>,
}

fn parse_can_i(text: &str) -> Vec<CanI> {
    let mut lines = text.lines();
    let header = lines.next().expect("a header line");
    let col = |name: &str| {
        header
            .find(name)
            .unwrap_or_else(|| panic!("column {name} in {header}"))
    };
    let (urls, names, verbs) = (
        col("Non-Resource URLs"),
        col("Resource Names"),
        col("Verbs"),
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let field = |from: usize, to: usize| {
                l.get(from..to.min(l.len()))
                    .unwrap_or("")
                    .trim()
                    .to_string()
            };
            let verbs_text = field(verbs, l.len());
            CanI {
                resource: field(0, urls),
                names_empty: field(names, verbs) == "[]",
                verbs: verbs_text
                    .trim_matches(['[', ']'])
                    .split_whitespace()
                    .map(str::to_string)
                    .collect(),
            }
        })
        .filter(|c| !c.resource.is_empty())
        .collect()
}

/// kubectl's answer for one cell: a line naming the resource (or `*`),
/// for every object, with the verb (or `*`).
fn kubectl_allows(lines: &[CanI], group: &str, resource: &str, verb: &str) -> bool {
    let full = if group.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    };
    let star_group = if group.is_empty() {
        "*".to_string()
    } else {
        format!("*.{group}")
    };
    lines.iter().any(|c| {
        (c.resource == full || c.resource == "*.*" || c.resource == "*" || c.resource == star_group)
            && c.names_empty
            && c.verbs.iter().any(|v| v == verb || v == "*")
    })
}

#[tokio::test]
async fn the_matrix_marks_exactly_the_granted_kinds_and_matches_kubectl() {
    let ns = TestNamespace::create(NS);
    let user = LimitedUser::create(&ns.name, "reader", READ_ONLY_RULES);
    let client = limited_client(&user).await;
    let kinds = nav_kinds(&client, &user.context).await;
    assert!(
        kinds.iter().any(|k| k.plural == "secrets"),
        "secrets in the sidebar"
    );

    let cache = AccessCache::default();
    let matrix = cache
        .matrix(&client, &user.context, Some(&ns.name), &kinds)
        .await
        .expect("matrix");
    assert!(matrix.supported && !matrix.incomplete, "{matrix:?}");

    let granted: BTreeSet<(String, String)> = [
        ("", "pods"),
        ("", "services"),
        ("", "configmaps"),
        ("apps", "deployments"),
    ]
    .iter()
    .flat_map(|(g, r)| ["get", "list", "watch"].map(|v| (format!("{g}/{r}"), v.to_string())))
    .collect();
    let mut allowed = BTreeSet::new();
    for kind in &matrix.kinds {
        for cell in &kind.verbs {
            match &cell.decision {
                Decision::Allowed { .. } => {
                    allowed.insert((format!("{}/{}", kind.group, kind.plural), cell.verb.clone()));
                }
                Decision::Denied { reason } => {
                    assert!(!reason.is_empty(), "a reason for {}", kind.plural)
                }
                Decision::Unknown { reason } => {
                    panic!("{} {} unknown: {reason}", kind.plural, cell.verb)
                }
            }
        }
    }
    assert_eq!(allowed, granted);

    // The same user through kubectl.
    let listed = user
        .kubectl_ok(["auth", "can-i", "--list", "-n", &ns.name])
        .expect("kubectl auth can-i --list");
    let lines = parse_can_i(&listed);
    assert!(!lines.is_empty(), "kubectl listed nothing: {listed}");
    for kind in &matrix.kinds {
        for (column, verb, sub) in columns_for(&kind.group, &kind.plural) {
            let resource = match sub {
                Some(s) => format!("{}/{s}", kind.plural),
                None => kind.plural.clone(),
            };
            let ours = kind
                .verbs
                .iter()
                .find(|c| c.verb == column)
                .map(|c| c.decision.is_allowed())
                .expect("every column");
            assert_eq!(
                ours,
                kubectl_allows(&lines, &kind.group, &resource, verb),
                "{resource}.{} {verb}: ours {ours}, kubectl:\n{listed}",
                kind.group
            );
        }
    }

    // Single checks: the authorizer's own answer, with its reason.
    let q = |resource: &str, verb: &str| AccessQuery {
        group: String::new(),
        resource: resource.into(),
        subresource: None,
        verb: verb.into(),
        namespace: Some(ns.name.clone()),
    };
    let answers = cache
        .check(
            &client,
            &user.context,
            &[q("pods", "list"), q("secrets", "list")],
        )
        .await
        .expect("checks");
    let Decision::Allowed { reason } = &answers[0] else {
        panic!("pods: {:?}", answers[0])
    };
    assert!(reason.contains("RoleBinding"), "{reason}");
    assert!(
        matches!(answers[1], Decision::Denied { .. }),
        "{:?}",
        answers[1]
    );

    // All namespaces: a Role in one namespace grants nothing cluster-wide.
    let wide = cache
        .matrix(&client, &user.context, None, &kinds)
        .await
        .expect("matrix for all namespaces");
    let pods = wide
        .kinds
        .iter()
        .find(|k| k.plural == "pods")
        .expect("pods");
    let list = pods.verbs.iter().find(|c| c.verb == "list").expect("list");
    assert!(
        matches!(list.decision, Decision::Denied { .. }),
        "{:?}",
        list.decision
    );
}

#[derive(Default)]
struct Statuses(Mutex<Vec<ViewStatus>>);

impl LiveSink for Statuses {
    fn send(&self, event: ViewEvent) -> bool {
        if let ViewEvent::Status { status } = event {
            self.0.lock().expect("statuses").push(status);
        }
        true
    }
}

#[tokio::test]
async fn a_forbidden_list_is_not_allowed_and_the_view_ends() {
    let ns = TestNamespace::create("capstan-access-denied");
    let user = LimitedUser::create(&ns.name, "reader", READ_ONLY_RULES);
    let client = limited_client(&user).await;
    let kinds = nav_kinds(&client, &user.context).await;
    let secrets = kinds
        .iter()
        .find(|k| k.plural == "secrets")
        .expect("secrets")
        .clone();
    let spec = LiveSpec {
        kind: secrets,
        namespaces: vec![ns.name.clone()],
        label_selector: None,
    };
    match check_listable(&client, &user.context, &spec).await {
        Err(Error::NotAllowed { denial, .. }) => {
            assert_eq!(
                (denial.verb.as_str(), denial.resource.as_str()),
                ("list", "secrets")
            );
            assert_eq!(denial.namespace.as_deref(), Some(ns.name.as_str()));
            assert!(denial.reason.contains("forbidden"), "{}", denial.reason);
        }
        other => panic!("expected NotAllowed, got {other:?}"),
    }
    let err = check_listable(&client, &user.context, &spec)
        .await
        .expect_err("forbidden");
    assert!(err.to_string().starts_with("not allowed"), "{err}");

    // Opened anyway (permissions can change between check and watch): the
    // view ends in NotAllowed instead of listing or reconnecting forever.
    let sink = Arc::new(Statuses::default());
    let cache = Arc::new(AccessCache::default());
    let view = open_live_view(
        client.clone(),
        &user.context,
        spec,
        cache.forbidden_aware(&user.context, sink.clone()),
    );
    eventually(Duration::from_secs(30), || {
        let last = sink.0.lock().expect("statuses").last().cloned();
        async move {
            holds(
                matches!(&last, Some(ViewStatus::NotAllowed { denial }) if denial.resource == "secrets"),
                &format!("a NotAllowed status (last: {last:?})"),
            )
        }
    })
    .await
    .expect("the view ends as not allowed");
    // Terminal: nothing after it (the watch task has returned).
    let seen = sink.0.lock().expect("statuses").clone();
    assert!(
        !seen
            .iter()
            .skip_while(|s| !matches!(s, ViewStatus::NotAllowed { .. }))
            .skip(1)
            .any(|_| true),
        "statuses after NotAllowed: {seen:?}"
    );
    drop(view);
}
