//! The first shell found in a container: bash, else sh.

/// One exec that picks the shell inside the container: `bash` when the image
/// has it, else `sh`. When neither exists the runtime's "executable file not
/// found" for `sh` becomes [`crate::Error::NoShell`].
pub const FIRST_SHELL: &str = "command -v bash >/dev/null 2>&1 && exec bash || exec sh";

pub(crate) fn first_shell_command() -> Vec<String> {
    vec!["sh".to_string(), "-c".to_string(), FIRST_SHELL.to_string()]
}
