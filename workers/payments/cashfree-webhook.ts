import { z } from "zod";
import type { PaymentEvent } from "../../durable-objects/kiosk-session/payment-machine.js";
import type { Env } from "../env.js";
import type { Config } from "../lib/config.js";
import { sha256Hex } from "../lib/credentials.js";
import type { Logger } from "../lib/logger.js";
import { recordAndApply, signatureRejected, WEBHOOK_TOO_LARGE } from "./ledger.js";
import { MAX_WEBHOOK_BYTES, type WebhookOutcome } from "./razorpay-webhook.js";
import { verifyCashfreeSignature } from "./webhook-signature.js";

/** Cashfree PG payment webhook (the fields Katha reads); amounts are rupees with 2 decimals. */
const CashfreeWebhookSchema = z.object({
  type: z.string(),
  event_time: z.string().optional(),
  data: z.object({
    order: z.object({
      order_id: z.string(),
      order_amount: z.number().optional(),
      order_currency: z.string().optional(),
    }),
    payment: z
      .object({
        cf_payment_id: z.union([z.string(), z.number()]).transform(String),
        payment_status: z.string(),
        payment_amount: z.number(),
        payment_currency: z.string().optional(),
        payment_time: z.string().optional(),
        payment_message: z.string().nullable().optional(),
      })
      .optional(),
  }),
});

/**
 * A Cashfree webhook: `x-webhook-signature` = base64 HMAC-SHA256(timestamp + raw body) with the
 * client secret, `x-webhook-timestamp` within tolerance. Mounted whatever PSP_PROVIDER says (late
 * webhooks still arrive after ops switch providers); without CASHFREE_SECRET_KEY it refuses (fails
 * closed), never skips verification.
 */
export async function handleCashfreeWebhook(
  env: Env,
  config: Config,
  raw: Uint8Array,
  headers: Headers,
  log: Logger,
): Promise<WebhookOutcome> {
  if (raw.byteLength > MAX_WEBHOOK_BYTES) return WEBHOOK_TOO_LARGE;
  if (!config.CASHFREE_SECRET_KEY) {
    log.error("cashfree webhook received but CASHFREE_SECRET_KEY is not set", {});
    return { status: 401, body: { error: { code: "unauthorized", message: "cashfree webhooks are not configured" } } };
  }
  const verdict = await verifyCashfreeSignature(
    raw,
    headers.get("x-webhook-signature"),
    headers.get("x-webhook-timestamp"),
    config.CASHFREE_SECRET_KEY,
    Date.now(),
  );
  if (!verdict.ok) return signatureRejected("cashfree", verdict.reason, log);
  let parsed: ReturnType<typeof CashfreeWebhookSchema.safeParse>;
  try {
    parsed = CashfreeWebhookSchema.safeParse(JSON.parse(new TextDecoder().decode(raw)));
  } catch {
    return { status: 200, body: { ignored: "malformed" } };
  }
  if (!parsed.success) return { status: 200, body: { ignored: "unexpected_shape" } };
  const { type, data } = parsed.data;
  const payment = data.payment;
  const amountPaise = payment ? Math.round(payment.payment_amount * 100) : null;
  // When the visitor paid decides "late credit": the payment's time, else the event's; never "now"
  // (a retry after expiry would look late) and never NaN (a confirmation needs a real instant).
  const stamped = [payment?.payment_time, parsed.data.event_time]
    .map((t) => (t ? Date.parse(t) : Number.NaN))
    .find((t) => Number.isFinite(t) && t > 0);
  if (stamped === undefined && payment) {
    log.warn("signed Cashfree webhook without a usable time; acknowledged and kept", {});
    return { status: 200, body: { ignored: "no_time" } };
  }
  const paidAt = stamped ?? Date.now();
  let machineEvent: PaymentEvent | null = null;
  // Only SUCCESS is terminal; a SUCCESS-type event may still carry PENDING (Cashfree's own note).
  if (payment && payment.payment_status === "SUCCESS" && amountPaise !== null)
    machineEvent = {
      type: "credited",
      pspPaymentId: payment.cf_payment_id,
      amountPaise,
      currency: payment.payment_currency ?? data.order.order_currency ?? "INR",
      paidAt,
    };
  else if (payment && (payment.payment_status === "FAILED" || payment.payment_status === "USER_DROPPED"))
    machineEvent = {
      type: "failed",
      pspPaymentId: payment.cf_payment_id,
      reason: payment.payment_message ?? payment.payment_status,
    };
  const bodySha256 = await sha256Hex(raw);
  const body = await recordAndApply(env, log, {
    provider: "cashfree",
    eventId: headers.get("x-idempotency-key") ?? `sha256:${bodySha256}`,
    eventType: type,
    providerRef: data.order.order_id,
    pspPaymentId: payment?.cf_payment_id ?? null,
    amountPaise,
    currency: payment?.payment_currency ?? data.order.order_currency ?? null,
    pspCreatedAt: Number.isFinite(paidAt) ? paidAt : null,
    bodySha256,
    machineEvent,
  });
  return { status: 200, body };
}
