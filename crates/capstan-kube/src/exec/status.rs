//! The exec status channel's last word: an exit code, or a failure that
//! says why nothing ran.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;

use super::errors::Target;
use crate::Error;

/// What the session runs, so "executable not found" can say the right thing.
#[derive(Debug, Clone)]
pub(crate) enum Purpose {
    Shell,
    Command(String),
    Tar,
    Attach,
}

/// Exit code 0 for `Success`; the `ExitCode` cause of a `NonZeroExitCode`;
/// otherwise a typed error (no shell, no tar, command not found, other).
pub(crate) fn exit_code(status: &Status, purpose: &Purpose, target: &Target) -> Result<i32, Error> {
    if status.status.as_deref() == Some("Success") {
        return Ok(0);
    }
    if status.reason.as_deref() == Some("NonZeroExitCode") {
        let code = status
            .details
            .as_ref()
            .and_then(|d| d.causes.as_ref())
            .and_then(|causes| {
                causes
                    .iter()
                    .find(|c| c.reason.as_deref() == Some("ExitCode"))
            })
            .and_then(|c| c.message.as_deref())
            .and_then(|m| m.trim().parse::<i32>().ok());
        if let Some(code) = code {
            if code == 127 && matches!(purpose, Purpose::Tar) {
                return Err(no_tar(target));
            }
            return Ok(code);
        }
    }
    let message = status.message.clone().unwrap_or_default();
    if not_found(&message) {
        return Err(match purpose {
            Purpose::Shell => Error::NoShell {
                pod: target.pod.clone(),
                container: target.container.clone(),
            },
            Purpose::Tar => no_tar(target),
            Purpose::Command(command) => Error::CommandNotFound {
                container: target.container.clone(),
                command: command.clone(),
                detail: message,
            },
            Purpose::Attach => Error::ExecFailed {
                target: target.to_string(),
                detail: message,
            },
        });
    }
    Err(Error::ExecFailed {
        target: target.to_string(),
        detail: message,
    })
}

fn no_tar(target: &Target) -> Error {
    Error::NoTar {
        pod: target.pod.clone(),
        container: target.container.clone(),
    }
}

/// The runtime's words when the program to start is not in the image
/// (runc: `exec: "sh": executable file not found in $PATH`; an absolute
/// path: `no such file or directory`).
fn not_found(message: &str) -> bool {
    message.contains("executable file not found") || message.contains("no such file or directory")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(json: serde_json::Value) -> Status {
        serde_json::from_value(json).expect("status")
    }

    fn target() -> Target {
        Target::new("ns", "p", "c")
    }

    /// What the kubelet sends for `exit 3` (recorded from the test cluster).
    fn exit3() -> Status {
        status(serde_json::json!({
            "metadata": {}, "status": "Failure",
            "message": "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3",
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": "3"}]}
        }))
    }

    /// runc's failure when the program is missing (distroless image).
    fn missing(program: &str) -> Status {
        status(serde_json::json!({
            "metadata": {}, "status": "Failure",
            "message": format!("Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"x\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"{program}\": executable file not found in $PATH: unknown"),
            "reason": "InternalError",
            "code": 500
        }))
    }

    #[test]
    fn success_and_exit_codes() {
        let ok = status(serde_json::json!({"metadata": {}, "status": "Success"}));
        assert_eq!(exit_code(&ok, &Purpose::Shell, &target()).expect("ok"), 0);
        let three = exit_code(&exit3(), &Purpose::Command("sh".into()), &target());
        assert_eq!(three.expect("code"), 3);
    }

    #[test]
    fn a_missing_shell_offers_a_debug_container() {
        let e = exit_code(&missing("sh"), &Purpose::Shell, &target()).expect_err("no shell");
        assert!(matches!(e, Error::NoShell { .. }), "{e:?}");
        assert!(e.to_string().contains("capstan debug p --target c"), "{e}");
    }

    #[test]
    fn a_missing_tar_is_no_tar() {
        let e = exit_code(&missing("tar"), &Purpose::Tar, &target()).expect_err("no tar");
        assert!(matches!(e, Error::NoTar { .. }), "{e:?}");
        let mut s127 = exit3();
        if let Some(c) = s127.details.as_mut().and_then(|d| d.causes.as_mut()) {
            c[0].message = Some("127".into());
        }
        let e = exit_code(&s127, &Purpose::Tar, &target()).expect_err("127");
        assert!(matches!(e, Error::NoTar { .. }), "{e:?}");
    }

    #[test]
    fn a_missing_command_is_named() {
        let e = exit_code(
            &missing("htop"),
            &Purpose::Command("htop".into()),
            &target(),
        )
        .expect_err("missing");
        assert!(e.to_string().contains("\"htop\" was not found"), "{e}");
    }
}
