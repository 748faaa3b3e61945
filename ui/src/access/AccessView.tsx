// The Access view: what the user may do in the current context and
// namespace, kinds × verbs, with "why not" for a denied cell (the server's
// access review, asked when the cell is opened).
import { useContext, useState } from "react";

import type { AccessQuery } from "../bindings/AccessQuery";
import type { Decision } from "../bindings/Decision";
import type { KindAccess } from "../bindings/KindAccess";
import { useLoaded } from "../query/useLoaded";
import { accessCheck } from "../ipc/access";
import { ErrorBox } from "../resources/YamlTab";
import { cellQuery, columnLabel, describeQuery, MATRIX_COLUMNS } from "./model";
import { AccessContext, refreshAccess } from "./useAccess";
import "./access.css";

const MARK: Record<Decision["state"], string> = { allowed: "✓", denied: "✗", unknown: "?" };

export function AccessView() {
  const access = useContext(AccessContext);
  const [open, setOpen] = useState<{ query: AccessQuery; decision: Decision } | null>(null);
  if (access === null) return <p className="placeholder__text">Select a context to see what you may do in it.</p>;
  const { matrix } = access;
  const scope = access.namespace !== null ? `namespace "${access.namespace}"` : "all namespaces";
  return (
    <section className="access" data-testid="access-view" aria-label="Access">
      <div className="access__toolbar">
        <p className="access__scope">
          What you may do in context <strong>{access.context}</strong>, {scope}. Cluster-scoped kinds show cluster-wide grants.
        </p>
        <button
          type="button"
          className="button button--small"
          data-testid="access-refresh"
          onClick={() => {
            refreshAccess(access.context);
          }}
        >
          Refresh
        </button>
      </div>
      {access.error !== null && <ErrorBox error={access.error} testId="access-error" />}
      {matrix === null && access.error === null && <p className="placeholder__text">Asking the server…</p>}
      {matrix !== null && !matrix.supported && (
        <p className="banner banner--warn" role="status" data-testid="access-unsupported">
          This server does not answer SelfSubjectRulesReview, so the matrix cannot be filled; each action is checked
          with SelfSubjectAccessReview when you open it, and the server decides.
        </p>
      )}
      {matrix?.supported === true && matrix.incomplete && (
        <p className="banner banner--warn" role="status" data-testid="access-incomplete">
          The server says its rules list may be incomplete{matrix.evaluationError !== null ? ` (${matrix.evaluationError})` : ""}: cells
          marked ? may still be allowed by another authorizer; open one to ask the server.
        </p>
      )}
      {matrix !== null && (
        <div className="access__scroll">
          <table className="access__matrix" data-testid="access-matrix">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                {MATRIX_COLUMNS.map((c) => (
                  <th key={c} scope="col" title={columnLabel(c)}>
                    {columnLabel(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {matrix.kinds.map((kind) => (
                <Row
                  key={`${kind.group}/${kind.plural}`}
                  kind={kind}
                  namespace={matrix.namespace}
                  onOpen={(query, decision) => {
                    setOpen({ query, decision });
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open !== null && (
        <WhyNot
          context={access.context}
          query={open.query}
          decision={open.decision}
          onClose={() => {
            setOpen(null);
          }}
        />
      )}
    </section>
  );
}

function Row({
  kind,
  namespace,
  onOpen,
}: {
  kind: KindAccess;
  namespace: string | null;
  onOpen: (query: AccessQuery, decision: Decision) => void;
}) {
  const name = kind.group !== "" ? `${kind.plural}.${kind.group}` : kind.plural;
  return (
    <tr data-testid="access-row" data-resource={name}>
      <th scope="row" title={`${kind.kind} (${name})`}>
        {kind.kind}
      </th>
      {MATRIX_COLUMNS.map((column) => {
        const cell = kind.verbs.find((v) => v.verb === column);
        if (cell === undefined) return <td key={column} className="access__cell access__cell--none" />;
        const query = cellQuery(kind, column, namespace);
        const { state } = cell.decision;
        const reason = cell.decision.reason;
        return (
          <td key={column} className={`access__cell access__cell--${state}`}>
            <button
              type="button"
              className="access__mark"
              data-testid="access-cell"
              data-verb={column}
              data-state={state}
              aria-label={`${describeQuery(query)}: ${state}`}
              title={reason !== "" ? reason : state}
              onClick={() => {
                onOpen(query, cell.decision);
              }}
            >
              {MARK[state]}
            </button>
          </td>
        );
      })}
    </tr>
  );
}

/** One cell opened: the matrix's answer and the server's access review. */
function WhyNot({
  context,
  query,
  decision,
  onClose,
}: {
  context: string;
  query: AccessQuery;
  decision: Decision;
  onClose: () => void;
}) {
  const review = useLoaded(["access", context, "check", query], async () => (await accessCheck(context, [query]))[0] ?? null);
  return (
    <div className="access__why" data-testid="access-why" role="region" aria-label="Why">
      <p className="access__why-title">
        May you {describeQuery(query)}? <strong>{decision.state === "allowed" ? "Yes" : decision.state === "denied" ? "No" : "Unknown"}</strong>
      </p>
      {decision.reason !== "" && <p data-testid="access-why-rules">{decision.reason}</p>}
      {review.status === "loading" && <p>Asking the server (SelfSubjectAccessReview)…</p>}
      {review.status === "error" && <ErrorBox error={review.error} testId="access-why-error" />}
      {review.status === "ok" && review.value !== null && (
        <p data-testid="access-why-review" data-state={review.value.state}>
          The server's access review: {review.value.state}
          {review.value.reason !== "" ? ` — ${review.value.reason}` : ""}
        </p>
      )}
      <button type="button" className="button button--small" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
