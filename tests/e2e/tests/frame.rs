//! The app frame and its first slice: the contexts of the user's kubeconfig.
//! Run by scripts/test.sh (`cargo test -p capstan-e2e -- --ignored`).

use capstan_e2e::{App, Launch};

const KUBECONFIG: &str = r#"apiVersion: v1
kind: Config
current-context: staging
clusters:
- name: c1
  cluster: {server: "https://127.0.0.1:1"}
contexts:
- name: dev-laptop
  context: {cluster: c1, user: u1}
- name: staging
  context: {cluster: c1, user: u1, namespace: web}
- name: prod-eu
  context: {cluster: c1, user: u1}
users:
- name: u1
  user: {token: not-a-real-token}
"#;

fn write_kubeconfig(dir: &tempfile::TempDir, name: &str, body: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, body).expect("write kubeconfig");
    path.display().to_string()
}

#[tokio::test]
#[ignore = "needs the built app; run by scripts/test.sh"]
async fn sidebar_lists_the_contexts_of_the_kubeconfig() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = write_kubeconfig(&dir, "config", KUBECONFIG);
    let app = App::launch(
        "contexts",
        Launch {
            kubeconfig: Some(kubeconfig),
        },
    )
    .await;

    app.wait_for("[data-testid=app-ready]").await;
    app.wait_for("[data-testid=context-list] [data-testid=context-item]")
        .await;
    let mut names = Vec::new();
    let mut current = Vec::new();
    for item in app.find_all("[data-testid=context-item]").await {
        let name = item
            .attr("data-context-name")
            .await
            .expect("attr")
            .expect("has a name");
        if item.attr("data-current").await.expect("attr").as_deref() == Some("true") {
            current.push(name.clone());
        }
        names.push(name);
    }
    assert_eq!(names, ["dev-laptop", "staging", "prod-eu"]);
    assert_eq!(current, ["staging"]);

    // The frame a Lens user expects is there too.
    let status = app
        .wait_for("[data-testid=status-bar]")
        .await
        .text()
        .await
        .expect("text");
    assert!(!status.is_empty());
    let shot = app.screenshot("frame").await;
    assert!(std::fs::metadata(&shot).expect("screenshot written").len() > 1000);
    app.close().await;
}

#[tokio::test]
#[ignore = "needs the built app; run by scripts/test.sh"]
async fn malformed_kubeconfig_shows_a_readable_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = write_kubeconfig(
        &dir,
        "broken-config",
        "apiVersion: v1\ncontexts:\n  - name: x\n   context: [\n",
    );
    let app = App::launch(
        "malformed",
        Launch {
            kubeconfig: Some(kubeconfig.clone()),
        },
    )
    .await;

    let error = app.wait_for("[data-testid=kubeconfig-error]").await;
    let text = error.text().await.expect("text");
    assert!(text.contains(&kubeconfig), "error names the file: {text}");
    assert!(text.contains("line"), "error gives the position: {text}");
    assert!(app.find_all("[data-testid=context-item]").await.is_empty());
    app.screenshot("error").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs the built app; run by scripts/test.sh"]
async fn no_kubeconfig_shows_where_it_looked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("does-not-exist").display().to_string();
    let app = App::launch(
        "empty",
        Launch {
            kubeconfig: Some(missing.clone()),
        },
    )
    .await;

    let empty = app.wait_for("[data-testid=kubeconfig-empty]").await;
    let text = empty.text().await.expect("text");
    assert!(
        text.contains(&missing),
        "empty state names the searched path: {text}"
    );
    app.screenshot("empty").await;
    app.close().await;
}
