import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { PullDetails } from "./PullDetails";

describe("PullDetails", () => {
  it("shows the overall bar and one compact line per layer", () => {
    const MiB = 1024 * 1024;
    render(
      <PullDetails
        pull={{
          image: "rancher/k3s:v1.31.4-k3s1",
          layers: [
            { id: "aaaaaaaaaaaa", phase: "exists", current: 0, total: null },
            { id: "bbbbbbbbbbbb", phase: "downloading", current: MiB, total: 4 * MiB },
          ],
          downloaded: MiB,
          total: 4 * MiB,
        }}
      />,
    );
    expect(screen.getByLabelText("Pulling rancher/k3s:v1.31.4-k3s1")).toHaveProperty("value", 25);
    const layers = screen.getAllByTestId("local-pull-layer");
    expect(layers.map((l) => l.dataset.phase)).toEqual(["exists", "downloading"]);
    expect(layers[1]?.textContent).toBe("bbbbbbbbbbbbDownloading 1.0 MiB of 4.0 MiB");
  });

  it("leaves the bar indeterminate while a size is unknown", () => {
    render(<PullDetails pull={{ image: "k3s", layers: [{ id: "b", phase: "waiting", current: 0, total: null }], downloaded: 0, total: null }} />);
    expect(screen.getByLabelText("Pulling k3s").hasAttribute("value")).toBe(false);
  });
});
