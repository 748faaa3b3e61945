import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { SecretDetails } from "../bindings/SecretDetails";
import { REMASK_AFTER_MS } from "./remask";
import { SecretDataTab } from "./SecretDataTab";

const ipc = vi.hoisted(() => ({
  secretDetails: vi.fn(),
  revealSecretKey: vi.fn(),
  copySecretKey: vi.fn(),
  updateSecret: vi.fn(),
  secretUsage: vi.fn(),
}));
vi.mock("../ipc/secrets", () => ipc);

const details: SecretDetails = {
  name: "db",
  namespace: "ns",
  type: "Opaque",
  resourceVersion: "41",
  keys: [
    { key: "password", size: 7, masked: "••••••••" },
    { key: "blob", size: 3, masked: "••••••••" },
  ],
  docker: null,
  tls: null,
  serviceAccount: null,
  helm: null,
  warnings: [],
};

function renderTab(onOpen = vi.fn()) {
  return render(<SecretDataTab context="c" namespace="ns" name="db" revision={null} onOpen={onOpen} />);
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("not found");
  return value;
}

const row = (key: string) => must(screen.getAllByTestId("secret-key").find((r) => r.dataset.key === key));

describe("SecretDataTab", () => {
  beforeEach(() => {
    for (const f of Object.values(ipc)) f.mockReset();
    ipc.secretDetails.mockResolvedValue(details);
    ipc.secretUsage.mockResolvedValue([{ pod: "api-0", how: ["env DB_PASSWORD (container api)"] }]);
    ipc.revealSecretKey.mockImplementation((_c: string, _n: string, _s: string, key: string) =>
      Promise.resolve(key === "password" ? { kind: "text", text: "hunter2" } : { kind: "binary", hex: "00000000  00 ff fe", size: 3 }),
    );
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("masks every value until one is revealed, then shows text or hex", async () => {
    renderTab();
    await screen.findByTestId("secret-keys");
    expect(screen.queryByText("hunter2")).toBeNull();
    expect(ipc.revealSecretKey).not.toHaveBeenCalled();
    fireEvent.click(within(row("password")).getByTestId("secret-reveal"));
    expect(await screen.findByText("hunter2")).toBeTruthy();
    expect(row("blob").dataset.revealed).toBe("false");
    fireEvent.click(within(row("blob")).getByTestId("secret-reveal"));
    expect((await screen.findByTestId("secret-binary")).textContent).toContain("Binary, 3 B");
    fireEvent.click(within(row("password")).getByTestId("secret-hide"));
    expect(screen.queryByText("hunter2")).toBeNull();
  });

  it("reveals all only after a confirmation", async () => {
    renderTab();
    fireEvent.click(await screen.findByTestId("secret-reveal-all"));
    expect(ipc.revealSecretKey).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    expect(ipc.revealSecretKey).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("secret-reveal-all"));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => {
      expect(screen.getAllByTestId("secret-key").every((r) => r.dataset.revealed === "true")).toBe(true);
    });
  });

  it("masks again after a minute away from the app, not before", async () => {
    renderTab();
    await screen.findByTestId("secret-keys");
    fireEvent.click(within(row("password")).getByTestId("secret-reveal"));
    await screen.findByText("hunter2");
    vi.useFakeTimers();
    act(() => {
      window.dispatchEvent(new Event("blur"));
      vi.advanceTimersByTime(REMASK_AFTER_MS - 1000);
      window.dispatchEvent(new Event("focus"));
      vi.advanceTimersByTime(REMASK_AFTER_MS);
    });
    expect(screen.getByText("hunter2")).toBeTruthy();
    act(() => {
      window.dispatchEvent(new Event("blur"));
      vi.advanceTimersByTime(REMASK_AFTER_MS);
    });
    expect(screen.queryByText("hunter2")).toBeNull();
  });

  it("drops revealed values when the panel closes", async () => {
    const { unmount } = renderTab();
    await screen.findByTestId("secret-keys");
    fireEvent.click(within(row("password")).getByTestId("secret-reveal"));
    await screen.findByText("hunter2");
    unmount();
    renderTab();
    await screen.findByTestId("secret-keys");
    expect(screen.queryByText("hunter2")).toBeNull();
  });

  it("copies through the backend and says when the clipboard is cleared", async () => {
    ipc.copySecretKey.mockResolvedValue(30);
    renderTab();
    fireEvent.click(must((await screen.findAllByTestId("secret-copy"))[0]));
    expect((await screen.findByTestId("secret-notice")).textContent).toContain("cleared in 30 s");
    expect(ipc.copySecretKey).toHaveBeenCalledWith("c", "ns", "db", "password");
  });

  it("lists the pods using it, linked", async () => {
    const onOpen = vi.fn();
    renderTab(onOpen);
    const user = await screen.findByTestId("secret-user");
    expect(user.textContent).toContain("env DB_PASSWORD (container api)");
    fireEvent.click(within(user).getByRole("button"));
    expect(onOpen).toHaveBeenCalledWith({ group: "", version: "v1", kind: "Pod", plural: "pods", namespace: "ns", name: "api-0" });
  });

  it("saves an edit on top of the shown version and shows the saved value", async () => {
    ipc.updateSecret.mockResolvedValue("42");
    renderTab();
    await screen.findByTestId("secret-keys");
    fireEvent.click(within(row("password")).getByTestId("secret-reveal"));
    await screen.findByText("hunter2");
    fireEvent.click(screen.getByTestId("secret-edit"));
    const editRow = must((await screen.findAllByTestId("secret-edit-key")).find((r) => r.dataset.key === "password"));
    fireEvent.click(within(editRow).getByTestId("secret-edit-change"));
    const box = await screen.findByTestId<HTMLTextAreaElement>("secret-edit-value");
    expect(box.value).toBe("hunter2");
    fireEvent.change(box, { target: { value: "correct horse" } });
    ipc.revealSecretKey.mockResolvedValue({ kind: "text", text: "correct horse" });
    fireEvent.click(screen.getByTestId("secret-edit-save"));
    await waitFor(() => {
      expect(ipc.updateSecret).toHaveBeenCalledWith("c", "ns", "db", "41", [
        { op: "set", key: "password", value: { kind: "text", text: "correct horse" } },
      ]);
    });
    expect(await screen.findByText("correct horse")).toBeTruthy();
    expect(screen.queryByTestId("secret-edit-dialog")).toBeNull();
  });

  it("keeps the draft and says so when the secret changed on the server", async () => {
    ipc.updateSecret.mockRejectedValue({ kind: "conflict", message: "secret ns/db changed since it was read.", detail: null });
    renderTab();
    fireEvent.click(await screen.findByTestId("secret-edit"));
    fireEvent.click(screen.getByTestId("secret-edit-add"));
    fireEvent.change(screen.getByTestId("secret-edit-new-key"), { target: { value: "extra" } });
    fireEvent.click(screen.getByTestId("secret-edit-save"));
    const err = await screen.findByTestId("secret-edit-error");
    expect(err.textContent).toContain("Changed on the server");
    expect(err.textContent).toContain("Your edits are kept");
    expect(screen.getByTestId<HTMLInputElement>("secret-edit-new-key").value).toBe("extra");
  });
});
