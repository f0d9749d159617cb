import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // PDF tests start real Chromium; two cores are better spent on fewer, larger workers.
    maxWorkers: 2,
  },
});
