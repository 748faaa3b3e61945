//! Names and keys the API server would refuse, refused early with the rule.

use crate::Error;

/// DNS-1123 subdomain: what Kubernetes requires of a Secret's name.
pub fn secret_name(name: &str) -> Result<(), Error> {
    let rule = "a secret name must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit";
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "\"{name}\" is refused: {rule}"
        )))
    }
}

/// A data key: `[-._a-zA-Z0-9]+`, at most 253 characters, not "." or "..".
pub fn secret_key(key: &str) -> Result<(), Error> {
    let rule = "a secret key must be 1 to 253 characters of letters, digits, '-', '_' or '.' (and not \".\" or \"..\")";
    let ok = !key.is_empty()
        && key.len() <= 253
        && key != "."
        && key != ".."
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        // The key is a name, not a value: safe to quote.
        Err(Error::InvalidInput(format!(
            "key \"{key}\" is refused: {rule}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["a", "my-secret", "a.b-c.d", &"a".repeat(253)] {
            assert!(secret_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "A", "-a", "a-", "a..b", "a_b", &"a".repeat(254)] {
            let e = secret_name(bad).expect_err("should be refused").to_string();
            assert!(e.contains("DNS-1123"), "{e}");
        }
    }

    #[test]
    fn keys() {
        for ok in ["a", "tls.crt", ".dockerconfigjson", "A_b-9"] {
            assert!(secret_key(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "..", "a/b", "a b", &"k".repeat(254)] {
            let e = secret_key(bad).expect_err("should be refused").to_string();
            assert!(e.contains("letters, digits"), "{e}");
        }
    }
}
