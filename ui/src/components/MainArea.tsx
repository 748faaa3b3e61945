import type { ContextSummary } from "../bindings/ContextSummary";
import type { ContextsState } from "../state/contexts";
import { namespaceOf } from "../state/contexts";
import type { ResourceKind } from "../state/navigation";
import { placeholderFor } from "../state/navigation";
import { KubeconfigEmpty, KubeconfigError } from "./KubeconfigPanels";

type Props = {
  state: ContextsState;
  context: ContextSummary | null;
  kind: ResourceKind;
  onReload: () => void;
};

export function MainArea({ state, context, kind, onReload }: Props) {
  return (
    <main className="main" aria-labelledby="main-title">
      <header className="main__header">
        <h1 id="main-title" className="main__title">
          {kind.label}
        </h1>
        {context !== null && (
          <div className="main__scope">
            <span className="chip" title="Context">
              {context.name}
            </span>
            <span className="chip chip--muted" title="Namespace">
              {namespaceOf(context)}
            </span>
          </div>
        )}
      </header>
      <div className="main__body">
        <MainBody state={state} kind={kind} onReload={onReload} />
      </div>
    </main>
  );
}

function MainBody({ state, kind, onReload }: Omit<Props, "context">) {
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
