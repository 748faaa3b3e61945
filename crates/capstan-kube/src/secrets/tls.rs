//! `kubernetes.io/tls`: what the certificate says, and whether the key fits it.

use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;
use x509_parser::prelude::*;

use crate::Error;

/// Certificates expiring within this many days get a warning.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    pub sans: Vec<String>,
    /// Unix seconds.
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub not_before: i64,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub not_after: i64,
    pub expiry: Expiry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum Expiry {
    Valid,
    NotYetValid,
    ExpiresSoon,
    Expired,
}

fn bad(what: String) -> Error {
    Error::InvalidInput(format!("the certificate cannot be read: {what}"))
}

/// Reads the first certificate of a PEM `tls.crt`; `now` is Unix seconds.
pub fn cert_info(pem: &[u8], now: i64) -> Result<CertInfo, Error> {
    let (_, pem) = parse_x509_pem(pem).map_err(|_| bad("no PEM certificate found".into()))?;
    let cert = pem
        .parse_x509()
        .map_err(|e| bad(format!("not an X.509 certificate ({e})")))?;
    let mut sans = Vec::new();
    if let Ok(Some(ext)) = cert.subject_alternative_name() {
        for name in &ext.value.general_names {
            sans.push(match name {
                GeneralName::DNSName(d) => d.to_string(),
                GeneralName::IPAddress(ip) => ip_text(ip),
                GeneralName::RFC822Name(m) => m.to_string(),
                GeneralName::URI(u) => u.to_string(),
                other => other.to_string(),
            });
        }
    }
    let not_before = cert.validity().not_before.timestamp();
    let not_after = cert.validity().not_after.timestamp();
    let expiry = if now > not_after {
        Expiry::Expired
    } else if now < not_before {
        Expiry::NotYetValid
    } else if not_after - now <= EXPIRY_WARNING_DAYS * 86_400 {
        Expiry::ExpiresSoon
    } else {
        Expiry::Valid
    };
    Ok(CertInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        sans,
        not_before,
        not_after,
        expiry,
    })
}

fn ip_text(b: &[u8]) -> String {
    match b.len() {
        4 => std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string(),
        16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            std::net::Ipv6Addr::from(a).to_string()
        }
        _ => format!("{b:02x?}"),
    }
}

/// Checks that a PEM key belongs to a PEM certificate (same public key), so
/// a TLS secret is never created from a mismatched pair. Error messages never
/// quote the key.
pub fn check_pair(cert_pem: &[u8], key_pem: &[u8]) -> Result<(), Error> {
    use rustls::pki_types::{pem::PemObject, PrivateKeyDer};
    let (_, pem) = parse_x509_pem(cert_pem).map_err(|_| bad("no PEM certificate found".into()))?;
    let cert = pem
        .parse_x509()
        .map_err(|e| bad(format!("not an X.509 certificate ({e})")))?;
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|_| {
        Error::InvalidInput("the key file holds no PEM private key (PKCS#8, PKCS#1 or SEC1)".into())
    })?;
    let signer = rustls::crypto::ring::sign::any_supported_type(&key).map_err(|_| {
        Error::InvalidInput("the private key is of a type that cannot be used for TLS".into())
    })?;
    let spki = signer.public_key().ok_or_else(|| {
        Error::InvalidInput("the private key's public half cannot be derived".into())
    })?;
    if spki.as_ref() == cert.public_key().raw {
        Ok(())
    } else {
        Err(Error::InvalidInput(
            "the private key does not match the certificate: pick the key the certificate was issued for".into(),
        ))
    }
}
