import type { ViewStatus } from "../bindings/ViewStatus";

export function viewStatusLabel(status: ViewStatus): string {
  switch (status.state) {
    case "listing":
      return "listing…";
    case "live":
      return "live";
    case "reconnecting":
      return "reconnecting";
  }
}

/** Where the open view stands, in the table header. */
export function ViewStatusBadge({ status }: { status: ViewStatus }) {
  const reason = status.state === "reconnecting" ? status.reason : null;
  return (
    <span
      className={`view-status view-status--${status.state}`}
      data-testid="view-status"
      data-state={status.state}
      role="status"
      title={reason ?? undefined}
    >
      <span className="dot" aria-hidden="true" />
      {viewStatusLabel(status)}
      {reason !== null && reason !== "" && <span className="view-status__reason">: {reason}</span>}
    </span>
  );
}
