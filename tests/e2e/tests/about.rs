//! About through the window: the version in the status bar opens it; it
//! names the build and the tested versions; "Copy diagnostics" shows what
//! was copied — the test cluster's contexts and their states, and not the
//! token of the kubeconfig's token user.
//! Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use capstan_e2e::{App, Launch};
use capstan_test_support::TestCluster;

#[tokio::test]
#[ignore = "needs the built app and the test cluster; run by scripts/test.sh"]
async fn about_names_the_build_and_copies_diagnostics_without_secrets() {
    let cluster = TestCluster::get();
    // Both test kubeconfigs: an admin with a client key, a user with a token.
    let kubeconfig =
        std::env::join_paths([cluster.kubeconfig_path(), cluster.token_kubeconfig_path()])
            .expect("KUBECONFIG");
    let token_text =
        std::fs::read_to_string(cluster.token_kubeconfig_path()).expect("token kubeconfig");
    let token = token_text
        .lines()
        .find_map(|l| l.trim().strip_prefix("token: "))
        .expect("a token line")
        .trim()
        .to_string();
    let app = App::launch(
        "about",
        Launch {
            kubeconfig: Some(kubeconfig.to_string_lossy().into_owned()),
        },
    )
    .await;
    app.click("[data-testid=status-version]").await;
    app.wait_for("[data-testid=about-dialog]").await;
    let version = app
        .wait_for_text("[data-testid=about-version]", |t| !t.is_empty())
        .await;
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    let tested = app.text("[data-testid=about-tested-with]").await;
    assert!(tested.contains("Kubernetes 1.35"), "{tested}");
    assert!(!app.text("[data-testid=about-commit]").await.is_empty());

    app.click("[data-testid=about-copy-diagnostics]").await;
    let text = capstan_test_support::eventually(capstan_e2e::UI_TIMEOUT, || async {
        let value = app
            .client
            .execute(
                "const e = document.querySelector('[data-testid=about-diagnostics]'); return e ? e.value : '';",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        let text = value.as_str().unwrap_or_default().to_string();
        if text.contains("Contexts:") {
            Ok(text)
        } else {
            Err(format!("no diagnostics yet: {text:?}"))
        }
    })
    .await
    .expect("diagnostics shown");
    app.screenshot("diagnostics").await;
    assert!(
        text.contains(&format!("Capstan {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains("capstan-token-user@capstan-test"), "{text}");
    assert!(text.contains(": reachable v1.35"), "{text}");
    assert!(
        !text.contains(&token),
        "the token is in the diagnostics:\n{text}"
    );
    app.close().await;
}
