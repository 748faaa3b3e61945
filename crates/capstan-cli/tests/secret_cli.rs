//! `capstan secret` against the real cluster: masked by default, values only
//! when asked, creation of each type with local refusals.

use std::process::Output;

mod common;
use common::capstan;

use capstan_test_support::TestNamespace;

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn show_masks_unless_asked_and_create_each_type() {
    let _ns = TestNamespace::create("sec-cli");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("token.txt");
    std::fs::write(&file, "file-held-value").expect("write");

    let o = capstan(
        &dir,
        &[
            "secret",
            "create",
            "generic",
            "app",
            "-n",
            "sec-cli",
            "--from-literal",
            "password=cli-literal-value",
            "--from-file",
            file.to_str().expect("utf8"),
            "--from-file",
            &format!("other={}", file.display()),
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));

    let (out, _) = text(&capstan(&dir, &["secret", "show", "app", "-n", "sec-cli"]));
    assert!(out.contains("Type:       Opaque"), "{out}");
    assert!(out.contains("password: 17 bytes"), "{out}");
    assert!(
        out.contains("token.txt: 15 bytes") && out.contains("other: 15 bytes"),
        "{out}"
    );
    assert!(
        !out.contains("cli-literal-value") && !out.contains("file-held-value"),
        "{out}"
    );

    let (out, _) = text(&capstan(
        &dir,
        &[
            "secret", "show", "app", "-n", "sec-cli", "--reveal", "password",
        ],
    ));
    assert!(
        out.contains("cli-literal-value") && !out.contains("file-held-value"),
        "{out}"
    );
    let (out, _) = text(&capstan(
        &dir,
        &["secret", "show", "app", "-n", "sec-cli", "--reveal-all"],
    ));
    assert!(
        out.contains("cli-literal-value") && out.contains("file-held-value"),
        "{out}"
    );

    // TLS from rcgen files, then a mismatched key refused.
    let mk = || {
        let mut p = rcgen::CertificateParams::new(vec!["cli.example.com".into()]).expect("params");
        p.distinguished_name
            .push(rcgen::DnType::CommonName, "cli.example.com");
        let kp = rcgen::KeyPair::generate().expect("key");
        (p.self_signed(&kp).expect("cert").pem(), kp.serialize_pem())
    };
    let (cert, key) = mk();
    let (_, other) = mk();
    for (n, body) in [("c.pem", &cert), ("k.pem", &key), ("o.pem", &other)] {
        std::fs::write(dir.path().join(n), body).expect("write");
    }
    let p = |n: &str| dir.path().join(n).display().to_string();
    let o = capstan(
        &dir,
        &[
            "secret",
            "create",
            "tls",
            "web",
            "-n",
            "sec-cli",
            "--cert",
            &p("c.pem"),
            "--key",
            &p("k.pem"),
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    let (out, _) = text(&capstan(&dir, &["secret", "show", "web", "-n", "sec-cli"]));
    assert!(
        out.contains("Subject:") && out.contains("cli.example.com"),
        "{out}"
    );
    let o = capstan(
        &dir,
        &[
            "secret",
            "create",
            "tls",
            "web2",
            "-n",
            "sec-cli",
            "--cert",
            &p("c.pem"),
            "--key",
            &p("o.pem"),
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).1.contains("does not match"), "{:?}", text(&o));

    let o = capstan(
        &dir,
        &[
            "secret",
            "create",
            "docker-registry",
            "pull",
            "-n",
            "sec-cli",
            "--docker-server",
            "reg.example.com",
            "--docker-username",
            "bob",
            "--docker-password",
            "cli-registry-pass",
            "--docker-email",
            "bob@example.com",
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    let (out, _) = text(&capstan(&dir, &["secret", "show", "pull", "-n", "sec-cli"]));
    assert!(
        out.contains("Registry:   reg.example.com (user bob)"),
        "{out}"
    );
    assert!(!out.contains("cli-registry-pass"), "{out}");

    // Local refusals, with the rule and without the value.
    let o = capstan(
        &dir,
        &[
            "secret",
            "create",
            "generic",
            "Bad_Name",
            "-n",
            "sec-cli",
            "--from-literal",
            "k=v",
        ],
    );
    assert!(
        !o.status.success() && text(&o).1.contains("DNS-1123"),
        "{:?}",
        text(&o)
    );
    let o = capstan(
        &dir,
        &[
            "secret",
            "create",
            "generic",
            "ok",
            "-n",
            "sec-cli",
            "--from-literal",
            "bad key=refused-value",
        ],
    );
    let (_, err) = text(&o);
    assert!(
        !o.status.success() && err.contains("letters, digits"),
        "{err}"
    );
    assert!(!err.contains("refused-value"), "{err}");
    let o = capstan(&dir, &["secret", "show", "nope", "-n", "sec-cli"]);
    assert!(
        !o.status.success() && text(&o).1.contains("does not exist"),
        "{:?}",
        text(&o)
    );
}
