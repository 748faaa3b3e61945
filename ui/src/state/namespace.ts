import type { ContextSummary } from "../bindings/ContextSummary";
import type { NamespaceSelection } from "../bindings/NamespaceSelection";

/** `<option>` value of the "All namespaces" entry (no namespace can be named so). */
export const ALL_VALUE = "__all__";

export const ALL: NamespaceSelection = { kind: "all" };

export function named(name: string): NamespaceSelection {
  return { kind: "named", name };
}

/**
 * The namespace a context opens in: the one remembered for it, else the
 * context's own, else "default" (as kubectl).
 */
export function resolveNamespace(
  remembered: NamespaceSelection | null,
  context: ContextSummary,
): NamespaceSelection {
  if (remembered !== null) {
    if (remembered.kind === "all") return ALL;
    if (remembered.name !== "") return named(remembered.name);
  }
  if (context.namespace !== null && context.namespace !== "") return named(context.namespace);
  return named("default");
}

/** Value of the namespace `<select>` for a selection. */
export function selectionValue(selection: NamespaceSelection): string {
  return selection.kind === "all" ? ALL_VALUE : selection.name;
}

/** Selection for a `<select>` value. */
export function selectionFromValue(value: string): NamespaceSelection {
  return value === ALL_VALUE ? ALL : named(value);
}

/** Status-bar text for a selection. */
export function selectionLabel(selection: NamespaceSelection): string {
  return selection.kind === "all" ? "all namespaces" : selection.name;
}

export function sameSelection(a: NamespaceSelection, b: NamespaceSelection): boolean {
  if (a.kind === "all" || b.kind === "all") return a.kind === b.kind;
  return a.name === b.name;
}

/**
 * Namespace names offered in the switcher: the cluster's, sorted, with the
 * selected one kept even if the cluster did not list it (typed by hand, or
 * the list failed).
 */
export function namespaceOptions(listed: readonly string[], selection: NamespaceSelection): string[] {
  const names = new Set(listed.filter((n) => n !== ""));
  if (selection.kind === "named") names.add(selection.name);
  return [...names].sort((a, b) => a.localeCompare(b));
}

/**
 * Checks a typed namespace name: a DNS-1123 label (lowercase letters, digits,
 * '-', at most 63 characters, starting and ending alphanumeric). Returns the
 * problem, or null when it is fine.
 */
export function namespaceNameProblem(name: string): string | null {
  if (name === "") return "Enter a namespace name.";
  if (name.length > 63) return "A namespace name has at most 63 characters.";
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    return "Use lowercase letters, digits and '-', starting and ending with a letter or digit.";
  }
  return null;
}
