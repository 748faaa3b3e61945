// The Cluster overview page: CPU and memory of the cluster against
// allocatable, pods by phase, recent warning events, and the cluster's
// charts. Figures come from Rust (capstan_kube::metrics).
import { useQuery } from "@tanstack/react-query";

import type { ClusterOverview as Overview } from "../bindings/ClusterOverview";
import { formatBytes, formatCores, usageShare } from "./figures";
import { MetricsCharts } from "../metrics/MetricsCharts";
import { sourceLabel } from "../metrics/feed";
import { toIpcError } from "../ipc/errors";
import { clusterOverview } from "../ipc/metrics";
import { queryClient } from "../query/client";
import { ErrorBox } from "../resources/YamlTab";

/** Refreshed as often as the live charts sample. */
const REFRESH_MS = 15_000;

export function ClusterOverview({ context }: { context: string }) {
  const overview = useQuery(
    {
      queryKey: ["cluster-overview", context],
      queryFn: () => clusterOverview(context),
      refetchInterval: REFRESH_MS,
    },
    queryClient,
  );
  return (
    <div className="overview" data-testid="cluster-overview">
      {overview.isError ? (
        <ErrorBox error={toIpcError(overview.error)} testId="overview-error" />
      ) : overview.data === undefined ? (
        <p className="muted">Reading the cluster…</p>
      ) : (
        <Figures overview={overview.data} />
      )}
      <h2 className="overview__heading">CPU and memory</h2>
      <MetricsCharts context={context} target={{ kind: "cluster" }} subject={`cluster ${context}`} />
    </div>
  );
}

function Figures({ overview }: { overview: Overview }) {
  const phases = Object.entries(overview.podsByPhase);
  return (
    <>
      <div className="overview__cards">
        <Usage
          label="CPU"
          testId="overview-cpu"
          used={overview.cpuUsedCores}
          allocatable={overview.cpuAllocatableCores}
          format={formatCores}
        />
        <Usage
          label="Memory"
          testId="overview-memory"
          used={overview.memoryUsedBytes}
          allocatable={overview.memoryAllocatableBytes}
          format={formatBytes}
        />
        <section className="overview__card" data-testid="overview-pods" aria-label="Pods by phase">
          <h3>Pods</h3>
          <ul className="overview__phases">
            {phases.length === 0 && <li className="muted">No pods</li>}
            {phases.map(([phase, count]) => (
              <li key={phase} data-phase={phase}>
                <span className={`phase phase--${phase.toLowerCase()}`}>{phase}</span> {count}
              </li>
            ))}
          </ul>
          <p className="muted">
            {overview.nodes} node{overview.nodes === 1 ? "" : "s"}
          </p>
        </section>
      </div>
      <p className="muted" data-testid="overview-source">
        {overview.source !== null
          ? `Source: ${sourceLabel(overview.source)}`
          : `No metrics: ${overview.unavailable ?? "no source works"}`}
      </p>
      <h2 className="overview__heading">Recent warnings</h2>
      {overview.warnings.length === 0 ? (
        <p className="muted" data-testid="overview-no-warnings">
          No warning events.
        </p>
      ) : (
        <table className="overview__warnings" data-testid="overview-warnings">
          <thead>
            <tr>
              <th>Object</th>
              <th>Reason</th>
              <th>Message</th>
              <th>Count</th>
            </tr>
          </thead>
          <tbody>
            {overview.warnings.map((w, i) => (
              <tr key={`${w.namespace}/${w.object}/${w.reason}/${i}`}>
                <td>
                  {w.namespace !== "" && <span className="muted">{w.namespace}/</span>}
                  {w.object}
                </td>
                <td>{w.reason}</td>
                <td>{w.message}</td>
                <td>{w.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Usage({
  label,
  testId,
  used,
  allocatable,
  format,
}: {
  label: string;
  testId: string;
  used: number | null;
  allocatable: number;
  format: (n: number) => string;
}) {
  const share = usageShare(used, allocatable);
  return (
    <section className="overview__card" data-testid={testId} aria-label={`${label} usage`}>
      <h3>{label}</h3>
      <p className="overview__figure">
        {used === null ? "—" : format(used)} <span className="muted">of {format(allocatable)} allocatable</span>
      </p>
      {share !== null && (
        <div
          className={`meter${share >= 100 ? " meter--over" : share >= 80 ? " meter--high" : ""}`}
          role="meter"
          aria-label={`${label} used of allocatable`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.min(share, 100)}
        >
          <span className="meter__bar" style={{ width: `${Math.min(share, 100)}%` }} />
          <span className="meter__text">{share}%</span>
        </div>
      )}
    </section>
  );
}
