import type { PaymentEvent } from "../../durable-objects/kiosk-session/payment-machine.js";
import type { Env } from "../env.js";
import type { Logger } from "../lib/logger.js";

/** A verified PSP event, normalised across providers. */
export interface VerifiedPspEvent {
  provider: "razorpay" | "cashfree";
  eventId: string;
  eventType: string;
  providerRef: string | null;
  pspPaymentId: string | null;
  amountPaise: number | null;
  currency: string | null;
  pspCreatedAt: number | null;
  bodySha256: string;
  /** What the payment machine should see; null for events Katha records but does not act on. */
  machineEvent: PaymentEvent | null;
}

/**
 * Records a verified event once in the D1 ledger (idempotent by provider + event id), then feeds it
 * to its payment's session. Applied even when the ledger already had it: the session's machine is
 * idempotent, and a delivery recorded but not applied (a crash in between) must not be lost.
 */
export async function recordAndApply(env: Env, log: Logger, event: VerifiedPspEvent): Promise<Record<string, unknown>> {
  const receivedAt = Date.now();
  const row = event.providerRef
    ? await env.DB.prepare("SELECT payment_id, session_id FROM payments WHERE provider_ref = ?")
        .bind(event.providerRef)
        .first<{ payment_id: string; session_id: string }>()
    : null;
  const inserted = await env.DB.prepare(
    "INSERT OR IGNORE INTO payment_events (provider, event_id, event_type, provider_ref, psp_payment_id, payment_id, amount_paise, currency, psp_created_at, received_at, body_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(
      event.provider,
      event.eventId,
      event.eventType,
      event.providerRef,
      event.pspPaymentId,
      row?.payment_id ?? null,
      event.amountPaise,
      event.currency,
      event.pspCreatedAt,
      receivedAt,
      event.bodySha256,
    )
    .run();
  const duplicate = (inserted.meta.changes ?? 0) === 0;
  if (event.machineEvent === null) return { ignored: "event_type", event: event.eventType };
  if (row === null) {
    log.warn("webhook for an unknown QR/order; recorded for reconciliation", {
      provider: event.provider,
      event: event.eventType,
      providerRef: event.providerRef,
      pspPaymentId: event.pspPaymentId,
    });
    return { unmatched: true };
  }
  const stub = env.KIOSK_SESSION.get(env.KIOSK_SESSION.idFromName(row.session_id));
  const result = await stub.applyPspEvent(row.payment_id, event.machineEvent);
  log.info("webhook applied", {
    provider: event.provider,
    event: event.eventType,
    paymentId: row.payment_id,
    duplicate,
    status: result?.status,
  });
  return { ok: true, duplicate, status: result?.status ?? null, receivedAt };
}

/** The 413 a webhook gets when its body is over the cap (also for in-process simulator deliveries). */
export const WEBHOOK_TOO_LARGE = {
  status: 413,
  body: { error: { code: "payload_too_large", message: "webhook body too large" } },
} as const;

/** The 401 for a webhook whose signature fails, logged once with the reason. */
export function signatureRejected(provider: string, reason: string, log: Logger) {
  log.warn("webhook rejected: invalid signature", { provider, reason });
  return { status: 401, body: { error: { code: "unauthorized", message: `invalid signature (${reason})` } } } as const;
}
