//! Names and keys the API server would refuse, refused early with the rule.

use crate::{names, Error};

/// DNS-1123 subdomain: what Kubernetes requires of a Secret's name.
pub fn secret_name(name: &str) -> Result<(), Error> {
    if names::is_subdomain(name) {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "\"{name}\" is refused: a secret name must be {}",
            names::SUBDOMAIN_RULE
        )))
    }
}

/// A data key: `[-._a-zA-Z0-9]+`, at most 253 characters, not "." or "..".
pub fn secret_key(key: &str) -> Result<(), Error> {
    if names::is_data_key(key) {
        Ok(())
    } else {
        // The key is a name, not a value: safe to quote.
        Err(Error::InvalidInput(format!(
            "key \"{key}\" is refused: a secret key must be {}",
            names::KEY_RULE
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
