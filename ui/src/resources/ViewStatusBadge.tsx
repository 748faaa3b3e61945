import type { ViewStatus } from "../bindings/ViewStatus";
import type { IpcError } from "../ipc";
import { describeDenial } from "../access/model";

export function viewStatusLabel(status: ViewStatus): string {
  switch (status.state) {
    case "listing":
      return "listing…";
    case "live":
      return "live";
    case "reconnecting":
      return "reconnecting";
    case "notAllowed":
      return "not allowed";
  }
}

/** The hover text of a status: the reason when there is one. */
export function viewStatusReason(status: ViewStatus): string | null {
  switch (status.state) {
    case "reconnecting":
      return status.reason;
    case "notAllowed":
      return `Not allowed: you may not ${describeDenial(status.denial)}. ${status.denial.reason}`;
    default:
      return null;
  }
}

/**
 * Where the open view stands, in the table header. A view that could not be
 * opened (`error`) is "failed" rather than listing forever.
 */
export function ViewStatusBadge({ status, error = null }: { status: ViewStatus; error?: IpcError | null }) {
  const failed = error !== null && status.state !== "notAllowed";
  const state = failed ? "failed" : status.state;
  const reason = failed ? error.message : viewStatusReason(status);
  const inline = status.state === "reconnecting" ? status.reason : null;
  return (
    <span
      className={`view-status view-status--${state}`}
      data-testid="view-status"
      data-state={state}
      role="status"
      title={reason ?? undefined}
    >
      <span className="dot" aria-hidden="true" />
      {failed ? "failed" : viewStatusLabel(status)}
      {inline !== null && inline !== "" && <span className="view-status__reason">: {inline}</span>}
    </span>
  );
}
