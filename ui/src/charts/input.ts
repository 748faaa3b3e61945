// What the chart component sends to Rust: DOM events mapped to ChartInput
// in the chart's own coordinates, coalesced so at most one frame is asked
// for per animation frame and never two at once.
import type { ChartButton } from "../bindings/ChartButton";
import type { ChartInput } from "../bindings/ChartInput";

/** Where the chart is on the page (a DOMRect will do). */
export type Origin = { left: number; top: number };

type PointerLike = { clientX: number; clientY: number; button: number; shiftKey: boolean };
type WheelLike = { clientX: number; clientY: number; deltaY: number; deltaMode: number };

/**
 * The chart button of a DOM mouse button: left drags to pan, right (or
 * Shift + left) drags a zoom box, as egui_plot's boxed zoom button is the
 * secondary one. Null for the side buttons, which the app uses for history.
 */
export function chartButton(button: number, shiftKey: boolean): ChartButton | null {
  switch (button) {
    case 0:
      return shiftKey ? "secondary" : "primary";
    case 1:
      return "middle";
    case 2:
      return "secondary";
    default:
      return null;
  }
}

export function pointerMove(e: Pick<PointerLike, "clientX" | "clientY">, at: Origin): ChartInput {
  return { type: "pointerMove", x: e.clientX - at.left, y: e.clientY - at.top };
}

/** A button press or release, or null for a button the chart ignores. */
export function pointerButton(kind: "pointerDown" | "pointerUp", e: PointerLike, at: Origin): ChartInput | null {
  const button = chartButton(e.button, e.shiftKey);
  if (button === null) return null;
  return { type: kind, x: e.clientX - at.left, y: e.clientY - at.top, button };
}

export function doubleClick(e: Pick<PointerLike, "clientX" | "clientY">, at: Origin): ChartInput {
  return { type: "doubleClick", x: e.clientX - at.left, y: e.clientY - at.top };
}

/** Pixels per wheel line: WheelEvent.deltaMode 1 counts lines. */
const LINE_PX = 16;

/** A wheel turn in CSS pixels whatever unit the browser reported it in. */
export function wheel(e: WheelLike, at: Origin, pageHeight: number): ChartInput {
  const scale = e.deltaMode === 1 ? LINE_PX : e.deltaMode === 2 ? pageHeight : 1;
  return { type: "wheel", x: e.clientX - at.left, y: e.clientY - at.top, deltaY: e.deltaY * scale };
}

/**
 * Appends `input` to `queue`, folding what only its latest value matters
 * for: consecutive moves keep the last position, consecutive wheel turns add
 * up. Presses, releases and leaves stay, in order.
 */
export function coalesce(queue: ChartInput[], input: ChartInput): void {
  const last = queue.length > 0 ? queue[queue.length - 1] : undefined;
  if (last?.type === "pointerMove" && input.type === "pointerMove") {
    queue[queue.length - 1] = input;
  } else if (last?.type === "wheel" && input.type === "wheel") {
    queue[queue.length - 1] = { ...input, deltaY: last.deltaY + input.deltaY };
  } else {
    queue.push(input);
  }
}

export type FrameLoopDeps = {
  requestFrame: (run: () => void) => number;
  cancelFrame: (handle: number) => void;
  /** Draws one frame with the input gathered since the last; settles when drawn. */
  render: (input: ChartInput[]) => Promise<void>;
};

/**
 * One frame per animation frame at most, and never a second while one is
 * still being drawn: input arriving meanwhile waits for the next.
 */
export class FrameLoop {
  private queue: ChartInput[] = [];
  private dirty = false;
  private scheduled: number | null = null;
  private drawing = false;
  private stopped = false;

  constructor(private readonly deps: FrameLoopDeps) {}

  /** Queues `input` for the next frame. */
  push(input: ChartInput): void {
    coalesce(this.queue, input);
    this.schedule();
  }

  /** Asks for a frame without input (new size, theme or data). */
  redraw(): void {
    this.dirty = true;
    this.schedule();
  }

  /** Stops drawing; queued input is dropped. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    if (this.scheduled !== null) this.deps.cancelFrame(this.scheduled);
    this.scheduled = null;
  }

  private schedule(): void {
    if (this.stopped || this.drawing || this.scheduled !== null) return;
    this.scheduled = this.deps.requestFrame(() => {
      this.scheduled = null;
      this.run();
    });
  }

  private run(): void {
    if (this.stopped || (!this.dirty && this.queue.length === 0)) return;
    const input = this.queue;
    this.queue = [];
    this.dirty = false;
    this.drawing = true;
    void this.deps.render(input).finally(() => {
      this.drawing = false;
      if (this.dirty || this.queue.length > 0) this.schedule();
    });
  }
}
