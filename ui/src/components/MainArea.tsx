import type { ContextSummary } from "../bindings/ContextSummary";
import type { KindInfo } from "../bindings/KindInfo";
import type { ViewStatus } from "../bindings/ViewStatus";
import type { Namespace } from "../hooks/useNamespace";
import type { ConnectionView } from "../state/connection";
import { connectionLabel, failureTitle, isFailure } from "../state/connection";
import type { ContextsState } from "../state/contexts";
import type { ResourceKind } from "../state/navigation";
import type { BrowserPlace } from "../resources/ResourceBrowser";
import { ResourceBrowser } from "../resources/ResourceBrowser";
import { placeholderFor } from "../state/navigation";
import { CloseIcon, InfoIcon, WarnIcon } from "./icons";
import { KubeconfigEmpty, KubeconfigError } from "./KubeconfigPanels";
import { NamespaceSwitcher } from "./NamespaceSwitcher";
import { AccessView } from "../access/AccessView";
import { useState } from "react";

/** A one-line outcome shown above the main area's content until dismissed. */
export type Flash = { text: string; detail: string | null };

type Props = {
  state: ContextsState;
  context: ContextSummary | null;
  connection: ConnectionView | null;
  namespace: Namespace;
  kind: ResourceKind;
  /** The kind as discovered on the server; null until discovery answers (placeholder shown). */
  kindInfo: KindInfo | null;
  onViewStatus: (status: ViewStatus | null) => void;
  flash: Flash | null;
  onDismissFlash: () => void;
  onReload: () => void;
  /** The open object, requests for it, and pins (kept by the app). */
  place: BrowserPlace;
};

export function MainArea({
  state,
  context,
  connection,
  namespace,
  kind,
  kindInfo,
  onViewStatus,
  flash,
  onDismissFlash,
  onReload,
  place,
}: Props) {
  const browsing =
    state.status === "ok" && context !== null && context.problem === null && kindInfo !== null;
  // The Access view replaces the table until closed or another kind is picked.
  const [accessFor, setAccessFor] = useState<string | null>(null);
  const showAccess = browsing && accessFor === `${context.name}/${kind.id}`;
  return (
    <main className="main" aria-labelledby="main-title">
      <header className="main__header">
        <h1 id="main-title" className="main__title">
          {kind.label}
        </h1>
        {context !== null && (
          <div className="main__scope">
            <span className="chip" title={`Context: ${context.name}`}>
              {context.name}
            </span>
            <NamespaceSwitcher key={context.name} namespace={namespace} />
            <button
              type="button"
              className={`button button--small${showAccess ? " button--pressed" : ""}`}
              aria-pressed={showAccess}
              data-testid="open-access"
              title="What you may do in this context and namespace"
              onClick={() => {
                setAccessFor(showAccess ? null : `${context.name}/${kind.id}`);
              }}
            >
              Access
            </button>
          </div>
        )}
      </header>
      <div className={`main__body${browsing ? " main__body--browser" : ""}`}>
        {flash !== null && (
          <div className="banner banner--ok" role="status" data-testid="make-current-result">
            <InfoIcon className="banner__icon" />
            <div className="banner__text">
              <p>{flash.text}</p>
              {flash.detail !== null && <p className="banner__detail">{flash.detail}</p>}
            </div>
            <button
              type="button"
              className="icon-button icon-button--small"
              aria-label="Dismiss"
              title="Dismiss"
              onClick={onDismissFlash}
            >
              <CloseIcon />
            </button>
          </div>
        )}
        {state.status === "ok" && context?.problem != null && (
          <div className="banner banner--warn" role="alert" data-testid="context-problem">
            <WarnIcon className="banner__icon" />
            <div className="banner__text">
              <p className="banner__title">This context cannot be used as it is</p>
              <p>{context.problem}</p>
              <p className="banner__detail">Defined in {context.source}</p>
            </div>
          </div>
        )}
        {state.status === "ok" && connection !== null && isFailure(connection) && (
          <div
            className="banner banner--error"
            role="alert"
            data-testid="connection-notice"
            data-state={connection.state}
          >
            <WarnIcon className="banner__icon" />
            <div className="banner__text">
              <p className="banner__title">
                {failureTitle(connection.state)}{" "}
                <span className="banner__tag">{connectionLabel(connection.state)}</span>
              </p>
              {connection.message !== null && connection.message !== "" && (
                <pre className="banner__message">{connection.message}</pre>
              )}
              {context?.server != null && <p className="banner__detail">Server: {context.server}</p>}
            </div>
          </div>
        )}
        {showAccess ? (
          <AccessView />
        ) : browsing ? (
          <ResourceBrowser
            key={context.name}
            context={context.name}
            kind={kindInfo}
            defaultNamespaces={
              namespace.selection?.kind === "named" ? [namespace.selection.name] : []
            }
            namespaceNames={namespace.list.status === "ok" ? namespace.list.names : []}
            onStatus={onViewStatus}
            kindId={kind.id}
            {...place}
          />
        ) : (
          <MainBody state={state} kind={kind} onReload={onReload} />
        )}
      </div>
    </main>
  );
}

function MainBody({
  state,
  kind,
  onReload,
}: {
  state: ContextsState;
  kind: ResourceKind;
  onReload: () => void;
}) {
  switch (state.status) {
    case "error":
      return <KubeconfigError error={state.error} onRetry={onReload} variant="main" />;
    case "empty":
      return <KubeconfigEmpty overview={state.overview} onRetry={onReload} variant="main" />;
    case "loading":
    case "ok":
      return (
        <div className="placeholder" data-testid="resource-placeholder" data-kind={kind.id}>
          <p className="placeholder__text">{placeholderFor(kind)}</p>
        </div>
      );
  }
}
