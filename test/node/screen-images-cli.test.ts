import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

describe("images:screen CLI", () => {
  it("converts good images to kiosk-safe WebP and names each rejected file's problem", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "katha-screen-"));
    const out = await mkdtemp(path.join(tmpdir(), "katha-screen-out-"));
    await sharp({ create: { width: 3000, height: 2000, channels: 3, background: "#123456" } })
      .jpeg()
      .toFile(path.join(dir, "Big Photo.jpg"));
    await writeFile(path.join(dir, "notes.png"), "definitely not an image, only text pretending to be one");
    const run = spawnSync("npx", ["tsx", "tools/content/screen-images.ts", dir, "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/✓ Big Photo\.jpg → big-photo\.[0-9a-f]{16}\.webp \(1620×1080/);
    expect(run.stdout).toMatch(/✗ .*notes\.png: rejected: not a PNG, JPEG, WebP or AVIF/);
    expect(run.stdout).toContain("1 accepted, 1 rejected");
    expect(await readdir(out)).toHaveLength(1);
  }, 30_000);
});
