//! A chart session: one egui context kept across frames (egui_plot keeps its
//! pan/zoom bounds and the pointer's history in the context's memory), run
//! headless for one frame at a time: no window, no GPU, only shapes.

use std::time::Instant;

use egui::{epaint::ClippedShape, Context, Pos2, RawInput, Rect, RichText, Vec2, ViewportId};
use egui_plot::{Corner, HLine, HoverPosition, Legend, Line, LineStyle, Plot};
use jiff::tz::TimeZone;

use crate::format;
use crate::input::{push_events, ChartInput};
use crate::spec::{ChartSpec, Theme};
use crate::svg;

/// The shapes of one frame, in paint order (every layer, tooltips last).
pub struct Frame {
    pub shapes: Vec<ClippedShape>,
    pub pixels_per_point: f32,
}

/// One chart on the page, drawn frame by frame.
pub struct Chart {
    ctx: Context,
    started: Instant,
    tz: TimeZone,
    /// Prefix of the SVG's clip ids, unique per chart on one page.
    id_prefix: String,
}

impl Default for Chart {
    fn default() -> Self {
        Self::new()
    }
}

impl Chart {
    /// A chart whose time ticks are in the system's time zone.
    pub fn new() -> Self {
        Self::with_time_zone(TimeZone::system())
    }

    /// A chart whose time ticks are in `tz` (tests use UTC).
    pub fn with_time_zone(tz: TimeZone) -> Self {
        let ctx = Context::default();
        ctx.all_styles_mut(|style| {
            // Nothing animates: a frame is drawn only when the page asks, so
            // a fade would stay half done.
            style.animation_time = 0.0;
        });
        Self {
            ctx,
            started: Instant::now(),
            tz,
            id_prefix: "c".to_owned(),
        }
    }

    /// Names this chart's clip ids `<prefix>0`, `<prefix>1`, …: ids are global
    /// in a page, so charts shown together need different prefixes.
    pub fn with_id_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.set_id_prefix(prefix);
        self
    }

    /// See [`Chart::with_id_prefix`].
    pub fn set_id_prefix(&mut self, prefix: impl Into<String>) {
        self.id_prefix = prefix.into();
    }

    /// Draws one frame after `input` and returns it as SVG.
    pub fn frame(&mut self, spec: &ChartSpec, size: [f32; 2], input: &[ChartInput]) -> String {
        let time = self.started.elapsed().as_secs_f64();
        let frame = self.shapes_at(spec, size, input, time);
        svg::to_svg_with_ids(&frame.shapes, size, frame.pixels_per_point, &self.id_prefix)
    }

    /// The same as [`Chart::frame`] at a given clock reading (seconds since
    /// the chart began), so tests and double-click timing are exact.
    pub fn frame_at(
        &mut self,
        spec: &ChartSpec,
        size: [f32; 2],
        input: &[ChartInput],
        time: f64,
    ) -> String {
        let frame = self.shapes_at(spec, size, input, time);
        svg::to_svg_with_ids(&frame.shapes, size, frame.pixels_per_point, &self.id_prefix)
    }

    /// Runs egui for one frame and returns its shapes before tessellation.
    pub fn shapes_at(
        &mut self,
        spec: &ChartSpec,
        size: [f32; 2],
        input: &[ChartInput],
        time: f64,
    ) -> Frame {
        self.ctx.set_theme(match spec.theme {
            Theme::Light => egui::Theme::Light,
            Theme::Dark => egui::Theme::Dark,
        });
        let mut events = Vec::with_capacity(input.len() * 2);
        for one in input {
            push_events(one, &mut events);
        }
        let mut raw = RawInput {
            screen_rect: Some(Rect::from_min_size(
                Pos2::ZERO,
                Vec2::new(size[0].max(1.0), size[1].max(1.0)),
            )),
            time: Some(time),
            // The page forwards only events meant for this chart.
            focused: true,
            events,
            ..RawInput::default()
        };
        if let Some(viewport) = raw.viewports.get_mut(&ViewportId::ROOT) {
            viewport.native_pixels_per_point = Some(1.0);
        }
        let tz = &self.tz;
        // Two egui passes per frame: the first takes the input, the second
        // draws with what the first settled. egui_plot sizes its axes from the
        // previous pass's tick labels and egui sizes a new tooltip in an
        // invisible pass, so a single pass would show the axes overlapping the
        // plot after a resize or new data, and the readout one input late.
        self.ctx
            .run_ui(raw.clone(), |ui| show(ui, spec, tz))
            .drop_without_applying_deltas();
        raw.events.clear();
        let mut output = self.ctx.run_ui(raw, |ui| show(ui, spec, tz));
        let frame = Frame {
            shapes: std::mem::take(&mut output.shapes),
            pixels_per_point: output.pixels_per_point,
        };
        // The font atlas delta is for a GPU painter; there is none.
        output.textures_delta.clear();
        frame
    }
}

fn show(ui: &mut egui::Ui, spec: &ChartSpec, tz: &TimeZone) {
    if let Some(title) = &spec.title {
        ui.label(RichText::new(title).strong());
    }
    let unit = spec.unit;
    let x_is_time = spec.x_is_time;
    let mut plot = Plot::new("chart")
        .legend(
            Legend::default()
                .position(Corner::LeftTop)
                .follow_insertion_order(true),
        )
        .y_axis_formatter(move |mark, _| format::value_tick(unit, mark))
        .y_grid_spacer(format::value_spacer(unit))
        // Wheel and drag move time; the value axis keeps fitting the data.
        .allow_zoom([true, false])
        .allow_drag([true, false])
        .allow_scroll(false)
        .label_formatter(move |position| Some(readout(position, unit, x_is_time, tz)));
    if x_is_time {
        plot = plot
            .x_axis_formatter(move |mark, _| format::time_tick(mark.value, mark.step_size, tz))
            .x_grid_spacer(format::time_spacer());
    }
    plot.show(ui, |plot_ui| {
        for series in &spec.series {
            plot_ui.line(Line::new(series.name.clone(), series.points.clone()).width(1.5));
        }
        for mark in &spec.marks {
            plot_ui
                .hline(HLine::new(mark.name.clone(), mark.value).style(LineStyle::dashed_loose()));
        }
    });
}

/// The hover readout: series, time (or x) and value in the chart's unit.
fn readout(
    position: &HoverPosition<'_>,
    unit: crate::spec::Unit,
    x_is_time: bool,
    tz: &TimeZone,
) -> String {
    let (name, point) = match position {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } => (Some(*plot_name), position),
        HoverPosition::Elsewhere { position } => (None, position),
    };
    let x = if x_is_time {
        format::time_readout(point.x, tz)
    } else {
        format::value(crate::spec::Unit::Count, point.x)
    };
    let y = format::value(unit, point.y);
    match name {
        Some(name) if !name.is_empty() => format!("{name}\n{x}  {y}"),
        _ => format!("{x}  {y}"),
    }
}
