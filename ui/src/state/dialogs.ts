import type { ContextSummary } from "../bindings/ContextSummary";
import type { MakeCurrentOutcome } from "../bindings/MakeCurrentOutcome";
import type { MakeCurrentPreview } from "../bindings/MakeCurrentPreview";

/** Which dialog is open over the app. */
export type DialogState =
  | { type: "none" }
  | { type: "add" }
  | { type: "makeCurrent"; context: string }
  | { type: "rename"; context: string }
  | { type: "remove"; context: string };

export const NO_DIALOG: DialogState = { type: "none" };

/** Entries of a context's menu, in order. Only managed contexts can be renamed or removed. */
export type ContextAction = "makeCurrent" | "rename" | "remove";

export function contextActions(context: ContextSummary): ContextAction[] {
  return context.managed ? ["makeCurrent", "rename", "remove"] : ["makeCurrent"];
}

/** The warning shown before "make current" rewrites a file, or null when the rewrite is clean. */
export function makeCurrentWarning(preview: MakeCurrentPreview): string | null {
  if (!preview.hasComments && !preview.formattingMayChange) return null;
  const what = preview.hasComments ? "Comments and formatting" : "Formatting";
  return `${what} of this file may be lost: it is rewritten as YAML. A timestamped backup of the current file is kept next to it.`;
}

/** What "make current" did, in one sentence. */
export function makeCurrentResult(context: string, outcome: MakeCurrentOutcome): string {
  if (outcome.backup === null) {
    return `"${context}" was already the current context in ${outcome.file}; nothing was written.`;
  }
  return `"${context}" is now the current context in ${outcome.file}.`;
}

/** Checks a new name for a managed context; returns the problem or null. */
export function renameProblem(
  from: string,
  to: string,
  existing: readonly string[],
): string | null {
  const name = to.trim();
  if (name === "") return "Enter a name.";
  if (name === from) return null;
  if (existing.includes(name)) return `A context named "${name}" already exists.`;
  return null;
}
