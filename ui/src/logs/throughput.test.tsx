// Throughput figures: 1 000 000 lines streamed into the bounded buffer and
// through the log tab. Prints figures instead of asserting timings (machines
// differ); it asserts only that the buffer stays bounded. Skipped unless
// CAPSTAN_LOG_BENCH=1 (it takes a while): `CAPSTAN_LOG_BENCH=1 npx vitest run src/logs/throughput`.
import { invoke } from "@tauri-apps/api/core";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import type { LogBatch } from "../bindings/LogBatch";
import { install } from "../test/backend";
import { appendBatch, LogTab } from "./LogTab";
import { LogRing } from "./ring";
import { compileQuery } from "./search";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(),
  isTauri: vi.fn(() => true),
  Channel: class {
    onmessage: unknown;
    constructor(onmessage?: unknown) {
      this.onmessage = onmessage;
    }
  },
}));

// Node's process, without pulling @types/node into the UI's type checking.
declare const process: { env: Record<string, string | undefined>; memoryUsage: () => { heapUsed: number } };

const TOTAL = 1_000_000;
const BATCH = 2_000;
const enabled = process.env.CAPSTAN_LOG_BENCH === "1";

function makeBatch(start: number): LogBatch {
  const lines = [];
  for (let i = 0; i < BATCH; i++) {
    const n = start + i;
    lines.push({ source: n % 2, time: null, text: `2024-05-01T10:00:00Z \u001b[32mINFO\u001b[0m request ${n.toString()} served in ${(n % 97).toString()} ms path=/api/v1/items` });
  }
  return { sources: [], lines, markers: [], done: false, error: null };
}

const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

describe.skipIf(!enabled)("log throughput (figures)", () => {
  it("keeps the buffer bounded over 1 000 000 lines", () => {
    const ring = new LogRing(100_000);
    const samples: number[] = [];
    const t0 = performance.now();
    for (let start = 0; start < TOTAL; start += BATCH) {
      appendBatch(ring, makeBatch(start));
      if (start % 200_000 === 0) samples.push(heapMb());
    }
    const ms = performance.now() - t0;
    samples.push(heapMb());
    expect(ring.length).toBe(100_000);
    expect(ring.dropped).toBe(TOTAL - 100_000);
    const c = compileQuery("served in 4\\d ms", { regex: true, caseSensitive: false });
    if (!c.ok || c.matcher === null) throw new Error("regex");
    const matcher = c.matcher;
    const s0 = performance.now();
    let hits = 0;
    for (const e of ring) if (e.kind === "line" && matcher.test(e.text)) hits++;
    const searchMs = performance.now() - s0;
    console.log(
      `[bench] ring: ${TOTAL.toString()} lines in ${ms.toFixed(0)} ms (${((TOTAL / ms) * 1000).toFixed(0)} lines/s); ` +
        `heap MB at 0/200k/.../1M: ${samples.map((m) => m.toFixed(0)).join(" ")}; regex scan of 100k lines ${searchMs.toFixed(1)} ms (${hits.toString()} hits)`,
    );
  });

  it("streams 1 000 000 lines through the log tab", async () => {
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1200);
    let send: ((b: LogBatch) => void) | null = null;
    install(vi.mocked(invoke), {
      open_logs: (a) => {
        send = (a.channel as { onmessage: (b: LogBatch) => void }).onmessage;
        return 1;
      },
      close_logs: () => null,
    });
    render(<LogTab context="c" namespace="ns" target={{ kind: "deployment", name: "web" }} />);
    await waitFor(() => {
      expect(send).not.toBeNull();
    });
    act(() => {
      send?.({ ...makeBatch(0), lines: [], sources: [0, 1].map((index) => ({ index, namespace: "ns", pod: `web-${index.toString()}`, container: "app" })) });
    });
    fireEvent.change(screen.getByTestId("log-search"), { target: { value: "served in 42 ms" } });
    const perBatch: number[] = [];
    const heap: number[] = [heapMb()];
    const t0 = performance.now();
    for (let start = 0; start < TOTAL; start += BATCH) {
      const b = makeBatch(start);
      const s = performance.now();
      act(() => {
        send?.(b);
      });
      perBatch.push(performance.now() - s);
      if ((start + BATCH) % 250_000 === 0) heap.push(heapMb());
    }
    const ms = performance.now() - t0;
    const count = Number(screen.getByTestId("log-count").dataset.count);
    expect(count).toBe(100_000);
    expect(screen.getAllByTestId("log-line").length).toBeLessThan(200);
    perBatch.sort((a, b) => a - b);
    const pct = (p: number) => perBatch[Math.min(perBatch.length - 1, Math.floor(perBatch.length * p))] ?? 0;
    console.log(
      `[bench] LogTab (jsdom, search active): ${TOTAL.toString()} lines in ${(ms / 1000).toFixed(1)} s, ` +
        `${(TOTAL / BATCH).toString()} batches of ${BATCH.toString()}: render+search per batch p50 ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, max ${pct(1).toFixed(1)} ms; ` +
        `heap MB every 250k lines: ${heap.map((m) => m.toFixed(0)).join(" ")}; rows in DOM ${screen.getAllByTestId("log-line").length.toString()}`,
    );
  }, 600_000);
});
