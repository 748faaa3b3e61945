//! The admin client of the real test cluster, as the app builds it (through
//! the kubeconfig loader). Included by each `*_support` module with `#[path]`:
//! a directory, not a file, so cargo does not build it as a test binary.

use capstan_test_support::TestCluster;

/// A client for the test cluster's current context, and that context's name.
pub async fn client_and_context() -> (kube::Client, String) {
    capstan_kube::install_crypto_provider();
    let cluster = TestCluster::get();
    let loaded =
        capstan_kube::contexts::load_kubeconfig(&[cluster.kubeconfig_path().to_path_buf()])
            .expect("load kubeconfig");
    let context = loaded
        .merged
        .current_context
        .clone()
        .expect("current context");
    let client = capstan_kube::contexts::client(&loaded, &context)
        .await
        .expect("client");
    (client, context)
}
