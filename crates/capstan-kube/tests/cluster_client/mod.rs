//! The admin client of the real test cluster, as the app builds it (through
//! the kubeconfig loader). Included by each `*_support` module with `#[path]`:
//! a directory, not a file, so cargo does not build it as a test binary.

use capstan_test_support::TestCluster;

/// The test cluster's kubeconfig as the app loads it, and its current context.
pub fn loaded_and_context() -> (capstan_kube::contexts::LoadedKubeconfig, String) {
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
    (loaded, context)
}

/// A client for the test cluster's current context, and that context's name.
pub async fn client_and_context() -> (kube::Client, String) {
    let (loaded, context) = loaded_and_context();
    let client = capstan_kube::contexts::client(&loaded, &context)
        .await
        .expect("client");
    (client, context)
}

/// A client like [`client_and_context`]'s that counts the requests whose
/// path ends with `path_end`: a test can wait for the code under test to
/// have asked the server something, rather than sleep and hope it did.
pub async fn counting_client(
    path_end: &'static str,
) -> (kube::Client, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    let (loaded, context) = loaded_and_context();
    let config = capstan_kube::contexts::client_config(&loaded, &context)
        .await
        .expect("client config");
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    let layer = tower::util::MapRequestLayer::new(move |req: http::Request<kube::client::Body>| {
        if req.uri().path().ends_with(path_end) {
            counted.fetch_add(1, Ordering::SeqCst);
        }
        req
    });
    let client = kube::client::ClientBuilder::try_from(config)
        .expect("client builder")
        .with_layer(&layer)
        .build();
    (client, count)
}

/// A client like [`client_and_context`]'s whose WebSocket upgrades offer
/// only `protocol` (e.g. `v4.channel.k8s.io`, all a server before 1.30
/// speaks), with the subprotocol the server chose kept from each upgrade's
/// answer. kube sets the header itself in `Client::connect`; a layer under
/// it may still rewrite the request, as any middleware may.
pub async fn websocket_protocol_client(
    protocol: &'static str,
) -> (kube::Client, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::sync::{Arc, Mutex};

    let (loaded, context) = loaded_and_context();
    let config = capstan_kube::contexts::client_config(&loaded, &context)
        .await
        .expect("client config");
    let offer =
        tower::util::MapRequestLayer::new(move |mut req: http::Request<kube::client::Body>| {
            let headers = req.headers_mut();
            if headers.contains_key(http::header::SEC_WEBSOCKET_PROTOCOL) {
                headers.insert(
                    http::header::SEC_WEBSOCKET_PROTOCOL,
                    http::HeaderValue::from_static(protocol),
                );
            }
            req
        });
    let chosen = Arc::new(Mutex::new(Vec::new()));
    let seen = chosen.clone();
    let answer = tower::util::MapResponseLayer::new(
        move |res: http::Response<Box<kube::client::DynBody>>| {
            if let Some(p) = res.headers().get(http::header::SEC_WEBSOCKET_PROTOCOL) {
                seen.lock()
                    .expect("lock")
                    .push(p.to_str().unwrap_or_default().to_string());
            }
            res
        },
    );
    let client = kube::client::ClientBuilder::try_from(config)
        .expect("client builder")
        .with_layer(&answer)
        .with_layer(&offer)
        .build();
    (client, chosen)
}
