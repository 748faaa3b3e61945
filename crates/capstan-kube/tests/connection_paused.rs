//! A paused API server (process stopped, socket open) shows as a timeout.
//! In its own test binary: the pause would disturb tests running beside it.

use std::time::Duration;

use capstan_kube::contexts::{check_connection, load_kubeconfig, ConnectionState};
use capstan_test_support::TestCluster;

#[tokio::test]
async fn paused_server_is_a_timeout_not_a_hang() {
    capstan_kube::install_crypto_provider();
    let cluster = TestCluster::get();
    let loaded = load_kubeconfig(&[cluster.token_kubeconfig_path().to_path_buf()]).expect("load");
    let context = loaded
        .merged
        .current_context
        .clone()
        .expect("current context");

    // The script returns once the server is stopped (and resumes it by
    // itself after 60 s should this test die first).
    cluster
        .script(["pause-apiserver", "60"])
        .expect("pause the API server");
    let timeout = Duration::from_secs(2);
    let started = std::time::Instant::now();
    let got = check_connection(&loaded, &context, timeout).await;
    let took = started.elapsed();
    cluster
        .script(["resume-apiserver"])
        .expect("resume the API server");
    assert_eq!(got.state, ConnectionState::Timeout, "{got:?}");
    // A hang would last the 60 s of the pause; the margin is for a loaded
    // machine, not a performance figure.
    assert!(
        took < timeout + Duration::from_secs(10),
        "bounded by the timeout: {took:?}"
    );

    // And it recovers once the server runs again (a resumed server may take
    // a moment to answer again).
    capstan_test_support::eventually(Duration::from_secs(60), || async {
        let after = check_connection(&loaded, &context, Duration::from_secs(10)).await;
        if after.state == ConnectionState::Reachable {
            Ok(())
        } else {
            Err(after)
        }
    })
    .await
    .expect("reachable again");
}
