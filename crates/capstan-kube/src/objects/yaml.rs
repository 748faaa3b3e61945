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
        .map_err(|e| Error::RequestBuild {
            what: format!("reading {}", r.name),
            detail: e.to_string(),
        })?;
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
    // Secret values never reach the YAML view: each becomes the mask.
    if is_secret(&value) {
        crate::secrets::model::mask_manifest(&mut value, &[]);
    }
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

/// A core `v1` Secret (the only kind whose values the YAML view hides).
pub(crate) fn is_secret(v: &Value) -> bool {
    v.get("kind").and_then(Value::as_str) == Some("Secret")
        && v.get("apiVersion").and_then(Value::as_str) == Some("v1")
}

/// True when an edited Secret still carries a masked value: applying it would
/// write the mask over the real value.
pub(crate) fn holds_masked_values(v: &mut Value) -> bool {
    is_secret(v) && crate::secrets::model::holds_mask(v)
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

    #[test]
    fn secret_values_are_masked_everywhere_they_show() {
        // "c2VjcmV0LXZhbHVl" is base64 of "secret-value".
        let json = r#"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s","resourceVersion":"3","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"data\":{\"k\":\"c2VjcmV0LXZhbHVl\"}}","keep":"me"}},"type":"Opaque","data":{"k":"c2VjcmV0LXZhbHVl","empty":""},"stringData":{"p":"secret-value"}}"#;
        let y = render(json).expect("test value");
        assert!(!y.yaml.contains("c2VjcmV0LXZhbHVl"), "{}", y.yaml);
        assert!(!y.yaml.contains("secret-value"), "{}", y.yaml);
        assert_eq!(
            y.yaml.matches(crate::secrets::MASK).count(),
            4,
            "{}",
            y.yaml
        );
        assert!(y.yaml.contains("keep: me") && y.yaml.contains("type: Opaque"));
        let mut back: Value = serde_yaml::from_str(&y.yaml).expect("test value");
        assert!(holds_masked_values(&mut back));
    }

    #[test]
    fn other_kinds_keep_their_data() {
        let json = r#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c"},"data":{"k":"plain"}}"#;
        let y = render(json).expect("test value");
        assert!(y.yaml.contains("k: plain"));
    }
}
