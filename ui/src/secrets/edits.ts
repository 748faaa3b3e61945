// The edit dialog's draft and the list of changes it saves.
import type { KeyEdit } from "../bindings/KeyEdit";
import type { ValueInput } from "../bindings/ValueInput";
import { duplicateKey, secretKeyProblem } from "./validate";

/** An existing key: kept, given a new value, or removed. */
export type ExistingKey = { key: string; change: { kind: "keep" } | { kind: "set"; value: ValueInput } | { kind: "remove" } };

/** A key added in this edit. */
export type AddedKey = { id: number; key: string; value: ValueInput };

export type Draft = { existing: ExistingKey[]; added: AddedKey[] };

export function draftOf(keys: readonly string[]): Draft {
  return { existing: keys.map((key) => ({ key, change: { kind: "keep" } })), added: [] };
}

/**
 * The changes to save, or the first problem. Keys are never renamed
 * silently: an added key that names an existing one is refused unless that
 * one is removed in the same edit.
 */
export function editsOf(draft: Draft): { edits: KeyEdit[] } | { problem: string } {
  const edits: KeyEdit[] = [];
  for (const e of draft.existing) {
    if (e.change.kind === "set") edits.push({ op: "set", key: e.key, value: e.change.value });
    if (e.change.kind === "remove") edits.push({ op: "remove", key: e.key });
  }
  const kept = draft.existing.filter((e) => e.change.kind !== "remove").map((e) => e.key);
  const addedKeys = draft.added.map((a) => a.key.trim());
  for (const k of addedKeys) {
    const problem = secretKeyProblem(k);
    if (problem !== null) return { problem: `"${k}": ${problem}` };
  }
  const dup = duplicateKey([...kept, ...addedKeys]);
  if (dup !== null) return { problem: `The key "${dup}" is given twice; remove the existing one first to replace it.` };
  draft.added.forEach((a, i) => {
    edits.push({ op: "set", key: addedKeys[i] ?? a.key, value: a.value });
  });
  if (edits.length === 0) return { problem: "Nothing has changed." };
  return { edits };
}
