import { useState } from "react";

import { Dialog, DialogError } from "../components/Dialog";
import { DialogFooter } from "../components/DialogFooter";
import { YamlEditor } from "../components/yaml/YamlEditor";
import { useAsyncAction } from "../hooks/useAsyncAction";
import type { ReleaseRef } from "./ipc";
import { helmValidateValues } from "./ipc";

type Props = {
  release: ReleaseRef;
  /** The user-supplied values as they are now. */
  initial: string;
  onCancel: () => void;
  onUpgrade: (valuesYaml: string) => void;
};

/** Edit the user-supplied values; they are checked as YAML before helm upgrade runs. */
export function UpgradeDialog({ release, initial, onCancel, onUpgrade }: Props) {
  const [text, setText] = useState(initial);
  const check = useAsyncAction(helmValidateValues);
  return (
    <Dialog
      title={`Upgrade ${release.name} with edited values`}
      testId="helm-upgrade-dialog"
      onClose={onCancel}
      size="wide"
      footer={
        <DialogFooter
          busy={check.busy}
          busyText="Checking…"
          onCancel={onCancel}
          okLabel="Upgrade"
          okTestId="helm-upgrade-ok"
          onOk={() => {
            void check.run(text).then((outcome) => {
              if (outcome.ok) onUpgrade(text);
            });
          }}
        />
      }
    >
      <p>helm upgrade runs the release's own chart with these values in place of the current ones.</p>
      <YamlEditor value={text} onChange={setText} label="Values" testId="helm-values-editor" autoFocus />
      {check.error !== null && <DialogError title="The values are not valid" message={check.error.message} detail={check.error.detail} testId="helm-upgrade-error" />}
    </Dialog>
  );
}
