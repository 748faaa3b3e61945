// The frame Rust sends is SVG text of our own making (egui_plot's shapes,
// text XML-escaped). It is parsed as XML, never assigned as HTML, so nothing
// in it can run, and a malformed frame is an error rather than a broken page.

/** The `<svg>` element of `text`, ready to insert into `doc`; null if it is not one. */
export function parseSvg(text: string, doc: Document = document): SVGSVGElement | null {
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = parsed.documentElement;
  if (root.localName !== "svg" || parsed.getElementsByTagName("parsererror").length > 0) return null;
  return doc.importNode(root, true) as unknown as SVGSVGElement;
}
