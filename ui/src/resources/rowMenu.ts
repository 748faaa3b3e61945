// What an object offers — the details panel's buttons and a table row's
// context menu come from the same list, so the two always agree — and what
// choosing a menu entry does.
import type { ObjectRef } from "../bindings/ObjectRef";
import type { MenuItem } from "../components/Menu";
import { forwardTargetFor } from "../forward/opener";
import { targetFor } from "../logs/opener";
import { isPodRef } from "../shell/pod";
import type { ObjectAction } from "./actions";
import { ACTION_LABELS, actionsFor } from "./actions";

/** A pod's terminal and copy actions (`PodActions`). */
export type PodAction = "shell" | "attach" | "debug" | "copyFrom" | "copyTo";

/** Everything an object can offer. */
export type RowAction = "details" | "editYaml" | "logs" | "forward" | PodAction | ObjectAction;

/** The dock openers the app provides; without one, its actions are not offered. */
export type Openers = { logs: boolean; terminal: boolean; forwards: boolean };

const POD_ACTIONS: readonly PodAction[] = ["shell", "attach", "debug", "copyFrom", "copyTo"];

/**
 * The actions of the details panel for `ref`, in the order they show: logs,
 * the pod's terminals and copies, port-forward, then the kind's own
 * (scale, restart, node actions, delete as `verbs` allow).
 */
export function objectActions(ref: ObjectRef, verbs: readonly string[] | null, openers: Openers): RowAction[] {
  const namespaced = ref.namespace !== null;
  const out: RowAction[] = [];
  if (openers.logs && namespaced && targetFor(ref.kind, ref.name) !== null) out.push("logs");
  if (openers.terminal && isPodRef(ref)) out.push(...POD_ACTIONS);
  if (openers.forwards && namespaced && forwardTargetFor(ref.kind, ref.name) !== null) out.push("forward");
  out.push(...actionsFor(ref, verbs));
  return out;
}

/** Known verbs without update or patch: the object cannot be edited. */
function editable(verbs: readonly string[] | null): boolean {
  return verbs === null || verbs.length === 0 || verbs.includes("update") || verbs.includes("patch");
}

/**
 * A row's context menu, as Lens has it: Details first, then the panel's
 * actions, Edit YAML, and Delete last.
 */
export function rowMenuActions(ref: ObjectRef, verbs: readonly string[] | null, openers: Openers): RowAction[] {
  const actions = objectActions(ref, verbs, openers);
  const out: RowAction[] = ["details", ...actions.filter((a) => a !== "delete")];
  if (editable(verbs)) out.push("editYaml");
  if (actions.includes("delete")) out.push("delete");
  return out;
}

export const ROW_ACTION_LABELS: Record<RowAction, string> = {
  details: "Details",
  editYaml: "Edit YAML",
  logs: "Logs",
  forward: "Port forward…",
  shell: "Shell",
  attach: "Attach",
  debug: "Debug container…",
  copyFrom: "Copy from container…",
  copyTo: "Copy to container…",
  ...ACTION_LABELS,
};

export function rowMenuItem(action: RowAction): MenuItem {
  return { id: action, label: ROW_ACTION_LABELS[action], testId: `row-menu-${action}`, danger: action === "delete" };
}

/** An action the details panel starts when it opens: the form, question or run its button would start. */
export type PanelIntent = Exclude<RowAction, "details" | "logs" | "shell" | "attach">;

/** What choosing a menu entry does. */
export type RowChoice =
  | { open: "details" }
  | { open: "logs" }
  | { open: "terminal"; mode: "exec" | "attach" }
  | { open: "panel"; intent: PanelIntent };

/**
 * Logs and terminals open their dock tab at once (as the `s`/`a` shortcuts
 * do); an action with a form, a question or a result to show opens the
 * object's details panel with it started, so it runs exactly as its button.
 */
export function chooseRowAction(action: RowAction): RowChoice {
  switch (action) {
    case "details":
      return { open: "details" };
    case "logs":
      return { open: "logs" };
    case "shell":
      return { open: "terminal", mode: "exec" };
    case "attach":
      return { open: "terminal", mode: "attach" };
    default:
      return { open: "panel", intent: action };
  }
}

/** The menu key, or Shift+F10, asks for a context menu from the keyboard. */
export function isMenuKey(key: string, shift: boolean): boolean {
  return key === "ContextMenu" || (key === "F10" && shift);
}
