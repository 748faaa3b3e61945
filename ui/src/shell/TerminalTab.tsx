// A dock tab with a terminal, whatever runs behind it (a node shell, a local
// shell bound to a context). The xterm lives as long as the tab, so its
// scrollback survives hiding the dock, switching tabs and reconnecting; the
// session lives as long as one generation (a reconnect opens a fresh one).
// xterm stays on 5.x: 6.0's module assigns `toString` on a plain object at
// load, which throws under Tauri's frozen Object.prototype
// (`freezePrototype`) and blanks the window.
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useReducer, useRef, useState } from "react";

import { errorTitle, toIpcError } from "../ipc";
import { closeTerminal, openTerminal, terminalInput, terminalResize } from "./ipc";
import type { PodTerminalRequest, TerminalTarget } from "./opener";
import { isContextTerminal, isPodTerminal, useShellOpener } from "./opener";
import { noShellOffer } from "./pod";
import { canReconnect, INITIAL_SESSION, sessionReducer, statusText } from "./session";
import "./shell.css";
import { exitLine, InputQueue, readMessage } from "./terminal";

type Props = {
  target: TerminalTarget;
  /** The session's label, once Rust has answered (it names the container it chose). */
  onLabel?: (label: string) => void;
};

type Screen = { term: Terminal; fit: FitAddon };

export function TerminalTab({ target, onLabel }: Props) {
  const host = useRef<HTMLDivElement | null>(null);
  const screen = useRef<Screen | null>(null);
  const [session, dispatch] = useReducer(sessionReducer, INITIAL_SESSION);
  // A pod without a shell: the debug container offered instead.
  const [offer, setOffer] = useState<PodTerminalRequest | null>(null);
  const [label, setLabel] = useState<string | null>(null);

  // The screen: one per tab.
  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const term = new Terminal({ convertEol: false, cursorBlink: true, fontSize: 13, scrollback: 5000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    fitQuietly(fit);
    screen.current = { term, fit };
    // At most one fit (and so one resize sent) per animation frame while the
    // tab is being resized.
    let frame = 0;
    const observer = new ResizeObserver(() => {
      if (frame !== 0) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        fitQuietly(fit);
      });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
      screen.current = null;
      term.dispose();
    };
  }, []);

  // The dock's title follows the label (it names the container Rust chose).
  useEffect(() => {
    if (label !== null) onLabel?.(label);
  }, [label, onLabel]);

  // The session: one per generation.
  const generation = session.generation;
  useEffect(() => {
    const current = screen.current;
    if (current === null) return;
    const { term } = current;
    let live = true;
    let id: number | null = null;
    let exited = false;
    const keys = new InputQueue(
      (data) => (id === null ? Promise.resolve() : terminalInput(id, data)),
      (err: unknown) => {
        term.write(`\r\n[${toIpcError(err).message}]\r\n`);
      },
    );
    const input = term.onData((data) => {
      if (id === null || exited) return;
      keys.push(data);
    });
    const resize = term.onResize(({ cols, rows }) => {
      if (id === null || exited) return;
      terminalResize(id, cols, rows).catch(() => {
        // A failed resize only wraps lines badly; the shell goes on.
      });
    });

    openTerminal(target, term.cols, term.rows, (message) => {
      if (!live) return;
      const read = readMessage(message);
      if (read.kind === "output") {
        term.write(read.bytes);
      } else if (read.event.event === "exit") {
        exited = true;
        term.write(exitLine(read.event.code));
        dispatch({ type: "exited", generation, code: read.event.code });
      } else {
        term.write(`\r\n[${read.event.message}]\r\n`);
        if (isPodTerminal(target)) setOffer(noShellOffer(target, read.event.kind));
        dispatch({ type: "streamError", generation, message: read.event.message });
      }
    }).then(
      (opened) => {
        if (!live) {
          void closeTerminal(opened.id);
          return;
        }
        id = opened.id;
        setLabel(opened.label);
        dispatch({ type: "opened", generation, id: opened.id });
        // The tab may have been fitted while the session was opening.
        if (!exited) {
          terminalResize(opened.id, term.cols, term.rows).catch(() => {
            // As above: only wrapping suffers.
          });
        }
        term.focus();
      },
      (err: unknown) => {
        if (!live) return;
        const e = toIpcError(err);
        dispatch({ type: "failed", generation, message: `${errorTitle(e.kind)}: ${e.message}` });
      },
    );

    return () => {
      live = false;
      input.dispose();
      resize.dispose();
      if (id !== null) void closeTerminal(id);
    };
  }, [target, generation]);

  const status = statusText(session);
  const failed = session.status.kind === "failed";
  const exitCode = session.status.kind === "exited" ? session.status.code : null;
  const attributes = isPodTerminal(target)
    ? { "data-testid": "pod-terminal", "data-mode": target.mode, "data-pod": target.pod, "data-label": label ?? "" }
    : isContextTerminal(target)
      ? { "data-testid": "context-terminal", "data-context": target.context, "data-namespace": target.namespace ?? "" }
      : { "data-testid": "node-shell", "data-cluster": target.cluster, "data-node": target.node };
  return (
    <div className="shell" data-state={session.status.kind} data-exit-code={exitCode ?? undefined} {...attributes}>
      {status !== null && (
        <div className={`shell__status${failed ? " shell__status--error" : ""}`} role={failed ? "alert" : "status"}>
          <span data-testid="terminal-status">{status}</span>
          {canReconnect(session) && (
            <button
              type="button"
              className="shell__reconnect"
              data-testid="terminal-reconnect"
              onClick={() => {
                screen.current?.term.write("\r\n[reconnecting]\r\n");
                setOffer(null);
                dispatch({ type: "reconnect" });
              }}
            >
              Reconnect
            </button>
          )}
        </div>
      )}
      {offer !== null && <DebugOffer offer={offer} />}
      <div className="shell__term" ref={host} />
    </div>
  );
}

/** "Start a debug container" with its image, for a pod whose image has no shell. */
function DebugOffer({ offer }: { offer: PodTerminalRequest }) {
  const open = useShellOpener();
  const [image, setImage] = useState(offer.image ?? "");
  if (open === null) return null;
  return (
    <form
      className="shell__offer"
      data-testid="debug-offer"
      onSubmit={(e) => {
        e.preventDefault();
        open({ ...offer, image: image.trim() === "" ? null : image.trim() });
      }}
    >
      <label>
        Image{" "}
        <input
          className="input input--compact"
          data-testid="debug-image"
          value={image}
          onChange={(e) => {
            setImage(e.target.value);
          }}
        />
      </label>
      <button type="submit" className="button button--small button--primary" data-testid="debug-start">
        Start a debug container
      </button>
    </form>
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
