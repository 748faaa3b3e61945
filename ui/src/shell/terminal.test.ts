import { Terminal } from "@xterm/xterm";
import { describe, expect, it, vi } from "vitest";

import { exitLine, InputQueue, readMessage, shellTitle, terminalTitle } from "./terminal";

/** Writes `data` to `term` and waits until xterm has parsed it. */
function written(term: Terminal, data: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    term.write(data, resolve);
  });
}

function frame(bytes: number[]): ArrayBuffer {
  return Uint8Array.from(bytes).buffer;
}

describe("terminal output", () => {
  it("hands frames to xterm as bytes, so a character split across two frames renders intact", async () => {
    // "h€!" with the euro sign's three bytes split 2 + 1 across frames.
    const frames = [frame([0x68, 0xe2, 0x82]), frame([0xac, 0x21])];
    const term = new Terminal();
    for (const f of frames) {
      const read = readMessage(f);
      if (read.kind !== "output") throw new Error("a frame is output");
      expect(read.bytes).toBeInstanceOf(Uint8Array);
      await written(term, read.bytes);
    }
    expect(term.buffer.active.getLine(0)?.translateToString(true)).toBe("h€!");
    term.dispose();
  });

  it("passes JSON events on as events", () => {
    expect(readMessage({ event: "exit", code: 3 })).toEqual({ kind: "event", event: { event: "exit", code: 3 } });
    expect(readMessage({ event: "error", message: "gone", kind: null })).toEqual({
      kind: "event",
      event: { event: "error", message: "gone", kind: null },
    });
  });

  it("says how the shell ended", () => {
    expect(exitLine(0)).toBe("\r\n[shell exited with code 0]\r\n");
    expect(exitLine(130)).toContain("code 130");
    expect(exitLine(null)).toBe("\r\n[shell exited]\r\n");
  });

  it("names the tab after the node or the context", () => {
    expect(shellTitle("dev", "server-0")).toBe("Shell: dev/server-0");
    // Nodes picked from the list come as container names.
    expect(shellTitle("dev", "capstan-dev-agent-1")).toBe("Shell: dev/agent-1");
    expect(shellTitle("dev", "capstan-other-agent-1")).toBe("Shell: dev/capstan-other-agent-1");
    expect(terminalTitle({ cluster: "dev", node: "server-0" })).toBe("Shell: dev/server-0");
    expect(terminalTitle({ context: "prod", namespace: "apps" })).toBe("Terminal: prod/apps");
    expect(terminalTitle({ context: "prod", namespace: null })).toBe("Terminal: prod");
  });
});

describe("InputQueue", () => {
  it("keeps keys in order with one send in flight, batching what was typed meanwhile", async () => {
    const sent: string[] = [];
    const releases: (() => void)[] = [];
    const queue = new InputQueue(
      (data) =>
        new Promise<void>((resolve) => {
          sent.push(data);
          releases.push(resolve);
        }),
      () => undefined,
    );
    queue.push("a");
    queue.push("b");
    queue.push("c");
    expect(sent).toEqual(["a"]);
    releases[0]?.();
    await vi.waitFor(() => {
      expect(sent).toEqual(["a", "bc"]);
    });
    releases[1]?.();
    queue.push("d");
    await vi.waitFor(() => {
      expect(sent).toEqual(["a", "bc", "d"]);
    });
  });
});
