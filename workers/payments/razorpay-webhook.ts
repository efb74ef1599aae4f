import type { PaymentEvent } from "../../durable-objects/kiosk-session/payment-machine.js";
import type { Env } from "../env.js";
import type { Config } from "../lib/config.js";
import { sha256Hex } from "../lib/credentials.js";
import type { Logger } from "../lib/logger.js";
import { recordAndApply, signatureRejected, WEBHOOK_TOO_LARGE } from "./ledger.js";
import { RazorpayWebhookSchema } from "./razorpay-schemas.js";
import { verifyRazorpaySignature } from "./webhook-signature.js";

/** Largest webhook body accepted; Razorpay's are a few KB. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;

export interface WebhookOutcome {
  status: 200 | 400 | 401 | 413;
  body: Record<string, unknown>;
}

/**
 * A Razorpay webhook (also what the local simulator sends): verify the signature over the raw
 * bytes first, then record the event once in the D1 ledger, then feed it to the payment's session.
 * Signed events that Katha cannot use are acknowledged (2xx) so Razorpay stops retrying, and kept.
 */
export async function handleRazorpayWebhook(
  env: Env,
  config: Config,
  raw: Uint8Array,
  headers: Headers,
  log: Logger,
): Promise<WebhookOutcome> {
  if (raw.byteLength > MAX_WEBHOOK_BYTES) return WEBHOOK_TOO_LARGE;
  const secrets = [config.WEBHOOK_SECRET, ...(config.WEBHOOK_SECRET_PREVIOUS ? [config.WEBHOOK_SECRET_PREVIOUS] : [])];
  const verdict = await verifyRazorpaySignature(raw, headers.get("x-razorpay-signature"), secrets);
  if (!verdict.ok) return signatureRejected("razorpay", verdict.reason, log);
  let parsed: ReturnType<typeof RazorpayWebhookSchema.safeParse>;
  try {
    parsed = RazorpayWebhookSchema.safeParse(JSON.parse(new TextDecoder().decode(raw)));
  } catch {
    log.warn("signed webhook is not JSON; acknowledged and ignored", { provider: "razorpay" });
    return { status: 200, body: { ignored: "malformed" } };
  }
  if (!parsed.success) {
    log.warn("signed webhook has an unexpected shape; acknowledged and ignored", { provider: "razorpay" });
    return { status: 200, body: { ignored: "unexpected_shape" } };
  }
  const event = parsed.data;
  const payment = event.payload.payment?.entity;
  let providerRef = event.payload.qr_code?.entity.id ?? null;
  if (providerRef === null && payment) {
    // payment.* events carry no QR id: find it from an earlier event about the same payment.
    const earlier = await env.DB.prepare(
      "SELECT provider_ref FROM payment_events WHERE psp_payment_id = ? AND provider_ref IS NOT NULL LIMIT 1",
    )
      .bind(payment.id)
      .first<{ provider_ref: string }>();
    providerRef = earlier?.provider_ref ?? null;
  }
  const notedPaymentId = payment?.notes && !Array.isArray(payment.notes) ? payment.notes.payment_id : undefined;
  if (providerRef === null && notedPaymentId) {
    // Or from the payment id Katha put in the QR's notes, which Razorpay copies to the payment.
    const ours = await env.DB.prepare("SELECT provider_ref FROM payments WHERE payment_id = ?")
      .bind(notedPaymentId)
      .first<{ provider_ref: string }>();
    providerRef = ours?.provider_ref ?? null;
  }
  let machineEvent: PaymentEvent | null = null;
  if (
    (event.event === "qr_code.credited" || event.event === "payment.captured") &&
    payment &&
    payment.status === "captured"
  )
    machineEvent = {
      type: "credited",
      pspPaymentId: payment.id,
      amountPaise: payment.amount,
      currency: payment.currency,
      paidAt: payment.created_at * 1000,
    };
  else if (event.event === "payment.failed" && payment)
    machineEvent = { type: "failed", pspPaymentId: payment.id, reason: payment.error_description ?? "failed" };
  // A single-use QR also closes because it was paid: only a manual close ends the payment.
  else if (event.event === "qr_code.closed" && event.payload.qr_code?.entity.close_reason !== "paid")
    machineEvent = { type: "closed", at: event.created_at * 1000 };
  const bodySha256 = await sha256Hex(raw);
  const body = await recordAndApply(env, log, {
    provider: "razorpay",
    eventId: headers.get("x-razorpay-event-id") ?? `sha256:${bodySha256}`,
    eventType: event.event,
    providerRef,
    pspPaymentId: payment?.id ?? null,
    amountPaise: payment?.amount ?? null,
    currency: payment?.currency ?? null,
    pspCreatedAt: payment ? payment.created_at * 1000 : null,
    bodySha256,
    machineEvent,
  });
  return { status: 200, body };
}
