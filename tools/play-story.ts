/**
 * A scripted kiosk: opens a session as the demo kiosk, syncs clocks, plays one story end to end
 * (preloading each image, "showing" it on its cue and reporting img_shown), then ends the session.
 *   npm run demo:play -- [storyId] [--lang hi] [--url http://127.0.0.1:8787] [--pay]
 * With --pay a premium story is bought first: the scripted kiosk asks for a QR, "pays" it in the
 * local PSP simulator, waits for payment_confirmed and verifies its Ed25519 signature against
 * /.well-known/katha-keys.json before playing — as the kiosk app must.
 * Exit code 0 when the story played to story_end with every image fetched; 2 when it was refused.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { KeySetSchema, verifyConfirmation } from "../protocol/confirmation.js";
import type { ServerMessage } from "../protocol/messages.js";
import { parseDevVars } from "./lib/dev-vars.js";
import { KioskConnection, openSession } from "./lib/kiosk-client.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    lang: { type: "string", default: "en" },
    url: { type: "string", default: "http://127.0.0.1:8787" },
    pay: { type: "boolean", default: false },
  },
});
const storyId = positionals[0] ?? "churning-of-the-ocean";
const baseUrl = values.url ?? "http://127.0.0.1:8787";

async function main(): Promise<number> {
  const vars = parseDevVars(
    await readFile(path.resolve(import.meta.dirname, "..", ".dev.vars"), "utf8").catch(() => ""),
  );
  const kioskId = process.env.DEMO_KIOSK_ID ?? vars.get("DEMO_KIOSK_ID");
  const credential = process.env.DEMO_KIOSK_TOKEN ?? vars.get("DEMO_KIOSK_TOKEN");
  if (!kioskId || !credential) throw new Error("no DEMO_KIOSK_ID/DEMO_KIOSK_TOKEN: run `npm run setup` first");

  const session = await openSession(baseUrl, kioskId, credential);
  console.log(`session ${session.sessionId} opened`);
  const kiosk = await KioskConnection.connect(session.ws);
  const { offsetMs, rttMs } = await kiosk.measureOffset();
  console.log(`clock offset ${offsetMs.toFixed(1)} ms (rtt ${rttMs.toFixed(1)} ms)`);
  const serverNow = () => Date.now() + offsetMs;

  const errors: number[] = [];
  let imagesFailed = 0;
  let runId = "";
  const pending: Promise<void>[] = [];

  const done = new Promise<Extract<ServerMessage, { type: "story_end" }> | Extract<ServerMessage, { type: "error" }>>(
    (resolve) => {
      kiosk.on((message) => {
        switch (message.type) {
          case "story_start": {
            runId = message.runId;
            console.log(
              `story_start ${message.storyId} (${message.lang}), ${message.cueCount} cues, audio ${message.audio.url}`,
            );
            // No speaker here: the "audio" starts exactly at the planned instant.
            setTimeout(
              () => kiosk.send({ type: "playback_started", runId, started_at: serverNow() }),
              Math.max(0, message.startAt - serverNow()),
            );
            break;
          }
          case "img_preload": {
            console.log(`Preloading image: ${message.url}`);
            const preload = fetch(message.url).then(async (res) => {
              const type = res.headers.get("content-type") ?? "";
              await res.arrayBuffer();
              if (!res.ok || !type.startsWith("image/")) {
                imagesFailed++;
                console.error(`  image failed: ${res.status} ${type}`);
              }
            });
            console.log(`Scheduling image show: ${message.url} at ${message.playout_ts}`);
            pending.push(
              preload.then(
                () =>
                  new Promise<void>((resolve) => {
                    setTimeout(
                      () => {
                        const shownAt = serverNow();
                        const errorMs = shownAt - message.playout_ts;
                        errors.push(errorMs);
                        kiosk.send({
                          type: "img_shown",
                          runId: message.runId,
                          cueId: message.cueId,
                          shown_at: shownAt,
                          error_ms: errorMs,
                        });
                        console.log(`  shown ${message.cueId} (error ${errorMs.toFixed(1)} ms)`);
                        resolve();
                      },
                      Math.max(0, message.playout_ts - serverNow()),
                    );
                  }),
              ),
            );
            break;
          }
          case "caption":
            console.log(`  caption: ${message.text}`);
            break;
          case "story_end":
          case "error":
            resolve(message);
            break;
          default:
            break;
        }
      });
    },
  );
  if (values.pay) await buyStory(kiosk, session.sessionId, credential);
  kiosk.send({ type: "select_story", id: "select", storyId, lang: values.lang });
  const outcome = await done;
  await Promise.all(pending);
  if (outcome.type === "error") {
    console.error(`✗ ${outcome.code}: ${outcome.message}`);
    kiosk.close();
    return 2;
  }
  kiosk.send({ type: "end_session" });
  kiosk.close();
  const maxAbs = Math.max(...errors.map(Math.abs));
  console.log(
    `✓ story_end (${outcome.reason}): ${errors.length} images shown, max |error| ${maxAbs.toFixed(1)} ms, ${imagesFailed} failed`,
  );
  return imagesFailed === 0 && outcome.reason === "finished" ? 0 : 1;
}

/** Pays for the story through the simulator and verifies the signed confirmation. */
async function buyStory(kiosk: KioskConnection, sessionId: string, credential: string): Promise<void> {
  const paywall = kiosk.waitFor((m): m is Extract<ServerMessage, { type: "paywall" }> => m.type === "paywall");
  const res = await fetch(`${baseUrl}/v1/sessions/${sessionId}/payments`, {
    method: "POST",
    headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" },
    body: JSON.stringify({ storyId }),
  });
  if (res.status !== 201) throw new Error(`payment could not start: ${res.status} ${await res.text()}`);
  const shown = await paywall;
  const qrId = /[?&]tr=([^&]+)/.exec(shown.upiUri)?.[1] ?? "";
  console.log(`paywall: ₹${(shown.amountPaise / 100).toFixed(2)} — ${shown.upiUri}`);
  console.log(`  (a visitor would scan it; locally: ${baseUrl}/simulator/pay/${qrId})`);
  const confirmed = kiosk.waitFor(
    (m): m is Extract<ServerMessage, { type: "payment_confirmed" }> => m.type === "payment_confirmed",
  );
  const paidAt = Date.now();
  const pay = await fetch(`${baseUrl}/simulator/qr/${qrId}/pay`, { method: "POST" });
  if (!pay.ok) throw new Error(`the simulator refused to pay: ${pay.status} ${await pay.text()}`);
  const confirmation = await confirmed;
  const keys = KeySetSchema.parse(await (await fetch(`${baseUrl}/.well-known/katha-keys.json`)).json());
  const verdict = await verifyConfirmation(confirmation.confirmation, keys);
  if (!verdict.ok) throw new Error(`Invalid signature on the payment confirmation (${verdict.reason})`);
  console.log(
    `✓ paid and unlocked in ${Date.now() - paidAt} ms; confirmation verified (key ${verdict.confirmation.kid})`,
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`✗ ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
