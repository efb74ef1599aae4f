/**
 * Benchmark: narration build throughput with the embedded TTS (seconds of audio rendered per
 * second), beside a cached rebuild (the baseline of "uncached TTS vs cached narration": what a
 * story costs when its narration must be rendered vs reused).
 *   npm run bench:narration -- [--rounds 3]
 * Works on a temporary copy of r2-assets/stories; the repository is not touched.
 */
import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildContent } from "../tools/content/build.js";
import { createEspeakProvider } from "../tools/content/tts.js";
import { ROOT } from "../tools/setup.js";
import { formatRow, summarize } from "./lib/stats.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" } } });
const ROUNDS = Number(values.rounds);

const provider = await createEspeakProvider();
const fresh: number[] = [];
const cached: number[] = [];
const perNarrationFresh: number[] = [];
const perNarrationCached: number[] = [];
let audioSeconds = 0;
for (let round = 0; round < ROUNDS; round++) {
  const root = await mkdtemp(path.join(tmpdir(), "katha-bench-narration-"));
  await cp(path.join(ROOT, "r2-assets", "stories"), path.join(root, "stories"), { recursive: true });
  let t0 = performance.now();
  const first = await buildContent({ root, provider });
  const freshMs = performance.now() - t0;
  t0 = performance.now();
  const second = await buildContent({ root, provider });
  const cachedMs = performance.now() - t0;
  if (second.narrationsReused !== first.narrationsRendered) throw new Error("cached rebuild re-rendered narration");
  audioSeconds = first.audioSeconds;
  fresh.push(first.audioSeconds / first.renderSeconds);
  cached.push(cachedMs);
  perNarrationFresh.push(freshMs / first.narrationsRendered);
  perNarrationCached.push(cachedMs / second.narrationsReused);
  console.log(
    `round ${round + 1}: ${first.narrationsRendered} narrations, ${first.audioSeconds.toFixed(1)} s of audio rendered in ${first.renderSeconds.toFixed(2)} s TTS time (${(first.audioSeconds / first.renderSeconds).toFixed(1)}× real time); full build ${(freshMs / 1000).toFixed(1)} s, cached rebuild ${(cachedMs / 1000).toFixed(1)} s`,
  );
}
console.log("");
console.log(
  `throughput (audio s per TTS s): ${fresh.map((v) => v.toFixed(1)).join(", ")}  (${audioSeconds.toFixed(1)} s of audio per build)`,
);
console.log(formatRow("build per narration, rendered (baseline)", summarize(perNarrationFresh)));
console.log(formatRow("build per narration, cached", summarize(perNarrationCached)));
const f = summarize(perNarrationFresh);
const c = summarize(perNarrationCached);
console.log(`ratio cached/rendered per narration: p50 ${(c.p50 / f.p50).toFixed(2)}`);
console.log("(both builds also re-screen and re-encode every image; only narration is cached)");
