// Fuzzy matching for the command palette: the query's characters must appear
// in order; runs of consecutive characters, a match at the start, and
// matches after a word boundary (-, ., /, space, case change) score higher,
// as in VS Code's quick open. Case-insensitive.

export type Match = { score: number; positions: number[] };

const BOUNDARY = new Set(["-", "_", ".", "/", " ", ":"]);

function isBoundary(text: string, i: number): boolean {
  if (i === 0) return true;
  const prev = text.charAt(i - 1);
  if (BOUNDARY.has(prev)) return true;
  const c = text.charAt(i);
  return prev === prev.toLowerCase() && c !== c.toLowerCase();
}

/**
 * Scores `text` against `query`; null when the query's characters are not
 * all in `text`, in order. An empty query matches everything with score 0.
 */
export function fuzzyMatch(query: string, text: string): Match | null {
  const q = query.toLowerCase();
  if (q === "") return { score: 0, positions: [] };
  const t = text.toLowerCase();
  // A substring match is what users mean most often: take it when present.
  const at = t.indexOf(q);
  if (at >= 0) {
    const positions = Array.from({ length: q.length }, (_, i) => at + i);
    // Mid-word substrings rank below acronyms ("ds" means daemon-sets more than adsorb).
    let score = (at === 0 ? 150 : isBoundary(text, at) ? 125 : 30) + q.length * 10 - Math.min(at, 20);
    if (q.length === t.length) score += 100;
    return { score, positions };
  }
  const positions: number[] = [];
  let score = 0;
  let from = 0;
  for (const ch of q) {
    // Prefer the next boundary occurrence of ch, else the next one at all.
    let found = -1;
    for (let i = from; i < t.length; i++) {
      if (t.charAt(i) !== ch) continue;
      if (isBoundary(text, i)) {
        found = i;
        break;
      }
      if (found < 0) found = i;
    }
    if (found < 0) return null;
    const last = positions[positions.length - 1];
    score += 1;
    if (last !== undefined && found === last + 1) score += 5;
    if (isBoundary(text, found)) score += 8;
    score -= Math.min(found - from, 10) * 0.5;
    positions.push(found);
    from = found + 1;
  }
  // Every character at a word start: an acronym ("sfs" for stateful-sets).
  if (positions.every((p) => isBoundary(text, p))) score += 60;
  return { score, positions };
}
