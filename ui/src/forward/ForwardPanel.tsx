// The port-forward dock tab: every forward the app holds, with state,
// traffic and stop buttons. Polls the registry: forwards started elsewhere
// (another tab, before a reload) show up too.
import { useEffect, useReducer, useState } from "react";

import { listForwards, stopAllForwards, stopForward } from "../ipc/forward";
import { toIpcError } from "../ipc/errors";
import { exposed, formatBytes, forwardsReducer, localUrl } from "./state";

const POLL_MS = 1000;

function describe(err: unknown): string {
  const e = toIpcError(err);
  return e.detail !== null ? `${e.message} (${e.detail})` : e.message;
}

export function ForwardPanel() {
  const [forwards, dispatch] = useReducer(forwardsReducer, []);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () => {
      listForwards().then(
        (statuses) => {
          if (live) dispatch({ type: "list", statuses });
        },
        (err: unknown) => {
          if (live) setError(describe(err));
        },
      );
    };
    load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  const stop = (id: number) => {
    stopForward(id).then(
      () => {
        dispatch({ type: "removed", id });
      },
      (err: unknown) => {
        setError(describe(err));
      },
    );
  };

  return (
    <div className="forwards" data-testid="forward-panel">
      {error !== null && (
        <p className="forwards__error" role="alert" data-testid="forward-panel-error">
          {error}
        </p>
      )}
      {forwards.length === 0 ? (
        <p className="dock__empty" data-testid="forward-empty">
          No port forwards.
        </p>
      ) : (
        <>
          <button
            type="button"
            data-testid="forward-stop-all"
            onClick={() => {
              stopAllForwards().then(
                () => {
                  dispatch({ type: "clear" });
                },
                (err: unknown) => {
                  setError(describe(err));
                },
              );
            }}
          >
            Stop all
          </button>
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
              {forwards.map((f) => (
                <tr key={f.id} data-testid={`forward-row-${f.id.toString()}`}>
                  <td>
                    {f.namespace}/{f.target}
                    {f.pod !== null && <span className="forwards__pod"> → {f.pod}</span>}
                  </td>
                  <td data-testid="forward-local">
                    {localUrl(f) ?? "–"}
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
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
