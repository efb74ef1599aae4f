/**
 * Writes the demo stories' sources into r2-assets/stories/<id>/ (story.json, one script per
 * language with {{cue}} marks, and a generated JPEG per cue). `npm run content:build` turns them into
 * what R2 serves. Run once after changing tools/demo-stories.ts: `npm run demo:sources`.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { sceneSvg } from "./demo-art.js";
import { DEMO_STORIES } from "./demo-stories.js";

const ROOT = path.resolve(import.meta.dirname, "..", "r2-assets", "stories");

for (const story of DEMO_STORIES) {
  const dir = path.join(ROOT, story.id);
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, "images"), { recursive: true });
  const first = story.cues[0];
  if (!first) throw new Error(`${story.id} has no cues`);
  await writeFile(
    path.join(dir, "story.json"),
    `${JSON.stringify({ id: story.id, title: story.title, summary: story.summary, pricePaise: story.pricePaise, cover: first.id, languages: ["en", "hi"] }, null, 2)}\n`,
  );
  for (const lang of ["en", "hi"] as const) {
    const lines = [`# ${story.title[lang]}`, ...story.cues.map((cue) => `{{${cue.id}}} ${cue.text[lang]}`)];
    await writeFile(path.join(dir, `script.${lang}.txt`), `${lines.join("\n")}\n`);
  }
  for (const cue of story.cues) {
    const svg = sceneSvg({ motif: cue.motif, palette: story.palette, label: cue.label, heading: story.title.en });
    await sharp(Buffer.from(svg))
      .jpeg({ quality: 88 })
      .toFile(path.join(dir, "images", `${cue.id}.jpg`));
  }
  console.log(`✓ ${story.id}: ${story.cues.length} cues`);
}
