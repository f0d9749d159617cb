import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { fixtures } from "../helpers.js";

// a build that fails with a bug, not with a problem in the input
vi.mock("../../src/build.js", () => ({
  build: async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'sections')");
  },
}));
const { startDevServer } = await import("../../src/site/dev-server.js");

describe("the live preview meets a bug", () => {
  it("shows it in the page as INTERNAL, with what to do, and keeps serving", async () => {
    const messages: string[] = [];
    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = await startDevServer({ profile: join(fixtures, "golden", "profile.yaml"), port, onBuild: (r) => void (r.ok || messages.push(r.message)) });
    try {
      const response = await fetch(`${server.url}policy.en.html`);
      expect(response.status).toBe(500);
      const page = await response.text();
      expect(page).toContain("<strong>INTERNAL</strong>: internal error: Cannot read properties of undefined (reading &#39;sections&#39;)");
      expect(page).toContain("This is a bug in PolicyPress");
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain("INTERNAL");
    } finally {
      await server.close();
    }
  });

  it("starts for a profile whose clause folders cannot be watched (named twice), the build's problems in the page", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    // ownClauseDirs refuses the profile: the preview did not start (and a rebuild's rejection went unhandled)
    const server = await startDevServer({ profile: join(fixtures, "builds", "bad-clause-dir-repeated", "profile.yaml"), port });
    try {
      expect((await fetch(`${server.url}index.html`)).status).toBe(500);
    } finally {
      await server.close();
    }
  });
});
