//! What one chart shows: the data the shell hands the engine. The page never
//! sends data, only input; the shell keeps the spec per chart.

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// The unit of the y axis: decides tick and readout formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "ChartUnit"))]
pub enum Unit {
    /// CPU cores: `250m` below one core, `1.5` above.
    Cores,
    /// Bytes in binary multiples: `512Mi`, `1.5Gi`.
    Bytes,
    /// A plain count (pods, restarts).
    #[default]
    Count,
    /// A percentage, 0–100.
    Percent,
}

/// Light or dark colours, following the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "ChartTheme"))]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// One line: `[x, y]` points in x order (x = unix seconds when the chart's
/// x axis is time).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "ChartSeries"))]
pub struct Series {
    pub name: String,
    pub points: Vec<[f64; 2]>,
}

/// A horizontal reference line: a request, a limit, a node's allocatable.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "ChartMark"))]
pub struct Mark {
    pub name: String,
    pub value: f64,
}

/// Everything one chart frame is drawn from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct ChartSpec {
    pub title: Option<String>,
    pub unit: Unit,
    pub series: Vec<Series>,
    pub marks: Vec<Mark>,
    /// x is unix seconds: ticks read HH:MM in the chart's time zone (the
    /// system's), seconds when zoomed in, dates over long ranges.
    pub x_is_time: bool,
    pub theme: Theme,
}
