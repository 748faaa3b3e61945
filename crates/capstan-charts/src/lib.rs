//! Charts drawn by egui_plot, headless: a [`Chart`] keeps one egui context
//! and turns a [`ChartSpec`] plus the page's input into one frame of shapes,
//! which [`svg::to_svg`] writes as SVG for the UI to inline. The only crate
//! of the workspace that depends on egui.

mod chart;
pub mod format;
mod input;
mod spec;
pub mod svg;

pub use chart::{Chart, Frame};
pub use input::{ChartButton, ChartInput};
pub use spec::{ChartSpec, Mark, Series, Theme, Unit};
