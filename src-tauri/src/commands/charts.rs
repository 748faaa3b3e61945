//! Charts the page shows: each is a `capstan_charts::Chart` (an egui context
//! run headless) and the spec it draws, kept here by id. The data comes from
//! Rust ([`ChartSessions::open`], [`ChartSessions::set_spec`]); the page only
//! asks for frames, sending its size, theme and the input since the last one.

use std::sync::{Arc, Mutex, PoisonError};

use capstan_charts::{Chart, ChartInput, ChartSpec, Theme};

use crate::sessions::SessionRegistry;
use crate::{ErrorKind, IpcError};

/// A chart's id on the page.
pub type ChartId = u32;

/// The largest side a frame may have, in CSS pixels: far above any window,
/// and it bounds the work a bad size could ask for.
const MAX_SIDE: f32 = 8192.0;
/// Input events in one frame: the page coalesces per animation frame, so
/// more than this is a page bug, not a user.
const MAX_INPUT: usize = 512;

/// One open chart: the session and what it draws.
struct ChartSession {
    chart: Chart,
    spec: ChartSpec,
}

/// Open charts by id; closed by `chart_close` or when the page reloads.
pub struct ChartSessions(SessionRegistry<Arc<Mutex<ChartSession>>>);

impl ChartSessions {
    pub fn new() -> Self {
        Self(SessionRegistry::new("chart"))
    }

    /// Opens a chart drawing `spec`; the page asks for frames by the id.
    #[allow(dead_code)] // Called by the metrics views once they are wired.
    pub fn open(&self, spec: ChartSpec) -> ChartId {
        let session = Arc::new(Mutex::new(ChartSession {
            chart: Chart::new(),
            spec,
        }));
        let id = self.0.insert(Arc::clone(&session));
        // Clip ids are global in the page: give each chart its own.
        session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .chart
            .set_id_prefix(format!("chart{id}-c"));
        id
    }

    /// Replaces what chart `id` draws (new samples, another range); the
    /// next frame shows it, keeping the user's pan and zoom. False when the
    /// chart is closed.
    #[allow(dead_code)] // Called by the metrics views once they are wired.
    pub fn set_spec(&self, id: ChartId, spec: ChartSpec) -> bool {
        let Some(session) = self.0.with(id, Arc::clone) else {
            return false;
        };
        session.lock().unwrap_or_else(PoisonError::into_inner).spec = spec;
        true
    }

    /// Draws chart `id` at `size` in `theme` after `input`, as SVG.
    pub fn frame(
        &self,
        id: ChartId,
        size: [f32; 2],
        theme: Theme,
        input: &[ChartInput],
    ) -> Result<String, IpcError> {
        if !size
            .iter()
            .all(|side| side.is_finite() && *side >= 1.0 && *side <= MAX_SIDE)
        {
            return Err(IpcError::new(
                ErrorKind::InvalidInput,
                format!("A chart must be between 1 and {MAX_SIDE} pixels on each side."),
                Some(format!("size {}x{}", size[0], size[1])),
            ));
        }
        if input.len() > MAX_INPUT {
            return Err(IpcError::new(
                ErrorKind::InvalidInput,
                format!("At most {MAX_INPUT} input events fit in one chart frame."),
                Some(format!("{} events", input.len())),
            ));
        }
        let session = self.0.with(id, Arc::clone).ok_or_else(|| {
            IpcError::new(
                ErrorKind::NotFound,
                "This chart is closed; open the view again.",
                Some(format!("chart {id}")),
            )
        })?;
        // Held only by this chart's frames: other charts draw meanwhile.
        let mut session = session.lock().unwrap_or_else(PoisonError::into_inner);
        let ChartSession { chart, spec } = &mut *session;
        spec.theme = theme;
        Ok(chart.frame(spec, size, input))
    }

    pub fn close(&self, id: ChartId) {
        self.0.remove(id);
    }

    pub fn close_all(&self) -> usize {
        self.0.close_all()
    }
}

/// One frame of chart `id` as SVG: the page inlines it.
#[tauri::command]
pub async fn chart_frame(
    id: ChartId,
    size: [f32; 2],
    theme: Theme,
    input: Vec<ChartInput>,
    charts: tauri::State<'_, Arc<ChartSessions>>,
) -> Result<String, IpcError> {
    let charts = Arc::clone(&charts);
    // A frame is about a millisecond of CPU: off the async workers.
    tauri::async_runtime::spawn_blocking(move || charts.frame(id, size, theme, &input))
        .await
        .map_err(|e| {
            IpcError::new(
                ErrorKind::Internal,
                "The chart could not be drawn.",
                Some(e.to_string()),
            )
        })?
}

/// Forgets chart `id`. Unknown ids are ignored (already closed).
#[tauri::command]
pub fn chart_close(id: ChartId, charts: tauri::State<'_, Arc<ChartSessions>>) {
    charts.close(id);
}

#[cfg(test)]
mod tests {
    use capstan_charts::{Series, Unit};

    use super::*;

    fn spec(name: &str) -> ChartSpec {
        ChartSpec {
            title: Some("CPU".into()),
            unit: Unit::Cores,
            series: vec![Series {
                name: name.into(),
                points: vec![[0.0, 0.1], [60.0, 0.3]],
            }],
            ..ChartSpec::default()
        }
    }

    #[test]
    fn a_chart_draws_its_spec_and_follows_set_spec() {
        let charts = ChartSessions::new();
        let id = charts.open(spec("first"));
        let svg = charts
            .frame(id, [400.0, 200.0], Theme::Light, &[])
            .expect("frame");
        assert!(
            svg.starts_with("<svg") && svg.contains(">first</text>"),
            "{svg}"
        );
        assert!(charts.set_spec(id, spec("second")));
        let svg = charts
            .frame(id, [400.0, 200.0], Theme::Light, &[])
            .expect("frame");
        assert!(svg.contains(">second</text>") && !svg.contains(">first</text>"));
    }

    #[test]
    fn the_page_theme_wins_over_the_spec() {
        let charts = ChartSessions::new();
        let id = charts.open(spec("a"));
        let light = charts
            .frame(id, [400.0, 200.0], Theme::Light, &[])
            .expect("light");
        let dark = charts
            .frame(id, [400.0, 200.0], Theme::Dark, &[])
            .expect("dark");
        assert_ne!(light, dark);
    }

    #[test]
    fn charts_have_their_own_clip_ids() {
        let charts = ChartSessions::new();
        let (a, b) = (charts.open(spec("a")), charts.open(spec("b")));
        let svg_a = charts
            .frame(a, [400.0, 200.0], Theme::Light, &[])
            .expect("a");
        let svg_b = charts
            .frame(b, [400.0, 200.0], Theme::Light, &[])
            .expect("b");
        assert!(svg_a.contains(&format!(r#"id="chart{a}-c0""#)), "{svg_a}");
        assert!(svg_b.contains(&format!(r#"id="chart{b}-c0""#)), "{svg_b}");
    }

    #[test]
    fn closed_and_unknown_charts_are_not_found() {
        let charts = ChartSessions::new();
        let id = charts.open(spec("a"));
        charts.close(id);
        let error = charts
            .frame(id, [400.0, 200.0], Theme::Light, &[])
            .expect_err("closed");
        assert_eq!(error.kind, ErrorKind::NotFound);
        assert!(!charts.set_spec(id, spec("b")));
        let other = charts.open(spec("c"));
        assert_eq!(charts.close_all(), 1);
        assert!(
            charts
                .frame(other, [400.0, 200.0], Theme::Light, &[])
                .is_err(),
            "closed on reload"
        );
    }

    #[test]
    fn bad_sizes_and_floods_are_refused() {
        let charts = ChartSessions::new();
        let id = charts.open(spec("a"));
        for size in [[0.0, 100.0], [f32::NAN, 100.0], [100.0, 1e6]] {
            let error = charts
                .frame(id, size, Theme::Light, &[])
                .expect_err("bad size");
            assert_eq!(error.kind, ErrorKind::InvalidInput, "{size:?}");
        }
        let flood = vec![ChartInput::PointerLeave; MAX_INPUT + 1];
        assert_eq!(
            charts
                .frame(id, [100.0, 100.0], Theme::Light, &flood)
                .expect_err("flood")
                .kind,
            ErrorKind::InvalidInput
        );
        assert!(charts
            .frame(id, [100.0, 100.0], Theme::Light, &flood[..MAX_INPUT])
            .is_ok());
    }
}
