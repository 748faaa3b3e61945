// k9s-style keys on the selected row, as one pure mapping so the table, the
// cheat sheet and the tests agree.
import type { ObjectRef } from "../bindings/ObjectRef";
import { targetFor } from "../logs/opener";
import { forwardTargetFor } from "../forward/opener";
import { podShortcut } from "../shell/pod";
import { actionsFor } from "./actions";

/** An action the details panel carries out when asked (a dialog or a tab). */
export type PanelAction = "edit" | "delete" | "forward" | "scale";

/** A request for the details panel of `target` (a refKey); `seq` makes repeats distinct. */
export type PanelRequest = { action: PanelAction; target: string; seq: number };

export type RowKeyAction =
  | { type: "logs" }
  | { type: "terminal"; mode: "exec" | "attach" }
  | { type: "panel"; action: PanelAction }
  | { type: "pin" }
  | { type: "filter" };

/** What `key` does on the selected `ref`, or null when it does nothing for that kind. */
export function rowKeyAction(key: string, modified: boolean, ref: ObjectRef, verbs: readonly string[] | null): RowKeyAction | null {
  if (modified) return null;
  const pod = ref.group === "" && ref.kind === "Pod" && ref.namespace !== null;
  const mode = podShortcut(key, modified);
  if (mode !== null) return pod ? { type: "terminal", mode } : null;
  switch (key) {
    case "/":
      return { type: "filter" };
    case "l":
      return targetFor(ref.kind, ref.name) !== null && ref.namespace !== null ? { type: "logs" } : null;
    case "f":
      return forwardTargetFor(ref.kind, ref.name) !== null ? { type: "panel", action: "forward" } : null;
    case "e":
      return { type: "panel", action: "edit" };
    case "d":
      return actionsFor(ref, verbs).includes("delete") ? { type: "panel", action: "delete" } : null;
    case "p":
      return { type: "pin" };
    default:
      return null;
  }
}
