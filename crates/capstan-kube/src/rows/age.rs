//! Ages as kubectl prints them (apimachinery's `duration.HumanDuration`).

use jiff::{SignedDuration, Timestamp};

/// kubectl's `HumanDuration`: two significant units while the smaller one
/// still matters (`2m30s` under 10 minutes, `3h15m` under 8 hours, `5d4h`
/// under 8 days, `3y20d` under 8 years), one unit otherwise.
pub fn human_duration(d: SignedDuration) -> String {
    // Whole seconds, truncated toward zero as Go's int(d.Seconds()) does.
    let seconds = d.as_secs();
    // kubectl tolerates up to one second of clock skew as "now"; more than
    // that in the future is shown as invalid rather than hidden.
    if seconds < -1 {
        return "<invalid>".to_owned();
    }
    if seconds < 0 {
        return "0s".to_owned();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        return with_rest(minutes, "m", seconds % 60, "s");
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        return with_rest(hours, "h", minutes % 60, "m");
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if hours < 24 * 8 {
        return with_rest(days, "d", hours % 24, "h");
    }
    if hours < 24 * 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if hours < 24 * 365 * 8 {
        return with_rest(years, "y", days % 365, "d");
    }
    format!("{years}y")
}

/// `3m` rather than `3m0s` when the smaller unit is zero.
fn with_rest(big: i64, big_unit: &str, small: i64, small_unit: &str) -> String {
    if small == 0 {
        format!("{big}{big_unit}")
    } else {
        format!("{big}{big_unit}{small}{small_unit}")
    }
}

/// Age of a Unix-ms instant at `now`, as kubectl's AGE column shows it.
pub(crate) fn since(ms: i64, now: Timestamp) -> String {
    human_duration(SignedDuration::from_millis(
        now.as_millisecond().saturating_sub(ms),
    ))
}
