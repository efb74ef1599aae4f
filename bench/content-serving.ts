/**
 * Benchmark: image serving from the edge cache vs straight from R2 (the baseline), same bytes,
 * same machine, same run.
 *   npm run bench:content -- [--requests 400] [--concurrency 8]
 * Each demo image is served under its content-hashed key (edge-cached after a warm) and under a
 * plain copy (`images/bench-N.webp`, never cached, so every request reads R2). Prints latency
 * p50/p95/p99, requests/s and the ratio cached/R2.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../tools/setup.js";
import { startEdge } from "./lib/edge.js";
import { formatRow, type Summary, summarize } from "./lib/stats.js";

const { values } = parseArgs({
  options: { requests: { type: "string", default: "400" }, concurrency: { type: "string", default: "8" } },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const PORT = 18_800 + Math.floor(Math.random() * 90);

async function load(urls: string[]): Promise<{ latencies: number[]; perSecond: number; bytes: number }> {
  const latencies: number[] = [];
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const url = urls[next++ % urls.length] ?? "";
        const t0 = performance.now();
        const res = await fetch(url);
        bytes += (await res.arrayBuffer()).byteLength;
        if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, perSecond: REQUESTS / ((performance.now() - started) / 1000), bytes };
}

async function main(): Promise<void> {
  const edge = await startEdge(PORT);
  try {
    const admin = { authorization: `Bearer ${edge.adminToken}` };
    const files = (await readdir(path.join(ROOT, "r2-assets", "images"))).filter((f) => f.endsWith(".webp")).sort();
    const hashed = files.map((f) => `${edge.base}/images/${f}`);
    const plain: string[] = [];
    for (const [i, f] of files.entries()) {
      const bytes = await readFile(path.join(ROOT, "r2-assets", "images", f));
      await fetch(`${edge.base}/v1/admin/content/images/bench-${i}.webp`, {
        method: "PUT",
        headers: { ...admin, "content-type": "image/webp" },
        body: bytes,
      });
      plain.push(`${edge.base}/images/bench-${i}.webp`);
    }
    const catalog = (await (await fetch(`${edge.base}/v1/catalog`)).json()) as { stories: Array<{ id: string }> };
    for (const story of catalog.stories)
      await fetch(`${edge.base}/v1/admin/stories/${story.id}/warm`, { method: "POST", headers: admin });
    const check = await fetch(hashed[0] ?? "");
    await check.arrayBuffer();
    if (check.headers.get("x-katha-cache") !== "hit") throw new Error("warm did not fill the edge cache");

    console.log(`content-serving: ${files.length} images (${REQUESTS} requests, concurrency ${CONCURRENCY})`);
    await load(plain.slice(0, 2)); // let both paths' code warm up equally
    await load(hashed.slice(0, 2));
    const r2 = await load(plain);
    const cached = await load(hashed);
    const s = { r2: summarize(r2.latencies), cached: summarize(cached.latencies) };
    console.log(formatRow("baseline: R2 every time (uncached key)", s.r2));
    console.log(formatRow("Katha: edge cache (content-hashed key)", s.cached));
    const ratio = (k: keyof Summary) => (s.cached[k] / s.r2[k]).toFixed(2);
    console.log(
      `requests/s: R2 ${r2.perSecond.toFixed(0)}, edge cache ${cached.perSecond.toFixed(0)} (×${(cached.perSecond / r2.perSecond).toFixed(2)})`,
    );
    console.log(`ratio cached/R2 latency: p50 ${ratio("p50")}  p95 ${ratio("p95")}  p99 ${ratio("p99")}`);
  } finally {
    await edge.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`✗ ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
