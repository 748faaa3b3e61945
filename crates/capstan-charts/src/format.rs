//! Numbers and times as the axes and the readout print them, and the grid
//! spacers that put ticks on round values of each unit. egui_plot draws the
//! ticks; these only say where and how they read.

use egui_plot::{GridInput, GridMark};
use jiff::{tz::TimeZone, Timestamp};

use crate::spec::Unit;

/// egui_plot's grid spacer shape (its own alias is not exported).
pub type GridSpacer = Box<dyn Fn(GridInput) -> Vec<GridMark>>;

/// A value in `unit`, short enough for a tick label.
pub fn value(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Cores => cores(v),
        Unit::Bytes => bytes(v),
        Unit::Count => trimmed(v, 2),
        Unit::Percent => format!("{}%", trimmed(v, 1)),
    }
}

/// Cores as kubectl prints them: millicores below one core.
fn cores(v: f64) -> String {
    if v == 0.0 {
        "0".to_owned()
    } else if v.abs() < 1.0 {
        format!("{}m", trimmed(v * 1000.0, 1))
    } else {
        trimmed(v, 2)
    }
}

/// Bytes in binary multiples, as Kubernetes quantities read.
fn bytes(v: f64) -> String {
    const UNITS: [&str; 6] = ["", "Ki", "Mi", "Gi", "Ti", "Pi"];
    let mut scaled = v;
    let mut index = 0;
    while scaled.abs() >= 1024.0 && index + 1 < UNITS.len() {
        scaled /= 1024.0;
        index += 1;
    }
    format!("{}{}", trimmed(scaled, 1), UNITS[index])
}

/// At most `decimals` decimals, trailing zeros dropped; never "-0".
fn trimmed(v: f64, decimals: usize) -> String {
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

fn local(seconds: f64, tz: &TimeZone) -> Option<jiff::Zoned> {
    let ts = Timestamp::from_millisecond((seconds * 1000.0).round() as i64).ok()?;
    Some(ts.to_zoned(tz.clone()))
}

/// A time tick: dates when ticks are a day or more apart, seconds when
/// they are less than a minute apart, else HH:MM.
pub fn time_tick(seconds: f64, step: f64, tz: &TimeZone) -> String {
    let Some(zoned) = local(seconds, tz) else {
        return String::new();
    };
    let pattern = if step >= DAY {
        "%b %-d"
    } else if step < 60.0 {
        "%H:%M:%S"
    } else {
        "%H:%M"
    };
    zoned.strftime(pattern).to_string()
}

/// A time in the hover readout: to the second.
pub fn time_readout(seconds: f64, tz: &TimeZone) -> String {
    local(seconds, tz).map_or_else(String::new, |z| z.strftime("%H:%M:%S").to_string())
}

const DAY: f64 = 86_400.0;

/// Round steps of a time axis, in seconds.
const TIME_STEPS: [f64; 20] = [
    1.0,
    2.0,
    5.0,
    10.0,
    15.0,
    30.0,
    60.0,
    120.0,
    300.0,
    600.0,
    900.0,
    1800.0,
    3600.0,
    7200.0,
    10_800.0,
    21_600.0,
    43_200.0,
    DAY,
    2.0 * DAY,
    7.0 * DAY,
];

/// The round step at or above `min`: past a week, whole weeks.
fn round_step(min: f64) -> f64 {
    const WEEK: f64 = 7.0 * DAY;
    TIME_STEPS
        .iter()
        .copied()
        .find(|s| *s >= min)
        .unwrap_or_else(|| (min / WEEK).ceil().max(1.0) * WEEK)
}

/// Three grid levels like egui_plot's own spacer: fine lines, and two
/// coarser ones at least 3x apart so some level is wide enough for labels.
fn time_steps(min: f64) -> [f64; 3] {
    let fine = round_step(min);
    let middle = round_step(fine * 3.0);
    [fine, middle, round_step(middle * 3.0)]
}

/// Ticks on round seconds, minutes, hours and days.
pub fn time_spacer() -> GridSpacer {
    egui_plot::uniform_grid_spacer(|input: GridInput| time_steps(input.base_step_size.abs()))
}

/// Ticks on powers of two for bytes (256Mi, 512Mi, 1Gi), decimal otherwise.
pub fn value_spacer(unit: Unit) -> GridSpacer {
    match unit {
        Unit::Bytes => egui_plot::uniform_grid_spacer(|input: GridInput| {
            let base = input.base_step_size.abs().max(1.0);
            let step = 2f64.powi(base.log2().ceil() as i32);
            [step, step * 4.0, step * 16.0]
        }),
        _ => egui_plot::log_grid_spacer(10),
    }
}

/// The label egui_plot prints for one tick of the value axis.
pub fn value_tick(unit: Unit, mark: GridMark) -> String {
    value(unit, mark.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_read_as_kubectl_prints_them() {
        assert_eq!(value(Unit::Cores, 0.25), "250m");
        assert_eq!(value(Unit::Cores, 0.0125), "12.5m");
        assert_eq!(value(Unit::Cores, 1.5), "1.5");
        assert_eq!(value(Unit::Cores, 0.0), "0");
        assert_eq!(value(Unit::Bytes, 512.0 * 1024.0 * 1024.0), "512Mi");
        assert_eq!(value(Unit::Bytes, 1.5 * 1024.0 * 1024.0 * 1024.0), "1.5Gi");
        assert_eq!(value(Unit::Bytes, 100.0), "100");
        assert_eq!(value(Unit::Count, 3.0), "3");
        assert_eq!(value(Unit::Percent, 42.5), "42.5%");
        assert_eq!(value(Unit::Count, -0.0001), "0");
    }

    #[test]
    fn time_ticks_read_hours_minutes_or_dates() {
        let utc = TimeZone::UTC;
        // 2026-12-03 18:05:30 UTC
        let t = 1_796_321_130.0;
        assert_eq!(time_tick(t, 300.0, &utc), "18:05");
        assert_eq!(time_tick(t, 10.0, &utc), "18:05:30");
        assert_eq!(time_tick(t, DAY, &utc), "Dec 3");
        assert_eq!(time_readout(t, &utc), "18:05:30");
    }

    #[test]
    fn time_steps_are_round() {
        assert_eq!(time_steps(40.0), [60.0, 300.0, 900.0]);
        assert_eq!(time_steps(0.2), [1.0, 5.0, 15.0]);
        assert_eq!(
            time_steps(1e9),
            [1_000_339_200.0, 3_001_017_600.0, 9_003_052_800.0]
        );
    }
}
