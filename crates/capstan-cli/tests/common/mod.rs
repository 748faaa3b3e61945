//! The `capstan` binary as the CLI tests run it: against the test cluster's
//! kubeconfig, with its own config dir and the file credential store.
//! Included with `mod common;` (a directory, so cargo does not build it as a test).

use std::process::{Command, Output};

use capstan_test_support::TestCluster;

/// `capstan ARGS`, ready to run; `dir` holds the app's config.
pub fn capstan_command(dir: &tempfile::TempDir, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_capstan"));
    c.args(args)
        .env("KUBECONFIG", TestCluster::get().kubeconfig_path())
        .env("CAPSTAN_CONFIG_DIR", dir.path().join("app"))
        .env("CAPSTAN_CREDENTIAL_STORE", "file")
        .env_remove("RUST_LOG");
    c
}

/// Runs `capstan ARGS` to the end.
#[allow(dead_code)] // not every test file runs it to the end
pub fn capstan(dir: &tempfile::TempDir, args: &[&str]) -> Output {
    capstan_command(dir, args).output().expect("run capstan")
}
