import type { HelmAction } from "../bindings/HelmAction";
import { toIpcError } from "../ipc";
import type { ReleaseRef } from "./ipc";
import { helmAction } from "./ipc";
import { dispatchRun, runTitle } from "./runs";

let seq = 0;

/**
 * Starts a helm action: its output streams into a run (shown by a dock tab
 * that `open` opens). Resolves true when helm succeeded.
 */
export async function startHelmAction(
  release: ReleaseRef,
  action: HelmAction,
  open: ((id: string, title: string) => void) | null,
): Promise<boolean> {
  seq++;
  const id = `helm-${seq.toString()}`;
  const title = runTitle(release.name, action);
  dispatchRun({ type: "start", id, title });
  open?.(id, title);
  try {
    await helmAction(release, action, (line) => {
      dispatchRun({ type: "line", id, line });
    });
    dispatchRun({ type: "done", id });
    return true;
  } catch (err) {
    dispatchRun({ type: "failed", id, error: toIpcError(err) });
    return false;
  }
}
