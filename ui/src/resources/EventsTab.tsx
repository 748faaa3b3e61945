import type { ObjectRef } from "../bindings/ObjectRef";
import { objectEvents } from "../ipc/resources";
import { formatAge } from "./age";
import { useNow } from "./ticker";
import { useLoaded } from "../query/useLoaded";
import { ErrorBox } from "./YamlTab";

type Props = { context: string; reference: ObjectRef; refKey: string };

export function EventsTab({ context, reference, refKey }: Props) {
  const events = useLoaded(["object", context, refKey, "events"], () => objectEvents(context, reference));
  const now = useNow();
  if (events.status === "loading") return <p className="details__note">Loading events…</p>;
  if (events.status === "error") return <ErrorBox error={events.error} testId="details-events-error" />;
  return (
    <div data-testid="details-events">
      {events.value.length === 0 ? (
        <p className="details__note">No events about this object (the API server keeps them about an hour).</p>
      ) : (
        <table className="mini-table">
          <thead>
            <tr>
              <th>Type</th>
              <th>Reason</th>
              <th>Last seen</th>
              <th>Count</th>
              <th>Message</th>
              <th>From</th>
            </tr>
          </thead>
          <tbody>
            {events.value.map((e, i) => (
              <tr key={i} data-testid="details-event" className={e.type === "Warning" ? "text--warn" : undefined}>
                <td>{e.type}</td>
                <td>{e.reason}</td>
                <td>{formatAge(e.lastMs ?? e.firstMs, now)}</td>
                <td>{e.count}</td>
                <td>{e.message}</td>
                <td>{e.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
