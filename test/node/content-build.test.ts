import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { CatalogSchema, CueSheetSchema } from "../../protocol/catalog.js";
import { buildContent } from "../../tools/content/build.js";
import type { TtsProvider } from "../../tools/content/tts.js";

/** A stand-in TTS (TTS itself is tested in narration.test.ts): 10 ms of tone per character. */
function toneProvider(): TtsProvider & { calls: string[] } {
  const calls: string[] = [];
  return {
    id: "tone@test",
    sampleRate: 8_000,
    calls,
    voiceFor: (lang) => lang,
    synthesize: async (text) => {
      calls.push(text);
      return Int16Array.from({ length: text.length * 80 }, (_, i) => Math.round(Math.sin(i / 3) * 9000));
    },
  };
}

async function makeStory(root: string, id = "tale"): Promise<string> {
  const dir = path.join(root, "stories", id);
  await mkdir(path.join(dir, "images"), { recursive: true });
  await writeFile(
    path.join(dir, "story.json"),
    JSON.stringify({
      id,
      title: { en: "Tale", hi: "कथा" },
      summary: { en: "S", hi: "स" },
      pricePaise: 0,
      cover: "one",
      languages: ["en"],
    }),
  );
  await writeFile(path.join(dir, "script.en.txt"), "{{one}} First sentence here.\n{{two}} Second one.\n");
  const image = (color: string) => sharp({ create: { width: 2400, height: 1350, channels: 3, background: color } });
  await image("#884422")
    .png()
    .toFile(path.join(dir, "images", "one.png"));
  await image("#224488")
    .jpeg()
    .toFile(path.join(dir, "images", "two.jpg"));
  return dir;
}

async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const dir of ["images", "audio", "cues"]) {
    for (const file of await readdir(path.join(root, dir)).catch(() => [])) {
      out[`${dir}/${file}`] = createHash("sha256")
        .update(await readFile(path.join(root, dir, file)))
        .digest("hex");
    }
  }
  if (existsSync(path.join(root, "catalog.json")))
    out["catalog.json"] = await readFile(path.join(root, "catalog.json"), "utf8");
  return out;
}

describe("content build", () => {
  it("builds screened kiosk-size WebP, narration, cue sheets and a catalog", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "katha-content-"));
    await makeStory(root);
    const result = await buildContent({ root, provider: toneProvider() });
    expect(result).toMatchObject({ stories: 1, narrationsRendered: 1, narrationsReused: 0 });
    const catalog = CatalogSchema.parse(JSON.parse(await readFile(path.join(root, "catalog.json"), "utf8")));
    expect(catalog.stories[0]).toMatchObject({ id: "tale", premium: false, languages: ["en"] });
    const sheet = CueSheetSchema.parse(JSON.parse(await readFile(path.join(root, "cues", "tale.en.json"), "utf8")));
    // 8 kHz, 80 samples per character: "First sentence here." = 20 chars = 200 ms, then a 350 ms gap.
    expect(sheet.cues.map((c) => [c.id, c.atMs])).toEqual([
      ["one", 0],
      ["two", 550],
    ]);
    expect(sheet.audio.key).toMatch(/^audio\/tale\.en\.[0-9a-f]{16}\.wav$/);
    const meta = await sharp(path.join(root, sheet.cues[0]?.image ?? "")).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 1920, 1080]);
    expect(catalog.stories[0]?.cover).toMatch(/^images\/tale-cover\.[0-9a-f]{16}\.webp$/);
  });

  it("re-renders only the narration whose text changed", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "katha-content-"));
    await makeStory(root, "first");
    await makeStory(root, "second");
    await buildContent({ root, provider: toneProvider() });
    const again = toneProvider();
    expect(await buildContent({ root, provider: again })).toMatchObject({ narrationsRendered: 0, narrationsReused: 2 });
    expect(again.calls).toEqual([]);
    await writeFile(
      path.join(root, "stories", "second", "script.en.txt"),
      "{{one}} Changed words.\n{{two}} Second one.\n",
    );
    const third = toneProvider();
    expect(await buildContent({ root, provider: third })).toMatchObject({ narrationsRendered: 1, narrationsReused: 1 });
    expect(third.calls).toEqual(["Changed words.", "Second one."]);
    const audio = await readdir(path.join(root, "audio"));
    expect(audio.filter((f) => f.startsWith("second."))).toHaveLength(1); // the stale WAV is gone
  });

  const badInputs: Array<[string, (dir: string) => Promise<void>, RegExp]> = [
    [
      "an unknown cue target",
      (d) => writeFile(path.join(d, "script.en.txt"), "{{one}} Hi.\n{{ghost}} Boo.\n"),
      /script\.en\.txt: line 2: cue \{\{ghost\}\} has no image/,
    ],
    [
      "empty cue text",
      (d) => writeFile(path.join(d, "script.en.txt"), "{{one}}\n{{two}} Two.\n"),
      /script\.en\.txt:1: cue \{\{one\}\} has no text/,
    ],
    ["a missing script", (d) => rm(path.join(d, "script.en.txt")), /script\.en\.txt: is missing/],
    ["a missing cover image", (d) => rm(path.join(d, "images", "one.png")), /cue \{\{one\}\} has no image/],
    [
      "a text file disguised as a PNG",
      (d) => writeFile(path.join(d, "images", "one.png"), "<html>".repeat(20)),
      /one\.png: rejected: not a PNG, JPEG, WebP or AVIF/,
    ],
    [
      "a corrupt image with a valid header",
      async (d) => {
        const bytes = await readFile(path.join(d, "images", "two.jpg"));
        await writeFile(path.join(d, "images", "two.jpg"), bytes.subarray(0, 400));
      },
      /two\.jpg: rejected: cannot be decoded/,
    ],
    [
      "a huge file",
      (d) => writeFile(path.join(d, "images", "two.jpg"), Buffer.alloc(21 * 1024 * 1024, 1)),
      /two\.jpg: rejected: larger than/,
    ],
    [
      "a path trick in a cue name",
      (d) => writeFile(path.join(d, "script.en.txt"), "{{../../one}} Hi.\n"),
      /bad cue mark/,
    ],
    [
      "an id that does not match its folder",
      async (d) => {
        const meta = JSON.parse(await readFile(path.join(d, "story.json"), "utf8"));
        await writeFile(path.join(d, "story.json"), JSON.stringify({ ...meta, id: "other" }));
      },
      /must match its folder name/,
    ],
    ["invalid story.json", (d) => writeFile(path.join(d, "story.json"), "{ nope"), /story\.json: is not valid JSON/],
  ];

  it.each(badInputs)("rejects %s with the file and problem, writing nothing", async (_label, breakIt, message) => {
    const root = await mkdtemp(path.join(tmpdir(), "katha-content-"));
    const dir = await makeStory(root);
    await buildContent({ root, provider: toneProvider() });
    const before = await snapshot(root);
    await breakIt(dir);
    await expect(buildContent({ root, provider: toneProvider() })).rejects.toThrow(message);
    expect(await snapshot(root)).toEqual(before);
  });
});
