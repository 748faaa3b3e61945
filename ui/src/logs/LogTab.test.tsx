import { invoke } from "@tauri-apps/api/core";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { LogBatch } from "../bindings/LogBatch";
import { install } from "../test/backend";
import { appendBatch, LogTab } from "./LogTab";
import { LogRing } from "./ring";

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

const invokeMock = vi.mocked(invoke);

beforeEach(() => {
  // jsdom lays nothing out: give the scroller a screenful so rows render.
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1200);
});

const SOURCES = [
  { index: 0, namespace: "ns", pod: "web-a", container: "app" },
  { index: 1, namespace: "ns", pod: "web-b", container: "app" },
];

function batch(lines: [number, string][], extra: Partial<LogBatch> = {}): LogBatch {
  return { sources: [], lines: lines.map(([source, text]) => ({ source, time: null, text })), markers: [], done: false, error: null, ...extra };
}

async function openTab() {
  let send: ((b: LogBatch) => void) | null = null;
  const backend = install(invokeMock, {
    open_logs: (a) => {
      send = (a.channel as { onmessage: (b: LogBatch) => void }).onmessage;
      return 7;
    },
    close_logs: () => null,
  });
  const view = render(<LogTab context="ctx" namespace="ns" target={{ kind: "deployment", name: "web" }} />);
  await waitFor(() => {
    expect(send).not.toBeNull();
  });
  const emit = (b: LogBatch) => {
    act(() => {
      send?.(b);
    });
  };
  return { emit, backend, view };
}

const count = () => Number(screen.getByTestId("log-count").dataset.count);

describe("appendBatch", () => {
  it("puts markers before the line they precede", () => {
    const ring = new LogRing(10);
    appendBatch(ring, {
      ...batch([
        [0, "a"],
        [0, "b"],
      ]),
      markers: [
        { source: 0, beforeLine: 1, marker: { kind: "containerRestarted", restart_count: 1 } },
        { source: 0, beforeLine: 2, marker: { kind: "ended", reason: "gone" } },
      ],
    });
    expect([...ring].map((e) => (e.kind === "line" ? e.text : e.marker.kind))).toEqual(["a", "containerRestarted", "b", "ended"]);
  });
});

describe("LogTab", () => {
  it("opens the session with the default options and closes it on unmount", async () => {
    const { backend, view } = await openTab();
    expect(backend.calls("open_logs")[0]).toMatchObject({
      context: "ctx",
      target: { kind: "deployment", name: "web" },
      options: { namespace: "ns", follow: true, tailLines: 500, timestamps: false, previous: false, container: { kind: "default" } },
    });
    await waitFor(() => {
      expect(backend.calls("open_logs")).toHaveLength(1);
    });
    view.unmount();
    await waitFor(() => {
      expect(backend.calls("close_logs")).toEqual([{ id: 7 }]);
    });
  });

  it("tags lines of several pods, searches and filters", async () => {
    const { emit } = await openTab();
    emit(
      batch(
        [
          [0, "hello from web-a 1"],
          [1, "hello from web-b 1"],
          [0, "\u001b[31mboom\u001b[0m world"],
        ],
        { sources: SOURCES },
      ),
    );
    expect(count()).toBe(3);
    const tags = screen.getAllByTestId("log-tag").map((t) => t.textContent);
    expect(tags).toEqual(["web-a", "web-b", "web-a"]);
    fireEvent.change(screen.getByTestId("log-search"), { target: { value: "hello" } });
    expect(screen.getByTestId("log-match-count").dataset.count).toBe("2");
    expect(screen.getAllByTestId("log-match")).toHaveLength(2);
    fireEvent.click(screen.getByTestId("log-search-next"));
    expect(screen.getByTestId("log-match-count").textContent).toContain("1/2");
    fireEvent.click(screen.getByTestId("log-filter"));
    expect(screen.getAllByTestId("log-line")).toHaveLength(2);
    fireEvent.click(screen.getByTestId("log-regex"));
    fireEvent.change(screen.getByTestId("log-search"), { target: { value: "(" } });
    expect(screen.getByTestId("log-query-error").textContent).not.toBe("");
  });

  it("holds new lines while follow is off and shows them when it is on", async () => {
    const { emit } = await openTab();
    emit(batch([[0, "one"]], { sources: SOURCES.slice(0, 1) }));
    fireEvent.click(screen.getByTestId("log-follow"));
    emit(batch([[0, "two"]]));
    expect(count()).toBe(1);
    expect(screen.getByTestId("log-status").textContent).toContain("1 new line held");
    fireEvent.click(screen.getByTestId("log-follow"));
    expect(count()).toBe(2);
  });

  it("shows markers and session errors", async () => {
    const { emit } = await openTab();
    emit({ ...batch([[0, "x"]], { sources: SOURCES }), markers: [{ source: 1, beforeLine: 1, marker: { kind: "resumed", gap_ms: 2000 } }] });
    expect(screen.getByTestId("log-marker").textContent).toContain("gap of 2 s");
    emit(batch([], { error: "deployment web not found" }));
    expect(screen.getByTestId("log-status").textContent).toContain("not found");
  });

  it("reopens the stream when a server option changes", async () => {
    const { backend } = await openTab();
    fireEvent.click(screen.getByTestId("log-timestamps"));
    await waitFor(() => {
      expect(backend.calls("open_logs")).toHaveLength(2);
    });
    expect(backend.calls("open_logs")[1]).toMatchObject({ options: { timestamps: true } });
    await waitFor(() => {
      expect(backend.calls("close_logs")).toEqual([{ id: 7 }]);
    });
  });

  it("truncates very long lines until asked for more", async () => {
    const { emit } = await openTab();
    emit(batch([[0, "y".repeat(1_000_000)]], { sources: SOURCES.slice(0, 1) }));
    const line = screen.getByTestId("log-line");
    expect(line.textContent.length).toBeLessThan(3_000);
    fireEvent.click(screen.getByText(/show more/));
    expect(screen.getByTestId("log-line").textContent.length).toBe(1_000_000);
  });
});
