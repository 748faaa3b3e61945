//! TLS parsing of generated certificates (rcgen): valid, expired, expiring,
//! malformed, and key/cert pair matching.

use capstan_kube::secrets::tls::{cert_info, check_pair, Expiry};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("test setup")
        .as_secs() as i64
}

fn cert(days_from: i64, days_to: i64) -> (String, String) {
    let mut p = rcgen::CertificateParams::new(vec!["app.example.com".into(), "10.0.0.7".into()])
        .expect("test setup");
    p.distinguished_name
        .push(rcgen::DnType::CommonName, "app.example.com");
    let t = time_at(days_from);
    p.not_before = t;
    p.not_after = time_at(days_to);
    let kp = rcgen::KeyPair::generate().expect("test setup");
    let c = p.self_signed(&kp).expect("test setup");
    (c.pem(), kp.serialize_pem())
}

fn time_at(days: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(now() + days * 86_400).expect("test setup")
}

#[test]
fn valid_cert_details() {
    let (c, _) = cert(-1, 365);
    let i = cert_info(c.as_bytes(), now()).expect("test setup");
    assert_eq!(i.expiry, Expiry::Valid);
    assert!(i.subject.contains("app.example.com"), "{}", i.subject);
    assert_eq!(i.subject, i.issuer, "self-signed");
    assert_eq!(i.sans, vec!["app.example.com", "10.0.0.7"]);
    assert!(i.not_before < now() && i.not_after > now());
}

#[test]
fn expired_and_expiring() {
    let (c, _) = cert(-30, -1);
    assert_eq!(
        cert_info(c.as_bytes(), now()).expect("test setup").expiry,
        Expiry::Expired
    );
    let (c, _) = cert(-30, 10);
    assert_eq!(
        cert_info(c.as_bytes(), now()).expect("test setup").expiry,
        Expiry::ExpiresSoon
    );
    let (c, _) = cert(5, 100);
    assert_eq!(
        cert_info(c.as_bytes(), now()).expect("test setup").expiry,
        Expiry::NotYetValid
    );
}

#[test]
fn malformed_cert_refused() {
    assert!(cert_info(b"hello", now()).is_err());
    let junk = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let e = cert_info(junk.as_bytes(), now())
        .expect_err("should be refused")
        .to_string();
    assert!(e.contains("certificate"), "{e}");
}

#[test]
fn key_pair_matching() {
    capstan_kube::install_crypto_provider();
    let (c1, k1) = cert(-1, 365);
    let (_, k2) = cert(-1, 365);
    check_pair(c1.as_bytes(), k1.as_bytes()).expect("test setup");
    let e = check_pair(c1.as_bytes(), k2.as_bytes())
        .expect_err("should be refused")
        .to_string();
    assert!(e.contains("does not match"), "{e}");
    assert!(!e.contains("PRIVATE KEY"));
    assert!(check_pair(c1.as_bytes(), b"nope").is_err());
}
