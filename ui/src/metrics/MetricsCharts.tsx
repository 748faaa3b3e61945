// CPU and memory charts of one target (a pod, node, workload or the
// cluster) with a range choice and the source in use. Rust feeds the charts;
// this only opens the feed, follows its events and closes it.
import { useEffect, useState } from "react";

import type { IpcError } from "../bindings/IpcError";
import type { MetricsChartEvent } from "../bindings/MetricsChartEvent";
import type { MetricsCharts as Opened } from "../bindings/MetricsCharts";
import type { MetricsRange } from "../bindings/MetricsRange";
import type { MetricsTarget } from "../bindings/MetricsTarget";
import { Chart } from "../charts/Chart";
import { toIpcError } from "../ipc/errors";
import { closeMetricsCharts, openMetricsCharts } from "../ipc/metricCharts";
import { ErrorBox } from "../resources/YamlTab";
import { feedView, RANGES, sourceLabel, targetKey } from "./feed";

type Props = {
  context: string;
  target: MetricsTarget;
  /** Names the charts for screen readers, e.g. "pod web-1". */
  subject: string;
};

export function MetricsCharts({ context, target, subject }: Props) {
  const [range, setRange] = useState<MetricsRange>("Live");
  return (
    <section className="metrics-charts" data-testid="metrics-charts" aria-label={`Metrics of ${subject}`}>
      <div className="metrics-charts__ranges" role="group" aria-label="Time range">
        {RANGES.map((r) => (
          <button
            key={r.id}
            type="button"
            className="button button--small"
            aria-pressed={r.id === range}
            title={r.title}
            data-testid={`metrics-range-${r.id}`}
            onClick={() => {
              setRange(r.id);
            }}
          >
            {r.label}
          </button>
        ))}
      </div>
      {/* Keyed so a new target or range starts from a clean state. */}
      <Feed
        key={`${context}|${targetKey(target)}|${range}`}
        context={context}
        targetJson={JSON.stringify(target)}
        range={range}
        subject={subject}
      />
    </section>
  );
}

function Feed({
  context,
  targetJson,
  range,
  subject,
}: {
  context: string;
  targetJson: string;
  range: MetricsRange;
  subject: string;
}) {
  const [opened, setOpened] = useState<Opened | null>(null);
  const [last, setLast] = useState<MetricsChartEvent | null>(null);
  const [openError, setOpenError] = useState<IpcError | null>(null);

  useEffect(() => {
    let cancelled = false;
    let id: number | null = null;
    const target = JSON.parse(targetJson) as MetricsTarget;
    openMetricsCharts({ context, target, range }, (event) => {
      if (!cancelled) setLast(event);
    })
      .then((charts) => {
        if (cancelled) {
          void closeMetricsCharts(charts.id);
          return;
        }
        id = charts.id;
        setOpened(charts);
      })
      .catch((err: unknown) => {
        if (!cancelled) setOpenError(toIpcError(err));
      });
    return () => {
      cancelled = true;
      if (id !== null) void closeMetricsCharts(id);
    };
  }, [context, targetJson, range]);

  const view = feedView(openError, last);
  if (view.state === "failed") return <ErrorBox error={view.error} testId="metrics-error" />;
  if (view.state === "opening" || opened === null)
    return (
      <p className="muted" data-testid="metrics-opening">
        Reading metrics…
      </p>
    );
  return (
    <>
      <p className="metrics-charts__source muted" data-testid="metrics-source">
        Source: {sourceLabel(view.source)}
      </p>
      {view.state === "waiting" ? (
        <p className="muted" data-testid="metrics-waiting">
          Collecting samples: the chart appears after the second one.
        </p>
      ) : (
        <div className="metrics-charts__grid">
          <Chart id={opened.cpu} title={`CPU of ${subject}`} revision={view.revision} />
          <Chart id={opened.memory} title={`Memory of ${subject}`} revision={view.revision} />
        </div>
      )}
    </>
  );
}
