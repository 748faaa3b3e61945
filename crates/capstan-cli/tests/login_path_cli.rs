//! Started with a desktop session's short PATH, `capstan` still finds an
//! exec credential plugin that only the user's login shell puts on PATH
//! (capstan_kube::login_path), runs it and connects with its credential.

use std::process::Command;

use capstan_test_support::TestCluster;

/// The token kubeconfig with its user's token replaced by an exec plugin
/// named without a path, and that plugin printing the token.
fn plugin_setup(home: &std::path::Path) -> std::path::PathBuf {
    let cluster = TestCluster::get();
    let text = std::fs::read_to_string(cluster.token_kubeconfig_path()).expect("token kubeconfig");
    let mut doc: serde_json::Value = serde_yaml::from_str(&text).expect("kubeconfig YAML");
    let token = doc["users"][0]["user"]["token"]
        .as_str()
        .expect("a token user")
        .to_string();
    doc["users"][0]["user"] = serde_json::json!({
        "exec": {
            "apiVersion": "client.authentication.k8s.io/v1",
            "command": "capstan-test-login-plugin",
            "interactionMode": "Never",
        }
    });
    let kubeconfig = home.join("kubeconfig");
    std::fs::write(&kubeconfig, serde_json::to_string(&doc).expect("json")).expect("kubeconfig");

    let bin = home.join("tools");
    std::fs::create_dir(&bin).expect("tools dir");
    let plugin = bin.join("capstan-test-login-plugin");
    let credential = serde_json::json!({
        "apiVersion": "client.authentication.k8s.io/v1",
        "kind": "ExecCredential",
        "status": { "token": token },
    });
    std::fs::write(
        &plugin,
        format!("#!/bin/sh\ncat <<'EOF'\n{credential}\nEOF\n"),
    )
    .expect("plugin");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    // Only the login shell's profile knows the tools directory.
    std::fs::write(
        home.join(".profile"),
        "PATH=\"$HOME/tools:$PATH\"\nexport PATH\n",
    )
    .expect("profile");
    kubeconfig
}

#[test]
fn an_exec_plugin_only_on_the_login_shells_path_is_found_and_run() {
    let home = tempfile::tempdir().expect("tempdir");
    let kubeconfig = plugin_setup(home.path());
    let out = Command::new(env!("CARGO_BIN_EXE_capstan"))
        .args(["contexts", "--json", "--timeout", "20"])
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .env("SHELL", "/bin/sh")
        .env("KUBECONFIG", &kubeconfig)
        .env("CAPSTAN_CONFIG_DIR", home.path().join("app"))
        .env("CAPSTAN_CREDENTIAL_STORE", "file")
        .output()
        .expect("run capstan");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let check = &value["connections"][0];
    assert_eq!(check["state"], "reachable", "{stdout}");
}
