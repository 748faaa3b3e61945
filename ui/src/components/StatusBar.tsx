import type { ViewStatus } from "../bindings/ViewStatus";
import { viewStatusLabel, viewStatusReason } from "../resources/ViewStatusBadge";
import type { StatusText } from "../state/status";

type Props = { status: StatusText; version: string; view?: ViewStatus | null; onAbout?: () => void };

export function StatusBar({ status, version, view = null, onAbout }: Props) {
  return (
    <footer className="status-bar" data-testid="status-bar" aria-label="Status">
      <span className="status-bar__item" title="Selected context">
        <span className="status-bar__key">ctx</span>
        <span data-testid="status-context">{status.context}</span>
      </span>
      <span className="status-bar__item" title="Namespace">
        <span className="status-bar__key">ns</span>
        <span data-testid="status-namespace">{status.namespace}</span>
      </span>
      <span className={`status-bar__item status-bar__conn tone--${status.tone}`} title="Connection">
        <span className="dot" aria-hidden="true" />
        <span data-testid="status-connection">{status.connection}</span>
        {view !== null && (
          <span
            className={`status-bar__view view-status--${view.state}`}
            data-testid="status-view"
            data-state={view.state}
            title={view.state === "reconnecting" ? `Table reconnecting: ${view.reason}` : (viewStatusReason(view) ?? "Table")}
          >
            · {viewStatusLabel(view)}
          </span>
        )}
      </span>
      <span className="status-bar__spacer" />
      {version !== "" &&
        (onAbout !== undefined ? (
          <button
            type="button"
            className="status-bar__item status-bar__version"
            data-testid="status-version"
            title="About Capstan"
            onClick={onAbout}
          >
            {version}
          </button>
        ) : (
          <span className="status-bar__item status-bar__version" data-testid="status-version">
            {version}
          </span>
        ))}
    </footer>
  );
}
