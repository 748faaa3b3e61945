// Pure access logic: looking a cell up in the matrix, what the sidebar dims,
// and the gate of each action (allowed, or disabled with the reason).
import type { AccessMatrix } from "../bindings/AccessMatrix";
import type { AccessQuery } from "../bindings/AccessQuery";
import type { Decision } from "../bindings/Decision";
import type { Denial } from "../bindings/Denial";

/** An action's gate: enabled, or disabled with the reason shown on hover. */
export type Gate = { allowed: true; reason: null } | { allowed: false; reason: string };

export const OPEN: Gate = { allowed: true, reason: null };

/** The matrix column a query is in: exec/portforward for pods' subresources, else the verb. */
export function columnOf(query: Pick<AccessQuery, "verb" | "subresource">): string {
  if (query.subresource === "exec" && query.verb === "create") return "exec";
  if (query.subresource === "portforward" && query.verb === "create") return "portforward";
  return query.verb;
}

/** The matrix's decision for `query`, or null when the matrix has no such cell. */
export function cellOf(matrix: AccessMatrix | null, query: AccessQuery): Decision | null {
  if (matrix === null) return null;
  // A subresource other than the two pod columns is not in the matrix.
  if (query.subresource != null && columnOf(query) === query.verb) return null;
  const kind = matrix.kinds.find((k) => k.group === query.group && k.plural === query.resource);
  if (kind === undefined) return null;
  // The matrix answers for its namespace; a cell of another namespace is not in it.
  const ns = kind.namespaced ? matrix.namespace : null;
  if (kind.namespaced && (query.namespace ?? null) !== ns) return null;
  return kind.verbs.find((v) => v.verb === columnOf(query))?.decision ?? null;
}

/**
 * The gate for a decision. Only a denial disables: an unknown cell (no review
 * API, an incomplete review) stays enabled and the server decides.
 */
export function gateOf(decision: Decision | null, what: string): Gate {
  if (decision?.state !== "denied") return OPEN;
  return { allowed: false, reason: `Not allowed: you may not ${what}. ${decision.reason}` };
}

/** "list secrets in namespace "web"", as the Rust side words it. */
export function describeQuery(query: AccessQuery): string {
  const resource =
    (query.subresource != null ? `${query.resource}/${query.subresource}` : query.resource) +
    (query.group !== "" ? `.${query.group}` : "");
  return query.namespace != null
    ? `${query.verb} ${resource} in namespace "${query.namespace}"`
    : `${query.verb} ${resource} cluster-wide`;
}

export function describeDenial(denial: Denial): string {
  return describeQuery({
    group: denial.group,
    resource: denial.resource,
    subresource: null,
    verb: denial.verb,
    namespace: denial.namespace,
  });
}

/**
 * Kinds the user may not list, by `group/plural`, with the reason for the
 * sidebar's tooltip. Unknown cells are not dimmed.
 */
export function deniedLists(matrix: AccessMatrix | null): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  if (matrix === null) return out;
  for (const kind of matrix.kinds) {
    const list = kind.verbs.find((v) => v.verb === "list")?.decision;
    if (list?.state !== "denied") continue;
    const scope = kind.namespaced
      ? matrix.namespace !== null
        ? `in namespace "${matrix.namespace}"`
        : "in all namespaces"
      : "(cluster-wide)";
    out.set(`${kind.group}/${kind.plural}`, `You may not list ${kind.plural} ${scope}: ${list.reason}`);
  }
  return out;
}

/** A query for `verb` on a kind (optionally a subresource) in a namespace. */
export function queryFor(
  group: string,
  resource: string,
  verb: string,
  namespace: string | null,
  subresource: string | null = null,
): AccessQuery {
  return { group, resource, subresource, verb, namespace };
}

/** The sidebar's denied kinds by nav id, from the matrix's answers by group/plural. */
export function deniedNavKinds(
  matrix: AccessMatrix | null,
  kinds: ReadonlyMap<string, { group: string; plural: string }>,
): ReadonlyMap<string, string> {
  const denied = deniedLists(matrix);
  const out = new Map<string, string>();
  for (const [id, info] of kinds) {
    const reason = denied.get(`${info.group}/${info.plural}`);
    if (reason !== undefined) out.set(id, reason);
  }
  return out;
}

/** The matrix's columns: its verbs, then exec and port-forward (pods only). */
export const MATRIX_COLUMNS = ["get", "list", "watch", "create", "update", "patch", "delete", "exec", "portforward"] as const;

export function columnLabel(column: string): string {
  return column === "portforward" ? "port-forward" : column;
}

/** The query behind a matrix cell. */
export function cellQuery(
  kind: { group: string; plural: string; namespaced: boolean },
  column: string,
  namespace: string | null,
): AccessQuery {
  const sub = column === "exec" || column === "portforward" ? column : null;
  return {
    group: kind.group,
    resource: kind.plural,
    subresource: sub,
    verb: sub !== null ? "create" : column,
    namespace: kind.namespaced ? namespace : null,
  };
}
