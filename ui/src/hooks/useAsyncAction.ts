import { useCallback, useEffect, useRef, useState } from "react";

import type { IpcError } from "../ipc";
import { toIpcError } from "../ipc";

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export type AsyncAction<A extends unknown[], T> = {
  busy: boolean;
  error: IpcError | null;
  /**
   * Runs the action: busy until it settles, the error cleared first. Resolves
   * with its outcome (a failure is also shown as `error`); a call while one
   * is running is refused as failed and changes nothing.
   */
  run: (...args: A) => Promise<Outcome<T>>;
  /** Sets or clears the error shown (e.g. a check made before running). */
  setError: (error: IpcError | null) => void;
};

const ALREADY_RUNNING: IpcError = { kind: "invalidInput", message: "The action is still running: wait for it to finish", detail: null };

/**
 * The busy flag and error of one user action (submit, apply, import): what
 * each dialog used to keep by hand. Answers after unmount are dropped.
 */
export function useAsyncAction<A extends unknown[], T>(action: (...args: A) => Promise<T>): AsyncAction<A, T> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const running = useRef(false);
  const mounted = useRef(true);
  const current = useRef(action);
  useEffect(() => {
    current.current = action;
  });
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async (...args: A): Promise<Outcome<T>> => {
    if (running.current) return { ok: false, error: ALREADY_RUNNING };
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      return { ok: true, value: await current.current(...args) };
    } catch (err) {
      const error = toIpcError(err);
      if (mounted.current) setError(error);
      return { ok: false, error };
    } finally {
      running.current = false;
      if (mounted.current) setBusy(false);
    }
  }, []);

  return { busy, error, run, setError };
}
