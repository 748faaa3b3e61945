// ANSI SGR colour codes to styled spans. Other control characters are shown
// as their Unicode "control picture" (␛, ␇ ...) so nothing invisible can
// reorder or hide text in the view.

export type Style = {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
};

export type Span = { text: string; style: Style };

// xterm's default palette (normal, then bright).
const BASIC = [
  "#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
  "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff",
];

const hex = (n: number) => n.toString(16).padStart(2, "0");

/** The colour of xterm's 256-colour index `n`. */
export function color256(n: number): string {
  if (n < 16) return BASIC[n] ?? BASIC[7] ?? "#e5e5e5";
  if (n < 232) {
    const i = n - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `#${hex(level(Math.floor(i / 36)))}${hex(level(Math.floor(i / 6) % 6))}${hex(level(i % 6))}`;
  }
  const g = 8 + (n - 232) * 10;
  return `#${hex(g)}${hex(g)}${hex(g)}`;
}

/** Visible stand-in for a control character. */
export function escapeControl(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c < 0x20) return String.fromCharCode(0x2400 + c);
  if (c === 0x7f) return "\u2421";
  return `\\u{${c.toString(16)}}`;
}

// C0 (but tab), DEL and C1 controls.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

function escapeText(text: string): string {
  return text.replace(CONTROL, escapeControl);
}

/** Applies one SGR parameter list to `style` (mutates it). */
function applySgr(style: Style, params: number[]): void {
  if (params.length === 0) params = [0];
  for (let i = 0; i < params.length; i++) {
    const p = params[i] ?? 0;
    if (p === 0) {
      delete style.fg;
      delete style.bg;
      delete style.bold;
      delete style.dim;
      delete style.italic;
      delete style.underline;
      delete style.inverse;
    } else if (p === 1) style.bold = true;
    else if (p === 2) style.dim = true;
    else if (p === 3) style.italic = true;
    else if (p === 4) style.underline = true;
    else if (p === 7) style.inverse = true;
    else if (p === 22) {
      delete style.bold;
      delete style.dim;
    } else if (p === 23) delete style.italic;
    else if (p === 24) delete style.underline;
    else if (p === 27) delete style.inverse;
    else if (p >= 30 && p <= 37) style.fg = color256(p - 30);
    else if (p >= 90 && p <= 97) style.fg = color256(p - 90 + 8);
    else if (p >= 40 && p <= 47) style.bg = color256(p - 40);
    else if (p >= 100 && p <= 107) style.bg = color256(p - 100 + 8);
    else if (p === 39) delete style.fg;
    else if (p === 49) delete style.bg;
    else if (p === 38 || p === 48) {
      const key = p === 38 ? "fg" : "bg";
      const mode = params[i + 1];
      if (mode === 5 && params[i + 2] !== undefined) {
        style[key] = color256(Math.min(255, params[i + 2] ?? 0));
        i += 2;
      } else if (mode === 2 && params[i + 4] !== undefined) {
        const [r, g, b] = [params[i + 2], params[i + 3], params[i + 4]].map((v) => hex(Math.min(255, v ?? 0)));
        style[key] = `#${r ?? "00"}${g ?? "00"}${b ?? "00"}`;
        i += 4;
      } else {
        // Malformed extended colour: ignore the rest of this sequence.
        return;
      }
    }
  }
}

// ESC [ params m
// eslint-disable-next-line no-control-regex -- ESC starts the sequences we parse
const SGR = /\u001b\[([0-9;]*)m/g;

/** Splits `text` into styled spans; adjacent spans never share a style object. */
export function parseAnsi(text: string): Span[] {
  const spans: Span[] = [];
  const style: Style = {};
  let last = 0;
  const push = (raw: string) => {
    if (raw.length === 0) return;
    spans.push({ text: escapeText(raw), style: { ...style } });
  };
  if (!text.includes("\u001b")) {
    push(text);
    return spans;
  }
  SGR.lastIndex = 0;
  for (let m = SGR.exec(text); m !== null; m = SGR.exec(text)) {
    push(text.slice(last, m.index));
    const params = (m[1] ?? "").split(";").filter((s) => s !== "").map((s) => Number.parseInt(s, 10));
    applySgr(style, params);
    last = m.index + m[0].length;
  }
  push(text.slice(last));
  return spans;
}

/** The text with colour codes removed (what search and download see). */
export function stripAnsi(text: string): string {
  return text.includes("\u001b") ? text.replace(SGR, "") : text;
}
