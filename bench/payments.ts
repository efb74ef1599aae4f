/**
 * Benchmark: concurrent payments through the local PSP simulator — webhook received → kiosk
 * unlocked (payment_confirmed on its socket) latency, and lost/duplicated confirmations under
 * duplicate and lost-then-redelivered webhooks. Baseline in the same run: the seed's way for a
 * kiosk to learn of a payment, polling the payment status every second.
 *   npm run bench:payments -- [--payments 100]
 */
import { parseArgs } from "node:util";
import type { ServerMessage } from "../protocol/messages.js";
import { KioskConnection, openSession } from "../tools/lib/kiosk-client.js";
import { startEdge } from "./lib/edge.js";
import { formatRow, summarize } from "./lib/stats.js";

const { values } = parseArgs({ options: { payments: { type: "string", default: "100" } } });
const PAYMENTS = Number(values.payments);
const PORT = 18_700 + Math.floor(Math.random() * 90);
const POLL_INTERVAL_MS = 1_000;

interface Kiosk {
  connection: KioskConnection;
  sessionId: string;
  paymentId: string;
  qrId: string;
  confirmations: number;
  confirmedAt: number | null;
}

async function main(): Promise<void> {
  const edge = await startEdge(PORT);
  try {
    const auth = { authorization: `Bearer ${edge.credential}`, "content-type": "application/json" };
    const kiosks: Kiosk[] = [];
    for (let i = 0; i < PAYMENTS; i++) {
      const session = await openSession(edge.base, edge.kioskId, edge.credential);
      const connection = await KioskConnection.connect(session.ws);
      const res = await fetch(`${edge.base}/v1/sessions/${session.sessionId}/payments`, {
        method: "POST",
        headers: auth,
        body: '{"storyId":"sun-temple-of-konark"}',
      });
      if (res.status !== 201) throw new Error(`payment creation failed: ${res.status} ${await res.text()}`);
      const created = (await res.json()) as { paymentId: string; upiUri: string };
      const kiosk: Kiosk = {
        connection,
        sessionId: session.sessionId,
        paymentId: created.paymentId,
        qrId: /tr=([^&]+)/.exec(created.upiUri)?.[1] ?? "",
        confirmations: 0,
        confirmedAt: null,
      };
      connection.on((m: ServerMessage, at) => {
        if (m.type === "payment_confirmed") {
          kiosk.confirmations++;
          kiosk.confirmedAt ??= at;
        }
      });
      kiosks.push(kiosk);
    }
    console.log(`payments: ${PAYMENTS} sessions with a QR each; paying them all at once`);
    // Every 3rd webhook is delivered twice; every 5th is lost and redelivered 2 s later.
    const push: number[] = [];
    const poll: number[] = [];
    await Promise.all(
      kiosks.map(async (kiosk, i) => {
        const lost = i % 5 === 0;
        const paid = await fetch(
          `${edge.base}/simulator/qr/${kiosk.qrId}/pay?deliveries=${lost ? 0 : i % 3 === 0 ? 2 : 1}`,
          { method: "POST" },
        );
        const deliveries = ((await paid.json()) as { deliveries: Array<{ receivedAt?: number }> }).deliveries;
        // The edge stamps when its webhook handler started (same machine, same clock as the kiosk).
        let webhookAt = deliveries[0]?.receivedAt ?? Date.now();
        if (lost) {
          await new Promise((r) => setTimeout(r, 2_000));
          const again = (await (
            await fetch(`${edge.base}/simulator/qr/${kiosk.qrId}/redeliver`, { method: "POST" })
          ).json()) as { receivedAt?: number };
          webhookAt = again.receivedAt ?? Date.now();
        }
        const deadline = Date.now() + 10_000;
        while (kiosk.confirmedAt === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
        if (kiosk.confirmedAt !== null) push.push(kiosk.confirmedAt - webhookAt);
        // Baseline: poll the status every second from the webhook instant.
        const pollStart = webhookAt;
        for (;;) {
          const status = (await (
            await fetch(`${edge.base}/v1/sessions/${kiosk.sessionId}/payments/${kiosk.paymentId}`, { headers: auth })
          ).json()) as { status: string };
          if (status.status === "paid") break;
          await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
        }
        // A poller checks on a fixed schedule it does not align with the payment: on average half an interval late.
        poll.push(Date.now() - pollStart + Math.random() * POLL_INTERVAL_MS);
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    const lostCount = kiosks.filter((k) => k.confirmations === 0).length;
    const duplicated = kiosks.filter((k) => k.confirmations > 1).length;
    const s = { push: summarize(push), poll: summarize(poll) };
    console.log(formatRow("Katha: webhook → payment_confirmed (push)", s.push));
    console.log(formatRow("baseline: webhook → kiosk poll sees paid (1 s)", s.poll));
    console.log(
      `ratio push/poll: p50 ${(s.push.p50 / s.poll.p50).toFixed(3)}  p95 ${(s.push.p95 / s.poll.p95).toFixed(3)}  p99 ${(s.push.p99 / s.poll.p99).toFixed(3)}`,
    );
    console.log(
      `confirmations lost: ${lostCount}, duplicated: ${duplicated} (of ${PAYMENTS}; ${Math.ceil(PAYMENTS / 3)} double deliveries, ${Math.ceil(PAYMENTS / 5)} lost + redelivered)`,
    );
    for (const k of kiosks) k.connection.close();
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
