import { useState } from "react";

import { Dialog, DialogError, Spinner } from "../components/Dialog";
import type { IpcError } from "../ipc";
import { errorTitle, toIpcError } from "../ipc";
import { importLocalImage } from "./ipc";
import { shortNode } from "./state";

type Props = { cluster: string; onClose: () => void };

/**
 * Copies an image from the local engine into every node of a cluster, so a
 * locally built image runs without a registry (`imagePullPolicy: IfNotPresent`).
 */
export function ImportImageDialog({ cluster, onClose }: Props) {
  const [image, setImage] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [done, setDone] = useState<string[] | null>(null);

  const run = () => {
    setBusy(true);
    setError(null);
    setDone(null);
    importLocalImage(cluster, image).then(
      (nodes) => {
        setBusy(false);
        setDone(nodes);
      },
      (err: unknown) => {
        setBusy(false);
        setError(toIpcError(err));
      },
    );
  };

  return (
    <Dialog
      title={`Import an image into ${cluster}`}
      testId="local-import-dialog"
      onClose={onClose}
      closable={!busy}
      footer={
        <>
          {busy && (
            <span className="dialog__progress" role="status">
              <Spinner />
              Copying into every node…
            </span>
          )}
          <span className="dialog__spacer" />
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {done !== null ? "Close" : "Cancel"}
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="local-import-ok"
            disabled={busy || image.trim() === ""}
            onClick={run}
          >
            Import
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field__label">Image in the local engine</span>
        <input
          className="input mono"
          placeholder="myapp:dev"
          data-testid="local-import-image"
          value={image}
          autoComplete="off"
          onChange={(e) => {
            setImage(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !busy && image.trim() !== "") run();
          }}
        />
      </label>
      {done !== null && (
        <p className="details__ok" role="status" data-testid="local-import-done">
          {image.trim()} is on {done.map((n) => shortNode(cluster, n)).join(", ")}.
        </p>
      )}
      {error !== null && <DialogError title={errorTitle(error.kind)} message={error.message} detail={error.detail} testId="local-import-error" />}
    </Dialog>
  );
}
