// A pod's terminal and copy actions in its details panel: Shell, Attach,
// Debug container, Copy from/to container, with a container picker when the
// pod has several (default: the default-container annotation, else the first).
import { useState } from "react";

import type { ObjectRef } from "../bindings/ObjectRef";
import type { IpcError } from "../ipc";
import { toIpcError } from "../ipc";
import { objectDetails } from "../ipc/resources";
import { useLoaded } from "../query/useLoaded";
import type { PanelIntent } from "../resources/rowMenu";
import { ErrorBox } from "../resources/YamlTab";
import { cancelCopy, copyFiles, formatBytes } from "./copy";
import { useShellOpener } from "./opener";
import { DEFAULT_DEBUG_IMAGE, defaultContainer, shellContainers } from "./pod";
import { GatedButton } from "../access/GatedButton";
import { actionQuery } from "../access/actions";

type Props = {
  context: string;
  reference: ObjectRef;
  refKey: string;
  /** A row menu's choice: its form is open when the actions appear. */
  intent?: PanelIntent | null;
};

type Copying =
  | { state: "asking"; direction: "from" | "to"; path: string; folder: boolean }
  | { state: "running"; id: number | null; bytes: number; local: string }
  | { state: "done"; message: string }
  | { state: "failed"; error: IpcError }
  | null;

/** The copy form a row menu's Copy from/to opens with. */
function initialCopy(intent: PanelIntent | null): Copying {
  if (intent === "copyFrom") return { state: "asking", direction: "from", path: "", folder: false };
  if (intent === "copyTo") return { state: "asking", direction: "to", path: "/tmp", folder: false };
  return null;
}

export function PodActions({ context, reference, refKey, intent = null }: Props) {
  const open = useShellOpener();
  const details = useLoaded(["object", context, refKey, "details"], () => objectDetails(context, reference), null);
  const names = details.status === "ok" ? shellContainers(details.value.containers) : [];
  const fallback = details.status === "ok" ? defaultContainer(names, details.value.annotations) : null;
  const [picked, setPicked] = useState<string | null>(null);
  const container = picked !== null && names.includes(picked) ? picked : fallback;
  const [image, setImage] = useState<string | null>(intent === "debug" ? DEFAULT_DEBUG_IMAGE : null);
  const [copying, setCopying] = useState<Copying>(initialCopy(intent));
  const namespace = reference.namespace;
  if (open === null || namespace === null) return null;
  const where = { context, namespace, pod: reference.name, container };

  const runCopy = (direction: "from" | "to", path: string, folder: boolean) => {
    setCopying({ state: "running", id: null, bytes: 0, local: "" });
    copyFiles({ direction, ...where, remotePath: path, folder }, (event) => {
      setCopying((c) => {
        if (c?.state !== "running") return c;
        return event.event === "started" ? { ...c, id: event.id, local: event.local } : { ...c, bytes: event.bytes };
      });
    }).then(
      (done) => {
        setCopying(
          done === null ? null : { state: "done", message: `Copied ${formatBytes(done.bytes)} ${direction === "from" ? "to" : "from"} ${done.local}` },
        );
      },
      (err: unknown) => {
        const error = toIpcError(err);
        setCopying(error.kind === "cancelled" ? { state: "done", message: "Copy cancelled" } : { state: "failed", error });
      },
    );
  };

  return (
    <div className="actions__pod" data-testid="pod-actions">
      {names.length > 1 && (
        <label>
          Container{" "}
          <select
            className="input input--compact"
            data-testid="pod-container"
            value={container ?? ""}
            onChange={(e) => {
              setPicked(e.target.value);
            }}
          >
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      )}
      <GatedButton {...actionQuery("shell", reference)} className="button button--small" data-testid="action-shell" onClick={() => { open({ mode: "exec", ...where }); }}>
        Shell
      </GatedButton>
      <GatedButton {...actionQuery("attach", reference)} className="button button--small" data-testid="action-attach" onClick={() => { open({ mode: "attach", ...where }); }}>
        Attach
      </GatedButton>
      <GatedButton {...actionQuery("debug", reference)} className="button button--small" data-testid="action-debug" onClick={() => { setImage(DEFAULT_DEBUG_IMAGE); }}>
        Debug container…
      </GatedButton>
      <GatedButton
        {...actionQuery("copy", reference)}
        className="button button--small"
        data-testid="action-copy-from"
        onClick={() => { setCopying(initialCopy("copyFrom")); }}
      >
        Copy from container…
      </GatedButton>
      <GatedButton
        {...actionQuery("copy", reference)}
        className="button button--small"
        data-testid="action-copy-to"
        onClick={() => { setCopying(initialCopy("copyTo")); }}
      >
        Copy to container…
      </GatedButton>
      {image !== null && (
        <form
          className="actions__scale"
          onSubmit={(e) => {
            e.preventDefault();
            open({ mode: "debug", ...where, image: image.trim() === "" ? null : image.trim() });
            setImage(null);
          }}
        >
          <label>
            Image{" "}
            <input className="input input--compact" data-testid="debug-image" value={image} autoFocus onChange={(e) => { setImage(e.target.value); }} />
          </label>
          <button type="submit" className="button button--small button--primary" data-testid="debug-start">
            Start
          </button>
          <button type="button" className="button button--small" onClick={() => { setImage(null); }}>
            Cancel
          </button>
        </form>
      )}
      {copying?.state === "asking" && (
        <form
          className="actions__scale"
          onSubmit={(e) => {
            e.preventDefault();
            if (copying.path.trim() === "") return;
            runCopy(copying.direction, copying.path.trim(), copying.folder);
          }}
        >
          <label>
            {copying.direction === "from" ? "Path in the container" : "Into folder"}{" "}
            <input
              className="input input--compact"
              data-testid="copy-path"
              value={copying.path}
              autoFocus
              onChange={(e) => { setCopying({ ...copying, path: e.target.value }); }}
            />
          </label>
          <label>
            <input type="checkbox" checked={copying.folder} onChange={(e) => { setCopying({ ...copying, folder: e.target.checked }); }} /> A folder
          </label>
          <button type="submit" className="button button--small button--primary" data-testid="copy-start" disabled={copying.path.trim() === ""}>
            Choose {copying.direction === "from" ? "where to save" : "what to upload"}…
          </button>
          <button type="button" className="button button--small" onClick={() => { setCopying(null); }}>
            Cancel
          </button>
        </form>
      )}
      {copying?.state === "running" && (
        <p className="details__note" role="status" data-testid="copy-progress">
          Copying{copying.local === "" ? "" : ` ${copying.local}`}: {formatBytes(copying.bytes)}{" "}
          <button
            type="button"
            className="button button--small"
            data-testid="copy-cancel"
            disabled={copying.id === null}
            onClick={() => { if (copying.id !== null) void cancelCopy(copying.id); }}
          >
            Cancel
          </button>
        </p>
      )}
      {copying?.state === "done" && (
        <p className="details__ok" role="status" data-testid="copy-result">
          {copying.message}
        </p>
      )}
      {copying?.state === "failed" && <ErrorBox error={copying.error} testId="copy-error" />}
    </div>
  );
}
