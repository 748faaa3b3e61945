//! Chart frame benchmark (DESIGN.md §4: one egui_plot frame of 4 series x
//! 1 000 points to SVG in <= 4 ms, release). Draws `CAPSTAN_BENCH_FRAMES`
//! frames (default 500) after a warm-up, the pointer moving across the plot
//! so the hover readout is drawn too, and prints the median, p95 and max
//! per frame, split into egui (two passes) and SVG writing. Figures, not a
//! pass/fail threshold. Run with scripts/bench-charts.sh.

use std::time::{Duration, Instant};

use capstan_charts::{svg, Chart, ChartInput, ChartSpec, Mark, Series, Theme, Unit};

const SIZE: [f32; 2] = [800.0, 300.0];

fn spec() -> ChartSpec {
    let start = 1_796_320_000.0;
    ChartSpec {
        title: Some("CPU".into()),
        unit: Unit::Cores,
        series: (0..4)
            .map(|s| Series {
                name: format!("container-{s}"),
                points: (0..1000)
                    .map(|i| {
                        let i = f64::from(i);
                        [
                            start + i * 15.0,
                            0.1 * f64::from(s + 1) + 0.05 * (i / 25.0).sin(),
                        ]
                    })
                    .collect(),
            })
            .collect(),
        marks: vec![
            Mark {
                name: "request".into(),
                value: 0.25,
            },
            Mark {
                name: "limit".into(),
                value: 0.5,
            },
        ],
        x_is_time: true,
        theme: Theme::Light,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let frames: usize = std::env::var("CAPSTAN_BENCH_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let spec = spec();
    let mut chart = Chart::new();
    let input = |i: usize| {
        [ChartInput::PointerMove {
            x: 60.0 + (i % 700) as f32,
            y: 150.0,
        }]
    };
    for i in 0..50 {
        let _ = chart.frame(&spec, SIZE, &input(i));
    }
    let (mut totals, mut eguis, mut svgs) = (Vec::new(), Vec::new(), Vec::new());
    let (mut shapes, mut bytes) = (0, 0);
    for i in 0..frames {
        let start = Instant::now();
        let frame = chart.shapes_at(&spec, SIZE, &input(i), i as f64 * 0.016);
        let egui_done = Instant::now();
        let out = svg::to_svg(&frame.shapes, SIZE, frame.pixels_per_point);
        let end = Instant::now();
        totals.push(end - start);
        eguis.push(egui_done - start);
        svgs.push(end - egui_done);
        shapes = frame.shapes.len();
        bytes = out.len();
    }
    println!(
        "chart frame: 4 series x 1000 points, {}x{} px, {frames} frames, hover readout on",
        SIZE[0], SIZE[1]
    );
    println!(
        "  {shapes} top-level shapes, {} KiB of SVG per frame",
        bytes / 1024
    );
    for (label, samples) in [
        ("total", &mut totals),
        ("egui (2 passes)", &mut eguis),
        ("to_svg", &mut svgs),
    ] {
        samples.sort();
        println!(
            "  {label:<16} median {}  p95 {}  max {}",
            ms(percentile(samples, 0.5)),
            ms(percentile(samples, 0.95)),
            ms(percentile(samples, 1.0))
        );
    }
    println!("  target: <= 4 ms per frame (DESIGN.md §4)");
}
