import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import type { HelmReleaseDetails } from "../bindings/HelmReleaseDetails";
import type { HelmRevision } from "../bindings/HelmRevision";
import type { KindInfo } from "../bindings/KindInfo";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { CloseIcon } from "../components/icons";
import { errorTitle, toIpcError } from "../ipc";
import { queryClient } from "../query/client";
import { startHelmAction } from "./actions";
import { DiffView } from "./DiffView";
import type { ReleaseRef } from "./ipc";
import { helmHistory, helmRelease } from "./ipc";
import { defaultDiffPair, uninstallLines } from "./model";
import { useHelmRunOpener } from "./opener";
import { ResourceStatus } from "./ResourceStatus";
import { UpgradeDialog } from "./UpgradeDialog";

type Tab = "status" | "values" | "manifest" | "hooks" | "history";
const TABS: { id: Tab; label: string }[] = [
  { id: "status", label: "Status" },
  { id: "values", label: "Values" },
  { id: "manifest", label: "Manifest" },
  { id: "hooks", label: "Hooks" },
  { id: "history", label: "History" },
];

type Props = {
  release: ReleaseRef;
  /** The revision the live table shows: details and history reload when it moves. */
  revision: number;
  /** Its status in the table: a rollback's revision appears pending, then deployed. */
  status: string;
  /** Why actions cannot run (no helm), or null. */
  actionsBlocked: string | null;
  /** Discovered kinds by sidebar id, to link manifest resources to their views. */
  kinds: ReadonlyMap<string, KindInfo>;
  onOpenKind: (id: string) => void;
  onClose: () => void;
};

/** A release's details, history, diff and actions. */
export function ReleasePanel({ release, revision, status, actionsBlocked, kinds, onOpenKind, onClose }: Props) {
  const [tab, setTab] = useState<Tab>("status");
  const [dialog, setDialog] = useState<"upgrade" | "uninstall" | null>(null);
  const key = [release.context, release.namespace, release.name, revision, status] as const;
  const details = useQuery({ queryKey: ["helm-release", ...key], queryFn: () => helmRelease(release, null) }, queryClient);
  const history = useQuery({ queryKey: ["helm-history", ...key], queryFn: () => helmHistory(release) }, queryClient);
  const open = useHelmRunOpener();
  const d = details.data;
  return (
    <aside className="details helm-details" data-testid="helm-details" data-release={release.name} data-revision={revision} aria-label="Release details">
      <header className="details__head">
        <h3 className="details__title">
          <span className="details__kind">Release</span> {release.name}
        </h3>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <div className="actions-bar">
        <button type="button" className="button" data-testid="helm-upgrade" disabled={actionsBlocked !== null || d === undefined} title={actionsBlocked ?? undefined} onClick={() => { setDialog("upgrade"); }}>
          Upgrade values…
        </button>
        <button type="button" className="button button--danger" data-testid="helm-uninstall" disabled={actionsBlocked !== null || d === undefined} title={actionsBlocked ?? undefined} onClick={() => { setDialog("uninstall"); }}>
          Uninstall…
        </button>
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" className="tabs__tab" aria-selected={tab === t.id} data-testid={`helm-tab-${t.id}`} onClick={() => { setTab(t.id); }}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="details__body" role="tabpanel">
        {details.isError ? (
          <ErrorPanel error={details.error} />
        ) : d === undefined ? (
          <p className="details__note">Loading…</p>
        ) : (
          <>
            {tab === "status" && <StatusTab d={d} />}
            {tab === "values" && <ValuesTab d={d} />}
            {tab === "manifest" && <ManifestTab d={d} context={release.context} kinds={kinds} onOpenKind={onOpenKind} />}
            {tab === "hooks" && <HooksTab d={d} />}
            {tab === "history" &&
              (history.isError ? (
                <ErrorPanel error={history.error} />
              ) : history.data === undefined ? (
                <p className="details__note">Loading…</p>
              ) : (
                <HistoryTab release={release} history={history.data} current={d.revision} actionsBlocked={actionsBlocked} onRollback={(rev) => void startHelmAction(release, { kind: "rollback", revision: rev }, open)} />
              ))}
          </>
        )}
      </div>
      {dialog === "upgrade" && d !== undefined && (
        <UpgradeDialog
          release={release}
          initial={d.userValuesYaml}
          onCancel={() => { setDialog(null); }}
          onUpgrade={(valuesYaml) => {
            setDialog(null);
            void startHelmAction(release, { kind: "upgrade", valuesYaml }, open);
          }}
        />
      )}
      {dialog === "uninstall" && d !== undefined && (
        <ConfirmDialog
          title={`Uninstall ${release.name}?`}
          okLabel="Uninstall"
          danger
          action="helm-uninstall"
          onCancel={() => { setDialog(null); }}
          onOk={() => {
            setDialog(null);
            void startHelmAction(release, { kind: "uninstall" }, open);
          }}
        >
          <p>
            helm uninstall deletes release {release.name} from namespace {release.namespace} and these {d.resources.length.toString()} objects:
          </p>
          <ul className="helm-uninstall__list" data-testid="helm-uninstall-list">
            {uninstallLines(d.resources, release.namespace).map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </ConfirmDialog>
      )}
    </aside>
  );
}

function ErrorPanel({ error }: { error: unknown }) {
  const e = toIpcError(error);
  return (
    <div className="panel panel--error" role="alert">
      <p className="panel__title">{errorTitle(e.kind)}</p>
      <p>{e.message}</p>
      {e.detail !== null && <pre className="panel__detail">{e.detail}</pre>}
    </div>
  );
}

function StatusTab({ d }: { d: HelmReleaseDetails }) {
  return (
    <div data-testid="helm-status">
      <dl className="summary">
        <dt>Status</dt>
        <dd data-testid="helm-status-value">{d.status}</dd>
        <dt>Revision</dt>
        <dd data-testid="helm-status-revision">{d.revision}</dd>
        <dt>Description</dt>
        <dd>{d.description}</dd>
        <dt>Chart</dt>
        <dd>
          {d.chart}-{d.chartVersion}
        </dd>
        <dt>App version</dt>
        <dd>{d.appVersion}</dd>
        <dt>Last deployed</dt>
        <dd>{d.lastDeployed ?? ""}</dd>
        <dt>Storage</dt>
        <dd>{d.driver === "secret" ? "Secrets" : "ConfigMaps"}</dd>
      </dl>
      {d.notes !== "" && (
        <>
          <h4>Notes</h4>
          <pre className="helm-pre" data-testid="helm-notes">{d.notes}</pre>
        </>
      )}
    </div>
  );
}

function ValuesTab({ d }: { d: HelmReleaseDetails }) {
  const [all, setAll] = useState(false);
  const text = all ? d.computedValuesYaml : d.userValuesYaml;
  return (
    <div>
      <label className="helm-toggle">
        <input type="checkbox" checked={all} data-testid="helm-values-all" onChange={(e) => { setAll(e.target.checked); }} /> Computed (chart defaults merged)
      </label>
      <pre className="helm-pre" data-testid="helm-values">{text === "" ? "# no values" : text}</pre>
    </div>
  );
}

type ManifestProps = { d: HelmReleaseDetails; context: string; kinds: ReadonlyMap<string, KindInfo>; onOpenKind: (id: string) => void };

function ManifestTab({ d, context, kinds, onOpenKind }: ManifestProps) {
  const [openKey, setOpenKey] = useState<string | null>(null);
  return (
    <ul className="helm-resources" data-testid="helm-resources">
      {d.resources.map((r, i) => {
        const k = `${r.kind}/${r.namespace ?? d.namespace}/${r.name}/${i.toString()}`;
        return (
          <li key={k} data-testid="helm-resource" data-kind={r.kind} data-name={r.name}>
            <ResourceStatus context={context} namespace={d.namespace} resource={r} kinds={kinds} onOpenKind={onOpenKind} />{" "}
            <button type="button" className="button" data-testid="helm-resource-yaml" onClick={() => { setOpenKey(openKey === k ? null : k); }}>
              YAML
            </button>
            {r.source !== null && <span className="helm-resources__source"> {r.source}</span>}
            {openKey === k && <pre className="helm-pre">{r.yaml}</pre>}
          </li>
        );
      })}
    </ul>
  );
}

function HooksTab({ d }: { d: HelmReleaseDetails }) {
  if (d.hooks.length === 0) return <p className="details__note">No hooks.</p>;
  return (
    <table className="helm-table" data-testid="helm-hooks">
      <thead>
        <tr>
          <th>Hook</th>
          <th>Kind</th>
          <th>Events</th>
          <th>Last run</th>
        </tr>
      </thead>
      <tbody>
        {d.hooks.map((h) => (
          <tr key={`${h.kind}/${h.name}`}>
            <td>{h.name}</td>
            <td>{h.kind}</td>
            <td>{h.events.join(", ")}</td>
            <td>{h.last_run?.phase ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type HistoryProps = {
  release: ReleaseRef;
  history: readonly HelmRevision[];
  current: number;
  actionsBlocked: string | null;
  onRollback: (revision: number) => void;
};

function HistoryTab({ release, history, current, actionsBlocked, onRollback }: HistoryProps) {
  const pair = defaultDiffPair(history);
  const [from, setFrom] = useState<number | null>(pair?.[0] ?? null);
  const [to, setTo] = useState<number | null>(pair?.[1] ?? null);
  const [shown, setShown] = useState<[number, number] | null>(null);
  const [confirm, setConfirm] = useState<number | null>(null);
  return (
    <div>
      <table className="helm-table" data-testid="helm-history">
        <thead>
          <tr>
            <th>Revision</th>
            <th>Status</th>
            <th>Chart</th>
            <th>Description</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {history.map((h) => (
            <tr key={h.revision} data-testid="helm-revision" data-revision={h.revision} data-status={h.status}>
              <td>{h.revision}</td>
              <td>{h.status}</td>
              <td>{h.chart}</td>
              <td title={h.error ?? undefined}>{h.error ?? h.description}</td>
              <td>
                {h.revision !== current && (
                  <button type="button" className="button" data-testid="helm-rollback" disabled={actionsBlocked !== null} title={actionsBlocked ?? undefined} onClick={() => { setConfirm(h.revision); }}>
                    Roll back here
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {history.length > 1 && (
        <div className="helm-diff__pick">
          <label>
            From{" "}
            <select value={from ?? ""} data-testid="helm-diff-from" onChange={(e) => { setFrom(Number(e.target.value)); }}>
              {history.map((h) => (
                <option key={h.revision} value={h.revision}>
                  {h.revision}
                </option>
              ))}
            </select>
          </label>
          <label>
            to{" "}
            <select value={to ?? ""} data-testid="helm-diff-to" onChange={(e) => { setTo(Number(e.target.value)); }}>
              {history.map((h) => (
                <option key={h.revision} value={h.revision}>
                  {h.revision}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button" data-testid="helm-diff-show" disabled={from === null || to === null || from === to} onClick={() => { if (from !== null && to !== null) setShown([from, to]); }}>
            Compare
          </button>
        </div>
      )}
      {shown !== null && <DiffView key={shown.join("-")} release={release} from={shown[0]} to={shown[1]} />}
      {confirm !== null && (
        <ConfirmDialog
          title={`Roll back ${release.name} to revision ${confirm.toString()}?`}
          okLabel="Roll back"
          action="helm-rollback"
          onCancel={() => { setConfirm(null); }}
          onOk={() => {
            onRollback(confirm);
            setConfirm(null);
          }}
        >
          <p>helm rollback makes a new revision with the chart, values and manifest of revision {confirm}.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
