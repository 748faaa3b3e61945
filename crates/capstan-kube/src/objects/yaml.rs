//! The object as YAML for the editor, keys in the order the server sent
//! them, with `metadata.managedFields` split out so the UI can fold it.

use kube::api::GetParams;
use serde_yaml::{Mapping, Value};

use super::common::{api, describe, map_err};
use super::{ObjectRef, ObjectYaml};
use crate::Error;

/// Fetches the object and renders it as YAML.
pub async fn yaml(
    client: &kube::Client,
    context: &str,
    r: &ObjectRef,
) -> Result<ObjectYaml, Error> {
    let text = get_raw(client, context, r).await?;
    render(&text).map_err(|detail| Error::ClusterRequest {
        context: context.to_string(),
        action: "read the object",
        detail,
    })
}

/// GET the object as the server's JSON text. Parsed into a YAML value
/// (JSON is YAML), the key order survives, unlike through serde_json.
pub(crate) async fn get_raw(
    client: &kube::Client,
    context: &str,
    r: &ObjectRef,
) -> Result<String, Error> {
    let api = api(client, r);
    let req = kube::core::Request::new(api.resource_url())
        .get(&r.name, &GetParams::default())
        .map_err(|e| Error::InvalidInput(format!("cannot build the request: {e}")))?;
    client
        .request_text(req)
        .await
        .map_err(|e| map_err(context, "get", &describe(r), e))
}

/// Server JSON → [`ObjectYaml`].
pub(crate) fn render(json_text: &str) -> Result<ObjectYaml, String> {
    let mut value: Value = serde_yaml::from_str(json_text).map_err(|e| e.to_string())?;
    let resource_version = value
        .get("metadata")
        .and_then(|m| m.get("resourceVersion"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let managed = value
        .get_mut("metadata")
        .and_then(Value::as_mapping_mut)
        .and_then(|m: &mut Mapping| m.remove("managedFields"));
    let managed_fields = match managed {
        Some(Value::Sequence(s)) if !s.is_empty() => {
            Some(serde_yaml::to_string(&s).map_err(|e| e.to_string())?)
        }
        _ => None,
    };
    Ok(ObjectYaml {
        yaml: serde_yaml::to_string(&value).map_err(|e| e.to_string())?,
        managed_fields,
        resource_version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managed_fields_are_split_out_and_key_order_kept() {
        let json = r#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"7","managedFields":[{"manager":"kubectl"}]},"data":{"z":"1","a":"2"}}"#;
        let y = render(json).expect("test value");
        assert_eq!(y.resource_version, "7");
        assert!(!y.yaml.contains("managedFields"));
        assert!(
            y.yaml.find("kind:").expect("test value")
                < y.yaml.find("apiVersion:").expect("test value")
        );
        assert!(
            y.yaml.find("z:").expect("test value") < y.yaml.find("a: '2'").expect("test value")
        );
        assert!(y
            .managed_fields
            .expect("test value")
            .contains("manager: kubectl"));
    }
}
