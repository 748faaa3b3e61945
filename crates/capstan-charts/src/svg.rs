//! egui shapes to SVG: a pure function of the shapes, so the same frame
//! always gives the same bytes. Text stays `<text>`, so axis labels, the
//! legend and the hover readout can be read by tests and screen readers.
//!
//! Covered: paths, line segments, rects (rounded; stroke inside/outside as
//! egui draws it), circles, ellipses, bands, Bézier curves, text (one
//! `<text>` per galley row, coloured as egui colours the galley, rotated when
//! egui rotates it) and clip rects (`<clipPath>`). Approximated: a mesh
//! without a texture becomes its triangles in their first vertex's colour,
//! and a path coloured by a UV callback takes the colour at its first point.
//! Skipped: textured meshes, paint callbacks and blurred rects (egui's soft
//! shadows). Only presentation attributes are written, never `style`, so
//! the app's CSP (no inline styles) lets it render.

use std::fmt::Write as _;

use egui::epaint::{
    ClippedShape, Color32, ColorMode, FontFamily, Mesh, PathShape, PathStroke, RectShape, Shape,
    Stroke, StrokeKind, TextShape, WHITE_UV,
};
use egui::{emath::TSTransform, Pos2, Rect};

/// Writes `shapes` (in paint order, as `FullOutput::shapes` gives them) as
/// one SVG of `size` points. Clip ids start with `c`; use
/// [`to_svg_with_ids`] when several charts share a page.
pub fn to_svg(shapes: &[ClippedShape], size: [f32; 2], pixels_per_point: f32) -> String {
    to_svg_with_ids(shapes, size, pixels_per_point, "c")
}

/// [`to_svg`] with clip ids `<id_prefix>0`, `<id_prefix>1`, …: ids are
/// global in an HTML page, so each inlined chart needs its own prefix.
pub fn to_svg_with_ids(
    shapes: &[ClippedShape],
    size: [f32; 2],
    pixels_per_point: f32,
    id_prefix: &str,
) -> String {
    let mut out = Writer {
        svg: String::with_capacity(16 * 1024),
        canvas: Rect::from_min_size(Pos2::ZERO, egui::vec2(size[0], size[1])),
        // A stroke thinner than a physical pixel is drawn one pixel wide, as
        // egui's tessellator does (it fades it instead).
        min_stroke: 1.0 / pixels_per_point.max(0.01),
        clips: Vec::new(),
        id_prefix,
    };
    let _ = write!(
        out.svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif">"#,
        w = num(size[0]),
        h = num(size[1]),
    );
    // The clip of the open `<g>`: None = no group yet, Some(None) = unclipped.
    let mut open_clip: Option<Option<Rect>> = None;
    for clipped in shapes {
        let clip = (!clipped.clip_rect.contains_rect(out.canvas)).then_some(clipped.clip_rect);
        if open_clip != Some(clip) {
            if open_clip.is_some() {
                out.svg.push_str("</g>");
            }
            match clip {
                Some(rect) => {
                    let id = out.clip_id(rect);
                    let _ = write!(out.svg, r#"<g clip-path="url(#{}{id})">"#, out.id_prefix);
                }
                None => out.svg.push_str("<g>"),
            }
            open_clip = Some(clip);
        }
        let moved = clipped.transform_after_tessellation;
        if moved == TSTransform::IDENTITY {
            out.shape(&clipped.shape);
        } else {
            // egui's popup scale-in; still mid-way only if animations run.
            let _ = write!(
                out.svg,
                r#"<g transform="translate({} {}) scale({})">"#,
                num(moved.translation.x),
                num(moved.translation.y),
                num(moved.scaling)
            );
            out.shape(&clipped.shape);
            out.svg.push_str("</g>");
        }
    }
    if open_clip.is_some() {
        out.svg.push_str("</g>");
    }
    out.svg.push_str("</svg>");
    out.svg
}

struct Writer<'a> {
    svg: String,
    canvas: Rect,
    min_stroke: f32,
    clips: Vec<Rect>,
    id_prefix: &'a str,
}

impl Writer<'_> {
    /// The id of the `<clipPath>` for `rect`, written on first use.
    fn clip_id(&mut self, rect: Rect) -> usize {
        if let Some(id) = self.clips.iter().position(|r| *r == rect) {
            return id;
        }
        let id = self.clips.len();
        self.clips.push(rect);
        let r = rect.intersect(self.canvas);
        let (w, h) = (r.width().max(0.0), r.height().max(0.0));
        let _ = write!(
            self.svg,
            r#"<clipPath id="{}{id}"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>"#,
            self.id_prefix,
            num(r.min.x),
            num(r.min.y),
            num(w),
            num(h),
        );
        id
    }

    fn shape(&mut self, shape: &Shape) {
        match shape {
            Shape::Noop | Shape::Callback(_) => {}
            Shape::Vec(shapes) => shapes.iter().for_each(|s| self.shape(s)),
            Shape::Circle(c) => {
                let _ = write!(
                    self.svg,
                    r#"<circle cx="{}" cy="{}" r="{}""#,
                    num(c.center.x),
                    num(c.center.y),
                    num(c.radius)
                );
                self.fill(c.fill);
                self.stroke(c.stroke);
                self.svg.push_str("/>");
            }
            Shape::Ellipse(e) => {
                let _ = write!(
                    self.svg,
                    r#"<ellipse cx="{}" cy="{}" rx="{}" ry="{}""#,
                    num(e.center.x),
                    num(e.center.y),
                    num(e.radius.x),
                    num(e.radius.y)
                );
                if e.angle != 0.0 {
                    let _ = write!(
                        self.svg,
                        r#" transform="rotate({} {} {})""#,
                        num(e.angle.to_degrees()),
                        num(e.center.x),
                        num(e.center.y)
                    );
                }
                self.fill(e.fill);
                self.stroke(e.stroke);
                self.svg.push_str("/>");
            }
            Shape::LineSegment { points, stroke } => {
                if stroke.is_empty() {
                    return;
                }
                let _ = write!(
                    self.svg,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}""#,
                    num(points[0].x),
                    num(points[0].y),
                    num(points[1].x),
                    num(points[1].y)
                );
                self.stroke(*stroke);
                self.svg.push_str("/>");
            }
            Shape::Path(path) => self.path(path),
            Shape::Band(band) => {
                let upper = band.points.iter().map(|p| Pos2::new(p.x, p.y.min));
                let lower = band.points.iter().rev().map(|p| Pos2::new(p.x, p.y.max));
                let points: Vec<Pos2> = upper.chain(lower).collect();
                self.polyline(&points, true, band.fill, &PathStroke::from(band.stroke));
            }
            Shape::Rect(rect) => self.rect(rect),
            Shape::Text(text) => self.text(text),
            Shape::Mesh(mesh) => self.mesh(mesh),
            Shape::QuadraticBezier(b) => {
                let [p0, p1, p2] = b.points;
                let _ = write!(
                    self.svg,
                    r#"<path d="M{} {}Q{} {} {} {}{}""#,
                    num(p0.x),
                    num(p0.y),
                    num(p1.x),
                    num(p1.y),
                    num(p2.x),
                    num(p2.y),
                    if b.closed { "Z" } else { "" }
                );
                self.fill(if b.closed {
                    b.fill
                } else {
                    Color32::TRANSPARENT
                });
                self.path_stroke(&b.stroke, &[p0, p1, p2]);
                self.svg.push_str("/>");
            }
            Shape::CubicBezier(b) => {
                let [p0, p1, p2, p3] = b.points;
                let _ = write!(
                    self.svg,
                    r#"<path d="M{} {}C{} {} {} {} {} {}{}""#,
                    num(p0.x),
                    num(p0.y),
                    num(p1.x),
                    num(p1.y),
                    num(p2.x),
                    num(p2.y),
                    num(p3.x),
                    num(p3.y),
                    if b.closed { "Z" } else { "" }
                );
                self.fill(if b.closed {
                    b.fill
                } else {
                    Color32::TRANSPARENT
                });
                self.path_stroke(&b.stroke, &[p0, p1, p2, p3]);
                self.svg.push_str("/>");
            }
        }
    }

    fn path(&mut self, path: &PathShape) {
        // egui fills only closed paths.
        let fill = if path.closed {
            path.fill
        } else {
            Color32::TRANSPARENT
        };
        self.polyline(&path.points, path.closed, fill, &path.stroke);
    }

    fn polyline(&mut self, points: &[Pos2], closed: bool, fill: Color32, stroke: &PathStroke) {
        let Some(first) = points.first() else { return };
        if fill == Color32::TRANSPARENT && stroke.is_empty() {
            return;
        }
        let _ = write!(self.svg, r#"<path d="M{} {}"#, num(first.x), num(first.y));
        for p in &points[1..] {
            let _ = write!(self.svg, "L{} {}", num(p.x), num(p.y));
        }
        if closed {
            self.svg.push('Z');
        }
        self.svg.push('"');
        self.fill(fill);
        self.path_stroke(stroke, points);
        self.svg.push_str(r#" stroke-linejoin="round"/>"#);
    }

    fn rect(&mut self, shape: &RectShape) {
        // Soft shadows: a blurred rect would paint as a solid block.
        if shape.blur_width > 0.0 {
            return;
        }
        let radius = f32::from(shape.corner_radius.nw);
        if shape.fill != Color32::TRANSPARENT {
            self.rect_element(shape.rect, radius);
            self.fill(shape.fill);
            self.svg.push_str("/>");
        }
        if !shape.stroke.is_empty() {
            let half = shape.stroke.width / 2.0;
            let outline = match shape.stroke_kind {
                StrokeKind::Inside => shape.rect.shrink(half),
                StrokeKind::Middle => shape.rect,
                StrokeKind::Outside => shape.rect.expand(half),
            };
            self.rect_element(outline, radius);
            self.svg.push_str(r#" fill="none""#);
            self.stroke(shape.stroke);
            self.svg.push_str("/>");
        }
    }

    fn rect_element(&mut self, rect: Rect, radius: f32) {
        let _ = write!(
            self.svg,
            r#"<rect x="{}" y="{}" width="{}" height="{}""#,
            num(rect.min.x),
            num(rect.min.y),
            num(rect.width().max(0.0)),
            num(rect.height().max(0.0))
        );
        if radius > 0.0 {
            let _ = write!(self.svg, r#" rx="{}""#, num(radius));
        }
    }

    fn text(&mut self, text: &TextShape) {
        let galley = &text.galley;
        let format = galley.job.sections.first().map(|s| &s.format);
        let mut color = text
            .override_text_color
            .or_else(|| {
                format
                    .map(|f| f.color)
                    .filter(|c| *c != Color32::PLACEHOLDER)
            })
            .unwrap_or(text.fallback_color);
        if text.opacity_factor < 1.0 {
            color = color.gamma_multiply(text.opacity_factor);
        }
        let (size, family) = format.map_or((14.0, "sans-serif"), |f| {
            let family = match &f.font_id.family {
                FontFamily::Monospace => "monospace",
                _ => "sans-serif",
            };
            (f.font_id.size, family)
        });
        for placed in &galley.rows {
            let glyphs = &placed.row.glyphs;
            let Some(first) = glyphs.first() else {
                continue;
            };
            let content: String = glyphs.iter().map(|g| g.chr).collect();
            if content.trim().is_empty() {
                continue;
            }
            let x = text.pos.x + placed.pos.x + first.pos.x;
            let y = text.pos.y + placed.pos.y + first.pos.y;
            let width = glyphs.last().map_or(0.0, |g| g.max_x()) - first.pos.x;
            let _ = write!(
                self.svg,
                r#"<text x="{}" y="{}" font-size="{}""#,
                num(x),
                num(y),
                num(size)
            );
            if family != "sans-serif" {
                let _ = write!(self.svg, r#" font-family="{family}""#);
            }
            // The page's font is not egui's: keep egui's measured width so
            // right-aligned tick labels and the legend line up as laid out.
            if width > 0.0 {
                let _ = write!(
                    self.svg,
                    r#" textLength="{}" lengthAdjust="spacingAndGlyphs""#,
                    num(width)
                );
            }
            if text.angle != 0.0 {
                let _ = write!(
                    self.svg,
                    r#" transform="rotate({} {} {})""#,
                    num(text.angle.to_degrees()),
                    num(text.pos.x),
                    num(text.pos.y)
                );
            }
            self.fill(color);
            self.svg.push_str(r#" xml:space="preserve">"#);
            escape_into(&mut self.svg, &content);
            self.svg.push_str("</text>");
        }
    }

    fn mesh(&mut self, mesh: &Mesh) {
        if mesh.texture_id != egui::TextureId::default()
            || mesh.vertices.iter().any(|v| v.uv != WHITE_UV)
        {
            return;
        }
        let mut current: Option<Color32> = None;
        for triangle in mesh.indices.chunks_exact(3) {
            let vertex = |i: u32| mesh.vertices.get(i as usize);
            let (Some(a), Some(b), Some(c)) = (
                vertex(triangle[0]),
                vertex(triangle[1]),
                vertex(triangle[2]),
            ) else {
                continue;
            };
            if current != Some(a.color) {
                if let Some(color) = current {
                    self.svg.push('"');
                    self.fill(color);
                    self.svg.push_str("/>");
                }
                self.svg.push_str(r#"<path d=""#);
                current = Some(a.color);
            }
            let _ = write!(
                self.svg,
                "M{} {}L{} {}L{} {}Z",
                num(a.pos.x),
                num(a.pos.y),
                num(b.pos.x),
                num(b.pos.y),
                num(c.pos.x),
                num(c.pos.y)
            );
        }
        if let Some(color) = current {
            self.svg.push('"');
            self.fill(color);
            self.svg.push_str("/>");
        }
    }

    fn fill(&mut self, color: Color32) {
        match paint(color) {
            None => self.svg.push_str(r#" fill="none""#),
            Some((rgb, opacity)) => {
                let _ = write!(self.svg, r#" fill="{rgb}""#);
                if let Some(opacity) = opacity {
                    let _ = write!(self.svg, r#" fill-opacity="{opacity}""#);
                }
            }
        }
    }

    fn stroke(&mut self, stroke: Stroke) {
        self.stroke_color(stroke.width, stroke.color);
    }

    fn path_stroke(&mut self, stroke: &PathStroke, points: &[Pos2]) {
        let color = match &stroke.color {
            ColorMode::Solid(color) => *color,
            ColorMode::UV(color_at) => {
                let bounds = Rect::from_points(points);
                points
                    .first()
                    .map_or(Color32::TRANSPARENT, |p| color_at(bounds, *p))
            }
        };
        self.stroke_color(stroke.width, color);
    }

    fn stroke_color(&mut self, width: f32, color: Color32) {
        if width <= 0.0 {
            return;
        }
        let Some((rgb, opacity)) = paint(color) else {
            return;
        };
        let _ = write!(
            self.svg,
            r#" stroke="{rgb}" stroke-width="{}""#,
            num(width.max(self.min_stroke))
        );
        if let Some(opacity) = opacity {
            let _ = write!(self.svg, r#" stroke-opacity="{opacity}""#);
        }
    }
}

/// `#rrggbb` and an opacity below 1, from egui's premultiplied colour;
/// None for fully transparent. Additive colours (alpha 0, light added on
/// top) are drawn opaque: SVG presentation attributes have no blend mode.
fn paint(color: Color32) -> Option<(String, Option<String>)> {
    if color == Color32::TRANSPARENT {
        return None;
    }
    if color.is_additive() {
        return Some((
            format!("#{:02x}{:02x}{:02x}", color.r(), color.g(), color.b()),
            None,
        ));
    }
    let [r, g, b, a] = color.to_srgba_unmultiplied();
    if a == 0 {
        return None;
    }
    let opacity = (a < 255).then(|| num(f32::from(a) / 255.0).to_string());
    Some((format!("#{r:02x}{g:02x}{b:02x}"), opacity))
}

/// A coordinate with at most two decimals and no trailing zeros, so the same
/// frame prints the same bytes and the SVG stays small. Written straight into
/// the output (no String per number: a frame has thousands).
fn num(v: f32) -> Num {
    Num(v)
}

struct Num(f32);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write as _;
        let hundredths = if self.0.is_finite() {
            (f64::from(self.0) * 100.0).round() as i64
        } else {
            0
        };
        if hundredths < 0 {
            f.write_char('-')?;
        }
        let magnitude = hundredths.unsigned_abs();
        write!(f, "{}", magnitude / 100)?;
        let fraction = magnitude % 100;
        if fraction != 0 {
            let digit = |d: u64| char::from(b'0' + d as u8);
            f.write_char('.')?;
            f.write_char(digit(fraction / 10))?;
            if fraction % 10 != 0 {
                f.write_char(digit(fraction % 10))?;
            }
        }
        Ok(())
    }
}

fn escape_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids never reach the page.
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::CircleShape;

    fn clipped(shape: Shape) -> ClippedShape {
        ClippedShape::new(Rect::EVERYTHING, shape)
    }

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(1.0).to_string(), "1");
        assert_eq!(num(1.234_56).to_string(), "1.23");
        assert_eq!(num(-2.05).to_string(), "-2.05");
        assert_eq!(num(0.5).to_string(), "0.5");
        assert_eq!(num(-0.001).to_string(), "0");
        assert_eq!(num(f32::NAN).to_string(), "0");
    }

    #[test]
    fn shapes_become_elements() {
        let shapes = vec![
            clipped(Shape::line_segment(
                [Pos2::new(0.0, 0.0), Pos2::new(10.0, 5.0)],
                Stroke::new(1.0, Color32::RED),
            )),
            clipped(Shape::Circle(CircleShape::filled(
                Pos2::new(5.0, 5.0),
                2.0,
                Color32::from_black_alpha(128),
            ))),
            ClippedShape::new(
                Rect::from_min_size(Pos2::new(1.0, 1.0), egui::vec2(5.0, 5.0)),
                Shape::line(
                    vec![Pos2::new(0.0, 0.0), Pos2::new(3.0, 4.0)],
                    Stroke::new(2.0, Color32::BLUE),
                ),
            ),
        ];
        let svg = to_svg(&shapes, [20.0, 10.0], 1.0);
        assert_eq!(
            svg,
            concat!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10" viewBox="0 0 20 10" font-family="sans-serif">"##,
                r##"<g><line x1="0" y1="0" x2="10" y2="5" stroke="#ff0000" stroke-width="1"/>"##,
                r##"<circle cx="5" cy="5" r="2" fill="#000000" fill-opacity="0.5"/></g>"##,
                r##"<clipPath id="c0"><rect x="1" y="1" width="5" height="5"/></clipPath>"##,
                r##"<g clip-path="url(#c0)"><path d="M0 0L3 4" fill="none" stroke="#0000ff" stroke-width="2" stroke-linejoin="round"/></g>"##,
                "</svg>"
            )
        );
    }

    #[test]
    fn text_is_escaped() {
        let mut out = String::new();
        escape_into(&mut out, "a<b & \"c\" 'd'>\u{1}");
        assert_eq!(out, "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    }
}
