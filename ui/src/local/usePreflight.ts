// Pre-flight for the Create dialog: asks the backend what create would find
// (name or port taken, no engine, memory, kernel limits) a moment after the
// form stops changing, so the findings show next to the fields before Create.
import { useEffect, useMemo, useState } from "react";

import { toIpcError } from "../ipc";
import type { LocalClusterRequest, PreflightFinding } from "./ipc";
import { localPreflight } from "./ipc";
import type { CreateForm } from "./state";
import { formToRequest } from "./state";

/** Quiet time after the last edit before asking (typing a port is several edits). */
const DEBOUNCE_MS = 400;

export type PreflightView = {
  findings: PreflightFinding[];
  /** The backend refused the request itself (a rule the form does not know). */
  problem: string | null;
};

const NONE: PreflightView = { findings: [], problem: null };

/** Findings for the form as it is; nothing while it is invalid or `active` is false. */
export function usePreflight(form: CreateForm, existing: readonly string[], active: boolean): PreflightView {
  // Answers are kept with the request they are for, so a stale one is never shown.
  const [answer, setAnswer] = useState<{ key: string; view: PreflightView } | null>(null);
  const request = useMemo(() => {
    const checked = formToRequest(form, existing);
    return active && "request" in checked ? checked.request : null;
  }, [form, existing, active]);
  const key = request === null ? "" : JSON.stringify(request);
  // Keyed by the request's text: the parent's list of names is a new array
  // on every poll, which must not restart the wait.
  useEffect(() => {
    if (key === "") return;
    let live = true;
    const timer = setTimeout(() => {
      localPreflight(JSON.parse(key) as LocalClusterRequest).then(
        (findings) => {
          if (live) setAnswer({ key, view: { findings, problem: null } });
        },
        (err: unknown) => {
          if (live) setAnswer({ key, view: { findings: [], problem: toIpcError(err).message } });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  return answer !== null && request !== null && answer.key === key ? answer.view : NONE;
}
