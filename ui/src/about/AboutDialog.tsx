import { useEffect, useState } from "react";

import { Dialog } from "../components/Dialog";
import { useAsyncAction } from "../hooks/useAsyncAction";
import { errorTitle } from "../ipc";
import type { AboutInfo } from "../ipc/about";
import { aboutInfo, copyDiagnostics, openLogFolder } from "../ipc/about";
import { aboutRows, copiedMessage } from "./model";

/** About Capstan: version, commit, tested versions; copy diagnostics; open the log folder. */
export function AboutDialog({ onClose }: { onClose: () => void }) {
  const [info, setInfo] = useState<AboutInfo | null>(null);
  const copy = useAsyncAction(copyDiagnostics);
  const openLogs = useAsyncAction(openLogFolder);
  const [copied, setCopied] = useState<{ text: string; message: string } | null>(null);

  useEffect(() => {
    let live = true;
    aboutInfo().then(
      (value) => {
        if (live) setInfo(value);
      },
      () => {
        // Without a backend the dialog still offers its actions, which say why they fail.
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const error = copy.error ?? openLogs.error;
  return (
    <Dialog
      title="About Capstan"
      testId="about-dialog"
      onClose={onClose}
      size="wide"
      footer={
        <>
          <button
            type="button"
            className="button"
            data-testid="about-open-logs"
            disabled={openLogs.busy}
            onClick={() => {
              void openLogs.run();
            }}
          >
            Open log folder
          </button>
          <button
            type="button"
            className="button"
            data-testid="about-copy-diagnostics"
            disabled={copy.busy}
            onClick={() => {
              void copy.run().then((outcome) => {
                if (outcome.ok) setCopied({ text: outcome.value.text, message: copiedMessage(outcome.value) });
              });
            }}
          >
            {copy.busy ? "Gathering…" : "Copy diagnostics"}
          </button>
          <button type="button" className="button button--primary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      {info !== null && (
        <dl className="about__facts" data-testid="about-facts">
          {aboutRows(info).map(([label, value]) => (
            <div key={label} className="about__row">
              <dt>{label}</dt>
              <dd data-testid={`about-${label.toLowerCase().replace(/\s+/g, "-")}`}>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {error !== null && (
        <p className="about__error" role="alert" data-testid="about-error">
          {errorTitle(error.kind)}: {error.message}
          {error.detail !== null && ` (${error.detail})`}
        </p>
      )}
      {copied !== null && (
        <>
          <p className="about__note" data-testid="about-copied">
            {copied.message}
          </p>
          <textarea className="about__diagnostics" data-testid="about-diagnostics" readOnly value={copied.text} rows={12} />
        </>
      )}
    </Dialog>
  );
}
