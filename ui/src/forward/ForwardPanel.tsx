// The port-forward dock tab: every forward the app holds, with state,
// traffic, its local URL (open in the browser, copy) and stop buttons, plus
// the current context's "restore at start" toggle and the saved forwards
// that failed to come back. Polls the registry: forwards started elsewhere
// (another tab, before a reload, a restore) show up too.
import { useCallback, useEffect, useReducer, useState } from "react";

import type { FailedForward } from "../bindings/FailedForward";
import {
  copyText,
  dismissSavedForward,
  listForwards,
  openUrl,
  retrySavedForward,
  savedForwards,
  setSavedForwards,
  stopAllForwards,
  stopForward,
} from "../ipc/forward";
import { toIpcError } from "../ipc/errors";
import { exposed, formatBytes, forwardsReducer } from "./state";
import { forwardUrl } from "./urls";

const POLL_MS = 1000;
const COPIED_MS = 1500;

function describe(err: unknown): string {
  const e = toIpcError(err);
  return e.detail !== null ? `${e.message} (${e.detail})` : e.message;
}

/** "svc/web 8080:http" for a failed saved forward. */
export function describeSaved(f: FailedForward): string {
  const prefix = { pod: "pod", service: "svc", deployment: "deploy", statefulSet: "sts" }[f.forward.target.kind];
  const ports = f.forward.ports
    .map((p) => `${p.local === null ? "" : `${p.local.toString()}:`}${p.remote.type === "number" ? p.remote.value.toString() : p.remote.value}`)
    .join(" ");
  return `${f.forward.namespace}/${prefix}/${f.forward.target.name} ${ports}`;
}

type Props = { context: string | null };

export function ForwardPanel({ context }: Props) {
  const [forwards, dispatch] = useReducer(forwardsReducer, []);
  const [error, setError] = useState<string | null>(null);
  const [saveEnabled, setSaveEnabled] = useState(false);
  const [failed, setFailed] = useState<FailedForward[]>([]);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [copied, setCopied] = useState<number | null>(null);

  const loadSaved = useCallback(
    (live: () => boolean) => {
      if (context === null) return;
      savedForwards(context).then(
        (view) => {
          if (!live()) return;
          setSaveEnabled(view.enabled);
          setFailed(view.failed);
          setSaveError(null);
        },
        (err: unknown) => {
          if (live()) setSaveError(describe(err));
        },
      );
    },
    [context],
  );

  useEffect(() => {
    let live = true;
    const isLive = () => live;
    const load = () => {
      listForwards().then(
        (statuses) => {
          if (live) dispatch({ type: "list", statuses });
        },
        (err: unknown) => {
          if (live) setError(describe(err));
        },
      );
      loadSaved(isLive);
    };
    load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [loadSaved]);

  useEffect(() => {
    if (copied === null) return;
    const t = setTimeout(() => {
      setCopied(null);
    }, COPIED_MS);
    return () => {
      clearTimeout(t);
    };
  }, [copied]);

  const report = (err: unknown) => {
    setError(describe(err));
  };

  const stop = (id: number) => {
    stopForward(id).then(() => {
      dispatch({ type: "removed", id });
    }, report);
  };

  const toggleSave = (on: boolean) => {
    if (context === null) return;
    setSavedForwards(context, on).then((view) => {
      setSaveEnabled(view.enabled);
      setFailed(view.failed);
      setSaveError(null);
    }, (err: unknown) => {
      setSaveError(describe(err));
    });
  };

  const retry = (id: number) => {
    retrySavedForward(id).then(
      (status) => {
        dispatch({ type: "status", status });
        setFailed((all) => all.filter((f) => f.id !== id));
      },
      (err: unknown) => {
        // The entry stays, with the new reason from the next poll.
        report(err);
        loadSaved(() => true);
      },
    );
  };

  const dismiss = (id: number) => {
    dismissSavedForward(id).then(() => {
      setFailed((all) => all.filter((f) => f.id !== id));
    }, report);
  };

  return (
    <div className="forwards" data-testid="forward-panel">
      {error !== null && (
        <p className="forwards__error" role="alert" data-testid="forward-panel-error">
          {error}
        </p>
      )}
      {context !== null && (
        <div className="forwards__save">
          <label>
            <input
              type="checkbox"
              data-testid="forward-save-toggle"
              checked={saveEnabled}
              onChange={(e) => {
                toggleSave(e.target.checked);
              }}
            />{" "}
            Restore these forwards when Capstan starts <span className="forwards__context">({context})</span>
          </label>
          {saveError !== null && (
            <p className="forwards__error" role="alert" data-testid="forward-save-error">
              {saveError}
            </p>
          )}
        </div>
      )}
      {forwards.length === 0 && failed.length === 0 ? (
        <p className="dock__empty" data-testid="forward-empty">
          No port forwards.
        </p>
      ) : (
        <>
          {forwards.length > 0 && (
            <button
              type="button"
              data-testid="forward-stop-all"
              onClick={() => {
                stopAllForwards().then(() => {
                  dispatch({ type: "clear" });
                }, report);
              }}
            >
              Stop all
            </button>
          )}
          <table className="forwards__table">
            <thead>
              <tr>
                <th>Target</th>
                <th>Local</th>
                <th>State</th>
                <th>Connections</th>
                <th>In / out</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {forwards.map((f) => {
                const url = forwardUrl(f);
                return (
                  <tr key={f.id} data-testid={`forward-row-${f.id.toString()}`}>
                    <td>
                      {f.namespace}/{f.target}
                      {f.pod !== null && <span className="forwards__pod"> → {f.pod}</span>}
                    </td>
                    <td data-testid="forward-local">
                      {url === null ? (
                        (f.listeners[0]?.local ?? "–")
                      ) : (
                        <>
                          <a
                            href={url}
                            data-testid="forward-link"
                            title={`Open ${url} in your browser`}
                            onClick={(e) => {
                              // The webview must not navigate away: the system browser opens it.
                              e.preventDefault();
                              openUrl(url).catch(report);
                            }}
                          >
                            {url}
                          </a>{" "}
                          <button
                            type="button"
                            className="forwards__copy"
                            data-testid="forward-copy"
                            title={`Copy ${url}`}
                            onClick={() => {
                              copyText(url).then(() => {
                                setCopied(f.id);
                              }, report);
                            }}
                          >
                            {copied === f.id ? "Copied" : "Copy"}
                          </button>
                        </>
                      )}
                      {exposed(f) && (
                        <span className="forwards__warning" data-testid="forward-exposed">
                          {" "}
                          reachable from other machines
                        </span>
                      )}
                    </td>
                    <td data-testid="forward-state">
                      {f.state}
                      {f.reason !== null && `: ${f.reason}`}
                    </td>
                    <td>
                      {f.activeConnections} open / {f.totalConnections}
                    </td>
                    <td>
                      {formatBytes(f.bytesReceived)} / {formatBytes(f.bytesSent)}
                    </td>
                    <td>
                      <button
                        type="button"
                        data-testid="forward-stop"
                        onClick={() => {
                          stop(f.id);
                        }}
                      >
                        Stop
                      </button>
                    </td>
                  </tr>
                );
              })}
              {failed.map((f) => (
                <tr key={`failed-${f.id.toString()}`} data-testid="forward-failed-row">
                  <td>{describeSaved(f)}</td>
                  <td>–</td>
                  <td data-testid="forward-failed-reason">failed: {f.reason}</td>
                  <td />
                  <td />
                  <td>
                    <button
                      type="button"
                      data-testid="forward-retry"
                      onClick={() => {
                        retry(f.id);
                      }}
                    >
                      Retry
                    </button>{" "}
                    <button
                      type="button"
                      data-testid="forward-dismiss"
                      title="Stop restoring this forward"
                      onClick={() => {
                        dismiss(f.id);
                      }}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
