//! Which log events may carry secret values, so every subscriber can drop
//! them. kube-client logs whole response bodies when one fails to parse
//! (`warn!("{text}, {err}")` in `Client::request`: a whole Secret), the text
//! of every `Status` it receives at trace, and every error `Status` at debug
//! (its message can quote a submitted value). Its ERROR events carry only an
//! HTTP status or a connection error, so those stay.

use tracing::Level;

/// True when an event of `target` at `level` must not be written anywhere.
pub fn may_carry_secrets(target: &str, level: &Level) -> bool {
    let kube = target == "kube_client" || target.starts_with("kube_client::");
    kube && *level != Level::ERROR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_client_below_error_is_dropped() {
        assert!(may_carry_secrets("kube_client::client", &Level::WARN));
        assert!(may_carry_secrets("kube_client", &Level::TRACE));
        assert!(!may_carry_secrets(
            "kube_client::client::builder",
            &Level::ERROR
        ));
        assert!(!may_carry_secrets("kube_clientele", &Level::WARN));
        assert!(!may_carry_secrets("capstan_kube::secrets", &Level::DEBUG));
        assert!(!may_carry_secrets("hyper_util::client", &Level::TRACE));
    }
}
