// The "Local clusters" section: the container engine's state, the clusters it
// holds (found by their labels) with Start/Stop/Delete, and the Create dialog.
// No engine is a panel that says what to do, checked again only on request.
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";

import "./local.css";

import { ConfirmDialog } from "../components/ConfirmDialog";
import type { IpcError } from "../ipc";
import { errorTitle, toIpcError } from "../ipc";
import { queryClient } from "../query/client";
import { useShellOpener } from "../shell/opener";
import { CreateLocalDialog } from "./CreateLocalDialog";
import type { ClusterInfo, CreatedLocalCluster } from "./ipc";
import {
  addLocalAgent,
  deleteLocalCluster,
  engineStatus,
  listLocalClusters,
  resetLocalCluster,
  startLocalCluster,
  stopLocalCluster,
  upgradeLocalCluster,
} from "./ipc";
import { portLabel } from "./advanced";
import { ImportImageDialog } from "./ImportImageDialog";
import type { EngineView } from "./state";
import { clusterState, contextOf, engineSummary, engineView, engineWhere, registryLabel, shortNode } from "./state";
import { UpgradeDialog } from "./UpgradeDialog";

/** The list follows changes made elsewhere (CLI, another window) this often. */
const POLL_MS = 3000;
const LOCAL_CLUSTERS_KEY = ["localClusters"] as const;

type Props = {
  /** Context names in the kubeconfig, to offer Open only where one exists. */
  contexts: string[];
  hasCurrentContext: boolean;
  onOpenContext: (context: string) => void;
  /** A create or delete changed the kubeconfig. */
  onKubeconfigChanged: () => void;
};

export function LocalClusters({ contexts, hasCurrentContext, onOpenContext, onKubeconfigChanged }: Props) {
  const [engine, setEngine] = useState<EngineView>({ state: "checking" });
  const [actionError, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState<Record<string, string>>({});
  const [creating, setCreating] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [importing, setImporting] = useState<string | null>(null);
  const [confirmReset, setConfirmReset] = useState<string | null>(null);
  const [upgrading, setUpgrading] = useState<ClusterInfo | null>(null);
  const [checks, setChecks] = useState(0);
  const openShell = useShellOpener();

  useEffect(() => {
    let live = true;
    engineStatus().then(
      (ok) => {
        if (live) setEngine(engineView({ ok }));
      },
      (err: unknown) => {
        if (live) setEngine(engineView({ err: toIpcError(err) }));
      },
    );
    return () => {
      live = false;
    };
  }, [checks]);

  const ready = engine.state === "ready";
  // The list is a query polled while the engine answers; actions refetch it at once.
  const list = useQuery(
    { queryKey: LOCAL_CLUSTERS_KEY, queryFn: listLocalClusters, enabled: ready, refetchInterval: POLL_MS },
    queryClient,
  );
  const clusters = ready ? (list.data ?? null) : null;
  const error = actionError ?? (list.error !== null ? toIpcError(list.error) : null);
  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: LOCAL_CLUSTERS_KEY });
  }, []);

  const act = (name: string, label: string, run: (name: string) => Promise<void>, after?: () => void) => {
    setBusy((b) => ({ ...b, [name]: label }));
    setError(null);
    run(name)
      .then(
        () => {
          after?.();
        },
        (err: unknown) => {
          setError(toIpcError(err));
        },
      )
      .finally(() => {
        setBusy((b) => Object.fromEntries(Object.entries(b).filter(([k]) => k !== name)));
        refresh();
      });
  };

  return (
    <main className="main local" aria-labelledby="local-title" data-testid="local-page">
      <header className="main__header">
        <h1 id="local-title" className="main__title">
          Local clusters
        </h1>
        <div className="main__scope">
          <EngineLine engine={engine} />
          {ready && (
            <button
              type="button"
              className="button button--primary"
              data-testid="local-create"
              onClick={() => {
                setCreating(true);
              }}
            >
              Create cluster…
            </button>
          )}
        </div>
      </header>
      <div className="local__body">
        {engine.state === "absent" && (
          <NoEngine
            message={engine.message}
            onCheck={() => {
              setEngine({ state: "checking" });
              setChecks((n) => n + 1);
            }}
          />
        )}
        {engine.state === "error" && (
          <div className="panel" role="alert">
            <p className="panel__title">{errorTitle(engine.error.kind)}</p>
            <p>{engine.error.message}</p>
          </div>
        )}
        {error !== null && (
          <div className="panel panel--error" role="alert" data-testid="local-error">
            <p className="panel__title">{errorTitle(error.kind)}</p>
            <p>{error.message}</p>
            {error.detail !== null && <pre>{error.detail}</pre>}
          </div>
        )}
        {ready && clusters !== null && clusters.length === 0 && (
          <p className="local__empty" data-testid="local-empty">
            No local clusters yet. &quot;Create cluster…&quot; starts a k3s server and an agent in your container
            engine and adds its context to your kubeconfig.
          </p>
        )}
        {ready && clusters !== null && clusters.length > 0 && (
          <table className="local__table" data-testid="local-list">
            <thead>
              <tr>
                <th>Name</th>
                <th>State</th>
                <th>Nodes</th>
                <th>Version, registry, folders</th>
                <th>API</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {clusters.map((c) => {
                const state = clusterState(c);
                const context = contextOf(c.name);
                const doing = busy[c.name];
                return (
                  <tr key={c.name} data-testid="local-cluster" data-name={c.name} data-state={state}>
                    <td>{c.name}</td>
                    <td>
                      <span className={`local__state local__state--${state}`}>{doing ?? state}</span>
                    </td>
                    <td>
                      {c.nodes.map((n) => {
                        const label = `${shortNode(c.name, n.container)}: ${n.state}`;
                        // A running node's chip is the node picker for the shell.
                        return openShell !== null && n.state === "running" ? (
                          <button
                            key={n.container}
                            type="button"
                            className="chip chip--button"
                            title={`Open a shell in ${n.container}`}
                            data-testid="local-node"
                            data-state={n.state}
                            onClick={() => {
                              openShell({ cluster: c.name, node: n.container });
                            }}
                          >
                            {label}
                          </button>
                        ) : (
                          <span key={n.container} className="chip" title={n.container} data-testid="local-node" data-state={n.state}>
                            {label}
                          </span>
                        );
                      })}
                    </td>
                    <td>
                      {c.version !== null && (
                        <span className="chip" data-testid="local-version" title="k3s version">
                          {c.version}
                        </span>
                      )}
                      {registryLabel(c) !== null && (
                        <span className="local__port" data-testid="local-registry" title={c.registry?.container}>
                          registry {registryLabel(c)}
                        </span>
                      )}
                      {c.volumes.map((v) => (
                        <span key={`${v.host}:${v.node}@${v.nodes}`} className="local__port" data-testid="local-volume" title={`mounted on ${v.nodes}`}>
                          {v.host} → {v.node}
                          {v.readOnly ? " (read-only)" : ""}
                        </span>
                      ))}
                    </td>
                    <td>
                      {c.apiPort !== null ? `https://127.0.0.1:${c.apiPort.toString()}` : "—"}
                      {c.ports.map((p) => (
                        <span key={`${p.hostIp}:${p.hostPort.toString()}/${p.protocol}`} className="local__port" data-testid="local-port">
                          {portLabel(p)}
                        </span>
                      ))}
                    </td>
                    <td className="local__actions">
                      {contexts.includes(context) && state === "running" && (
                        <button
                          type="button"
                          className="button"
                          data-testid="local-open"
                          onClick={() => {
                            onOpenContext(context);
                          }}
                        >
                          Open
                        </button>
                      )}
                      {openShell !== null && state === "running" && (
                        <button type="button" className="button" data-testid="local-shell" onClick={() => { openShell({ cluster: c.name, node: "server-0" }); }}>
                          Shell
                        </button>
                      )}
                      {state !== "running" && (
                        <button
                          type="button"
                          className="button"
                          data-testid="local-start"
                          disabled={doing !== undefined}
                          onClick={() => {
                            act(c.name, "starting, waiting for nodes Ready…", startLocalCluster);
                          }}
                        >
                          Start
                        </button>
                      )}
                      {state === "running" && (
                        <button
                          type="button"
                          className="button"
                          data-testid="local-add-node"
                          disabled={doing !== undefined}
                          onClick={() => {
                            act(c.name, "adding a node…", async (n) => {
                              await addLocalAgent(n);
                            });
                          }}
                        >
                          Add node
                        </button>
                      )}
                      {state === "running" && (
                        <button
                          type="button"
                          className="button"
                          data-testid="local-import"
                          disabled={doing !== undefined}
                          onClick={() => {
                            setImporting(c.name);
                          }}
                        >
                          Import image…
                        </button>
                      )}
                      {state !== "stopped" && (
                        <button
                          type="button"
                          className="button"
                          data-testid="local-stop"
                          disabled={doing !== undefined}
                          onClick={() => {
                            act(c.name, "stopping…", stopLocalCluster);
                          }}
                        >
                          Stop
                        </button>
                      )}
                      {state === "running" && (
                        <button
                          type="button"
                          className="button"
                          data-testid="local-upgrade"
                          disabled={doing !== undefined}
                          onClick={() => {
                            setUpgrading(c);
                          }}
                        >
                          Upgrade…
                        </button>
                      )}
                      <button
                        type="button"
                        className="button"
                        data-testid="local-reset"
                        disabled={doing !== undefined}
                        onClick={() => {
                          setConfirmReset(c.name);
                        }}
                      >
                        Reset
                      </button>
                      <button
                        type="button"
                        className="button button--danger"
                        data-testid="local-delete"
                        disabled={doing !== undefined}
                        onClick={() => {
                          setConfirmDelete(c.name);
                        }}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
      {confirmDelete !== null && (
        <ConfirmDialog
          title={`Delete ${confirmDelete}?`}
          okLabel="Delete"
          danger
          action="delete-local-cluster"
          onCancel={() => {
            setConfirmDelete(null);
          }}
          onOk={() => {
            const name = confirmDelete;
            setConfirmDelete(null);
            act(name, "deleting…", deleteLocalCluster, onKubeconfigChanged);
          }}
        >
          <p className="dialog__text">
            Removes its containers, their volumes (everything stored in the cluster), its network, and the context{" "}
            {contextOf(confirmDelete)} from your kubeconfig.
          </p>
        </ConfirmDialog>
      )}
      {confirmReset !== null && (
        <ConfirmDialog
          title={`Reset ${confirmReset}?`}
          okLabel="Reset"
          danger
          action="reset-local-cluster"
          onCancel={() => {
            setConfirmReset(null);
          }}
          onOk={() => {
            const name = confirmReset;
            setConfirmReset(null);
            act(
              name,
              "resetting…",
              async (n) => {
                await resetLocalCluster(n);
              },
              onKubeconfigChanged,
            );
          }}
        >
          <p className="dialog__text">
            Deletes it and creates it again with the same version, nodes, ports, registry and host folders. Everything stored in the cluster is
            lost; the context {contextOf(confirmReset)} keeps its name.
          </p>
        </ConfirmDialog>
      )}
      {upgrading !== null && (
        <UpgradeDialog
          cluster={upgrading}
          onClose={() => {
            setUpgrading(null);
          }}
          onUpgrade={(version) => {
            const name = upgrading.name;
            setUpgrading(null);
            act(name, `upgrading to ${version}…`, async (n) => {
              await upgradeLocalCluster(n, version);
            });
          }}
        />
      )}
      {importing !== null && (
        <ImportImageDialog
          cluster={importing}
          onClose={() => {
            setImporting(null);
          }}
        />
      )}
      {creating && (
        <CreateLocalDialog
          existing={clusters?.map((c) => c.name) ?? []}
          hasCurrentContext={hasCurrentContext}
          onClose={() => {
            setCreating(false);
            refresh();
          }}
          onCreated={(_created: CreatedLocalCluster) => {
            refresh();
            onKubeconfigChanged();
          }}
          onOpen={(context) => {
            setCreating(false);
            onOpenContext(context);
          }}
        />
      )}
    </main>
  );
}

function EngineLine({ engine }: { engine: EngineView }) {
  switch (engine.state) {
    case "checking":
      return <span className="chip">Checking the container engine…</span>;
    case "ready":
      return (
        <span className="chip" data-testid="local-engine" title={engineWhere(engine.status)}>
          {engineSummary(engine.status)}
        </span>
      );
    case "absent":
    case "error":
      return (
        <span className="chip chip--warn" data-testid="local-engine-absent">
          No container engine
        </span>
      );
  }
}

function NoEngine({ message, onCheck }: { message: string; onCheck: () => void }) {
  return (
    <div className="panel" data-testid="local-no-engine">
      <p className="panel__title">No container engine is running</p>
      <p>Local clusters run as containers, so Capstan needs Docker (or Podman&apos;s Docker-compatible socket).</p>
      <ul>
        <li>
          Linux: <code>sudo systemctl start docker</code>, or start Docker Desktop.
        </li>
        <li>macOS and Windows: start Docker Desktop (or Rancher Desktop with the dockerd engine).</li>
        <li>
          Podman: <code>systemctl --user start podman.socket</code>, then start Capstan with{" "}
          <code>DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock</code>.
        </li>
      </ul>
      <p className="dialog__muted">{message}</p>
      <button type="button" className="button" data-testid="local-check-engine" onClick={onCheck}>
        Check again
      </button>
    </div>
  );
}
