/**
 * The sync benchmark's test narration: a short 1 kHz tone exactly at each cue instant (silence
 * elsewhere) and a distinct solid image per cue, so the instant a cue is *heard* and the instant its
 * image is *painted* can both be measured in the browser, independently of the kiosk's scheduler.
 * Uploaded to the running edge through the admin content API and listed in the catalog for the
 * run; the original catalog is put back afterwards.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { CATALOG_KEY, type Catalog, type CueSheet, cueSheetKey } from "../../protocol/catalog.js";
import { ROOT } from "../../test/e2e/lib/local-system.js";
import { encodeWav } from "../../tools/content/wav.js";

export const PROBE_STORY_ID = "sync-probe";
const SAMPLE_RATE = 48_000;
const TONE_MS = 30;
const TONE_HZ = 1_000;

const hash = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);

/** Cue instants: irregular gaps (deterministic) so a constant-rate mistake cannot line up by luck. */
export function probeCueTimes(count: number): number[] {
  const times = [0];
  for (let i = 1; i < count; i++) times.push((times[i - 1] ?? 0) + 650 + ((i * 379) % 500));
  return times;
}

function toneTrack(cueTimesMs: number[], durationMs: number): Int16Array {
  const samples = new Int16Array(Math.ceil((durationMs / 1000) * SAMPLE_RATE));
  for (const at of cueTimesMs) {
    const start = Math.round((at / 1000) * SAMPLE_RATE);
    const length = Math.round((TONE_MS / 1000) * SAMPLE_RATE);
    for (let i = 0; i < length && start + i < samples.length; i++)
      samples[start + i] = Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * TONE_HZ * i) / SAMPLE_RATE));
  }
  return samples;
}

async function put(
  base: string,
  adminToken: string,
  key: string,
  body: Uint8Array,
  contentType: string,
): Promise<void> {
  const response = await fetch(`${base}/v1/admin/content/${key}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": contentType },
    body: new Blob([new Uint8Array(body)]),
  });
  if (response.status !== 201) throw new Error(`upload of ${key} failed: ${response.status} ${await response.text()}`);
}

/** Uploads the probe story; resolves with its cue times and a function that restores the catalog. */
export async function installProbeStory(
  base: string,
  adminToken: string,
  cueCount: number,
): Promise<{ cueTimesMs: number[]; restore: () => Promise<void> }> {
  const cueTimesMs = probeCueTimes(cueCount);
  const durationMs = (cueTimesMs.at(-1) ?? 0) + 1_200;
  const wav = encodeWav(toneTrack(cueTimesMs, durationMs), SAMPLE_RATE);
  const audioKey = `audio/${PROBE_STORY_ID}.en.${hash(wav)}.wav`;
  await put(base, adminToken, audioKey, wav, "audio/wav");
  const cues: CueSheet["cues"] = [];
  for (const [i, atMs] of cueTimesMs.entries()) {
    const hue = Math.round((i * 360) / cueCount);
    const image = new Uint8Array(
      await sharp({ create: { width: 1920, height: 1080, channels: 3, background: `hsl(${hue}, 70%, 45%)` } })
        .webp({ quality: 60 })
        .toBuffer(),
    );
    const key = `images/${PROBE_STORY_ID}-${i}.${hash(image)}.webp`;
    await put(base, adminToken, key, image, "image/webp");
    cues.push({ id: `p${String(i).padStart(2, "0")}`, atMs, image: key });
  }
  const sheet: CueSheet = {
    version: 1,
    storyId: PROBE_STORY_ID,
    lang: "en",
    audio: { key: audioKey, contentType: "audio/wav", durationMs },
    cues,
    captions: [],
  };
  await put(
    base,
    adminToken,
    cueSheetKey(PROBE_STORY_ID, "en"),
    new TextEncoder().encode(JSON.stringify(sheet)),
    "application/json",
  );
  const originalBytes = await readFile(path.join(ROOT, "r2-assets", CATALOG_KEY));
  const original = JSON.parse(originalBytes.toString("utf8")) as Catalog;
  const withProbe: Catalog = {
    ...original,
    stories: [
      ...original.stories.filter((s) => s.id !== PROBE_STORY_ID),
      {
        id: PROBE_STORY_ID,
        title: { en: "Sync probe", hi: "सिंक जाँच" },
        summary: { en: "Tones at each cue (benchmark)", hi: "हर संकेत पर ध्वनि (बेंचमार्क)" },
        premium: false,
        pricePaise: 0,
        durationMs,
        cover: cues[0]?.image ?? "",
        languages: ["en"],
        narration: { en: audioKey },
      },
    ],
  };
  await put(base, adminToken, CATALOG_KEY, new TextEncoder().encode(JSON.stringify(withProbe)), "application/json");
  return {
    cueTimesMs,
    restore: () => put(base, adminToken, CATALOG_KEY, new Uint8Array(originalBytes), "application/json"),
  };
}
