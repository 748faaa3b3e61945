// What the About dialog shows, as pure functions (Vitest).
import type { AboutInfo } from "../bindings/AboutInfo";
import type { Diagnostics } from "../bindings/Diagnostics";

/** The dialog's rows: label and value, in order. */
export function aboutRows(info: AboutInfo): [string, string][] {
  return [
    ["Version", info.version],
    ["Commit", info.commit],
    ["Tested with", `Kubernetes ${info.testedKubernetes} · k3s ${info.testedK3s}`],
    ["System", info.os],
  ];
}

/** What the dialog says after "Copy diagnostics". */
export function copiedMessage(result: Diagnostics): string {
  return result.copied
    ? "Diagnostics copied to the clipboard. They hold no credential or secret value."
    : "The clipboard could not be written: select the text below and copy it.";
}
