import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { CatalogSchema, CueSheetSchema, cueSheetKey } from "../../protocol/catalog.js";
import { listLocalContent } from "../../tools/lib/local-content.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "r2-assets");

describe("demo content in r2-assets/", async () => {
  const catalog = CatalogSchema.parse(JSON.parse(await readFile(path.join(ROOT, "catalog.json"), "utf8")));

  it("has free and premium stories with English and Hindi titles", () => {
    expect(catalog.stories.length).toBeGreaterThanOrEqual(3);
    expect(catalog.stories.some((s) => s.premium)).toBe(true);
    expect(catalog.stories.some((s) => !s.premium)).toBe(true);
    for (const story of catalog.stories) expect(story.title.hi).toMatch(/[\u0900-\u097F]/);
  });

  it("lists narration for free stories only (the kiosk prefetches it), matching their cue sheets", async () => {
    for (const story of catalog.stories) {
      if (story.premium) {
        expect(story.narration).toBeUndefined();
        continue;
      }
      for (const lang of story.languages) {
        const sheet = CueSheetSchema.parse(
          JSON.parse(await readFile(path.join(ROOT, cueSheetKey(story.id, lang)), "utf8")),
        );
        expect(story.narration?.[lang]).toBe(sheet.audio.key);
      }
    }
    const premium = catalog.stories.find((s) => s.premium);
    const leaked = { ...premium, narration: { en: "audio/x.en.0123abcd.wav" } };
    expect(CatalogSchema.safeParse({ version: 1, stories: [leaked] }).success).toBe(false);
  });

  it("has a valid cue sheet for every story language, each cue's image a real WebP of kiosk size", async () => {
    for (const story of catalog.stories) {
      expect(existsSync(path.join(ROOT, story.cover))).toBe(true);
      for (const lang of story.languages) {
        const sheet = CueSheetSchema.parse(
          JSON.parse(await readFile(path.join(ROOT, cueSheetKey(story.id, lang)), "utf8")),
        );
        expect(sheet.storyId).toBe(story.id);
        expect(sheet.cues.length).toBeGreaterThanOrEqual(3);
        for (const cue of sheet.cues) {
          const meta = await sharp(path.join(ROOT, cue.image)).metadata();
          expect(meta.format).toBe("webp");
          expect(meta.width).toBe(1920);
          expect(meta.height).toBe(1080);
        }
      }
    }
  });

  it("has narration audio whose length matches its cue sheet", async () => {
    const { decodeWav } = await import("../../tools/content/wav.js");
    for (const story of catalog.stories) {
      for (const lang of story.languages) {
        const sheet = CueSheetSchema.parse(
          JSON.parse(await readFile(path.join(ROOT, cueSheetKey(story.id, lang)), "utf8")),
        );
        const wav = decodeWav(new Uint8Array(await readFile(path.join(ROOT, sheet.audio.key))));
        expect(Math.abs((wav.samples.length / wav.sampleRate) * 1000 - sheet.audio.durationMs)).toBeLessThanOrEqual(1);
      }
    }
  });

  it("uploads content before the catalog that points at it", async () => {
    const keys = (await listLocalContent(ROOT)).map((o) => o.key);
    expect(keys.at(-1)).toBe("catalog.json");
    expect(keys.some((k) => k.startsWith("stories/"))).toBe(false);
  });

  it("names images by their content hash so they can be cached forever", async () => {
    const objects = await listLocalContent(ROOT);
    const images = objects.filter((o) => o.key.startsWith("images/"));
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      const hash = /\.([0-9a-f]{16})\.webp$/.exec(image.key)?.[1];
      expect(hash).toBe(image.sha256.slice(0, 16));
    }
  });
});
