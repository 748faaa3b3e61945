// The port-forward dock tab: every forward the app holds, with state,
// traffic, its local URL (open in the browser, copy) and stop buttons, plus
// the current context's "restore at start" toggle and the saved forwards
// that failed to come back. The list is a query (list_forwards) kept current
// by a watch of the registry (watch_forwards pushes the list when a forward
// starts, stops or changes state, and new traffic counters at most every
// second) and by each forward's own status Channel; nothing polls.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import type { FailedForward } from "../bindings/FailedForward";
import type { ForwardStatus } from "../bindings/ForwardStatus";
import type { SavedForwardsView } from "../bindings/SavedForwardsView";
import {
  copyText,
  dismissSavedForward,
  closeForwardWatch,
  listForwards,
  openUrl,
  retrySavedForward,
  savedForwards,
  setSavedForwards,
  stopAllForwards,
  stopForward,
  watchForwards,
} from "../ipc/forward";
import { toIpcError } from "../ipc/errors";
import { queryClient } from "../query/client";
import { FORWARDS_KEY, invalidateForwards, recordForwardStatus, savedForwardsKey } from "./queries";
import { exposed, formatBytes, forwardsReducer } from "./state";
import { forwardUrl } from "./urls";
import "./forward.css";

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

const sortById = (statuses: ForwardStatus[]) => forwardsReducer([], { type: "list", statuses });
const NO_SAVED: SavedForwardsView = { enabled: false, failed: [] };

export function ForwardPanel({ context }: Props) {
  const list = useQuery({ queryKey: FORWARDS_KEY, queryFn: listForwards, select: sortById }, queryClient);
  useEffect(() => {
    let closed = false;
    let watch: number | null = null;
    watchForwards((all) => {
      if (!closed) queryClient.setQueryData<ForwardStatus[]>(FORWARDS_KEY, all);
    }).then(
      (id) => {
        if (closed) void closeForwardWatch(id).catch(() => undefined);
        else watch = id;
      },
      // Without the watch the list still comes from list_forwards and the
      // status Channels; only the counters stay as last read.
      () => undefined,
    );
    return () => {
      closed = true;
      if (watch !== null) void closeForwardWatch(watch).catch(() => undefined);
    };
  }, []);
  const saved = useQuery(
    {
      queryKey: savedForwardsKey(context),
      queryFn: () => (context === null ? Promise.resolve(NO_SAVED) : savedForwards(context)),
      enabled: context !== null,
    },
    queryClient,
  );
  const forwards = list.data ?? [];
  const { enabled: saveEnabled, failed } = saved.data ?? NO_SAVED;
  const [actionError, setError] = useState<string | null>(null);
  const [toggleError, setSaveError] = useState<string | null>(null);
  const [copied, setCopied] = useState<number | null>(null);
  const error = actionError ?? (list.error !== null ? describe(list.error) : null);
  const saveError = toggleError ?? (saved.error !== null ? describe(saved.error) : null);

  const setSaved = (update: (view: SavedForwardsView) => SavedForwardsView) => {
    queryClient.setQueryData<SavedForwardsView>(savedForwardsKey(context), (old) => update(old ?? NO_SAVED));
  };
  const setForwards = (update: (all: ForwardStatus[]) => ForwardStatus[]) => {
    queryClient.setQueryData<ForwardStatus[]>(FORWARDS_KEY, (old) => update(old ?? []));
  };

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
      setForwards((all) => forwardsReducer(all, { type: "removed", id }));
      invalidateForwards();
    }, report);
  };

  const toggleSave = (on: boolean) => {
    if (context === null) return;
    setSavedForwards(context, on).then(
      (view) => {
        setSaved(() => view);
        setSaveError(null);
      },
      (err: unknown) => {
        setSaveError(describe(err));
      },
    );
  };

  const retry = (id: number) => {
    retrySavedForward(id).then(
      (status) => {
        recordForwardStatus(status);
        setSaved((view) => ({ ...view, failed: view.failed.filter((f) => f.id !== id) }));
        invalidateForwards();
      },
      (err: unknown) => {
        // The entry stays, with the new reason from the refetch.
        report(err);
        invalidateForwards();
      },
    );
  };

  const dismiss = (id: number) => {
    dismissSavedForward(id).then(() => {
      setSaved((view) => ({ ...view, failed: view.failed.filter((f) => f.id !== id) }));
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
                  setForwards(() => []);
                  invalidateForwards();
                }, report);
              }}
            >
              Stop all
            </button>
          )}
          <table className="forwards__table">
            <colgroup>
              <col className="forwards__col-target" />
              <col className="forwards__col-local" />
              <col className="forwards__col-state" />
              <col className="forwards__col-conns" />
              <col className="forwards__col-bytes" />
              <col className="forwards__col-actions" />
            </colgroup>
            <thead>
              <tr>
                <th title="Target">Target</th>
                <th title="Local address">Local</th>
                <th title="State">State</th>
                <th title="Connections: open / total">Connections</th>
                <th title="Bytes in / out">In / out</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {forwards.map((f) => {
                const url = forwardUrl(f);
                return (
                  <tr key={f.id} data-testid={`forward-row-${f.id.toString()}`}>
                    <td title={`${f.namespace}/${f.target}${f.pod !== null ? ` → ${f.pod}` : ""}`}>
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
                    <td data-testid="forward-state" title={f.reason !== null ? `${f.state}: ${f.reason}` : f.state}>
                      {f.state}
                      {f.reason !== null && `: ${f.reason}`}
                    </td>
                    <td title={`${f.activeConnections.toString()} open / ${f.totalConnections.toString()} in total`}>
                      {f.activeConnections} open / {f.totalConnections}
                    </td>
                    <td
                      data-testid="forward-bytes"
                      title={`${formatBytes(f.bytesReceived)} received / ${formatBytes(f.bytesSent)} sent`}
                    >
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
                  <td title={describeSaved(f)}>{describeSaved(f)}</td>
                  <td>–</td>
                  <td data-testid="forward-failed-reason" title={`failed: ${f.reason}`}>
                    failed: {f.reason}
                  </td>
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
