/**
 * Benchmark: the KioskSession's WebSocket delivery to N concurrent kiosks and its img_preload
 * scheduling jitter, beside the baseline (the first system's Node orchestrator: in-memory session,
 * setTimeout scheduling, run as its own Node process), in the same run on the same machine.
 *
 *   npm run bench:ws -- [--kiosks 100] [--pings 20] [--story queens-stepwell]
 *
 * - DO → kiosk delivery: a kiosk pings; the session stamps `t2` when it sends the pong; the kiosk
 *   stamps the arrival. Same machine, same clock: arrival − t2 is one-way latency under load.
 * - img_preload jitter: arrival − planned send instant (playout_ts − lead), for every cue whose
 *   planned send is after story_start (earlier ones are sent at once by design).
 * Prints p50/p95/p99 for both systems and the ratio Katha/baseline (below 1 = Katha better).
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { type CueSheet, CueSheetSchema, cueSheetKey } from "../protocol/catalog.js";
import type { ServerMessage } from "../protocol/messages.js";
import { KioskConnection, openSession } from "../tools/lib/kiosk-client.js";
import { ROOT } from "../tools/setup.js";
import { startEdge } from "./lib/edge.js";
import { formatRow, type Summary, summarize } from "./lib/stats.js";

const { values } = parseArgs({
  options: {
    kiosks: { type: "string", default: "100" },
    pings: { type: "string", default: "20" },
    story: { type: "string", default: "queens-stepwell" },
  },
});
const KIOSKS = Number(values.kiosks);
const PINGS = Number(values.pings);
const STORY = values.story ?? "queens-stepwell";
const PORT = 18_900 + Math.floor(Math.random() * 90);
const LEAD_MS = 2_000;
const PING_INTERVAL_MS = 60;
const START_DELAY_MS = 2_500;

interface Measured {
  delivery: number[];
  jitter: number[];
  storiesFinished: number;
  preloadsReceived: number;
}

/** Drives one kiosk: pings in sequence, then plays the story and records preload arrivals. */
async function driveKiosk(kiosk: KioskConnection, sheet: CueSheet, into: Measured): Promise<void> {
  for (let i = 0; i < PINGS; i++) {
    const id = `p${i}`;
    kiosk.send({ type: "ping", id, t0: Date.now() });
    const pong = await kiosk.waitFor(
      (m): m is Extract<ServerMessage, { type: "pong" }> => m.type === "pong" && m.ref === id,
    );
    into.delivery.push(Date.now() - pong.t2);
    // Paced under the session's flood guard (20 messages/s sustained), as a real kiosk's sync is.
    await new Promise((resolve) => setTimeout(resolve, PING_INTERVAL_MS));
  }
  const offsets = new Map(sheet.cues.map((c) => [c.id, c.atMs]));
  let storyStartAt = 0;
  let startReceived = 0;
  const off = kiosk.on((message, receivedAt) => {
    if (message.type === "story_start") {
      storyStartAt = message.startAt;
      startReceived = receivedAt;
    }
    if (message.type === "img_preload") {
      into.preloadsReceived++;
      const planned = storyStartAt + (offsets.get(message.cueId) ?? 0) - LEAD_MS;
      if (planned > startReceived + 50) into.jitter.push(receivedAt - planned);
    }
  });
  kiosk.send({ type: "select_story", id: "s", storyId: STORY, lang: "en" });
  await kiosk.waitFor((m): m is Extract<ServerMessage, { type: "story_end" }> => m.type === "story_end", 120_000);
  into.storiesFinished++;
  off();
}

async function measure(connect: () => Promise<KioskConnection>, sheet: CueSheet): Promise<Measured> {
  const measured: Measured = { delivery: [], jitter: [], storiesFinished: 0, preloadsReceived: 0 };
  const kiosks: KioskConnection[] = [];
  for (let i = 0; i < KIOSKS; i++) kiosks.push(await connect());
  console.log(`${KIOSKS} kiosks connected; measuring`);
  await Promise.all(kiosks.map((k) => driveKiosk(k, sheet, measured)));
  for (const k of kiosks) k.close();
  return measured;
}

/** The baseline orchestrator in its own Node process, as the seed system ran it. */
function startBaselineProcess(cueSheetFile: string): Promise<{ url: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "npx",
      ["tsx", "bench/lib/baseline-orchestrator.ts", cueSheetFile, String(LEAD_MS), String(START_DELAY_MS)],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
        detached: true,
      },
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      const url = /listening (\S+)/.exec(chunk.toString())?.[1];
      if (url) resolve({ url, stop: () => child.pid && process.kill(-child.pid, "SIGTERM") });
    });
    child.on("exit", (code) => reject(new Error(`baseline exited with ${code}`)));
  });
}

function ratio(a: Summary, b: Summary, key: "p50" | "p95" | "p99"): string {
  return b[key] > 0 ? (a[key] / b[key]).toFixed(2) : "n/a";
}

async function main(): Promise<void> {
  const sheet = CueSheetSchema.parse(
    JSON.parse(await readFile(path.join(ROOT, "r2-assets", cueSheetKey(STORY, "en")), "utf8")),
  );
  console.log(
    `ws-fanout: ${KIOSKS} concurrent kiosks, ${PINGS} pings each, story ${STORY} (${sheet.cues.length} cues, ${sheet.audio.durationMs} ms)`,
  );

  const edge = await startEdge(PORT, {
    PRELOAD_LEAD_MS: String(LEAD_MS),
    STORY_START_DELAY_MS: String(START_DELAY_MS),
  });
  console.log(`edge up at ${edge.base}`);
  let katha: Measured;
  try {
    katha = await measure(async () => {
      const session = await openSession(edge.base, edge.kioskId, edge.credential);
      const kiosk = await KioskConnection.connect(session.ws);
      await kiosk.waitFor((m): m is Extract<ServerMessage, { type: "session_state" }> => m.type === "session_state");
      return kiosk;
    }, sheet);
  } finally {
    await edge.stop();
  }

  const baselineServer = await startBaselineProcess(path.join(ROOT, "r2-assets", cueSheetKey(STORY, "en")));
  let baseline: Measured;
  try {
    baseline = await measure(() => KioskConnection.connect(baselineServer.url), sheet);
  } finally {
    baselineServer.stop();
  }

  const rows = {
    kathaDelivery: summarize(katha.delivery),
    baselineDelivery: summarize(baseline.delivery),
    kathaJitter: summarize(katha.jitter),
    baselineJitter: summarize(baseline.jitter),
  };
  console.log("");
  console.log(formatRow("Katha DO → kiosk delivery (pong)", rows.kathaDelivery));
  console.log(formatRow("baseline Node ws → kiosk delivery (pong)", rows.baselineDelivery));
  console.log(formatRow("Katha img_preload scheduling jitter", rows.kathaJitter));
  console.log(formatRow("baseline img_preload scheduling jitter", rows.baselineJitter));
  console.log("");
  console.log(
    `ratio Katha/baseline delivery: p50 ${ratio(rows.kathaDelivery, rows.baselineDelivery, "p50")}  p95 ${ratio(rows.kathaDelivery, rows.baselineDelivery, "p95")}  p99 ${ratio(rows.kathaDelivery, rows.baselineDelivery, "p99")}`,
  );
  console.log(
    `ratio Katha/baseline jitter:   p50 ${ratio(rows.kathaJitter, rows.baselineJitter, "p50")}  p95 ${ratio(rows.kathaJitter, rows.baselineJitter, "p95")}  p99 ${ratio(rows.kathaJitter, rows.baselineJitter, "p99")}`,
  );
  const expectedPreloads = KIOSKS * sheet.cues.length;
  console.log(
    `stories finished: Katha ${katha.storiesFinished}/${KIOSKS}, baseline ${baseline.storiesFinished}/${KIOSKS}; img_preload received: Katha ${katha.preloadsReceived}/${expectedPreloads}, baseline ${baseline.preloadsReceived}/${expectedPreloads}`,
  );
  console.log(`lead time ${LEAD_MS} ms: a preload is useful while its jitter stays well under the lead`);

  await mkdir(path.join(ROOT, "bench", "results"), { recursive: true });
  await writeFile(
    path.join(ROOT, "bench", "results", `ws-fanout-${Date.now()}.json`),
    JSON.stringify(
      {
        kiosks: KIOSKS,
        pings: PINGS,
        story: STORY,
        ...rows,
        katha: { storiesFinished: katha.storiesFinished, preloads: katha.preloadsReceived },
        baseline: { storiesFinished: baseline.storiesFinished, preloads: baseline.preloadsReceived },
      },
      null,
      2,
    ),
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`✗ ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
