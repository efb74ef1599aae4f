/**
 * Content build: `r2-assets/stories/<id>/` (story.json, script.<lang>.txt with {{cue}} marks,
 * images/) → what R2 serves: screened WebP images, narration WAVs, cue sheets and catalog.json,
 * all under content-hashed names in r2-assets/. Only what changed is re-rendered (the narration
 * cache key is a hash of the text, voice and provider, kept in build-manifest.json).
 *
 *   npm run content:build            (TTS_PROVIDER=espeak by default; workers-ai for the managed one)
 *
 * Every story is loaded and every image screened before anything is written, so a bad input
 * leaves the previous output untouched.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import sharp from "sharp";
import { type Catalog, CatalogSchema, type CueSheet, CueSheetSchema, cueSheetKey } from "../../protocol/catalog.js";
import type { Lang } from "../../protocol/ids.js";
import { screenImage } from "../../workers/lib/image-sniff.js";
import { renderNarration, SEGMENT_GAP_MS } from "./narration.js";
import { ContentBuildError, type LoadedStory, loadStory } from "./story-source.js";
import { providerFromEnv, type TtsProvider } from "./tts.js";
import { encodeWav } from "./wav.js";

/** Kiosk-safe image size: nothing larger than a 1080p screen needs. */
export const KIOSK_MAX_WIDTH = 1920;
export const KIOSK_MAX_HEIGHT = 1080;
export const COVER_WIDTH = 640;

interface NarrationCacheEntry {
  cacheKey: string;
  audioKey: string;
  sampleRate: number;
  durationMs: number;
  segments: Array<{ cueId: string; text: string; startSample: number; atMs: number; endMs: number }>;
}
interface Manifest {
  version: 1;
  narration: Record<string, NarrationCacheEntry>;
}

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");

/** Decodes, screens and converts an image to kiosk-safe WebP; rejections name the file. */
export async function prepareImage(
  file: string,
  width = KIOSK_MAX_WIDTH,
  height = KIOSK_MAX_HEIGHT,
): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(file));
  const verdict = screenImage(bytes);
  if (!verdict.ok) throw new ContentBuildError(file, `rejected: ${verdict.reason}`);
  try {
    const out = await sharp(bytes, { failOn: "error" })
      .rotate()
      .resize({ width, height, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer();
    return new Uint8Array(out);
  } catch (err) {
    throw new ContentBuildError(
      file,
      `rejected: cannot be decoded (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}

export interface BuildOptions {
  /** Folder holding stories/ and receiving the outputs (r2-assets/). */
  root: string;
  provider: TtsProvider;
  log?: (line: string) => void;
}

export interface BuildResult {
  stories: number;
  narrationsRendered: number;
  narrationsReused: number;
  audioSeconds: number;
  renderSeconds: number;
}

export async function buildContent(options: BuildOptions): Promise<BuildResult> {
  const { root, provider } = options;
  const log = options.log ?? (() => {});
  const storiesDir = path.join(root, "stories");
  const ids = (await readdir(storiesDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  if (ids.length === 0) throw new ContentBuildError(storiesDir, "has no story folders");

  // 1. Load and check every story and image before writing anything.
  const stories: LoadedStory[] = [];
  for (const id of ids) stories.push(await loadStory(path.join(storiesDir, id)));
  const images = new Map<string, Uint8Array>(); // R2 key → bytes
  const imageKey = new Map<string, string>(); // `${story}/${name}` → R2 key
  for (const story of stories) {
    for (const [name, file] of story.images) {
      const bytes = await prepareImage(file);
      const key = `images/${story.meta.id}-${name}.${sha256(bytes).slice(0, 16)}.webp`;
      images.set(key, bytes);
      imageKey.set(`${story.meta.id}/${name}`, key);
    }
    const coverFile = story.images.get(story.meta.cover);
    if (coverFile) {
      const bytes = await prepareImage(coverFile, COVER_WIDTH, COVER_WIDTH);
      const key = `images/${story.meta.id}-cover.${sha256(bytes).slice(0, 16)}.webp`;
      images.set(key, bytes);
      imageKey.set(`${story.meta.id}/#cover`, key);
    }
  }
  log(`✓ ${stories.length} stories loaded, ${images.size} images screened`);

  // 2. Narration (re-rendered only when text, voice or provider changed).
  const manifestFile = path.join(root, "build-manifest.json");
  const previous: Manifest = existsSync(manifestFile)
    ? (JSON.parse(await readFile(manifestFile, "utf8")) as Manifest)
    : { version: 1, narration: {} };
  const manifest: Manifest = { version: 1, narration: {} };
  const audio = new Map<string, Uint8Array>();
  const result: BuildResult = {
    stories: stories.length,
    narrationsRendered: 0,
    narrationsReused: 0,
    audioSeconds: 0,
    renderSeconds: 0,
  };
  const jobs = stories.flatMap((story) => [...story.scripts.keys()].map((lang) => ({ story, lang })));
  let done = 0;
  for (const { story, lang } of jobs) {
    done++;
    const segments = story.scripts.get(lang) ?? [];
    const label = `${story.meta.id}.${lang}`;
    const cacheKey = sha256(
      JSON.stringify({
        provider: provider.id,
        voice: provider.voiceFor(lang),
        gap: SEGMENT_GAP_MS,
        segments: segments.map((s) => [s.cueId, s.text]),
      }),
    );
    const cached = previous.narration[label];
    if (cached?.cacheKey === cacheKey && existsSync(path.join(root, cached.audioKey))) {
      manifest.narration[label] = cached;
      result.narrationsReused++;
      log(`[${done}/${jobs.length}] ${label}: unchanged, reused ${cached.audioKey}`);
      continue;
    }
    const started = performance.now();
    const narration = await renderNarration(segments, provider, lang);
    const wav = encodeWav(narration.samples, narration.sampleRate);
    const audioKey = `audio/${label}.${sha256(wav).slice(0, 16)}.wav`;
    audio.set(audioKey, wav);
    const seconds = (performance.now() - started) / 1000;
    result.narrationsRendered++;
    result.audioSeconds += narration.durationMs / 1000;
    result.renderSeconds += seconds;
    manifest.narration[label] = {
      cacheKey,
      audioKey,
      sampleRate: narration.sampleRate,
      durationMs: narration.durationMs,
      segments: narration.segments.map((s) => ({
        cueId: s.cueId,
        text: s.text,
        startSample: s.startSample,
        atMs: s.atMs,
        endMs: s.endMs,
      })),
    };
    log(
      `[${done}/${jobs.length}] ${label}: TTS ${provider.id} rendered ${(narration.durationMs / 1000).toFixed(1)} s of audio in ${seconds.toFixed(2)} s`,
    );
  }

  // 3. Cue sheets and catalog, validated by the same schemas the edge uses.
  const narrationKeys = (storyId: string, langs: string[]): Partial<Record<Lang, string>> =>
    Object.fromEntries(
      langs.flatMap((lang) => {
        const key = manifest.narration[`${storyId}.${lang}`]?.audioKey;
        return key ? [[lang, key]] : [];
      }),
    );
  const sheets = new Map<string, CueSheet>();
  const catalog: Catalog = { version: 1, stories: [] };
  for (const story of stories) {
    let durationMs = 0;
    for (const lang of story.scripts.keys()) {
      const entry = manifest.narration[`${story.meta.id}.${lang}`];
      if (!entry) continue;
      durationMs = Math.max(durationMs, entry.durationMs);
      const sheet = CueSheetSchema.parse({
        version: 1,
        storyId: story.meta.id,
        lang,
        audio: { key: entry.audioKey, contentType: "audio/wav", durationMs: entry.durationMs },
        cues: entry.segments.map((s) => ({
          id: s.cueId,
          atMs: s.atMs,
          image: imageKey.get(`${story.meta.id}/${s.cueId}`),
        })),
        captions: entry.segments.map((s) => ({ atMs: s.atMs, endMs: s.endMs, text: s.text })),
      });
      sheets.set(cueSheetKey(story.meta.id, lang), sheet);
    }
    catalog.stories.push({
      id: story.meta.id,
      title: story.meta.title,
      summary: story.meta.summary,
      premium: story.meta.pricePaise > 0,
      pricePaise: story.meta.pricePaise,
      durationMs,
      cover: imageKey.get(`${story.meta.id}/#cover`) ?? "",
      languages: [...story.scripts.keys()] as Lang[],
      ...(story.meta.pricePaise > 0 ? {} : { narration: narrationKeys(story.meta.id, [...story.scripts.keys()]) }),
    });
  }
  const validCatalog = CatalogSchema.parse(catalog);

  // 4. Write: content first, the catalog last; then drop outputs nothing references any more.
  const keep = new Set<string>([...images.keys(), ...Object.values(manifest.narration).map((n) => n.audioKey)]);
  for (const [key, bytes] of [...images, ...audio]) {
    await mkdir(path.dirname(path.join(root, key)), { recursive: true });
    await writeFile(path.join(root, key), bytes);
  }
  await mkdir(path.join(root, "cues"), { recursive: true });
  for (const [key, sheet] of sheets) await writeFile(path.join(root, key), `${JSON.stringify(sheet, null, 2)}\n`);
  await writeFile(path.join(root, "catalog.json"), `${JSON.stringify(validCatalog, null, 2)}\n`);
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  for (const dir of ["images", "audio", "cues"]) {
    for (const file of await readdir(path.join(root, dir)).catch(() => [])) {
      const key = `${dir}/${file}`;
      if (dir === "cues" ? !sheets.has(key) : !keep.has(key)) await rm(path.join(root, key));
    }
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const root = path.resolve(import.meta.dirname, "..", "..", "r2-assets");
  const started = performance.now();
  providerFromEnv(process.env)
    .then((provider) => buildContent({ root, provider, log: console.log }))
    .then((r) => {
      const rate = r.renderSeconds > 0 ? (r.audioSeconds / r.renderSeconds).toFixed(1) : "n/a";
      console.log(
        `✓ content built in ${((performance.now() - started) / 1000).toFixed(1)} s: ${r.stories} stories, ${r.narrationsRendered} narrations rendered (${r.audioSeconds.toFixed(1)} s of audio, ${rate}× real time), ${r.narrationsReused} reused`,
      );
    })
    .catch((err: unknown) => {
      console.error(`✗ content build failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
