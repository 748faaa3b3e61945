import { invoke } from "@tauri-apps/api/core";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { IpcError } from "../bindings/IpcError";
import { install } from "../test/backend";
import { Chart } from "./Chart";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(),
  isTauri: vi.fn(() => true),
}));

const invokeMock = vi.mocked(invoke);

let frames: (() => void)[] = [];
let resize: () => void = () => undefined;
let schemeListeners: (() => void)[] = [];
let dark = false;

/** Runs the pending animation frames and lets their IPC calls settle. */
async function flush() {
  await act(async () => {
    const run = frames;
    frames = [];
    run.forEach((f) => {
      f();
    });
    await Promise.resolve();
  });
  await act(async () => {
    await Promise.resolve();
  });
}

function svg(tick: string) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200"><g><text x="4" y="20" font-size="13" fill="#3c3c3c">${tick}</text></g></svg>`;
}

beforeEach(() => {
  frames = [];
  schemeListeners = [];
  dark = false;
  vi.stubGlobal("requestAnimationFrame", (run: () => void) => frames.push(run));
  vi.stubGlobal("cancelAnimationFrame", () => undefined);
  vi.stubGlobal(
    "ResizeObserver",
    class {
      constructor(callback: () => void) {
        resize = callback;
      }
      observe() {
        // Sizes come from the stubbed getBoundingClientRect.
      }
      disconnect() {
        // Nothing observed.
      }
    },
  );
  vi.stubGlobal("matchMedia", () => ({
    get matches() {
      return dark;
    },
    addEventListener: (_: string, listener: () => void) => {
      schemeListeners.push(listener);
    },
    removeEventListener: () => undefined,
  }));
  vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockReturnValue(new DOMRect(10, 20, 400, 200));
});

describe("Chart", () => {
  it("draws the frame Rust sends as an SVG image labelled with the title, its text readable", async () => {
    const backend = install(invokeMock, { chart_frame: () => svg("18:00") });
    render(<Chart id={7} title="CPU of web-1" />);
    await flush();
    expect(backend.calls("chart_frame")).toEqual([{ id: 7, size: [400, 200], theme: "light", input: [] }]);
    const image = screen.getByRole("img", { name: "CPU of web-1" });
    expect(image.tagName.toLowerCase()).toBe("svg");
    expect(image.textContent).toBe("18:00");
  });

  it("sends pointer input in chart coordinates, coalesced into one frame per animation frame", async () => {
    const backend = install(invokeMock, { chart_frame: () => svg("x") });
    render(<Chart id={1} title="t" />);
    await flush();
    const canvas = screen.getByTestId("chart-canvas");
    fireEvent.mouseMove(canvas, { clientX: 50, clientY: 60 });
    fireEvent.mouseMove(canvas, { clientX: 70, clientY: 80 });
    fireEvent.mouseDown(canvas, { clientX: 70, clientY: 80, button: 0 });
    // The drag is followed on the window, even outside the chart.
    fireEvent.mouseMove(globalThis.window, { clientX: 20, clientY: 80 });
    fireEvent.mouseMove(globalThis.window, { clientX: 5, clientY: 80 });
    fireEvent.mouseUp(globalThis.window, { clientX: 5, clientY: 80, button: 0 });
    expect(frames).toHaveLength(1);
    await flush();
    expect(backend.calls("chart_frame")[1]?.input).toEqual([
      { type: "pointerMove", x: 60, y: 60 },
      { type: "pointerDown", x: 60, y: 60, button: "primary" },
      { type: "pointerMove", x: -5, y: 60 },
      { type: "pointerUp", x: -5, y: 60, button: "primary" },
      { type: "pointerLeave" },
    ]);
  });

  it("wheel zooms (the page does not scroll) and double-click resets", async () => {
    const backend = install(invokeMock, { chart_frame: () => svg("x") });
    render(<Chart id={1} title="t" />);
    await flush();
    const canvas = screen.getByTestId("chart-canvas");
    const turn = new WheelEvent("wheel", { clientX: 110, clientY: 120, deltaY: 2, deltaMode: 1, cancelable: true });
    canvas.dispatchEvent(turn);
    expect(turn.defaultPrevented).toBe(true);
    fireEvent.doubleClick(canvas, { clientX: 110, clientY: 120 });
    await flush();
    expect(backend.calls("chart_frame")[1]?.input).toEqual([
      { type: "wheel", x: 100, y: 100, deltaY: 32 },
      { type: "doubleClick", x: 100, y: 100 },
    ]);
  });

  it("redraws on resize and when the app's theme turns dark", async () => {
    const backend = install(invokeMock, { chart_frame: () => svg("x") });
    render(<Chart id={1} title="t" />);
    await flush();
    vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockReturnValue(new DOMRect(10, 20, 300.4, 150.6));
    act(() => {
      resize();
    });
    await flush();
    expect(backend.calls("chart_frame")[1]).toMatchObject({ size: [300, 151], theme: "light" });
    dark = true;
    act(() => {
      schemeListeners.forEach((l) => {
        l();
      });
    });
    await flush();
    expect(backend.calls("chart_frame")[2]).toMatchObject({ theme: "dark", input: [] });
  });

  it("a refused frame is a clear state, not an empty chart", async () => {
    install(invokeMock, {
      chart_frame: () => {
        const closed: IpcError = { kind: "notFound", message: "This chart is closed; open the view again.", detail: "chart 1" };
        throw closed;
      },
    });
    render(<Chart id={1} title="t" />);
    await flush();
    expect(screen.getByRole("alert").textContent).toBe("This chart is closed; open the view again.");
  });

  it("a frame that is not SVG is refused", async () => {
    install(invokeMock, { chart_frame: () => "<p>not a chart</p>" });
    render(<Chart id={1} title="t" />);
    await flush();
    expect(screen.getByRole("alert").textContent).toBe("The chart could not be shown.");
    expect(screen.queryByRole("img")).toBeNull();
  });
});
