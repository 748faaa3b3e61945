import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import type { HelmPathChange } from "../bindings/HelmPathChange";
import { errorTitle, toIpcError } from "../ipc";
import { queryClient } from "../query/client";
import type { ReleaseRef } from "./ipc";
import { helmDiff } from "./ipc";
import { changeLine, diffLineClass } from "./model";

function Paths({ changes, testId }: { changes: readonly HelmPathChange[]; testId: string }) {
  return (
    <ul className="helm-diff__paths" data-testid={testId}>
      {changes.map((c) => (
        <li key={`${c.change}:${c.path}`} className={`helm-diff__path helm-diff__path--${c.change}`} data-path={c.path} data-change={c.change}>
          {changeLine(c)}
        </li>
      ))}
    </ul>
  );
}

function UnifiedText({ text, testId }: { text: string; testId: string }) {
  if (text === "") return <p className="details__note">No differences.</p>;
  return (
    <pre className="helm-diff__text" data-testid={testId}>
      {text.split("\n").map((line, i) => (
        <span key={i} className={`helm-diff__line helm-diff__line--${diffLineClass(line)}`}>
          {line}
          {"\n"}
        </span>
      ))}
    </pre>
  );
}

/** What changed from one revision to another: per resource with paths, or as text. */
export function DiffView({ release, from, to }: { release: ReleaseRef; from: number; to: number }) {
  const [mode, setMode] = useState<"structure" | "text">("structure");
  const diff = useQuery(
    {
      queryKey: ["helm-diff", release.context, release.namespace, release.name, from, to],
      queryFn: () => helmDiff(release, from, to),
      retry: false,
    },
    queryClient,
  );
  if (diff.isPending) return <p className="details__note">Comparing…</p>;
  if (diff.isError) {
    const e = toIpcError(diff.error);
    return (
      <div className="panel panel--error" role="alert">
        <p className="panel__title">{errorTitle(e.kind)}</p>
        <p>{e.message}</p>
      </div>
    );
  }
  const d = diff.data;
  return (
    <section className="helm-diff" data-testid="helm-diff" data-from={from} data-to={to}>
      <div className="helm-diff__bar">
        <span>
          Revision {d.from} ({d.fromChart}) → {d.to} ({d.toChart})
        </span>
        <button type="button" className="button" aria-pressed={mode === "structure"} data-testid="helm-diff-structure" onClick={() => { setMode("structure"); }}>
          Changes
        </button>
        <button type="button" className="button" aria-pressed={mode === "text"} data-testid="helm-diff-text" onClick={() => { setMode("text"); }}>
          Text
        </button>
      </div>
      {mode === "structure" ? (
        <>
          <h4>Values</h4>
          {d.values.length === 0 ? <p className="details__note">No value changed.</p> : <Paths changes={d.values} testId="helm-diff-values" />}
          <h4>Resources</h4>
          {d.resources.length === 0 ? (
            <p className="details__note">No resource changed.</p>
          ) : (
            <ul className="helm-diff__resources" data-testid="helm-diff-resources">
              {d.resources.map((r) => (
                <li key={r.key} data-key={r.key} data-change={r.change} className={`helm-diff__resource helm-diff__resource--${r.change}`}>
                  <span className="helm-diff__mark">{r.change === "added" ? "+" : r.change === "removed" ? "−" : "~"}</span> {r.key}
                  {r.paths.length > 0 && <Paths changes={r.paths} testId="helm-diff-resource-paths" />}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <>
          <h4>Values</h4>
          <UnifiedText text={d.valuesText} testId="helm-diff-values-text" />
          <h4>Manifest</h4>
          <UnifiedText text={d.manifestText} testId="helm-diff-manifest-text" />
        </>
      )}
    </section>
  );
}
