//! A secret value in memory, and the masking of `data`/`stringData` in YAML.

use secrecy::{ExposeSecret, SecretBox};

/// What a masked value shows in place of its content.
pub const MASK: &str = "••••••••";

/// Bytes of one secret value. Zeroed on drop (secrecy); Debug prints only
/// the size so the value cannot leak through `{:?}` or tracing fields.
pub struct SecretValue(SecretBox<Vec<u8>>);

impl SecretValue {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(SecretBox::new(Box::new(bytes)))
    }
    /// The bytes, for decoding or sending to the API; never log them.
    pub fn expose(&self) -> &[u8] {
        self.0.expose_secret()
    }
    pub fn len(&self) -> usize {
        self.expose().len()
    }
    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }
}

impl Clone for SecretValue {
    fn clone(&self) -> Self {
        Self::new(self.expose().to_vec())
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretValue({} bytes)", self.len())
    }
}

/// Masks every value under `data` and `stringData` of a Secret manifest
/// unless its key is in `revealed`. Values of revealed keys are kept as the
/// API returned them (base64 in `data`).
pub fn mask_manifest(obj: &mut serde_json::Value, revealed: &[String]) {
    for field in ["data", "stringData"] {
        if let Some(map) = obj.get_mut(field).and_then(|v| v.as_object_mut()) {
            for (k, v) in map.iter_mut() {
                if !revealed.iter().any(|r| r == k) {
                    *v = serde_json::Value::String(MASK.to_string());
                }
            }
        }
    }
    // kubectl's last-applied annotation carries the whole manifest, values included.
    if let Some(ann) = obj
        .pointer_mut("/metadata/annotations")
        .and_then(|v| v.as_object_mut())
    {
        if let Some(v) = ann.get_mut("kubectl.kubernetes.io/last-applied-configuration") {
            *v = serde_json::Value::String(MASK.to_string());
        }
    }
    if let Some(m) = obj
        .pointer_mut("/metadata/managedFields")
        .and_then(|v| v.as_array_mut())
    {
        m.clear();
    }
}

/// YAML of a Secret with values masked (see [`mask_manifest`]).
pub fn masked_yaml(obj: &serde_json::Value, revealed: &[String]) -> String {
    let mut copy = obj.clone();
    mask_manifest(&mut copy, revealed);
    serde_yaml::to_string(&copy).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_size_only() {
        let v = SecretValue::new(b"hunter2".to_vec());
        let s = format!("{v:?}");
        assert_eq!(s, "SecretValue(7 bytes)");
        assert!(!s.contains("hunter2"));
    }

    #[test]
    fn yaml_masks_unless_revealed() {
        let obj = serde_json::json!({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "x", "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"a\":\"c2VjcmV0\"}}"}},
            "data": {"a": "c2VjcmV0", "b": "b3RoZXI="},
            "stringData": {"c": "plain"}
        });
        let y = masked_yaml(&obj, &[]);
        assert!(!y.contains("c2VjcmV0") && !y.contains("b3RoZXI=") && !y.contains("plain"));
        assert!(y.contains(MASK));
        let y = masked_yaml(&obj, &["b".to_string()]);
        assert!(y.contains("b3RoZXI=") && !y.contains("c2VjcmV0"));
    }
}
