// Which object actions apply to which kinds (as kubectl allows them).
import type { ObjectRef } from "../bindings/ObjectRef";

export type ObjectAction = "delete" | "scale" | "restart" | "cordon" | "uncordon" | "drain";

/** The label of each action, on its button and in a row's menu. */
export const ACTION_LABELS: Record<ObjectAction, string> = {
  delete: "Delete…",
  scale: "Scale…",
  restart: "Restart",
  cordon: "Cordon",
  uncordon: "Uncordon",
  drain: "Drain…",
};

export function isObjectAction(action: string): action is ObjectAction {
  return action in ACTION_LABELS;
}

type KindName = { group: string; kind: string };

const SCALABLE = new Set(["apps/Deployment", "apps/StatefulSet", "apps/ReplicaSet"]);
const RESTARTABLE = new Set(["apps/Deployment", "apps/StatefulSet", "apps/DaemonSet"]);

/** The actions offered for an object of `kind`; `verbs` (when known) must allow delete. */
export function actionsFor(kind: KindName, verbs: readonly string[] | null = null): ObjectAction[] {
  const id = `${kind.group}/${kind.kind}`;
  const actions: ObjectAction[] = [];
  if (SCALABLE.has(id)) actions.push("scale");
  if (RESTARTABLE.has(id)) actions.push("restart");
  if (id === "/Node") actions.push("cordon", "uncordon", "drain");
  if (verbs === null || verbs.length === 0 || verbs.includes("delete")) actions.push("delete");
  return actions;
}

/** "deployments/web in default", for results and confirmations. */
export function describeRef(ref: ObjectRef): string {
  const what = `${ref.kind} ${ref.name}`;
  return ref.namespace !== null && ref.namespace !== "" ? `${what} in ${ref.namespace}` : what;
}

/** Parses a replica count typed by the user: a whole number 0 or more, else null. */
export function parseReplicas(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,6}$/.test(t)) return null;
  return Number(t);
}
