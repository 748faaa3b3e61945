//! What the UI sends to edit or create a secret. Values arrive as text or as
//! base64 (file contents) and become [`SecretValue`]s at once; none of these
//! types derives Debug, so a value cannot be printed by accident.

use serde::Deserialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::decode::decode_b64;
use super::edit::{KeyChange, NewSecret};
use super::model::SecretValue;
use crate::Error;

/// A value typed in (text) or read from a file (base64 of its bytes).
#[derive(Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase", tag = "kind")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum ValueInput {
    Text { text: String },
    Base64 { base64: String },
}

impl ValueInput {
    fn into_value(self, what: &str) -> Result<SecretValue, Error> {
        match self {
            Self::Text { text } => Ok(SecretValue::new(text.into_bytes())),
            Self::Base64 { base64 } => decode_b64(&base64)
                .map(SecretValue::new)
                .ok_or_else(|| Error::InvalidInput(format!("{what} is not valid base64"))),
        }
    }
}

/// One change of an edit: set a key (new or existing) or remove one. A
/// rename is a remove plus a set, both visible to the user.
#[derive(Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase", tag = "op")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum KeyEdit {
    Set { key: String, value: ValueInput },
    Remove { key: String },
}

/// The changes of one edit, checked and decoded.
pub fn changes(edits: Vec<KeyEdit>) -> Result<Vec<KeyChange>, Error> {
    if edits.is_empty() {
        return Err(Error::InvalidInput("there is nothing to save".into()));
    }
    edits
        .into_iter()
        .map(|e| match e {
            KeyEdit::Set { key, value } => {
                let value = value.into_value(&format!("the value of \"{key}\""))?;
                Ok(KeyChange::Set { key, value })
            }
            KeyEdit::Remove { key } => Ok(KeyChange::Remove { key }),
        })
        .collect()
}

/// One key of a new Opaque secret.
#[derive(Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct NewEntry {
    pub key: String,
    pub value: ValueInput,
}

/// A new secret as the create dialog describes it.
#[derive(Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase", tag = "type")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum NewSecretInput {
    Opaque {
        entries: Vec<NewEntry>,
    },
    /// PEM files: `tls.crt` and `tls.key`.
    Tls {
        cert: ValueInput,
        key: ValueInput,
    },
    DockerRegistry {
        server: String,
        username: String,
        password: String,
        email: Option<String>,
    },
}

impl NewSecretInput {
    /// Decodes the values; [`super::edit::build`] checks names, keys and pairs.
    pub fn into_new_secret(self) -> Result<NewSecret, Error> {
        Ok(match self {
            Self::Opaque { entries } => NewSecret::Opaque {
                pairs: entries
                    .into_iter()
                    .map(|e| {
                        let v = e.value.into_value(&format!("the value of \"{}\"", e.key))?;
                        Ok((e.key, v))
                    })
                    .collect::<Result<_, Error>>()?,
            },
            Self::Tls { cert, key } => NewSecret::Tls {
                cert: cert.into_value("the certificate")?.expose().to_vec(),
                key: key.into_value("the private key")?,
            },
            Self::DockerRegistry {
                server,
                username,
                password,
                email,
            } => NewSecret::DockerRegistry {
                server,
                username,
                password: SecretValue::new(password.into_bytes()),
                email: email.filter(|e| !e.trim().is_empty()),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: serde::de::DeserializeOwned>(json: &str) -> T {
        serde_json::from_str(json).expect("test fixture")
    }

    #[test]
    fn edits_decode_text_and_base64() {
        let edits: Vec<KeyEdit> = parse(
            r#"[{"op":"set","key":"a","value":{"kind":"text","text":"hé"}},
                {"op":"set","key":"b","value":{"kind":"base64","base64":"AP8="}},
                {"op":"remove","key":"c"}]"#,
        );
        let c = changes(edits).expect("test fixture");
        assert!(
            matches!(&c[0], KeyChange::Set { key, value } if key == "a" && value.expose() == "hé".as_bytes())
        );
        assert!(
            matches!(&c[1], KeyChange::Set { key, value } if key == "b" && value.expose() == [0, 255])
        );
        assert!(matches!(&c[2], KeyChange::Remove { key } if key == "c"));
    }

    #[test]
    fn bad_base64_and_empty_edits_are_refused_without_the_value() {
        let edits: Vec<KeyEdit> =
            parse(r#"[{"op":"set","key":"a","value":{"kind":"base64","base64":"s3cr3t!!"}}]"#);
        let e = changes(edits)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("\"a\" is not valid base64"), "{e}");
        assert!(!e.contains("s3cr3t"), "{e}");
        assert!(changes(vec![]).is_err());
    }

    #[test]
    fn new_secrets_of_each_type() {
        let opaque: NewSecretInput = parse(
            r#"{"type":"opaque","entries":[{"key":"k","value":{"kind":"text","text":"v"}}]}"#,
        );
        let s =
            super::super::edit::build("ns", "n", opaque.into_new_secret().expect("test fixture"))
                .expect("test fixture");
        assert_eq!(s.type_.as_deref(), Some("Opaque"));
        let reg: NewSecretInput = parse(
            r#"{"type":"dockerRegistry","server":"r.io","username":"u","password":"p","email":""}"#,
        );
        let s = super::super::edit::build("ns", "n", reg.into_new_secret().expect("test fixture"))
            .expect("test fixture");
        assert_eq!(s.type_.as_deref(), Some("kubernetes.io/dockerconfigjson"));
        let tls: NewSecretInput = parse(
            r#"{"type":"tls","cert":{"kind":"text","text":"not a pem"},"key":{"kind":"text","text":"x"}}"#,
        );
        assert!(
            super::super::edit::build("ns", "n", tls.into_new_secret().expect("test fixture"))
                .is_err()
        );
    }
}
