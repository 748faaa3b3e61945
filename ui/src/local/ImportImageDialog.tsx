import { useState } from "react";

import { Dialog, DialogError } from "../components/Dialog";
import { DialogFooter } from "../components/DialogFooter";
import { useAsyncAction } from "../hooks/useAsyncAction";
import { errorTitle } from "../ipc";
import { importLocalImage } from "./ipc";
import { shortNode } from "./state";

type Props = { cluster: string; onClose: () => void };

/**
 * Copies an image from the local engine into every node of a cluster, so a
 * locally built image runs without a registry (`imagePullPolicy: IfNotPresent`).
 */
export function ImportImageDialog({ cluster, onClose }: Props) {
  const [image, setImage] = useState("");
  const [done, setDone] = useState<string[] | null>(null);
  const importing = useAsyncAction(importLocalImage);
  const { busy, error } = importing;

  const run = () => {
    setDone(null);
    void importing.run(cluster, image).then((r) => {
      if (r.ok) setDone(r.value);
    });
  };

  return (
    <Dialog
      title={`Import an image into ${cluster}`}
      testId="local-import-dialog"
      onClose={onClose}
      closable={!busy}
      footer={
        <DialogFooter
          busy={busy}
          busyText="Copying into every node…"
          cancelLabel={done !== null ? "Close" : "Cancel"}
          onCancel={onClose}
          okLabel="Import"
          onOk={run}
          okTestId="local-import-ok"
          okDisabled={image.trim() === ""}
        />
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
