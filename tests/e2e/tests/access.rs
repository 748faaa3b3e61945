//! Permissions through the app window, as a ServiceAccount bound to a Role
//! that reads pods, deployments, services and configmaps in one namespace:
//! the sidebar dims Secrets (with why), opening it says "Not allowed" (never
//! "Cannot reach the cluster", never "listing…"), New secret is disabled,
//! and the Access view shows the matrix.
//! Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use capstan_e2e::{App, Launch};
use capstan_test_support::limited_user::READ_ONLY_RULES;
use capstan_test_support::{LimitedUser, TestNamespace};

const NS: &str = "e2e-access";

async fn attr(app: &App, css: &str, name: &str) -> Option<String> {
    app.wait_for(css)
        .await
        .attr(name)
        .await
        .unwrap_or_else(|e| panic!("attribute {name} of {css}: {e}"))
}

#[tokio::test]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn a_limited_user_sees_what_is_not_allowed() {
    let ns = TestNamespace::create(NS);
    let user = LimitedUser::create(&ns.name, "reader", READ_ONLY_RULES);
    let app = App::launch(
        "access",
        Launch {
            kubeconfig: Some(user.kubeconfig.display().to_string()),
        },
    )
    .await;
    app.click("[data-testid=context-item][data-current=true]")
        .await;

    // The sidebar dims Secrets, says why, and leaves Pods alone.
    let secrets = "[data-testid=nav-item][data-kind=Secret][data-denied=true]";
    app.wait_for(secrets).await;
    let why = attr(&app, secrets, "title").await.unwrap_or_default();
    assert!(why.contains("You may not list secrets"), "{why}");
    app.wait_for("[data-testid=nav-item][data-kind=Pod][data-denied=false]")
        .await;
    app.screenshot("sidebar-dimmed").await;

    // Still reachable: opening it says Not allowed, with the server's reason.
    app.click(secrets).await;
    let error = app
        .wait_for_text("[data-testid=view-error]", |t| t.contains("Not allowed"))
        .await;
    assert!(!error.contains("Cannot reach"), "{error}");
    assert!(error.contains("list secrets"), "{error}");
    assert!(error.contains(&format!("namespace \"{NS}\"")), "{error}");
    assert!(error.contains("forbidden"), "the server's reason: {error}");
    app.wait_for("[data-testid=view-status][data-state=notAllowed]")
        .await;
    let create = "[data-testid=secret-create-open]";
    app.wait_for(&format!("{create}[data-denied=true]")).await;
    assert!(
        attr(&app, create, "disabled").await.is_some(),
        "New secret must be disabled"
    );
    let reason = attr(&app, create, "title").await.unwrap_or_default();
    assert!(reason.contains("create secrets"), "{reason}");
    app.screenshot("secrets-not-allowed").await;

    // What is granted still lists.
    app.click("[data-testid=nav-item][data-kind=Pod]").await;
    app.wait_for("[data-testid=view-status][data-state=live]")
        .await;

    // The Access view: the matrix for this namespace.
    app.click("[data-testid=open-access]").await;
    app.wait_for("[data-testid=access-matrix]").await;
    app.wait_for("[data-testid=access-row][data-resource=secrets] [data-testid=access-cell][data-verb=list][data-state=denied]")
        .await;
    app.wait_for("[data-testid=access-row][data-resource=pods] [data-testid=access-cell][data-verb=list][data-state=allowed]")
        .await;
    app.wait_for("[data-testid=access-row][data-resource=pods] [data-testid=access-cell][data-verb=delete][data-state=denied]")
        .await;
    app.click(
        "[data-testid=access-row][data-resource=secrets] [data-testid=access-cell][data-verb=list]",
    )
    .await;
    app.wait_for("[data-testid=access-why-review][data-state=denied]")
        .await;
    app.screenshot("access-matrix").await;
    app.close().await;
}
