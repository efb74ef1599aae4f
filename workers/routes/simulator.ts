import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { handleRazorpayWebhook } from "../payments/razorpay-webhook.js";
import { signRazorpayBody } from "../payments/webhook-signature.js";

const PayQuery = z.object({
  /** Deliver the webhook this many times (Razorpay delivers at least once). */
  deliveries: z.coerce.number().int().min(0).max(5).default(1),
  /** Pay a different amount than the QR asks (a PSP bug / tampering drill). */
  amount: z.coerce.number().int().positive().optional(),
  /** Date the payment this many ms from now (negative: paid earlier, e.g. before expiry). */
  paidOffsetMs: z.coerce.number().int().min(-86_400_000).max(86_400_000).default(0),
  /**
   * Reorder drill: send `payment.failed` for the same payment first (UPI late authorisation:
   * Razorpay documents failed → captured sequences). Delivered after the credit when `reorder=late`.
   */
  failFirst: z.enum(["true", "false"]).default("false"),
  /** Deliver the webhooks after this delay (in the background), as a slow PSP would. */
  delayMs: z.coerce.number().int().min(0).max(60_000).default(0),
});

/** A webhook delivery exactly as Razorpay sends one: raw bytes and their HMAC-SHA256 signature. */
async function signedDelivery(
  secret: string,
  raw: Uint8Array,
  eventId = newEventId(),
): Promise<{ raw: Uint8Array; headers: Headers }> {
  const signature = await signRazorpayBody(raw, secret);
  return {
    raw,
    headers: new Headers({
      "content-type": "application/json",
      "x-razorpay-signature": signature,
      "x-razorpay-event-id": eventId,
    }),
  };
}

/** Razorpay's raw QR bodies escape "/" as "\/": keep that, so verification must use the raw bytes. */
function razorpayBytes(event: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(event).replaceAll("/", "\\/"));
}

function newEventId(): string {
  return `evt_sim${crypto.randomUUID().replaceAll("-", "").slice(0, 14)}`;
}

/**
 * The local PSP simulator (PSP_PROVIDER=simulator only): a visitor "pays" a QR, and the simulator
 * sends the `qr_code.credited` webhook Razorpay would — same envelope, PHP-style `\/` escapes,
 * signed with WEBHOOK_SECRET over the raw bytes — through the same handler as /webhooks/razorpay.
 */
export const simulator = new Hono<AppEnv>()
  .use("/simulator/*", async (c, next) => {
    if (c.var.config.PSP_PROVIDER !== "simulator")
      throw new ApiError(404, "not_found", "the PSP simulator is off (PSP_PROVIDER is not simulator)");
    await next();
  })
  .get("/simulator/pay/:qrId", async (c) => {
    const qr = await c.env.DB.prepare("SELECT id, amount_paise, status FROM simulator_qr_codes WHERE id = ?")
      .bind(c.req.param("qrId"))
      .first<{ id: string; amount_paise: number; status: string }>();
    if (qr === null) throw new ApiError(404, "not_found", "no such QR");
    const rupees = (qr.amount_paise / 100).toFixed(2);
    return c.html(
      `<!doctype html><meta name="viewport" content="width=device-width"><title>Katha UPI simulator</title>
<body style="font-family:sans-serif;max-width:28rem;margin:2rem auto;text-align:center">
<h1>UPI simulator</h1><p>Pay <b>₹${rupees}</b> to Katha</p><p>QR ${qr.id} · ${qr.status}</p>
<form method="post" action="/simulator/qr/${qr.id}/pay"><button style="font-size:1.5rem;padding:.75rem 2rem">Pay ₹${rupees}</button></form>
<p style="color:#666">Local simulator: no money moves.</p></body>`,
    );
  })
  .post("/simulator/qr/:qrId/pay", async (c) => {
    const query = PayQuery.safeParse(c.req.query());
    if (!query.success)
      throw new ApiError(
        400,
        "invalid_request",
        "deliveries 0–5 (0 = lost), amount > 0, paidOffsetMs within a day, failFirst true|false, delayMs ≤ 60000",
      );
    const qr = await c.env.DB.prepare("SELECT id, amount_paise, notes, status FROM simulator_qr_codes WHERE id = ?")
      .bind(c.req.param("qrId"))
      .first<{ id: string; amount_paise: number; notes: string; status: string }>();
    if (qr === null) throw new ApiError(404, "not_found", "no such QR");
    const now = Date.now();
    const paymentId = `pay_sim${crypto.randomUUID().replaceAll("-", "").slice(0, 14)}`;
    const envelope = {
      entity: "event",
      account_id: "acc_simulator",
      event: "qr_code.credited",
      contains: ["payment", "qr_code"],
      payload: {
        payment: {
          entity: {
            id: paymentId,
            entity: "payment",
            amount: query.data.amount ?? qr.amount_paise,
            currency: "INR",
            status: "captured",
            method: "upi",
            vpa: "visitor@upi",
            description: "QRv2 Payment",
            notes: JSON.parse(qr.notes) as Record<string, string>,
            created_at: Math.floor((now + query.data.paidOffsetMs) / 1000),
          },
        },
        qr_code: {
          entity: {
            id: qr.id,
            entity: "qr_code",
            status: "closed",
            close_reason: "paid",
            image_url: `https://rzp.io/i/${qr.id}`,
          },
        },
      },
      created_at: Math.floor(now / 1000),
    };
    const { raw, headers } = await signedDelivery(c.var.config.WEBHOOK_SECRET, razorpayBytes(envelope));
    const deliver = async () => {
      const results = [];
      if (query.data.failFirst === "true") {
        const failed = {
          ...envelope,
          event: "payment.failed",
          contains: ["payment"],
          payload: {
            payment: {
              entity: {
                ...envelope.payload.payment.entity,
                status: "failed",
                error_description: "bank timeout (simulated)",
              },
            },
          },
        };
        const first = await signedDelivery(c.var.config.WEBHOOK_SECRET, razorpayBytes(failed));
        results.push(await handleRazorpayWebhook(c.env, c.var.config, first.raw, first.headers, c.var.log));
      }
      for (let i = 0; i < query.data.deliveries; i++)
        results.push(await handleRazorpayWebhook(c.env, c.var.config, raw, headers, c.var.log));
      return results;
    };
    let outcomes: Awaited<ReturnType<typeof deliver>> = [];
    if (query.data.delayMs > 0)
      c.executionCtx.waitUntil(new Promise((r) => setTimeout(r, query.data.delayMs)).then(deliver));
    else outcomes = await deliver();
    await c.env.DB.prepare(
      "UPDATE simulator_qr_codes SET status = 'closed', last_webhook = ?, last_event_id = ? WHERE id = ?",
    )
      .bind(new TextDecoder().decode(raw), headers.get("x-razorpay-event-id"), qr.id)
      .run();
    const accept = c.req.header("accept") ?? "";
    if (accept.includes("text/html"))
      return c.html(
        `<!doctype html><body style="font-family:sans-serif;text-align:center;margin-top:3rem"><h1>Paid ✓</h1><p>${paymentId}</p></body>`,
      );
    return c.json({
      pspPaymentId: paymentId,
      delayed: query.data.delayMs > 0,
      deliveries: outcomes.map((o) => ({ status: o.status, ...o.body })),
    });
  })
  .post("/simulator/qr/:qrId/redeliver", async (c) => {
    const qr = await c.env.DB.prepare("SELECT last_webhook, last_event_id FROM simulator_qr_codes WHERE id = ?")
      .bind(c.req.param("qrId"))
      .first<{ last_webhook: string | null; last_event_id: string | null }>();
    if (qr === null || qr.last_webhook === null)
      throw new ApiError(404, "not_found", "no webhook to redeliver for this QR");
    // A PSP retry: the same bytes and event id as the first delivery.
    const { raw, headers } = await signedDelivery(
      c.var.config.WEBHOOK_SECRET,
      new TextEncoder().encode(qr.last_webhook),
      qr.last_event_id ?? newEventId(),
    );
    const outcome = await handleRazorpayWebhook(c.env, c.var.config, raw, headers, c.var.log);
    return c.json({ status: outcome.status, ...outcome.body });
  });
