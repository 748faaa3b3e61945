// k9s-style keys on the selected row, as one pure mapping so the table, the
// cheat sheet and the tests agree.
import type { ObjectRef } from "../bindings/ObjectRef";
import { targetFor } from "../logs/opener";
import { forwardTargetFor } from "../forward/opener";
import { podShortcut } from "../shell/pod";
import { actionsFor } from "./actions";

import type { PanelIntent } from "./rowMenu";

/** A request for the details panel of `target` (a refKey) to start an action; `seq` makes repeats distinct. */
export type PanelRequest = { action: PanelIntent; target: string; seq: number };

export type RowKeyAction =
  | { type: "logs" }
  | { type: "terminal"; mode: "exec" | "attach" }
  | { type: "panel"; action: PanelIntent }
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
      return { type: "panel", action: "editYaml" };
    case "d":
      return actionsFor(ref, verbs).includes("delete") ? { type: "panel", action: "delete" } : null;
    case "p":
      return { type: "pin" };
    default:
      return null;
  }
}
