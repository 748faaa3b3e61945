// "Port forward…" on a pod, service, deployment or statefulset: pick one of
// the ports the target declares, optionally a local port, and start. The
// forward then lives in the port-forward dock tab.
import { useEffect, useState } from "react";

import type { IpcError } from "../ipc";
import { toIpcError } from "../ipc/errors";
import type { OfferedPort, TargetRef } from "../ipc/forward";
import { forwardPorts, startForward } from "../ipc/forward";
import { invalidateForwards, recordForwardStatus } from "./queries";
import { ErrorBox } from "../resources/YamlTab";
import { localUrl, parseLocalPort } from "./state";

type Props = {
  context: string;
  namespace: string;
  target: TargetRef;
  onStarted: (message: string) => void;
  onCancel: () => void;
};

export function StartForward({ context, namespace, target, onStarted, onCancel }: Props) {
  const [ports, setPorts] = useState<OfferedPort[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [chosen, setChosen] = useState(0);
  const [local, setLocal] = useState("");
  const [busy, setBusy] = useState(false);

  // By value: the caller builds a new target object on every render, and the
  // ports should be read once per target, not once per render.
  const { kind, name } = target;
  useEffect(() => {
    let live = true;
    forwardPorts(context, namespace, { kind, name }).then(
      (p) => {
        if (live) setPorts(p);
      },
      (err: unknown) => {
        if (live) setError(toIpcError(err));
      },
    );
    return () => {
      live = false;
    };
  }, [context, namespace, kind, name]);

  const parsed = parseLocalPort(local);
  const port = ports?.[chosen] ?? null;

  return (
    <form
      className="actions__scale"
      data-testid="forward-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (port === null || !parsed.ok) return;
        setBusy(true);
        setError(null);
        // Every later state change reaches the dock tab's list through this Channel.
        startForward(context, namespace, target, [{ local: parsed.port, remote: { type: "number", value: port.remote } }], recordForwardStatus).then(
          (status) => {
            setBusy(false);
            recordForwardStatus(status);
            invalidateForwards();
            onStarted(`Forwarding ${localUrl(status) ?? "(no listener)"} → ${String(port.remote)}`);
          },
          (err: unknown) => {
            setBusy(false);
            setError(toIpcError(err));
          },
        );
      }}
    >
      {ports === null && error === null && <span>Reading ports…</span>}
      {ports !== null && ports.length === 0 && <span data-testid="forward-no-ports">This object declares no TCP ports.</span>}
      {ports !== null && ports.length > 0 && (
        <>
          <label>
            Port{" "}
            <select
              className="input input--compact"
              data-testid="forward-port"
              value={chosen}
              onChange={(e) => {
                setChosen(Number(e.target.value));
              }}
            >
              {ports.map((p, i) => (
                <option key={`${String(p.remote)}-${p.name ?? ""}`} value={i}>
                  {p.name !== null ? `${p.name} ` : ""}
                  {p.remote}/{p.protocol} → {p.detail}
                </option>
              ))}
            </select>
          </label>
          <label>
            Local port{" "}
            <input
              className="input input--compact"
              data-testid="forward-local-port"
              inputMode="numeric"
              placeholder="same (0 = any free)"
              value={local}
              aria-invalid={!parsed.ok}
              onChange={(e) => {
                setLocal(e.target.value);
              }}
            />
          </label>
          <button type="submit" className="button button--small button--primary" data-testid="forward-start" disabled={busy || !parsed.ok}>
            Start
          </button>
        </>
      )}
      <button type="button" className="button button--small" onClick={onCancel}>
        Cancel
      </button>
      {!parsed.ok && <span className="field__error">{parsed.error}</span>}
      {error !== null && <ErrorBox error={error} testId="forward-error" />}
    </form>
  );
}
