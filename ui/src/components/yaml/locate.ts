// Where in the edited YAML an error points: the parser's "line N", else the
// field path a server's validation message names ("spec.replicas: Invalid
// value"), found by walking the text's indentation. Pure, so it is unit-tested;
// the editor shows the result as a lint mark on that line.

export type LineMark = { line: number; message: string };

/** The first "line N" in `message`, 1-based. */
export function lineNumberIn(message: string): number | null {
  const m = /\bline (\d+)\b/i.exec(message);
  if (m?.[1] === undefined) return null;
  const n = Number(m[1]);
  return n > 0 ? n : null;
}

/** Dotted field paths followed by a colon, as the API server's validation errors name them. */
export function fieldPathsIn(message: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[\s,[])((?:[a-zA-Z][\w-]*(?:\[\d+\])?)(?:\.[a-zA-Z][\w-]*(?:\[\d+\])?)+):/g;
  for (let m = re.exec(message); m !== null; m = re.exec(message)) {
    if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/** The documents of a `---` stream: the 1-based first and last line of each. */
export function documentRanges(text: string): { first: number; last: number }[] {
  const lines = text.split("\n");
  const out: { first: number; last: number }[] = [];
  let first = 1;
  lines.forEach((line, i) => {
    if (line === "---" || line.startsWith("--- ")) {
      if (i + 1 > first) out.push({ first, last: i });
      first = i + 2;
    }
  });
  if (first <= lines.length) out.push({ first, last: lines.length });
  return out;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/**
 * The line of `path` (e.g. `spec.template.spec.containers[0].image`) inside
 * lines `first..last` of `text`: each segment is the next key deeper than the
 * one before. The deepest segment found wins; null when not even the first is.
 */
export function lineOfPath(text: string, path: string, first = 1, last = Number.MAX_SAFE_INTEGER): number | null {
  const lines = text.split("\n");
  const end = Math.min(last, lines.length);
  let found: number | null = null;
  let depth = -1;
  let from = first;
  for (const raw of path.split(".")) {
    const key = raw.replace(/\[\d+\]$/, "");
    let hit: number | null = null;
    for (let n = from; n <= end; n++) {
      const line = lines[n - 1] ?? "";
      if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
      const indent = indentOf(line);
      // Left the parent's block: the key is not there.
      if (found !== null && indent <= depth && !line.trimStart().startsWith("- ")) break;
      const body = line.trimStart().replace(/^- /, "");
      if (body.startsWith(`${key}:`) && indent > depth) {
        hit = n;
        depth = indent + (line.trimStart().startsWith("- ") ? 2 : 0);
        break;
      }
    }
    if (hit === null) break;
    found = hit;
    from = hit + 1;
  }
  return found;
}

/**
 * The line an error about `text` points at, or null: a "line N" first, then
 * the first field path found in the document (`document`: 0-based index in a
 * `---` stream, for create results).
 */
export function locateError(message: string, text: string, document?: number): number | null {
  const lines = text.split("\n").length;
  const direct = lineNumberIn(message);
  if (direct !== null) return Math.min(direct, lines);
  const range = document !== undefined ? documentRanges(text)[document] : undefined;
  for (const path of fieldPathsIn(message)) {
    const line = lineOfPath(text, path, range?.first, range?.last);
    if (line !== null) return line;
  }
  return range?.first ?? null;
}

/** The lint mark for an IpcError about `text` (message and detail searched), or none. */
export function marksForError(error: { message: string; detail: string | null }, text: string): LineMark[] {
  const line = locateError([error.message, error.detail ?? ""].join("\n"), text);
  return line !== null ? [{ line, message: error.message }] : [];
}
