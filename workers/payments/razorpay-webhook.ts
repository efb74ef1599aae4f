import type { PaymentEvent } from "../../durable-objects/kiosk-session/payment-machine.js";
import type { Env } from "../env.js";
import type { Config } from "../lib/config.js";
import type { Logger } from "../lib/logger.js";
import { RazorpayWebhookSchema } from "./razorpay-schemas.js";
import { verifyRazorpaySignature } from "./webhook-signature.js";

/** Largest webhook body accepted; Razorpay's are a few KB. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;

export interface WebhookOutcome {
  status: 200 | 400 | 401 | 413;
  body: Record<string, unknown>;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
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
  const receivedAt = Date.now();
  if (raw.byteLength > MAX_WEBHOOK_BYTES)
    return { status: 413, body: { error: { code: "payload_too_large", message: "webhook body too large" } } };
  const secrets = [config.WEBHOOK_SECRET, ...(config.WEBHOOK_SECRET_PREVIOUS ? [config.WEBHOOK_SECRET_PREVIOUS] : [])];
  const verdict = await verifyRazorpaySignature(raw, headers.get("x-razorpay-signature"), secrets);
  if (!verdict.ok) {
    log.warn("webhook rejected: invalid signature", { provider: "razorpay", reason: verdict.reason });
    return { status: 401, body: { error: { code: "unauthorized", message: `invalid signature (${verdict.reason})` } } };
  }
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
  const eventId = headers.get("x-razorpay-event-id") ?? `sha256:${await sha256Hex(raw)}`;
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
  const row = providerRef
    ? await env.DB.prepare("SELECT payment_id, session_id FROM payments WHERE provider_ref = ?")
        .bind(providerRef)
        .first<{ payment_id: string; session_id: string }>()
    : null;
  const inserted = await env.DB.prepare(
    "INSERT OR IGNORE INTO payment_events (provider, event_id, event_type, provider_ref, psp_payment_id, payment_id, amount_paise, currency, psp_created_at, received_at, body_sha256) VALUES ('razorpay', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(
      eventId,
      event.event,
      providerRef,
      payment?.id ?? null,
      row?.payment_id ?? null,
      payment?.amount ?? null,
      payment?.currency ?? null,
      payment ? payment.created_at * 1000 : null,
      Date.now(),
      await sha256Hex(raw),
    )
    .run();
  const duplicate = (inserted.meta.changes ?? 0) === 0;

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
  else if (event.event === "qr_code.closed") machineEvent = { type: "closed", at: event.created_at * 1000 };

  if (machineEvent === null) return { status: 200, body: { ignored: "event_type", event: event.event } };
  if (row === null) {
    log.warn("webhook for an unknown QR; recorded for reconciliation", {
      provider: "razorpay",
      event: event.event,
      providerRef,
      pspPaymentId: payment?.id,
    });
    return { status: 200, body: { unmatched: true } };
  }
  // Always applied, even for a duplicate delivery: the session's machine is idempotent, and a first
  // delivery that was recorded but not applied (crash in between) must not be lost.
  const stub = env.KIOSK_SESSION.get(env.KIOSK_SESSION.idFromName(row.session_id));
  const result = await stub.applyPspEvent(row.payment_id, machineEvent);
  log.info("webhook applied", {
    provider: "razorpay",
    event: event.event,
    paymentId: row.payment_id,
    duplicate,
    status: result?.status,
  });
  return { status: 200, body: { ok: true, duplicate, status: result?.status ?? null, receivedAt } };
}
