import { useState } from "react";

import type { LogSource } from "../bindings/LogSource";
import { toIpcError } from "../ipc";
import { downloadLog, saveText, type SavedFile } from "../ipc/logs";

type Props = {
  context: string;
  namespace: string;
  sources: readonly LogSource[];
  previous: boolean;
  baseName: string;
  bufferText: () => string;
};

type State = { kind: "idle" } | { kind: "busy"; bytes: number } | { kind: "ok"; text: string } | { kind: "error"; text: string };

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes.toString()} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Saving: the buffer as shown, or one container's full log streamed by the
 * backend. The backend opens the native save dialog with a suggested name;
 * the page never names a path.
 */
export function DownloadBar({ context, namespace, sources, previous, baseName, bufferText }: Props) {
  const [which, setWhich] = useState("");
  const [state, setState] = useState<State>({ kind: "idle" });
  const chosen = sources.find((s) => `${s.pod}/${s.container}` === which) ?? sources[0];
  const busy = state.kind === "busy";

  const run = (save: Promise<SavedFile | null>, done: (saved: SavedFile) => string) => {
    setState({ kind: "busy", bytes: 0 });
    save.then(
      (saved) => {
        // Null: the user cancelled the dialog.
        setState(saved === null ? { kind: "idle" } : { kind: "ok", text: done(saved) });
      },
      (err: unknown) => {
        setState({ kind: "error", text: toIpcError(err).message });
      },
    );
  };

  return (
    <div className="logdl" data-testid="log-download">
      <button
        type="button"
        className="button button--small"
        data-testid="log-save-buffer"
        disabled={busy}
        onClick={() => {
          run(saveText(`${baseName}.log`, bufferText()), (s) => `Saved the buffer (${size(s.bytes)}) to ${s.path}`);
        }}
      >
        Save buffer…
      </button>
      <select
        className="input input--compact"
        aria-label="Container to download"
        value={chosen !== undefined ? `${chosen.pod}/${chosen.container}` : ""}
        onChange={(e) => {
          setWhich(e.target.value);
        }}
      >
        {sources.map((s) => (
          <option key={s.index} value={`${s.pod}/${s.container}`}>
            {s.pod}/{s.container}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button--small"
        data-testid="log-download-full"
        disabled={busy || chosen === undefined}
        onClick={() => {
          if (chosen === undefined) return;
          run(
            downloadLog(
              { context, namespace, pod: chosen.pod, container: chosen.container, previous, suggestedName: `${chosen.pod}-${chosen.container}.log` },
              (bytes) => {
                setState({ kind: "busy", bytes });
              },
            ),
            (s) => `Downloaded ${size(s.bytes)} to ${s.path}`,
          );
        }}
      >
        Download full log…
      </button>
      <span className={`logdl__state${state.kind === "error" ? " logdl__state--error" : ""}`} role="status" data-testid="log-download-state">
        {state.kind === "busy" ? `Writing… ${size(state.bytes)}` : state.kind === "idle" ? "" : state.text}
      </span>
    </div>
  );
}
