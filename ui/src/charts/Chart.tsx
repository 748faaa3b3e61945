// One chart drawn by Rust (egui_plot, headless) and shown as inline SVG.
// The page sends only its size, theme and pointer input; the data lives in
// Rust. At most one frame is asked for per animation frame.
import { useEffect, useRef, useState, type MouseEvent as ReactMouseEvent } from "react";

import type { ChartButton } from "../bindings/ChartButton";
import type { IpcError } from "../bindings/IpcError";
import { chartFrame } from "../ipc/charts";
import { toIpcError } from "../ipc/errors";
import { doubleClick, FrameLoop, pointerButton, pointerMove, wheel } from "./input";
import { parseSvg } from "./svg";
import { useColorScheme } from "./theme";

export type ChartProps = {
  /** The chart's id, from the Rust side that opened it (and closes it). */
  id: number;
  /** What the chart shows, for screen readers (the SVG's aria-label). */
  title: string;
  /** Changes when Rust has put new data in the chart: draws it. */
  revision?: number;
  className?: string;
};

const UNREADABLE: IpcError = {
  kind: "internal",
  message: "The chart could not be shown.",
  detail: "The frame was not an SVG image.",
};

export function Chart({ id, title, revision, className }: ChartProps) {
  const canvas = useRef<HTMLDivElement>(null);
  const frames = useRef<FrameLoop | null>(null);
  const theme = useColorScheme();
  const themeNow = useRef(theme);
  const titleNow = useRef(title);
  const [error, setError] = useState<IpcError | null>(null);
  /** Ends a drag in progress (its window listeners). */
  const endDrag = useRef<(() => void) | null>(null);
  const inside = useRef(false);

  useEffect(() => {
    const el = canvas.current;
    if (el === null) return;
    let size: [number, number] | null = null;
    const loop = new FrameLoop({
      requestFrame: (run) => requestAnimationFrame(run),
      cancelFrame: (handle) => {
        cancelAnimationFrame(handle);
      },
      render: async (input) => {
        if (size === null) return;
        try {
          const svg = parseSvg(await chartFrame(id, size, themeNow.current, input));
          if (svg === null) {
            setError(UNREADABLE);
            return;
          }
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", titleNow.current);
          el.replaceChildren(svg);
          setError(null);
        } catch (err) {
          setError(toIpcError(err));
        }
      },
    });
    frames.current = loop;
    const measure = () => {
      const rect = el.getBoundingClientRect();
      if (rect.width < 1 || rect.height < 1) return; // hidden: drawn when shown
      size = [Math.round(rect.width), Math.round(rect.height)];
      loop.redraw();
    };
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    measure();
    // Not passive: the wheel zooms the chart instead of scrolling the page.
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      loop.push(wheel(e, el.getBoundingClientRect(), globalThis.innerHeight));
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => {
      observer.disconnect();
      el.removeEventListener("wheel", onWheel);
      endDrag.current?.();
      loop.stop();
      frames.current = null;
    };
  }, [id]);

  // A new theme or title redraws; the frame loop reads the current ones.
  useEffect(() => {
    themeNow.current = theme;
    titleNow.current = title;
    frames.current?.redraw();
  }, [theme, title]);

  useEffect(() => {
    frames.current?.redraw();
  }, [revision]);

  const origin = () => canvas.current?.getBoundingClientRect() ?? { left: 0, top: 0 };

  const onMouseDown = (e: ReactMouseEvent) => {
    const loop = frames.current;
    const down = pointerButton("pointerDown", e, origin());
    if (loop === null || down?.type !== "pointerDown") return;
    e.preventDefault(); // no text selection while dragging
    endDrag.current?.();
    loop.push(down);
    const button: ChartButton = down.button;
    // Followed on the window, so a drag may leave the chart and still end.
    const move = (m: MouseEvent) => {
      loop.push(pointerMove(m, origin()));
    };
    const up = (u: MouseEvent) => {
      const at = origin();
      loop.push({ type: "pointerUp", x: u.clientX - at.left, y: u.clientY - at.top, button });
      stop();
      if (!inside.current) loop.push({ type: "pointerLeave" });
    };
    const stop = () => {
      globalThis.removeEventListener("mousemove", move);
      globalThis.removeEventListener("mouseup", up);
      endDrag.current = null;
    };
    globalThis.addEventListener("mousemove", move);
    globalThis.addEventListener("mouseup", up);
    endDrag.current = stop;
  };

  return (
    <div className={className === undefined ? "chart" : `chart ${className}`} data-testid="chart">
      <div
        ref={canvas}
        className="chart-canvas"
        data-testid="chart-canvas"
        onMouseEnter={() => {
          inside.current = true;
        }}
        onMouseMove={(e) => {
          if (endDrag.current === null) frames.current?.push(pointerMove(e, origin()));
        }}
        onMouseLeave={() => {
          inside.current = false;
          if (endDrag.current === null) frames.current?.push({ type: "pointerLeave" });
        }}
        onMouseDown={onMouseDown}
        onDoubleClick={(e) => {
          frames.current?.push(doubleClick(e, origin()));
        }}
        // Right-drag draws a zoom box: no context menu over the chart.
        onContextMenu={(e) => {
          e.preventDefault();
        }}
      />
      {error !== null && (
        <p className="chart-error" role="alert" data-testid="chart-error">
          {error.message}
        </p>
      )}
    </div>
  );
}
