// What each action of the details panel needs from RBAC, as kubectl would
// ask it: the verb on the kind, or on a subresource (scale, exec, eviction).
import type { AccessQuery } from "../bindings/AccessQuery";
import type { ObjectRef } from "../bindings/ObjectRef";
import { describeQuery } from "./model";

export type GatedAction =
  | "delete"
  | "scale"
  | "restart"
  | "cordon"
  | "uncordon"
  | "drain"
  | "forward"
  | "shell"
  | "attach"
  | "debug"
  | "copy"
  | "edit"
  | "reveal"
  | "editSecret";

/** (group, resource, subresource, verb) of an action on `ref`. */
function need(action: GatedAction, ref: ObjectRef): [string, string, string | null, string] {
  switch (action) {
    case "delete":
      return [ref.group, ref.plural, null, "delete"];
    case "scale":
      return [ref.group, ref.plural, "scale", "patch"];
    case "restart":
    case "cordon":
    case "uncordon":
      return [ref.group, ref.plural, null, "patch"];
    case "drain":
      return ["", "pods", "eviction", "create"];
    // A forward to a service or workload still opens a pod's portforward.
    case "forward":
      return ["", "pods", "portforward", "create"];
    case "shell":
    case "copy":
      return ["", "pods", "exec", "create"];
    case "attach":
      return ["", "pods", "attach", "create"];
    case "debug":
      return ["", "pods", "ephemeralcontainers", "patch"];
    case "edit":
    case "editSecret":
      return [ref.group, ref.plural, null, "update"];
    case "reveal":
      return [ref.group, ref.plural, null, "get"];
  }
}

/** The access query and its words for an action, as GatedButton takes them. */
export function actionQuery(action: GatedAction, ref: ObjectRef): { query: AccessQuery; what: string } {
  const [group, resource, subresource, verb] = need(action, ref);
  // Drain evicts pods on every namespace of the node: a cluster-wide question.
  const namespace = action === "drain" ? null : ref.namespace;
  const query: AccessQuery = { group, resource, subresource, verb, namespace };
  return { query, what: describeQuery(query) };
}
