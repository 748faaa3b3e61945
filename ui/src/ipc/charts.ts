// Typed wrappers over the chart commands. Like ./index.ts, every function
// resolves with the generated type or rejects with an IpcError. Charts are
// opened from Rust (the data never comes from the page); the page asks for
// frames by id.
import type { ChartInput } from "../bindings/ChartInput";
import type { ChartTheme } from "../bindings/ChartTheme";
import { invokeCommand } from "./index";

export type { ChartInput, ChartTheme };

export const CHART_COMMANDS = {
  chartFrame: "chart_frame",
  chartClose: "chart_close",
} as const;

/** One frame of chart `id` at `size` (CSS pixels) after `input`, as SVG text. */
export function chartFrame(
  id: number,
  size: [number, number],
  theme: ChartTheme,
  input: ChartInput[],
): Promise<string> {
  return invokeCommand<string>(CHART_COMMANDS.chartFrame, { id, size, theme, input });
}

/** Forgets chart `id` on the Rust side (whoever opened it closes it). */
export async function chartClose(id: number): Promise<void> {
  await invokeCommand<null>(CHART_COMMANDS.chartClose, { id });
}
