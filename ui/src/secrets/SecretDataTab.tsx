import { useCallback, useState } from "react";

import type { ObjectRef } from "../bindings/ObjectRef";
import type { RevealedValue } from "../bindings/RevealedValue";
import type { SecretDetails } from "../bindings/SecretDetails";
import { ConfirmDialog } from "../components/ConfirmDialog";
import type { IpcError } from "../ipc";
import { toIpcError } from "../ipc";
import { copySecretKey, revealSecretKey, secretDetails, secretUsage } from "../ipc/secrets";
import { useLoaded } from "../query/useLoaded";
import { ErrorBox } from "../resources/YamlTab";
import { EditSecretDialog } from "./EditSecretDialog";
import { formatSize } from "./files";
import { useRemaskWhenAway } from "./remask";
import { SecretTypeView } from "./SecretTypeView";
import { GatedButton } from "../access/GatedButton";
import { actionQuery } from "../access/actions";

const secretRef = (namespace: string, name: string): ObjectRef => ({
  group: "",
  version: "v1",
  kind: "Secret",
  plural: "secrets",
  namespace,
  name,
});

type Props = {
  context: string;
  namespace: string;
  name: string;
  /** Changes when the table's row changes, so the key list follows the object. */
  revision: unknown;
  onOpen: (reference: ObjectRef) => void;
};

/**
 * A secret's keys, masked until revealed one by one (or all, after a
 * confirmation). Revealed values live only in this component's state: they
 * are dropped when the panel closes, the tab changes, or the app has been
 * out of focus for a minute.
 */
export function SecretDataTab({ context, namespace, name, revision, onOpen }: Props) {
  const details = useLoaded(["secret", context, namespace, name, "details"], () => secretDetails(context, namespace, name), revision);
  const [revealed, setRevealed] = useState<ReadonlyMap<string, RevealedValue>>(new Map());
  const [error, setError] = useState<IpcError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);
  const [editing, setEditing] = useState(false);

  const remask = useCallback(() => {
    setRevealed(new Map());
  }, []);
  useRemaskWhenAway(remask);

  const reveal = async (keys: readonly string[]) => {
    setError(null);
    try {
      const values = await Promise.all(keys.map((k) => revealSecretKey(context, namespace, name, k)));
      setRevealed((old) => {
        const next = new Map(old);
        keys.forEach((k, i) => {
          const v = values[i];
          if (v !== undefined) next.set(k, v);
        });
        return next;
      });
    } catch (err) {
      setError(toIpcError(err));
    }
  };
  const hide = (k: string) => {
    setRevealed((old) => {
      const next = new Map(old);
      next.delete(k);
      return next;
    });
  };
  const copy = (k: string) => {
    setError(null);
    copySecretKey(context, namespace, name, k).then(
      (seconds) => {
        setNotice(`Copied "${k}". The clipboard is cleared in ${String(seconds)} s.`);
      },
      (err: unknown) => {
        setError(toIpcError(err));
      },
    );
  };

  if (details.status === "loading") return <p className="details__note">Loading…</p>;
  if (details.status === "error") return <ErrorBox error={details.error} testId="secret-error" />;
  const secret = details.value;

  return (
    <div className="secret" data-testid="secret-data" data-type={secret.type}>
      <dl className="summary__facts">
        <dt>Type</dt>
        <dd data-testid="secret-type">{secret.type}</dd>
      </dl>
      {secret.warnings.map((w) => (
        <p key={w} className="details__warn" role="alert" data-testid="secret-warning">
          {w}
        </p>
      ))}
      <SecretTypeView secret={secret} onOpen={onOpen} />

      <div className="details__buttons">
        <GatedButton
          {...actionQuery("reveal", secretRef(namespace, name))}
          className="button button--small"
          data-testid="secret-reveal-all"
          disabled={secret.keys.length === 0 || revealed.size === secret.keys.length}
          onClick={() => {
            setConfirmAll(true);
          }}
        >
          Reveal all
        </GatedButton>
        <button
          type="button"
          className="button button--small"
          data-testid="secret-hide-all"
          disabled={revealed.size === 0}
          onClick={remask}
        >
          Hide all
        </button>
        <GatedButton
          {...actionQuery("editSecret", secretRef(namespace, name))}
          className="button button--small"
          data-testid="secret-edit"
          onClick={() => {
            setEditing(true);
          }}
        >
          Edit…
        </GatedButton>
      </div>
      {notice !== null && (
        <p className="details__ok" role="status" data-testid="secret-notice">
          {notice}
        </p>
      )}
      {error !== null && <ErrorBox error={error} testId="secret-action-error" />}

      {secret.keys.length === 0 ? (
        <p className="details__note">This secret has no data.</p>
      ) : (
        <table className="mini-table secret__keys" data-testid="secret-keys">
          <thead>
            <tr>
              <th>Key</th>
              <th>Size</th>
              <th>Value</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {secret.keys.map((k) => {
              const value = revealed.get(k.key);
              return (
                <tr key={k.key} data-testid="secret-key" data-key={k.key} data-revealed={value !== undefined}>
                  <td className="mono">{k.key}</td>
                  <td>{formatSize(k.size)}</td>
                  <td data-testid="secret-value">
                    {value === undefined ? <span className="mono">{k.masked}</span> : <Revealed value={value} />}
                  </td>
                  <td className="secret__key-actions">
                    {value === undefined ? (
                      <GatedButton
                        {...actionQuery("reveal", secretRef(namespace, name))}
                        className="link-button"
                        data-testid="secret-reveal"
                        onClick={() => void reveal([k.key])}
                      >
                        Reveal
                      </GatedButton>
                    ) : (
                      <button
                        type="button"
                        className="link-button"
                        data-testid="secret-hide"
                        onClick={() => {
                          hide(k.key);
                        }}
                      >
                        Hide
                      </button>
                    )}{" "}
                    <button
                      type="button"
                      className="link-button"
                      data-testid="secret-copy"
                      onClick={() => {
                        copy(k.key);
                      }}
                    >
                      Copy
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <UsedBy context={context} namespace={namespace} name={name} onOpen={onOpen} />

      {confirmAll && (
        <ConfirmDialog
          title="Reveal all values?"
          okLabel="Reveal all"
          action="reveal-all"
          onOk={() => {
            setConfirmAll(false);
            void reveal(secret.keys.map((k) => k.key));
          }}
          onCancel={() => {
            setConfirmAll(false);
          }}
        >
          <p className="dialog__text">
            All {secret.keys.length} values of {secret.name} will be shown on screen until you hide them, close the
            panel, or leave the app for a minute.
          </p>
        </ConfirmDialog>
      )}
      {editing && (
        <EditSecretDialog
          context={context}
          secret={secret}
          onClose={() => {
            setEditing(false);
          }}
          onSaved={() => {
            setEditing(false);
            setNotice("Saved.");
            details.reload();
            // Shown values may be stale now: show the saved ones instead.
            const shown = [...revealed.keys()];
            setRevealed(new Map());
            if (shown.length > 0) void revealAfterSave(shown, secret);
          }}
        />
      )}
    </div>
  );

  async function revealAfterSave(keys: string[], before: SecretDetails) {
    // Keys removed by the edit are simply not shown again.
    const results = await Promise.allSettled(keys.map((k) => revealSecretKey(context, before.namespace, before.name, k)));
    setRevealed(() => {
      const next = new Map<string, RevealedValue>();
      results.forEach((r, i) => {
        const k = keys[i];
        if (r.status === "fulfilled" && k !== undefined) next.set(k, r.value);
      });
      return next;
    });
  }
}

function Revealed({ value }: { value: RevealedValue }) {
  if (value.kind === "text") {
    return (
      <pre className="secret__value" data-testid="secret-text">
        {value.text}
      </pre>
    );
  }
  return (
    <div data-testid="secret-binary">
      <p className="details__note">Binary, {formatSize(value.size)}</p>
      <pre className="secret__value secret__value--hex">{value.hex}</pre>
    </div>
  );
}

function UsedBy({
  context,
  namespace,
  name,
  onOpen,
}: {
  context: string;
  namespace: string;
  name: string;
  onOpen: (reference: ObjectRef) => void;
}) {
  const usage = useLoaded(["secret", context, namespace, name, "usage"], () => secretUsage(context, namespace, name));
  return (
    <section className="secret__usage" data-testid="secret-usage">
      <h4 className="summary__title">Used by</h4>
      {usage.status === "loading" && <p className="details__note">Looking for pods…</p>}
      {usage.status === "error" && <ErrorBox error={usage.error} testId="secret-usage-error" />}
      {usage.status === "ok" && usage.value.length === 0 && <p className="details__note">No pod in {namespace} uses it.</p>}
      {usage.status === "ok" && usage.value.length > 0 && (
        <ul className="related">
          {usage.value.map((u) => (
            <li key={u.pod} data-testid="secret-user" data-pod={u.pod}>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  onOpen({ group: "", version: "v1", kind: "Pod", plural: "pods", namespace, name: u.pod });
                }}
              >
                {u.pod}
              </button>{" "}
              <span className="dialog__muted">{u.how.join(", ")}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
