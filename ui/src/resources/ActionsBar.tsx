import { useState } from "react";

import type { DeletePropagation } from "../bindings/DeletePropagation";
import type { ObjectRef } from "../bindings/ObjectRef";
import { ConfirmDialog } from "../components/ConfirmDialog";
import type { IpcError } from "../ipc";
import { toIpcError } from "../ipc";
import { cordonNode, deleteObject, drainNode, restartRollout, scaleObject } from "../ipc/resources";
import type { ObjectAction } from "./actions";
import { actionsFor, describeRef, parseReplicas } from "./actions";
import { ErrorBox } from "./YamlTab";
import { targetFor, targetTitle, useLogOpener } from "../logs/opener";
import { forwardTargetFor, useForwardPanelOpener } from "../forward/opener";
import { StartForward } from "../forward/StartForward";
import { PodActions } from "../shell/PodActions";
import type { PanelRequest } from "./rowKeys";

type Props = {
  context: string;
  reference: ObjectRef;
  verbs: readonly string[] | null;
  /** Delete, scale or port-forward asked for from outside (row keys, palette). */
  request?: PanelRequest | null;
};

type Outcome = { ok: string } | { error: IpcError } | null;

const LABELS: Record<ObjectAction, string> = {
  delete: "Delete…",
  scale: "Scale…",
  restart: "Restart",
  cordon: "Cordon",
  uncordon: "Uncordon",
  drain: "Drain…",
};

/**
 * The actions that apply to the object. Results show here; the table shows
 * the change through its live view (nothing is refreshed by hand).
 */
export function ActionsBar({ context, reference, verbs, request = null }: Props) {
  const [asking, setAsking] = useState<"delete" | "drain" | "scale" | "forward" | null>(null);
  const [requestSeen, setRequestSeen] = useState<number | null>(null);
  if (request !== null && request.seq !== requestSeen && request.action !== "edit") {
    setRequestSeen(request.seq);
    const offered = request.action === "forward" || actionsFor(reference, verbs).includes(request.action);
    if (offered) setAsking(request.action);
  }
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [propagation, setPropagation] = useState<DeletePropagation>("background");
  const [replicas, setReplicas] = useState("1");
  const what = describeRef(reference);
  const openLogs = useLogOpener();
  const logTarget = targetFor(reference.kind, reference.name);
  const openForwards = useForwardPanelOpener();
  const forwardTarget = forwardTargetFor(reference.kind, reference.name);

  const run = (work: () => Promise<string>) => {
    setBusy(true);
    setOutcome(null);
    work().then(
      (ok) => {
        setBusy(false);
        setAsking(null);
        setOutcome({ ok });
      },
      (err: unknown) => {
        setBusy(false);
        setAsking(null);
        setOutcome({ error: toIpcError(err) });
      },
    );
  };

  const start = (action: ObjectAction) => {
    setOutcome(null);
    switch (action) {
      case "delete":
      case "drain":
      case "scale":
        setAsking(action);
        return;
      case "restart":
        run(async () => {
          await restartRollout(context, reference);
          return `Restarted the rollout of ${what}`;
        });
        return;
      case "cordon":
      case "uncordon": {
        const unschedulable = action === "cordon";
        run(async () => {
          await cordonNode(context, reference.name, unschedulable);
          return unschedulable ? `Node ${reference.name} cordoned` : `Node ${reference.name} uncordoned`;
        });
        return;
      }
    }
  };

  const replicaCount = parseReplicas(replicas);
  return (
    <div className="actions">
      <div className="actions__buttons">
        {openLogs !== null && logTarget !== null && reference.namespace !== null && (
          <button
            type="button"
            className="button button--small"
            data-testid="action-logs"
            onClick={() => {
              openLogs({ context, namespace: reference.namespace ?? "", target: logTarget, title: targetTitle(logTarget) });
            }}
          >
            Logs
          </button>
        )}
        {openForwards !== null && forwardTarget !== null && reference.namespace !== null && (
          <button
            type="button"
            className="button button--small"
            data-testid="action-forward"
            onClick={() => {
              setOutcome(null);
              setAsking("forward");
            }}
          >
            Port forward…
          </button>
        )}
        {actionsFor(reference, verbs).map((a) => (
          <button
            key={a}
            type="button"
            className={`button button--small${a === "delete" ? " button--danger-outline" : ""}`}
            data-testid={`action-${a}`}
            disabled={busy}
            onClick={() => {
              start(a);
            }}
          >
            {LABELS[a]}
          </button>
        ))}
      </div>
      {reference.group === "" && reference.kind === "Pod" && reference.namespace !== null && (
        <PodActions context={context} reference={reference} refKey={`${reference.group}/${reference.kind}/${reference.namespace}/${reference.name}`} />
      )}
      {asking === "scale" && (
        <form
          className="actions__scale"
          onSubmit={(e) => {
            e.preventDefault();
            if (replicaCount === null) return;
            run(async () => {
              await scaleObject(context, reference, replicaCount);
              return `Scaled ${what} to ${String(replicaCount)} replica${replicaCount === 1 ? "" : "s"}`;
            });
          }}
        >
          <label>
            Replicas{" "}
            <input
              className="input input--compact"
              data-testid="scale-input"
              inputMode="numeric"
              value={replicas}
              aria-invalid={replicaCount === null}
              autoFocus
              onChange={(e) => {
                setReplicas(e.target.value);
              }}
            />
          </label>
          <button type="submit" className="button button--small button--primary" data-testid="scale-submit" disabled={busy || replicaCount === null}>
            Scale
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setAsking(null);
            }}
          >
            Cancel
          </button>
        </form>
      )}
      {asking === "forward" && forwardTarget !== null && (
        <StartForward
          context={context}
          namespace={reference.namespace ?? ""}
          target={forwardTarget}
          onCancel={() => {
            setAsking(null);
          }}
          onStarted={(message) => {
            setAsking(null);
            setOutcome({ ok: message });
            openForwards?.();
          }}
        />
      )}
      {outcome !== null && "ok" in outcome && (
        <p className="details__ok" role="status" data-testid="action-result">
          {outcome.ok}
        </p>
      )}
      {outcome !== null && "error" in outcome && <ErrorBox error={outcome.error} testId="action-error" />}
      {asking === "delete" && (
        <ConfirmDialog
          title={`Delete ${reference.kind}`}
          okLabel="Delete"
          danger
          busy={busy}
          busyText="Deleting…"
          action="delete"
          onCancel={() => {
            setAsking(null);
          }}
          onOk={() => {
            run(async () => {
              await deleteObject(context, reference, propagation);
              return `Deleted ${what}`;
            });
          }}
        >
          <p>
            Delete <strong>{what}</strong>? This cannot be undone.
          </p>
          <fieldset className="radio-group">
            <legend>Dependents</legend>
            <label>
              <input
                type="radio"
                name="propagation"
                value="background"
                data-testid="delete-background"
                checked={propagation === "background"}
                onChange={() => {
                  setPropagation("background");
                }}
              />{" "}
              Background: delete now, dependents are removed afterwards
            </label>
            <label>
              <input
                type="radio"
                name="propagation"
                value="foreground"
                data-testid="delete-foreground"
                checked={propagation === "foreground"}
                onChange={() => {
                  setPropagation("foreground");
                }}
              />{" "}
              Foreground: the object stays until its dependents are gone
            </label>
          </fieldset>
        </ConfirmDialog>
      )}
      {asking === "drain" && (
        <ConfirmDialog
          title="Drain node"
          okLabel="Drain"
          danger
          busy={busy}
          busyText="Draining…"
          action="drain"
          onCancel={() => {
            setAsking(null);
          }}
          onOk={() => {
            run(async () => {
              const report = await drainNode(context, reference.name);
              const skipped = report.skipped.map((s) => `${s.pod} (${s.reason})`).join(", ");
              return `Drained ${report.node}: ${String(report.evicted.length)} pod(s) evicted${
                skipped !== "" ? `; left: ${skipped}` : ""
              }`;
            });
          }}
        >
          <p>
            Cordon <strong>{reference.name}</strong> and evict its pods? DaemonSet pods and mirror pods are left.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
