use super::*;

fn widgets() -> ApiResource {
    ApiResource {
        group: "capstan.dev".into(),
        version: "v1".into(),
        api_version: "capstan.dev/v1".into(),
        kind: "Widget".into(),
        plural: "widgets".into(),
    }
}

#[test]
fn request_asks_for_a_table_with_metadata_and_paging() {
    let req = table_request(&widgets(), Some("demo"), 50, Some("abc")).expect("request");
    let uri = req.uri().to_string();
    assert!(
        uri.starts_with("/apis/capstan.dev/v1/namespaces/demo/widgets?"),
        "{uri}"
    );
    assert!(
        uri.contains("limit=50") && uri.contains("continue=abc"),
        "{uri}"
    );
    assert!(uri.contains("includeObject=Metadata"), "{uri}");
    assert_eq!(req.headers()[http::header::ACCEPT], TABLE_ACCEPT);
}

#[test]
fn core_cluster_wide_path() {
    let pods = ApiResource {
        group: String::new(),
        version: "v1".into(),
        api_version: "v1".into(),
        kind: "Pod".into(),
        plural: "pods".into(),
    };
    assert_eq!(collection_path(&pods, None), "/api/v1/pods");
}

#[test]
fn parses_a_recorded_table() {
    let json = r#"{"kind":"Table","apiVersion":"meta.k8s.io/v1",
      "metadata":{"resourceVersion":"42","continue":"next"},
      "columnDefinitions":[
        {"name":"Name","type":"string","format":"name","description":"Name must be unique","priority":0},
        {"name":"Size","type":"integer","format":"","description":"","priority":0},
        {"name":"Age","type":"date","format":"","description":"","priority":1}],
      "rows":[{"cells":["big-blue",42,"3m"],
        "object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",
          "metadata":{"name":"big-blue","namespace":"demo","uid":"u-1"}}}]}"#;
    let page: TablePage = serde_json::from_str(json).expect("parse");
    assert_eq!(page.column_definitions.len(), 3);
    assert_eq!(page.column_definitions[1].column_type, "integer");
    assert_eq!(page.column_definitions[2].priority, 1);
    assert_eq!(page.rows[0].cells[1], serde_json::json!(42));
    let meta = &page.rows[0].object.as_ref().expect("object").metadata;
    assert_eq!(meta.uid.as_deref(), Some("u-1"));
    assert_eq!(page.continue_token(), Some("next"));
}
