import { useEffect, useState } from "react";

import type { LogSource } from "../bindings/LogSource";
import { toIpcError } from "../ipc";
import { downloadLog, downloadsDir, saveText } from "../ipc/logs";

type Props = {
  context: string;
  namespace: string;
  sources: readonly LogSource[];
  previous: boolean;
  baseName: string;
  bufferText: () => string;
};

type State = { kind: "idle" } | { kind: "busy"; bytes: number } | { kind: "ok"; text: string } | { kind: "error"; text: string };

function join(dir: string, name: string): string {
  const sep = dir.includes("\\") && !dir.includes("/") ? "\\" : "/";
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes.toString()} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Saving: the buffer as shown, or one container's full log streamed by the
 * backend. The user names the file (no native dialog: the window may not
 * call dialog plugins), defaulting to the Downloads folder.
 */
export function DownloadBar({ context, namespace, sources, previous, baseName, bufferText }: Props) {
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState("");
  const [which, setWhich] = useState("");
  const [state, setState] = useState<State>({ kind: "idle" });

  useEffect(() => {
    if (!open || path !== "") return;
    downloadsDir().then(
      (dir) => {
        setPath(join(dir ?? "", `${baseName}.log`));
      },
      () => {
        setPath(`${baseName}.log`);
      },
    );
  }, [open, path, baseName]);

  const chosen = sources.find((s) => `${s.pod}/${s.container}` === which) ?? sources[0];

  if (!open) {
    return (
      <div className="logdl">
        <button
          type="button"
          className="button button--small"
          data-testid="log-download-open"
          onClick={() => {
            setOpen(true);
          }}
        >
          Download…
        </button>
      </div>
    );
  }
  const busy = state.kind === "busy";
  return (
    <div className="logdl logdl--open" data-testid="log-download">
      <label>
        File{" "}
        <input
          className="input input--compact logdl__path"
          data-testid="log-download-path"
          value={path}
          onChange={(e) => {
            setPath(e.target.value);
          }}
        />
      </label>
      <button
        type="button"
        className="button button--small"
        data-testid="log-save-buffer"
        disabled={busy || path.trim() === ""}
        onClick={() => {
          setState({ kind: "busy", bytes: 0 });
          saveText(path, bufferText()).then(
            (bytes) => {
              setState({ kind: "ok", text: `Saved the buffer (${size(bytes)}) to ${path}` });
            },
            (err: unknown) => {
              setState({ kind: "error", text: toIpcError(err).message });
            },
          );
        }}
      >
        Save buffer
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
        disabled={busy || chosen === undefined || path.trim() === ""}
        onClick={() => {
          if (chosen === undefined) return;
          setState({ kind: "busy", bytes: 0 });
          downloadLog({ context, namespace, pod: chosen.pod, container: chosen.container, previous, path }, (bytes) => {
            setState({ kind: "busy", bytes });
          }).then(
            (bytes) => {
              setState({ kind: "ok", text: `Downloaded ${size(bytes)} to ${path}` });
            },
            (err: unknown) => {
              setState({ kind: "error", text: toIpcError(err).message });
            },
          );
        }}
      >
        Download full log
      </button>
      <span className={`logdl__state${state.kind === "error" ? " logdl__state--error" : ""}`} role="status" data-testid="log-download-state">
        {state.kind === "busy" ? `Writing… ${size(state.bytes)}` : state.kind === "idle" ? "" : state.text}
      </span>
      <button
        type="button"
        className="icon-button"
        aria-label="Close download"
        onClick={() => {
          setOpen(false);
          setState({ kind: "idle" });
        }}
      >
        ×
      </button>
    </div>
  );
}
