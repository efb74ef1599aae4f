/**
 * Regenerates the demo content in r2-assets/: one WebP per cue and a cover per story
 * (content-hashed names), cue sheets with estimated timings, and catalog.json.
 * Run with `npm run demo:content`; the output is committed so `npm start` needs no image tooling.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { type Catalog, CatalogSchema, type CueSheet, CueSheetSchema, cueSheetKey } from "../protocol/catalog.js";
import type { Lang } from "../protocol/ids.js";
import { sceneSvg } from "./demo-art.js";
import { DEMO_STORIES, type DemoStory, ESTIMATED_WORDS_PER_MINUTE } from "./demo-stories.js";

const ROOT = path.resolve(import.meta.dirname, "..", "r2-assets");
const LANGS: Lang[] = ["en", "hi"];
/** Silence between cue sentences in the estimate. */
const PAUSE_MS = 600;

async function renderWebp(svg: string, width?: number): Promise<{ key: string; bytes: Buffer }> {
  let image = sharp(Buffer.from(svg));
  if (width) image = image.resize({ width });
  const bytes = await image.webp({ quality: 82 }).toBuffer();
  return { key: createHash("sha256").update(bytes).digest("hex").slice(0, 16), bytes };
}

function estimateMs(text: string): number {
  const words = text.trim().split(/\s+/).length;
  return Math.round((words / ESTIMATED_WORDS_PER_MINUTE) * 60_000);
}

function cueSheetFor(story: DemoStory, lang: Lang, imageKeys: Map<string, string>): CueSheet {
  let at = 0;
  const cues: CueSheet["cues"] = [];
  const captions: CueSheet["captions"] = [];
  for (const cue of story.cues) {
    const spoken = estimateMs(cue.text[lang]);
    const image = imageKeys.get(cue.id);
    if (!image) throw new Error(`no image for cue ${cue.id}`);
    cues.push({ id: cue.id, atMs: at, image });
    captions.push({ atMs: at, endMs: at + spoken, text: cue.text[lang] });
    at += spoken + PAUSE_MS;
  }
  return CueSheetSchema.parse({
    version: 1,
    storyId: story.id,
    lang,
    audio: { key: `audio/${story.id}.${lang}.wav`, contentType: "audio/wav", durationMs: at },
    cues,
    captions,
  });
}

async function main(): Promise<void> {
  await rm(path.join(ROOT, "images"), { recursive: true, force: true });
  await rm(path.join(ROOT, "cues"), { recursive: true, force: true });
  await mkdir(path.join(ROOT, "images"), { recursive: true });
  await mkdir(path.join(ROOT, "cues"), { recursive: true });
  const catalog: Catalog = { version: 1, stories: [] };
  for (const story of DEMO_STORIES) {
    const imageKeys = new Map<string, string>();
    for (const cue of story.cues) {
      const art = await renderWebp(
        sceneSvg({ motif: cue.motif, palette: story.palette, label: cue.label, heading: story.title.en }),
      );
      const key = `images/${story.id}-${cue.id}.${art.key}.webp`;
      await writeFile(path.join(ROOT, key), art.bytes);
      imageKeys.set(cue.id, key);
    }
    const first = story.cues[0];
    if (!first) throw new Error(`story ${story.id} has no cues`);
    const cover = await renderWebp(
      sceneSvg({ motif: first.motif, palette: story.palette, label: story.title.en, heading: "Katha" }),
      640,
    );
    const coverKey = `images/${story.id}-cover.${cover.key}.webp`;
    await writeFile(path.join(ROOT, coverKey), cover.bytes);

    let durationMs = 0;
    for (const lang of LANGS) {
      const sheet = cueSheetFor(story, lang, imageKeys);
      durationMs = Math.max(durationMs, sheet.audio.durationMs);
      await writeFile(path.join(ROOT, cueSheetKey(story.id, lang)), `${JSON.stringify(sheet, null, 2)}\n`);
    }
    catalog.stories.push({
      id: story.id,
      title: story.title,
      summary: story.summary,
      premium: story.pricePaise > 0,
      pricePaise: story.pricePaise,
      durationMs,
      cover: coverKey,
      languages: LANGS,
    });
  }
  await writeFile(path.join(ROOT, "catalog.json"), `${JSON.stringify(CatalogSchema.parse(catalog), null, 2)}\n`);
  const images = await readdir(path.join(ROOT, "images"));
  console.log(`demo content: ${catalog.stories.length} stories, ${images.length} images in ${ROOT}`);
}

await main();
