// Upgrade in place: the listed k3s versions newer than the cluster's (a
// patch or minor up, as Rancher Desktop offers), with what it does and the
// warning that goes with it. The upgrade itself runs in the clusters list
// (its row shows "upgrading…"); a failure there says the old nodes are back.
import { useEffect, useState } from "react";

import type { ClusterInfo } from "../bindings/ClusterInfo";
import { Dialog } from "../components/Dialog";
import { DialogFooter } from "../components/DialogFooter";
import type { NodeImages } from "./ipc";
import { localNodeImages } from "./ipc";
import { imageLabel, upgradeChoices } from "./state";

type Props = { cluster: ClusterInfo; onClose: () => void; onUpgrade: (version: string) => void };

export function UpgradeDialog({ cluster, onClose, onUpgrade }: Props) {
  const [images, setImages] = useState<NodeImages | null>(null);
  const [chosen, setChosen] = useState("");
  useEffect(() => {
    let live = true;
    localNodeImages().then(
      (list) => {
        if (live) setImages(list);
      },
      () => {
        if (live) setImages({ default: "", images: [] });
      },
    );
    return () => {
      live = false;
    };
  }, []);
  const choices = images === null ? [] : upgradeChoices(images.images, cluster.version);
  const version = chosen !== "" ? chosen : (choices[0]?.version ?? "");
  return (
    <Dialog
      title={`Upgrade ${cluster.name}`}
      testId="local-upgrade-dialog"
      onClose={onClose}
      footer={<DialogFooter busy={false} busyText="" cancelLabel="Cancel" onCancel={onClose} okLabel="Upgrade" onOk={() => { onUpgrade(version); }} okTestId="local-upgrade-ok" okDisabled={version === ""} />}
    >
      <p className="dialog__text">Runs k3s {cluster.version ?? "(unknown)"} now.</p>
      {images !== null && choices.length === 0 && (
        <p className="dialog__muted" data-testid="local-upgrade-none">
          No newer listed version. `capstan cluster upgrade {cluster.name} --k3s-version TAG` takes any tag.
        </p>
      )}
      {choices.length > 0 && (
        <label className="field">
          <span className="field__label">New version</span>
          <select
            className="input"
            data-testid="local-upgrade-version"
            value={version}
            onChange={(e) => {
              setChosen(e.target.value);
            }}
          >
            {choices.map((i) => (
              <option key={i.image} value={i.version}>
                {imageLabel(i, images?.default ?? "")}
              </option>
            ))}
          </select>
        </label>
      )}
      <p className="dialog__text" role="note">
        The nodes are replaced by the new version over the same data; workloads restart. Kubernetes supports going up one minor at a time, and
        there is no way back once the new version has changed stored data. If the new nodes do not become Ready, the old ones are put back.
      </p>
    </Dialog>
  );
}
