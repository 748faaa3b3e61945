//! Discovery and the Table format against the real Kubernetes test cluster.

mod table_support;

use capstan_kube::discovery::{discover_kinds, navigation, resolve_kind};
use capstan_kube::table::{fetch_table, fetch_table_page};
use table_support::{client, kind, NS};

#[tokio::test]
async fn discovery_finds_built_ins_and_the_crd_at_the_servers_versions() {
    let (client, context) = client().await;
    let kinds = discover_kinds(&client, &context).await.expect("discovery");
    let gv = |name: &str| {
        let k = resolve_kind(&kinds, name).unwrap_or_else(|e| panic!("{name}: {e}"));
        (k.group.clone(), k.version.clone(), k.namespaced)
    };
    assert_eq!(gv("pods"), ("".into(), "v1".into(), true));
    assert_eq!(gv("deployments"), ("apps".into(), "v1".into(), true));
    assert_eq!(gv("nodes"), ("".into(), "v1".into(), false));
    // CronJob at the version the server prefers for batch (older servers
    // serve it only at v1beta1: the unit tests in discovery cover that).
    let batch: serde_json::Value = serde_json::from_str(
        &capstan_test_support::TestCluster::get()
            .kubectl_ok(["get", "--raw", "/apis/batch"])
            .expect("kubectl get --raw /apis/batch"),
    )
    .expect("JSON");
    let preferred = batch["preferredVersion"]["version"]
        .as_str()
        .expect("preferredVersion");
    assert_eq!(gv("cronjobs"), ("batch".into(), preferred.into(), true));
    assert_eq!(gv("ingresses").0, "networking.k8s.io");
    assert_eq!(gv("widgets"), ("capstan.dev".into(), "v1".into(), true));
    // Short names as the server lists them, a CRD's included.
    assert_eq!(gv("sa"), ("".into(), "v1".into(), true));
    assert_eq!(gv("cj"), gv("cronjobs"));
    for short in ["sts", "netpol", "pdb", "hpa", "pvc"] {
        assert!(resolve_kind(&kinds, short).is_ok(), "{short}");
    }
    assert_eq!(gv("wdg"), ("capstan.dev".into(), "v1".into(), true));
    assert_eq!(gv("events").0, "");
    assert!(kinds.iter().all(|k| k.is_listable()));

    let nav = navigation(&kinds);
    let titles: Vec<&str> = nav.iter().map(|s| s.title.as_str()).collect();
    for want in [
        "Workloads",
        "Network",
        "Config",
        "Storage",
        "Cluster",
        "capstan.dev",
    ] {
        assert!(titles.contains(&want), "{want} not in {titles:?}");
    }
    let workloads = &nav[0];
    assert_eq!(workloads.title, "Workloads");
    assert!(workloads.kinds.iter().any(|k| k.kind == "CronJob"));
}

#[tokio::test]
async fn table_for_pods_has_kubectl_columns_and_metadata() {
    let (client, context) = client().await;
    let pods = kind(&client, &context, "pods").await;
    let table = fetch_table(&client, &context, &pods.api_resource(), Some(NS), 100)
        .await
        .expect("table");
    let names: Vec<&str> = table
        .column_definitions
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    for want in ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node"] {
        assert!(names.contains(&want), "{want} not in {names:?}");
    }
    assert!(!table.rows.is_empty());
    for row in &table.rows {
        assert_eq!(row.cells.len(), names.len());
        let meta = &row
            .object
            .as_ref()
            .expect("includeObject=Metadata")
            .metadata;
        assert!(meta.uid.is_some());
        assert_eq!(meta.namespace.as_deref(), Some(NS));
    }
}

#[tokio::test]
async fn table_for_the_crd_uses_its_printer_columns_and_pages() {
    let (client, context) = client().await;
    let widgets = kind(&client, &context, "widgets").await;
    let ar = widgets.api_resource();
    let table = fetch_table(&client, &context, &ar, Some(NS), 1)
        .await
        .expect("table");
    let names: Vec<&str> = table
        .column_definitions
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["Name", "Size", "Color", "Age"]);
    assert_eq!(table.column_definitions[1].column_type, "integer");
    let mut rows: Vec<(String, serde_json::Value)> = table
        .rows
        .iter()
        .map(|r| {
            (
                r.cells[0].as_str().unwrap_or("").to_string(),
                r.cells[1].clone(),
            )
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        rows,
        [
            ("big-blue".to_string(), serde_json::json!(42)),
            ("small-red".to_string(), serde_json::json!(1))
        ]
    );

    // One row per page: the first page says there is more.
    let first = fetch_table_page(&client, &context, &ar, Some(NS), 1, None)
        .await
        .expect("page");
    assert_eq!(first.rows.len(), 1);
    assert!(first.continue_token().is_some());
}
