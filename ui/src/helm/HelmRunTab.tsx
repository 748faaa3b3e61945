import { useHelmRun } from "./runs";

/** A dock tab: one helm action's output as it streams, then its result. */
export function HelmRunTab({ id }: { id: string }) {
  const run = useHelmRun(id);
  if (run === undefined) return <p className="dock__empty">No output</p>;
  return (
    <div className="helm-run" data-testid="helm-run" data-state={run.state}>
      <p className="helm-run__status">
        {run.state === "running" ? `Running ${run.title}…` : run.state === "succeeded" ? `${run.title}: done` : `${run.title}: failed`}
      </p>
      <pre className="helm-run__output" data-testid="helm-run-output">
        {run.lines.map((l, i) => (
          <span key={i} className={l.stderr ? "helm-run__err" : undefined}>
            {l.text}
            {"\n"}
          </span>
        ))}
      </pre>
      {run.error !== null && (
        <div className="panel panel--error" role="alert" data-testid="helm-run-error">
          <p className="panel__title">{run.error.message}</p>
          {run.error.detail !== null && <pre className="panel__detail">{run.error.detail}</pre>}
        </div>
      )}
    </div>
  );
}
