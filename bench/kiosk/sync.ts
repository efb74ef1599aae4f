/**
 * `npm run bench:kiosk` — image-sync error and request → first-audio latency in real headless
 * Chromium, measured independently of the kiosk's scheduler (bench/kiosk/instrument.ts): the
 * narration is a tone at each cue instant, detected in the audio actually rendered; each image's
 * paint time comes from Element Timing.
 *
 * Baselines in the same run (DESIGN.md): for sync, the seed runbook's scheduling (`?sync=server`:
 * show at `playout_ts` on the server clock + ping/pong offset, audio started on the server's plan,
 * no audio anchoring); for first audio, uncached narration (a fresh profile: fetched and decoded
 * on request) beside cached narration (the second play). Screens are saved as artifacts.
 *
 * Options: --pages N (browser profiles per mode, each plays the probe twice; default 3),
 * --cues N (default 12).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { kioskPage, launchChromium } from "../../test/e2e/lib/browser.js";
import { focusStory, kioskReady, sessionIdOf } from "../../test/e2e/lib/kiosk-driver.js";
import { type LocalSystem, ROOT, startLocalSystem } from "../../test/e2e/lib/local-system.js";
import { formatRow, summarize } from "../lib/stats.js";
import { type BenchRecord, INSTRUMENT_KIOSK_PAGE } from "./instrument.js";
import { installProbeStory, PROBE_STORY_ID } from "./probe-story.js";
import { captureScreens } from "./screens.js";

type Mode = "anchored" | "server";
type PlayKind = "uncached" | "prefetched" | "cached";
/** How long a "prefetched" visitor looks at the story before pressing Enter. */
const DWELL_MS = 1_500;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

interface PlayResult {
  mode: Mode;
  /** uncached: Enter at once in a fresh profile; prefetched: fresh profile, focus rests 1.5 s first; cached: second play. */
  kind: PlayKind;
  /** Painted − heard, per cue (ms). */
  errors: number[];
  /** The same with each onset mapped by the single stamp read when the tap reported it. */
  rawErrors: number[];
  firstAudioMs: number | null;
  missing: number;
  tapMissed: number;
}

/**
 * Page time a context instant was heard: the output clock's mapping (page ms − context ms) from the
 * least-late stamp within a second of it.
 */
function heardAt(contextSeconds: number, stamps: Array<[number, number]>): number {
  let best = Number.POSITIVE_INFINITY;
  for (const [context, page] of stamps)
    if (Math.abs(context - contextSeconds) <= 1) best = Math.min(best, page - context * 1000);
  return contextSeconds * 1000 + best;
}

const readBench = (page: Page) => page.evaluate(() => (window as unknown as { __bench: BenchRecord }).__bench);

async function playProbe(page: Page, mode: Mode, kind: PlayKind, cueCount: number): Promise<PlayResult> {
  await page.evaluate(() => {
    const bench = (window as unknown as { __bench: BenchRecord }).__bench;
    bench.onsets.length = 0;
    bench.onsetContext.length = 0;
    bench.paints.length = 0;
    bench.requests.length = 0;
  });
  await focusStory(page, PROBE_STORY_ID);
  if (kind === "prefetched") await page.waitForTimeout(DWELL_MS);
  await page.keyboard.press("Enter");
  await page.locator('.player[data-phase="ended"]').waitFor({ timeout: 60_000 });
  const bench = await readBench(page);
  const paintOf = new Map(bench.paints.map((p) => [p.id, p.renderTime]));
  const onsets = [...bench.onsetContext].sort((a, b) => a - b).map((t) => heardAt(t, bench.stamps));
  const rawOnsets = [...bench.onsets].sort((a, b) => a - b);
  const errors: number[] = [];
  const rawErrors: number[] = [];
  let missing = 0;
  for (let i = 0; i < cueCount; i++) {
    const painted = paintOf.get(`cue:p${String(i).padStart(2, "0")}`);
    const heard = onsets[i];
    const heardRaw = rawOnsets[i];
    if (painted === undefined || heard === undefined || heardRaw === undefined) missing++;
    else {
      errors.push(painted - heard);
      rawErrors.push(painted - heardRaw);
    }
  }
  // The last Enter is the one that opened the story (earlier ones woke the kiosk).
  const request = bench.requests.at(-1);
  const firstAudioMs = request !== undefined && onsets[0] !== undefined ? onsets[0] - request : null;
  await page.keyboard.press("Enter"); // "The end" → back to the browser
  await page.locator(".browse").waitFor();
  return { mode, kind, errors, rawErrors, firstAudioMs, missing, tapMissed: bench.tapMissed };
}

async function measure(browser: Browser, edge: LocalSystem, mode: Mode, pages: number, cueCount: number) {
  const plays: PlayResult[] = [];
  const selfP95: number[] = [];
  // Each profile plays twice (fresh, then cached); in Katha's mode more fresh profiles browse first.
  const sequences: PlayKind[][] = [
    ...Array.from({ length: pages }, (): PlayKind[] => ["uncached", "cached"]),
    ...(mode === "anchored" ? Array.from({ length: pages }, (): PlayKind[] => ["prefetched"]) : []),
  ];
  for (const [i, sequence] of sequences.entries()) {
    const { page } = await kioskPage(browser);
    await page.addInitScript({ content: INSTRUMENT_KIOSK_PAGE });
    await page.goto(`${edge.base}/?sync=${mode}#provision=${edge.credential}`);
    await kioskReady(page);
    for (const kind of sequence) {
      const result = await playProbe(page, mode, kind, cueCount);
      plays.push(result);
      console.log(
        `  ${mode.padEnd(8)} profile ${i + 1} ${kind.padEnd(10)}: ${result.errors.length} cues, ` +
          `max |error| ${Math.max(...result.errors.map(Math.abs)).toFixed(1)} ms, first audio ${result.firstAudioMs?.toFixed(1)} ms` +
          (result.missing ? `, ${result.missing} MISSING` : ""),
      );
    }
    // What the kiosk believed (its img_shown reports to the session), beside the independent measurement.
    const sessionId = await sessionIdOf(page);
    const snapshot = (await (
      await fetch(`${edge.base}/v1/sessions/${sessionId}`, { headers: { authorization: `Bearer ${edge.credential}` } })
    ).json()) as { sync?: { p95AbsMs: number | null } };
    if (snapshot.sync?.p95AbsMs != null) selfP95.push(snapshot.sync.p95AbsMs);
    await page.context().close();
  }
  return { plays, selfP95 };
}

async function main(): Promise<void> {
  const pages = option("pages", 3);
  const cueCount = option("cues", 12);
  console.log("starting the local system (npm start)…");
  const edge = await startLocalSystem(8_900 + Math.floor(Math.random() * 90));
  const probe = await installProbeStory(edge.base, edge.adminToken, cueCount);
  const browser = await launchChromium();
  const outDir = path.join(ROOT, "bench", "results");
  try {
    const screens = await captureScreens(browser, edge, path.join(outDir, "screens"));
    console.log(`screens saved: ${screens.join(", ")} (bench/results/screens/)`);
    console.log(
      `\nplaying the ${cueCount}-cue probe story: ${pages} profile(s) per mode, each plays it uncached then cached`,
    );
    const anchored = await measure(browser, edge, "anchored", pages, cueCount);
    const server = await measure(browser, edge, "server", pages, cueCount);

    const all = (m: { plays: PlayResult[] }) => m.plays.flatMap((p) => p.errors);
    const katha = summarize(all(anchored).map(Math.abs));
    const baseline = summarize(all(server).map(Math.abs));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const firstAudio = (kind: PlayKind) =>
      summarize(
        anchored.plays.filter((p) => p.kind === kind).flatMap((p) => (p.firstAudioMs === null ? [] : [p.firstAudioMs])),
      );
    const cachedFirst = firstAudio("cached");
    const uncachedFirst = firstAudio("uncached");
    const prefetchedFirst = firstAudio("prefetched");
    const missing = [...anchored.plays, ...server.plays].reduce((n, p) => n + p.missing, 0);
    const tapMissed = [...anchored.plays, ...server.plays].reduce((n, p) => n + p.tapMissed, 0);

    console.log(
      "\nimage sync error |painted − heard| (independent: tone onset in rendered audio vs Element Timing paint)",
    );
    console.log(formatRow("Katha: anchored on the measured audio start", katha));
    console.log(formatRow("baseline: server clock + offset (runbook)", baseline));
    const raw = (m: { plays: PlayResult[] }) => summarize(m.plays.flatMap((p) => p.rawErrors).map(Math.abs));
    console.log(formatRow("  same, onsets by the raw stamp: Katha", raw(anchored)));
    console.log(formatRow("  same, onsets by the raw stamp: baseline", raw(server)));
    console.log(`  the kiosk's own estimate (img_shown, per session p95): ${anchored.selfP95.join(", ")} ms`);
    console.log(
      `  signed mean: Katha ${mean(all(anchored)).toFixed(1)} ms, baseline ${mean(all(server)).toFixed(1)} ms (positive = image after sound)`,
    );
    console.log(
      `  ratio Katha/baseline: p95 ${(katha.p95 / baseline.p95).toFixed(2)}, p99 ${(katha.p99 / baseline.p99).toFixed(2)}`,
    );
    console.log(
      `  goals: p95 ≤ 17 ms ${katha.p95 <= 17 ? "met" : "MISSED"}, p99 ≤ 33 ms ${katha.p99 <= 33 ? "met" : "MISSED"}`,
    );
    console.log("\nrequest (Enter) → first narration audio heard");
    console.log(formatRow("cached narration (second play)", cachedFirst));
    console.log(formatRow(`first play, focus rested ${DWELL_MS / 1000} s (prefetched)`, prefetchedFirst));
    console.log(formatRow("baseline: uncached (fresh profile)", uncachedFirst));
    console.log(
      `  ratio cached/uncached: p50 ${(cachedFirst.p50 / uncachedFirst.p50).toFixed(2)}, p95 ${(cachedFirst.p95 / uncachedFirst.p95).toFixed(2)}`,
    );
    console.log(`  goal: cached p95 ≤ 150 ms ${cachedFirst.p95 <= 150 ? "met" : "MISSED"}`);
    console.log(`\ncues missing a paint or an onset: ${missing}; sources that bypassed the tap: ${tapMissed}`);

    await mkdir(outDir, { recursive: true });
    await writeFile(
      path.join(outDir, "kiosk-sync.json"),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          pages,
          cueCount,
          katha,
          baseline,
          cachedFirst,
          uncachedFirst,
          prefetchedFirst,
          missing,
          anchored,
          server,
        },
        null,
        2,
      ),
    );
  } finally {
    await browser.close();
    await probe.restore();
    await edge.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
