import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Served by Tauri from ui/dist in release builds and from the dev server
// (port 5173, see src-tauri/tauri.conf.json) during `tauri dev`.
export default defineConfig({
  base: "./",
  plugins: [react()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  preview: {
    port: 4173,
    strictPort: true,
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.40+ (Debian 12) and WKWebView/WebView2 of the same era.
    target: "es2021",
    sourcemap: false,
    // The webview loads everything from the app bundle; no point inlining.
    assetsInlineLimit: 0,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    setupFiles: ["src/test/setup.ts"],
    // The stylesheet check (src/styles.test.ts) reads styles.css as text.
    css: { include: [/styles\.css/] },
  },
});
