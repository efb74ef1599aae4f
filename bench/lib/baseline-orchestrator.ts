/**
 * The baseline Katha must beat: the first system's orchestrator, a Node `ws` service that keeps the
 * session in memory and schedules img_preload with setTimeout. Speaks the same protocol subset
 * (ping/pong, select_story → story_start, img_preload, story_end) from the same cue sheets.
 */
import { createServer, type Server } from "node:http";
import { WebSocketServer } from "ws";
import type { CueSheet } from "../../protocol/catalog.js";

export interface BaselineOptions {
  sheets: Map<string, CueSheet>;
  preloadLeadMs: number;
  startDelayMs: number;
}

export function startBaseline(options: BaselineOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer();
  const wss = new WebSocketServer({ server });
  wss.on("connection", (socket) => {
    const timers: NodeJS.Timeout[] = [];
    socket.on("message", (raw) => {
      const message = JSON.parse(String(raw)) as {
        type: string;
        id?: string;
        t0?: number;
        storyId?: string;
        lang?: string;
      };
      const now = Date.now();
      if (message.type === "ping") {
        socket.send(JSON.stringify({ v: 1, type: "pong", ref: message.id, t0: message.t0, t1: now, t2: Date.now() }));
      } else if (message.type === "select_story") {
        const sheet = options.sheets.get(`${message.storyId}.${message.lang ?? "en"}`);
        if (!sheet) return;
        const runId = `run_${now}`;
        const startAt = now + options.startDelayMs;
        socket.send(
          JSON.stringify({
            v: 1,
            type: "story_start",
            ref: message.id,
            runId,
            storyId: sheet.storyId,
            lang: sheet.lang,
            startAt,
            durationMs: sheet.audio.durationMs,
            cueCount: sheet.cues.length,
            audio: { url: "", contentType: sheet.audio.contentType, durationMs: sheet.audio.durationMs },
          }),
        );
        for (const cue of sheet.cues) {
          const sendAt = Math.max(now, startAt + cue.atMs - options.preloadLeadMs);
          timers.push(
            setTimeout(() => {
              socket.send(
                JSON.stringify({
                  v: 1,
                  type: "img_preload",
                  runId,
                  cueId: cue.id,
                  url: cue.image,
                  playout_ts: startAt + cue.atMs,
                }),
              );
            }, sendAt - now),
          );
        }
        timers.push(
          setTimeout(
            () => {
              socket.send(
                JSON.stringify({ v: 1, type: "story_end", runId, storyId: sheet.storyId, reason: "finished" }),
              );
            },
            startAt + sheet.audio.durationMs - now,
          ),
        );
      }
    });
    socket.on("close", () => {
      for (const t of timers) clearTimeout(t);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        url: `ws://127.0.0.1:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            for (const client of wss.clients) client.terminate();
            wss.close();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * Run as its own process (like the seed's orchestrator service):
 *   tsx bench/lib/baseline-orchestrator.ts <cue-sheet.json> <leadMs> <startDelayMs>
 * Prints `listening <url>` once ready.
 */
if (process.argv[1]?.endsWith("baseline-orchestrator.ts")) {
  const [file, lead, delay] = process.argv.slice(2);
  const { readFileSync } = await import("node:fs");
  const { CueSheetSchema } = await import("../../protocol/catalog.js");
  const sheet = CueSheetSchema.parse(JSON.parse(readFileSync(file ?? "", "utf8")));
  const { url } = await startBaseline({
    sheets: new Map([[`${sheet.storyId}.${sheet.lang}`, sheet]]),
    preloadLeadMs: Number(lead),
    startDelayMs: Number(delay),
  });
  console.log(`listening ${url}`);
}
