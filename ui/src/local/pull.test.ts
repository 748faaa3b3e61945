import { describe, expect, it } from "vitest";

import type { LayerProgress } from "../bindings/LayerProgress";
import type { PullView } from "./pull";
import { layerPercent, layerText, layersDone, pulledLabel, pullingLabel, pullPercent } from "./pull";

const MiB = 1024 * 1024;
const layer = (phase: LayerProgress["phase"], current = 0, total: number | null = null): LayerProgress => ({
  id: "0123456789ab",
  phase,
  current,
  total,
});
const view = (layers: LayerProgress[], downloaded: number, total: number | null): PullView => ({ image: "k3s", layers, downloaded, total });

describe("pull progress", () => {
  it("has a percentage only once every size is known", () => {
    expect(pullPercent(view([layer("downloading", MiB)], MiB, null))).toBeNull();
    expect(pullPercent(view([layer("downloading", MiB, 3 * MiB)], MiB, 3 * MiB))).toBe(33);
    expect(pullPercent(view([layer("complete", 3 * MiB, 3 * MiB)], 3 * MiB, 3 * MiB))).toBe(100);
  });

  it("counts a pull of present layers as whole", () => {
    expect(pullPercent(view([layer("exists"), layer("exists")], 0, 0))).toBe(100);
    expect(pullPercent(view([], 0, 0))).toBe(0);
    expect(layersDone(view([layer("exists"), layer("complete"), layer("extracting")], 0, null))).toBe(2);
  });

  it("labels the image row while pulling and after", () => {
    expect(pullingLabel(view([layer("downloading", MiB)], MiB, null))).toBe("Pulling k3s: 1.0 MiB, 0/1 layers");
    expect(pulledLabel("k3s", view([layer("complete", 2 * MiB, 2 * MiB)], 2 * MiB, 2 * MiB))).toBe("Pulled k3s (2.0 MiB, 1 layer)");
    expect(pulledLabel("other", view([], 0, 0))).toBe("Pulled other");
    expect(pulledLabel("k3s", null)).toBe("Pulled k3s");
  });

  it("describes each layer compactly", () => {
    expect(layerText(layer("waiting"))).toBe("Waiting");
    expect(layerText(layer("downloading", MiB, 4 * MiB))).toBe("Downloading 1.0 MiB of 4.0 MiB");
    expect(layerText(layer("downloading", MiB))).toBe("Downloading 1.0 MiB");
    expect(layerText(layer("extracting", MiB, 4 * MiB))).toBe("Extracting 25%");
    expect(layerText(layer("complete", 4 * MiB, 4 * MiB))).toBe("Done, 4.0 MiB");
    expect(layerText(layer("exists"))).toBe("Already present");
    expect(layerPercent(layer("downloading", MiB, 4 * MiB))).toBe(25);
    expect(layerPercent(layer("downloading", MiB))).toBeNull();
    expect(layerPercent(layer("complete"))).toBe(100);
    expect(layerPercent(layer("waiting"))).toBeNull();
  });
});
