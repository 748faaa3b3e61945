import type { IpcError, KubeconfigOverview } from "../ipc";
import { errorTitle } from "../ipc";

type Variant = "sidebar" | "main";

type ErrorProps = { error: IpcError; onRetry: () => void; variant: Variant };

/** A failed list_contexts call, e.g. a malformed kubeconfig. Rendered as text only. */
export function KubeconfigError({ error, onRetry, variant }: ErrorProps) {
  return (
    <section
      className={`notice notice--error notice--${variant}`}
      data-testid="kubeconfig-error"
      data-error-kind={error.kind}
      role="alert"
      aria-label={errorTitle(error.kind)}
    >
      <h2 className="notice__title">{errorTitle(error.kind)}</h2>
      <p className="notice__message">{error.message}</p>
      {error.detail !== null && error.detail !== "" && (
        <pre className="notice__detail">{error.detail}</pre>
      )}
      <div className="notice__actions">
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      </div>
    </section>
  );
}

type EmptyProps = { overview: KubeconfigOverview; onRetry: () => void; variant: Variant };

/** No kubeconfig file was found: say where Capstan looked and how to fix it. */
export function KubeconfigEmpty({ overview, onRetry, variant }: EmptyProps) {
  return (
    <section
      className={`notice notice--empty notice--${variant}`}
      data-testid="kubeconfig-empty"
      aria-label="No kubeconfig found"
    >
      <h2 className="notice__title">No kubeconfig found</h2>
      {overview.searched.length > 0 ? (
        <>
          <p className="notice__message">Capstan looked in:</p>
          <ul className="notice__paths">
            {overview.searched.map((path) => (
              <li key={path}>
                <code>{path}</code>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="notice__message">Capstan found no place to look for one.</p>
      )}
      <p className="notice__hint">
        Set the <code>KUBECONFIG</code> environment variable, or create <code>~/.kube/config</code>,
        then retry.
      </p>
      <div className="notice__actions">
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      </div>
    </section>
  );
}
