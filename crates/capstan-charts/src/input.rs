//! What the page sends: pointer and wheel events in the chart's own
//! coordinates (CSS pixels from its top-left corner), mapped here to egui's
//! events so egui_plot does the hovering, panning and zooming.

use egui::{Event, Modifiers, PointerButton, Pos2};
use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// A mouse button as the page names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum ChartButton {
    /// Drag to pan.
    Primary,
    /// Drag to zoom to a box (egui_plot's boxed zoom button); the page also
    /// sends Shift + primary as this.
    Secondary,
    Middle,
}

/// One input event for a chart frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum ChartInput {
    PointerMove {
        x: f32,
        y: f32,
    },
    PointerLeave,
    PointerDown {
        x: f32,
        y: f32,
        button: ChartButton,
    },
    PointerUp {
        x: f32,
        y: f32,
        button: ChartButton,
    },
    /// A wheel turn over the chart at (x, y); `delta_y` in CSS pixels,
    /// positive = towards the user = zoom out.
    Wheel {
        x: f32,
        y: f32,
        delta_y: f32,
    },
    /// Reset to the data's bounds.
    DoubleClick {
        x: f32,
        y: f32,
    },
}

/// How much one CSS pixel of wheel travel zooms: a notch (~100 px) is ~18 %.
const ZOOM_PER_PIXEL: f32 = 0.002;

impl From<ChartButton> for PointerButton {
    fn from(button: ChartButton) -> Self {
        match button {
            ChartButton::Primary => PointerButton::Primary,
            ChartButton::Secondary => PointerButton::Secondary,
            ChartButton::Middle => PointerButton::Middle,
        }
    }
}

fn button(pos: Pos2, button: PointerButton, pressed: bool) -> Event {
    Event::PointerButton {
        pos,
        button,
        pressed,
        modifiers: Modifiers::NONE,
    }
}

/// Appends the egui events for one input. Every positioned input moves the
/// pointer first, as a browser does, so egui_plot sees where it happens.
pub(crate) fn push_events(input: &ChartInput, events: &mut Vec<Event>) {
    match *input {
        ChartInput::PointerMove { x, y } => events.push(Event::PointerMoved(Pos2::new(x, y))),
        ChartInput::PointerLeave => events.push(Event::PointerGone),
        ChartInput::PointerDown { x, y, button: b } => {
            let pos = Pos2::new(x, y);
            events.push(Event::PointerMoved(pos));
            events.push(button(pos, b.into(), true));
        }
        ChartInput::PointerUp { x, y, button: b } => {
            let pos = Pos2::new(x, y);
            events.push(Event::PointerMoved(pos));
            events.push(button(pos, b.into(), false));
        }
        ChartInput::Wheel { x, y, delta_y } => {
            events.push(Event::PointerMoved(Pos2::new(x, y)));
            // A zoom event rather than a scroll: egui smooths scrolling over
            // several frames, and a headless chart draws only when asked.
            events.push(Event::Zoom((-delta_y * ZOOM_PER_PIXEL).exp()));
        }
        ChartInput::DoubleClick { x, y } => {
            // Two clicks in one frame are a double click to egui, which is
            // what egui_plot resets on.
            let pos = Pos2::new(x, y);
            events.push(Event::PointerMoved(pos));
            for _ in 0..2 {
                events.push(button(pos, PointerButton::Primary, true));
                events.push(button(pos, PointerButton::Primary, false));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_read_the_pages_camel_case() {
        let inputs: Vec<ChartInput> = serde_json::from_str(
            r#"[{"type":"pointerMove","x":1,"y":2},
                {"type":"pointerDown","x":3,"y":4,"button":"secondary"},
                {"type":"wheel","x":5,"y":6,"deltaY":-100},
                {"type":"doubleClick","x":7,"y":8},
                {"type":"pointerLeave"}]"#,
        )
        .expect("parse");
        assert_eq!(
            inputs,
            vec![
                ChartInput::PointerMove { x: 1.0, y: 2.0 },
                ChartInput::PointerDown {
                    x: 3.0,
                    y: 4.0,
                    button: ChartButton::Secondary
                },
                ChartInput::Wheel {
                    x: 5.0,
                    y: 6.0,
                    delta_y: -100.0
                },
                ChartInput::DoubleClick { x: 7.0, y: 8.0 },
                ChartInput::PointerLeave,
            ]
        );
    }

    #[test]
    fn wheel_towards_the_user_zooms_out() {
        let mut events = Vec::new();
        push_events(
            &ChartInput::Wheel {
                x: 1.0,
                y: 1.0,
                delta_y: 100.0,
            },
            &mut events,
        );
        let Some(Event::Zoom(factor)) = events.last() else {
            panic!("no zoom: {events:?}")
        };
        assert!(*factor < 1.0, "{factor}");
    }
}
