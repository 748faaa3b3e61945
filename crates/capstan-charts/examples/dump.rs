//! Writes a sample chart's SVG, hovered in the middle, to stdout, to look at
//! it (`cargo run -p capstan-charts --example dump [dark] > chart.svg`).
use capstan_charts::{Chart, ChartInput, ChartSpec, Mark, Series, Theme, Unit};

fn main() {
    let start = 1_796_320_000.0;
    let series = (0..2)
        .map(|s| Series {
            name: format!("container-{s}"),
            points: (0..240)
                .map(|i| {
                    let i = f64::from(i);
                    [
                        start + i * 15.0,
                        0.2 + 0.1 * f64::from(s) + 0.05 * (i / 10.0).sin(),
                    ]
                })
                .collect(),
        })
        .collect();
    let spec = ChartSpec {
        title: Some("CPU".into()),
        unit: Unit::Cores,
        series,
        marks: vec![Mark {
            name: "limit".into(),
            value: 0.5,
        }],
        x_is_time: true,
        theme: if std::env::args().any(|a| a == "dark") {
            Theme::Dark
        } else {
            Theme::Light
        },
    };
    let mut chart = Chart::with_time_zone(jiff::tz::TimeZone::UTC);
    let size = [600.0, 300.0];
    let _ = chart.frame_at(&spec, size, &[], 0.0);
    let hover = [ChartInput::PointerMove { x: 300.0, y: 150.0 }];
    println!("{}", chart.frame_at(&spec, size, &hover, 0.1));
}
