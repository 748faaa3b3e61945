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

/// The places a Secret manifest shows values: each `data`/`stringData` entry
/// (with its key) and kubectl's last-applied annotation, which carries the
/// whole manifest (no key: never revealed on its own).
fn value_slots(obj: &mut serde_yaml::Value) -> Vec<(Option<String>, &mut serde_yaml::Value)> {
    let mut slots = Vec::new();
    let Some(m) = obj.as_mapping_mut() else {
        return slots;
    };
    for (field, body) in m.iter_mut() {
        match field.as_str() {
            Some("data" | "stringData") => {
                if let Some(values) = body.as_mapping_mut() {
                    slots.extend(
                        values
                            .iter_mut()
                            .map(|(k, v)| (k.as_str().map(str::to_owned), v)),
                    );
                }
            }
            Some("metadata") => {
                if let Some(a) = body
                    .get_mut("annotations")
                    .and_then(|a| a.get_mut("kubectl.kubernetes.io/last-applied-configuration"))
                {
                    slots.push((None, a));
                }
            }
            _ => {}
        }
    }
    slots
}

/// Masks every value of a Secret manifest unless its key is in `revealed`.
/// Values of revealed keys stay as the API returned them (base64 in `data`).
/// Works on a YAML value so the caller's key order survives.
pub fn mask_manifest(obj: &mut serde_yaml::Value, revealed: &[String]) {
    for (key, v) in value_slots(obj) {
        if !key.is_some_and(|k| revealed.contains(&k)) {
            *v = serde_yaml::Value::String(MASK.to_string());
        }
    }
}

/// True when a manifest still carries a masked value: saving it would write
/// the mask over the real value.
pub fn holds_mask(obj: &mut serde_yaml::Value) -> bool {
    value_slots(obj)
        .iter()
        .any(|(_, v)| v.as_str() == Some(MASK))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked_yaml(obj: &serde_json::Value, revealed: &[String]) -> String {
        let mut copy = serde_yaml::to_value(obj).expect("test fixture");
        mask_manifest(&mut copy, revealed);
        serde_yaml::to_string(&copy).expect("test fixture")
    }

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
