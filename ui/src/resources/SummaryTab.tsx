import type { ObjectDetails } from "../bindings/ObjectDetails";
import type { ObjectRef } from "../bindings/ObjectRef";
import type { RelatedObject } from "../bindings/RelatedObject";
import { formatAge } from "./age";
import { useNow } from "./ticker";

type Props = { details: ObjectDetails; onOpen: (reference: ObjectRef) => void };

function entries(map: Record<string, string>): [string, string][] {
  return Object.entries(map).sort(([a], [b]) => a.localeCompare(b));
}

function quantities(map: Record<string, string>): string {
  const list = entries(map);
  return list.length === 0 ? "—" : list.map(([k, v]) => `${k}: ${v}`).join(", ");
}

export function SummaryTab({ details, onOpen }: Props) {
  const now = useNow();
  const labels = entries(details.labels);
  const annotations = entries(details.annotations);
  return (
    <div className="summary" data-testid="details-summary">
      <dl className="summary__facts">
        <dt>Status</dt>
        <dd data-testid="details-status">{details.status ?? "—"}</dd>
        {details.reference.namespace !== null && (
          <>
            <dt>Namespace</dt>
            <dd>{details.reference.namespace}</dd>
          </>
        )}
        {details.node !== null && (
          <>
            <dt>Node</dt>
            <dd>{details.node}</dd>
          </>
        )}
        <dt>Age</dt>
        <dd>{formatAge(details.createdMs, now)}</dd>
        <dt>UID</dt>
        <dd className="mono">{details.uid}</dd>
      </dl>

      {details.conditions.length > 0 && (
        <Section title="Conditions">
          <table className="mini-table" data-testid="details-conditions">
            <thead>
              <tr>
                <th>Type</th>
                <th>Status</th>
                <th>Reason</th>
                <th>Message</th>
                <th>Since</th>
              </tr>
            </thead>
            <tbody>
              {details.conditions.map((c) => (
                <tr key={c.type}>
                  <td>{c.type}</td>
                  <td>{c.status}</td>
                  <td>{c.reason ?? ""}</td>
                  <td>{c.message ?? ""}</td>
                  <td>{c.lastTransitionMs !== null ? formatAge(c.lastTransitionMs, now) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}

      <Section title={`Labels (${String(labels.length)})`}>
        <div className="tags" data-testid="details-labels">
          {labels.map(([k, v]) => (
            <span key={k} className="chip chip--muted" title={`${k}=${v}`}>
              {k}={v}
            </span>
          ))}
        </div>
      </Section>

      {annotations.length > 0 && (
        <Section title={`Annotations (${String(annotations.length)})`}>
          <dl className="summary__annotations" data-testid="details-annotations">
            {annotations.map(([k, v]) => (
              <div key={k}>
                <dt className="mono">{k}</dt>
                <dd className="mono">{v}</dd>
              </div>
            ))}
          </dl>
        </Section>
      )}

      {details.owners.length > 0 && (
        <Section title="Owned by">
          <Related list={details.owners} onOpen={onOpen} testId="details-owners" />
        </Section>
      )}
      {details.owned.length > 0 && (
        <Section title={`Controls (${String(details.owned.length)})`}>
          <Related list={details.owned} onOpen={onOpen} testId="details-owned" />
        </Section>
      )}

      {details.containers.length > 0 && (
        <Section title="Containers">
          {details.containers.map((c) => (
            <div key={`${c.role}/${c.name}`} className="container-card" data-testid="details-container" data-name={c.name}>
              <p className="container-card__title">
                {c.name} {c.role !== "app" && <span className="badge badge--muted">{c.role}</span>}{" "}
                <span className={c.ready ? "text--ok" : "text--warn"}>{c.state}</span>
              </p>
              <dl className="summary__facts">
                <dt>Image</dt>
                <dd className="mono">{c.image}</dd>
                <dt>Restarts</dt>
                <dd>{c.restarts}</dd>
                <dt>Ports</dt>
                <dd>
                  {c.ports.length === 0
                    ? "—"
                    : c.ports
                        .map((p) => `${p.name !== null ? `${p.name}:` : ""}${String(p.containerPort)}/${p.protocol}`)
                        .join(", ")}
                </dd>
                <dt>Requests</dt>
                <dd>{quantities(c.requests)}</dd>
                <dt>Limits</dt>
                <dd>{quantities(c.limits)}</dd>
              </dl>
            </div>
          ))}
        </Section>
      )}
    </div>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="summary__section">
      <h4 className="summary__title">{title}</h4>
      {children}
    </section>
  );
}

function Related({
  list,
  onOpen,
  testId,
}: {
  list: RelatedObject[];
  onOpen: (reference: ObjectRef) => void;
  testId: string;
}) {
  return (
    <ul className="related" data-testid={testId}>
      {list.map((r) => (
        <li key={`${r.reference.kind}/${r.reference.namespace ?? ""}/${r.reference.name}`}>
          <button
            type="button"
            className="link-button"
            data-testid="related-link"
            data-kind={r.reference.kind}
            data-name={r.reference.name}
            onClick={() => {
              onOpen(r.reference);
            }}
          >
            {r.reference.kind}/{r.reference.name}
          </button>
          {r.state !== null && <span className="related__state">{r.state}</span>}
        </li>
      ))}
    </ul>
  );
}
