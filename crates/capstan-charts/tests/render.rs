//! Whole frames: golden SVGs for fixed data, and the interactions egui_plot
//! handles (hover readout, drag to pan, wheel zoom, double-click reset)
//! seen as changes in the SVG's text.

use std::path::PathBuf;

use capstan_charts::{svg, Chart, ChartButton, ChartInput, ChartSpec, Mark, Series, Theme, Unit};
use jiff::tz::TimeZone;

const SIZE: [f32; 2] = [600.0, 300.0];
/// 2026-12-03 17:46:40 UTC.
const START: f64 = 1_796_320_000.0;

/// Two containers over an hour, every 15 s, with a limit line.
fn cpu(theme: Theme) -> ChartSpec {
    let series = (0..2)
        .map(|s| Series {
            name: format!("container-{s}"),
            points: (0..240)
                .map(|i| {
                    let i = f64::from(i);
                    [
                        START + i * 15.0,
                        0.2 + 0.1 * f64::from(s) + 0.05 * (i / 10.0).sin(),
                    ]
                })
                .collect(),
        })
        .collect();
    ChartSpec {
        title: Some("CPU".into()),
        unit: Unit::Cores,
        series,
        marks: vec![Mark {
            name: "limit".into(),
            value: 0.5,
        }],
        x_is_time: true,
        theme,
    }
}

fn memory() -> ChartSpec {
    const MI: f64 = 1024.0 * 1024.0;
    ChartSpec {
        title: Some("Memory <working set>".into()),
        unit: Unit::Bytes,
        series: vec![Series {
            name: "app & sidecar".into(),
            points: (0..120)
                .map(|i| [START + f64::from(i) * 30.0, (300.0 + f64::from(i)) * MI])
                .collect(),
        }],
        marks: vec![
            Mark {
                name: "request".into(),
                value: 256.0 * MI,
            },
            Mark {
                name: "limit".into(),
                value: 512.0 * MI,
            },
        ],
        x_is_time: true,
        theme: Theme::Dark,
    }
}

fn chart() -> Chart {
    Chart::with_time_zone(TimeZone::UTC)
}

/// One frame at `time`, written with the fixed clip-id prefix.
fn frame(chart: &mut Chart, spec: &ChartSpec, input: &[ChartInput], time: f64) -> String {
    let frame = chart.shapes_at(spec, SIZE, input, time);
    svg::to_svg(&frame.shapes, SIZE, frame.pixels_per_point)
}

/// The text of every `<text>` element, in order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|rest| {
            let body = &rest[rest.find('>')? + 1..];
            Some(body[..body.find("</text>")?].to_owned())
        })
        .collect()
}

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let ci = std::env::var_os("CI").is_some_and(|v| v == "true");
    match std::fs::read_to_string(&path) {
        Ok(expected) if !update => assert!(
            expected == actual,
            "{name} differs from its golden file; if the change is meant, rerun with UPDATE_GOLDEN=1 and review the diff"
        ),
        Err(error) if ci && !update => panic!("golden file {} is missing ({error}): run with UPDATE_GOLDEN=1 and commit it", path.display()),
        _ => std::fs::write(&path, actual).expect("write the golden file"),
    }
}

#[test]
fn the_same_data_gives_the_same_svg() {
    let light = frame(&mut chart(), &cpu(Theme::Light), &[], 0.0);
    assert!(
        light == frame(&mut chart(), &cpu(Theme::Light), &[], 5.0),
        "a fresh chart draws the same bytes"
    );
    golden("cpu_light.svg", &light);
    golden("memory_dark.svg", &frame(&mut chart(), &memory(), &[], 0.0));
}

#[test]
fn axis_labels_are_text_with_the_expected_ticks() {
    let texts = texts(&frame(&mut chart(), &cpu(Theme::Light), &[], 0.0));
    for tick in [
        "CPU",
        "17:45",
        "18:00",
        "18:15",
        "18:30",
        "18:45",
        "200m",
        "300m",
        "400m",
        "500m",
        "container-0",
        "container-1",
        "limit",
    ] {
        assert!(
            texts.iter().any(|t| t == tick),
            "no <text> {tick:?} in {texts:?}"
        );
    }
    let texts = self::texts(&frame(&mut chart(), &memory(), &[], 0.0));
    for tick in [
        "Memory &lt;working set&gt;",
        "app &amp; sidecar",
        "request",
        "256Mi",
        "512Mi",
    ] {
        assert!(
            texts.iter().any(|t| t == tick),
            "no <text> {tick:?} in {texts:?}"
        );
    }
}

#[test]
fn hovering_shows_the_readout() {
    let spec = cpu(Theme::Light);
    let mut chart = chart();
    let first = frame(&mut chart, &spec, &[], 0.0);
    assert!(
        !texts(&first).iter().any(|t| t.contains("  ")),
        "no readout before hovering"
    );
    // One frame (two egui passes inside: egui sizes a new tooltip in the
    // first) with the pointer inside.
    let hover = [ChartInput::PointerMove { x: 300.0, y: 150.0 }];
    let hovered = frame(&mut chart, &spec, &hover, 0.1);
    let readout: Vec<String> = texts(&hovered)
        .into_iter()
        .filter(|t| t.contains("  "))
        .collect();
    assert_eq!(readout.len(), 1, "one readout: {:?}", texts(&hovered));
    let (time, value) = readout[0].split_once("  ").expect("time and value");
    assert!(
        time.starts_with("18:1"),
        "time HH:MM:SS near the middle: {time}"
    );
    assert!(value.ends_with('m'), "value in millicores: {value}");
    let left = frame(&mut chart, &spec, &[ChartInput::PointerLeave], 0.3);
    assert!(
        !texts(&left).iter().any(|t| t.contains("  ")),
        "readout gone after leaving"
    );
}

fn x_ticks(svg: &str) -> Vec<String> {
    texts(svg)
        .into_iter()
        .filter(|t| t.len() == 5 && t.as_bytes()[2] == b':')
        .collect()
}

#[test]
fn drag_pans_and_double_click_resets() {
    let spec = cpu(Theme::Light);
    let mut chart = chart();
    let before = x_ticks(&frame(&mut chart, &spec, &[], 0.0));
    let drag = [
        ChartInput::PointerDown {
            x: 400.0,
            y: 150.0,
            button: ChartButton::Primary,
        },
        ChartInput::PointerMove { x: 380.0, y: 150.0 },
    ];
    let _ = frame(&mut chart, &spec, &drag, 0.1);
    let _ = frame(
        &mut chart,
        &spec,
        &[ChartInput::PointerMove { x: 200.0, y: 150.0 }],
        0.2,
    );
    let _ = frame(
        &mut chart,
        &spec,
        &[ChartInput::PointerUp {
            x: 200.0,
            y: 150.0,
            button: ChartButton::Primary,
        }],
        0.3,
    );
    let panned = x_ticks(&frame(&mut chart, &spec, &[ChartInput::PointerLeave], 0.4));
    assert_ne!(panned, before, "dragging left moves later times into view");
    assert!(
        panned.last() > before.last(),
        "later times after dragging left: {panned:?} vs {before:?}"
    );

    let _ = frame(
        &mut chart,
        &spec,
        &[ChartInput::DoubleClick { x: 300.0, y: 150.0 }],
        2.0,
    );
    let reset = x_ticks(&frame(&mut chart, &spec, &[ChartInput::PointerLeave], 2.1));
    assert_eq!(reset, before, "double-click goes back to the data's bounds");
}

#[test]
fn wheel_zooms_time() {
    let spec = cpu(Theme::Light);
    let mut chart = chart();
    let before = x_ticks(&frame(&mut chart, &spec, &[], 0.0));
    let _ = frame(
        &mut chart,
        &spec,
        &[ChartInput::Wheel {
            x: 300.0,
            y: 150.0,
            delta_y: -600.0,
        }],
        0.1,
    );
    let zoomed = x_ticks(&frame(&mut chart, &spec, &[ChartInput::PointerLeave], 0.2));
    assert_ne!(zoomed, before, "zooming in gives finer ticks");
    assert!(zoomed.len() >= 2, "{zoomed:?}");
}

#[test]
fn dark_theme_changes_colours() {
    let light = frame(&mut chart(), &cpu(Theme::Light), &[], 0.0);
    let dark = frame(&mut chart(), &cpu(Theme::Dark), &[], 0.0);
    assert!(light != dark, "dark differs from light");
    let fill = |svg: &str, text: &str| {
        let end = svg.find(&format!(">{text}</text>")).expect("tick");
        let start = svg[..end].rfind("<text ").expect("element");
        let element = &svg[start..end];
        let at = element.find("fill=\"#").expect("fill") + 7;
        u32::from_str_radix(&element[at..at + 6], 16).expect("hex")
    };
    // Light text on dark, dark text on light: compare the red channel.
    assert!(fill(&dark, "18:00") >> 16 > fill(&light, "18:00") >> 16);
    // And one chart follows a theme switch between frames.
    let mut chart = chart();
    let _ = frame(&mut chart, &cpu(Theme::Light), &[], 0.0);
    assert!(
        frame(&mut chart, &cpu(Theme::Dark), &[], 0.1) == dark,
        "a switched chart draws as a fresh dark one"
    );
}

#[test]
fn a_chart_without_samples_still_draws_its_axes() {
    let spec = ChartSpec {
        title: Some("No samples yet".into()),
        x_is_time: true,
        ..ChartSpec::default()
    };
    let svg = frame(
        &mut chart(),
        &spec,
        &[ChartInput::PointerMove { x: 300.0, y: 150.0 }],
        0.0,
    );
    let texts = texts(&svg);
    assert!(texts.iter().any(|t| t == "No samples yet"), "{texts:?}");
    assert!(texts.len() > 2, "tick labels on empty axes: {texts:?}");
}
