//! kube errors turned into messages that cannot carry a secret value: the
//! API server quotes submitted values in 422 messages ("Invalid value:
//! \"...\""), so only the code, reason and field paths are kept.

use crate::Error;

/// `err` from `action` on `namespace/name`, without the server's message.
pub(crate) fn sanitize(
    err: kube::Error,
    action: &'static str,
    namespace: &str,
    name: &str,
) -> Error {
    let detail = match &err {
        kube::Error::Api(status) => api_detail(status),
        // Connection-level errors carry no body.
        kube::Error::HyperError(_) | kube::Error::Service(_) | kube::Error::Auth(_) => {
            format!("the cluster could not be reached ({err})")
        }
        // A parse error can quote the body it failed on: say what, not where.
        _ => "the server's answer could not be read".to_string(),
    };
    let code = match &err {
        kube::Error::Api(status) => status.code,
        _ => 0,
    };
    Error::SecretRequest {
        code,
        action,
        namespace: namespace.to_string(),
        name: name.to_string(),
        detail,
    }
}

fn api_detail(status: &kube::core::Status) -> String {
    let reason = if status.reason.is_empty() {
        "Failure"
    } else {
        status.reason.as_str()
    };
    let what = match status.code {
        401 => "your credentials were not accepted".to_string(),
        403 => "your credentials are not allowed to do this".to_string(),
        404 => "it does not exist".to_string(),
        409 => "it already exists or was changed meanwhile".to_string(),
        422 => {
            let fields: Vec<String> = status
                .details
                .iter()
                .flat_map(|d| d.causes.iter())
                .map(|c| {
                    if c.field.is_empty() {
                        c.reason.clone()
                    } else {
                        format!("{} ({})", c.field, c.reason)
                    }
                })
                .collect();
            if fields.is_empty() {
                "the server refused it as invalid".to_string()
            } else {
                format!("the server refused it as invalid: {}", fields.join(", "))
            }
        }
        code => format!("the server answered {code}"),
    };
    format!("{what} [{reason}]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::core::response::{StatusCause, StatusDetails};
    use kube::core::Status;

    #[test]
    fn invalid_value_is_not_echoed() {
        let status = Status::failure(
            "Secret \"s\" is invalid: data[bad key]: Invalid value: \"hunter2-value\": a valid config key must consist of alphanumeric characters",
            "Invalid",
        )
        .with_code(422)
        .with_details(StatusDetails {
            causes: vec![StatusCause {
                reason: "FieldValueInvalid".into(),
                message: "Invalid value: \"hunter2-value\"".into(),
                field: "data[bad key]".into(),
            }],
            name: "s".into(),
            group: String::new(),
            kind: "secrets".into(),
            uid: String::new(),
            retry_after_seconds: 0,
        });
        let e = sanitize(kube::Error::Api(status.boxed()), "create", "ns", "s").to_string();
        assert!(!e.contains("hunter2"), "{e}");
        assert!(e.contains("data[bad key] (FieldValueInvalid)"), "{e}");
        assert!(e.contains("[Invalid]"), "{e}");
    }

    #[test]
    fn parse_errors_drop_the_body() {
        let bad = serde_json::from_str::<serde_json::Value>("{\"password\": hunter2}")
            .expect_err("invalid json");
        let e = sanitize(kube::Error::SerdeError(bad), "read", "ns", "s").to_string();
        assert!(!e.contains("hunter2"), "{e}");
    }
}
