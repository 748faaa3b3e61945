// A dock tab with a terminal on a shell in a local cluster node. The shell
// lives as long as the tab: unmounting closes it. xterm stays on 5.x: 6.0's
// module assigns `toString` on a plain object at load, which throws under
// Tauri's frozen Object.prototype (`freezePrototype`) and blanks the window.
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";

import { errorTitle, toIpcError } from "../ipc";
import { closeNodeShell, openNodeShell, resizeNodeShell, shellInput } from "./ipc";
import "./shell.css";
import { exitLine, outputBytes } from "./terminal";

type Props = {
  cluster: string;
  node: string;
};

export function NodeShell({ cluster, node }: Props) {
  const host = useRef<HTMLDivElement | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const term = new Terminal({ convertEol: false, cursorBlink: true, fontSize: 13 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    fitQuietly(fit);

    let live = true;
    let id: number | null = null;
    let exited = false;
    const input = term.onData((data) => {
      if (id === null || exited) return;
      shellInput(id, data).catch((err: unknown) => {
        term.write(`\r\n[${toIpcError(err).message}]\r\n`);
      });
    });
    const resize = term.onResize(({ cols, rows }) => {
      if (id === null || exited) return;
      resizeNodeShell(id, cols, rows).catch(() => {
        // A failed resize only wraps lines badly; the shell goes on.
      });
    });
    const observer = new ResizeObserver(() => {
      fitQuietly(fit);
    });
    observer.observe(element);

    openNodeShell(cluster, node, term.cols, term.rows, (event) => {
      if (event.event === "output") {
        term.write(outputBytes(event.data));
      } else {
        exited = true;
        term.write(exitLine(event.code));
      }
    }).then(
      (opened) => {
        if (!live) {
          void closeNodeShell(opened.id);
          return;
        }
        id = opened.id;
        term.focus();
      },
      (err: unknown) => {
        if (!live) return;
        const e = toIpcError(err);
        setError(`${errorTitle(e.kind)}: ${e.message}`);
      },
    );

    return () => {
      live = false;
      observer.disconnect();
      input.dispose();
      resize.dispose();
      if (id !== null) void closeNodeShell(id);
      term.dispose();
    };
  }, [cluster, node]);

  return (
    <div className="shell" data-testid="node-shell" data-cluster={cluster} data-node={node}>
      {error !== null && (
        <p className="shell__error" role="alert" data-testid="node-shell-error">
          {error}
        </p>
      )}
      <div className="shell__term" ref={host} />
    </div>
  );
}

/** Fits the terminal to its box; a hidden tab has no size yet, so it waits for the next resize. */
function fitQuietly(fit: FitAddon) {
  try {
    fit.fit();
  } catch {
    // Not laid out yet (hidden tab): the ResizeObserver fits it when shown.
  }
}
