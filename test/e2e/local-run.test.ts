import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const BASE = inject("baseUrl");
const serverLog = () => readFileSync(inject("serverLogPath"), "utf8");

function runScript(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["tsx", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

describe("npm start (local system)", () => {
  it("serves a green /health with every binding checked", async () => {
    const res = await fetch(`${BASE}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", components: { durable_objects: "ok", r2: "ok", d1: "ok" } });
  });

  it("serves the demo catalog from local R2, with covers that are real images", async () => {
    const catalog = (await (await fetch(`${BASE}/v1/catalog`)).json()) as {
      stories: Array<{ id: string; cover: string }>;
    };
    expect(catalog.stories.map((s) => s.id)).toContain("churning-of-the-ocean");
    const cover = await fetch(catalog.stories[0]?.cover ?? "");
    expect(cover.headers.get("content-type")).toBe("image/webp");
  });

  it("lets a scripted kiosk play a free story end to end as the demo kiosk", async () => {
    const { code, output } = await runScript(["tools/play-story.ts", "queens-stepwell", "--url", BASE]);
    expect(output).toContain("Preloading image:");
    expect(output).toContain("Scheduling image show:");
    expect(output).toMatch(/✓ story_end \(finished\): 3 images shown/);
    expect(code).toBe(0);
    // The runbook greps the orchestrator's logs for img_preload and token.
    expect(serverLog()).toContain('"msg":"img_preload sent"');
    expect(serverLog()).toContain("LiveKit token minted");
  }, 60_000);

  it("uploads content idempotently through the admin API (the deploy step)", async () => {
    const { code, output } = await runScript(["tools/content/upload.ts", "--url", BASE]);
    expect(code).toBe(0);
    expect(output).toMatch(/0 uploaded, \d+ already present/); // npm start loaded it all already
  }, 60_000);

  it("serves the narration audio the cue sheet names, with Range support", async () => {
    const catalog = (await (await fetch(`${BASE}/v1/catalog`)).json()) as { stories: Array<{ id: string }> };
    expect(catalog.stories.length).toBeGreaterThan(0);
    const sheet = JSON.parse(
      await (await import("node:fs/promises")).readFile(
        path.join(ROOT, "r2-assets", "cues", "queens-stepwell.en.json"),
        "utf8",
      ),
    ) as { audio: { key: string } };
    const res = await fetch(`${BASE}/${sheet.audio.key}`, { headers: { range: "bytes=0-11" } });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-type")).toBe("audio/wav");
    expect(new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()).slice(8, 12))).toBe("WAVE");
  });

  it("buys a premium story in the simulator, verifies the signed confirmation and plays it", async () => {
    const { code, output } = await runScript(["tools/play-story.ts", "iron-pillar", "--url", BASE, "--pay"]);
    expect(output).toMatch(/paywall: ₹29\.00 — upi:\/\/pay\?/);
    const unlockedIn = Number(/paid and unlocked in (\d+) ms; confirmation verified/.exec(output)?.[1]);
    expect(unlockedIn).toBeLessThan(1_000); // "paying in the simulator unlocks it within a second"
    expect(output).toMatch(/✓ story_end \(finished\): 3 images shown/);
    expect(code).toBe(0);
  }, 60_000);

  it("refuses a premium story to a scripted kiosk that has not paid", async () => {
    const { code, output } = await runScript(["tools/play-story.ts", "sun-temple-of-konark", "--url", BASE]);
    expect(output).toContain("story_locked");
    expect(code).toBe(2);
  }, 30_000);
});
