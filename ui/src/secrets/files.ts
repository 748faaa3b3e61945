// File contents for secret values, read in the page (no file-system grant)
// and sent as base64.
import type { ValueInput } from "../bindings/ValueInput";

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  // Chunks: String.fromCharCode with a million arguments overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export async function fileValue(file: File): Promise<ValueInput> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { kind: "base64", base64: bytesToBase64(bytes) };
}

/** "12 B", "3.4 KiB", "1.0 MiB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
