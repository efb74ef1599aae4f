/**
 * The payment state machine of one QR/order in a session: pure, forward-only, fed by verified
 * webhooks, PSP polling and the session's expiry alarm, in any order and any number of times.
 *
 *   pending ──credited (right amount, paid before expiry)──▶ paid      (unlock + signed confirmation)
 *   pending ──failed──▶ failed ──credited──▶ paid                      (UPI late authorisation)
 *   pending/failed ──expired|closed──▶ expired ──credited after expiry──▶ late_credit (refund flag)
 *
 * Never: unlock on a wrong amount or currency, move back from paid, or count one PSP payment twice.
 */
export type PaymentStatus = "pending" | "paid" | "failed" | "expired" | "late_credit";
export type RefundReason = "late_credit" | "duplicate_payment" | "amount_mismatch";

export interface PaymentRecord {
  paymentId: string;
  storyId: string;
  amountPaise: number;
  currency: "INR";
  createdAt: number;
  expiresAt: number;
  status: PaymentStatus;
  /** The PSP payment that paid this order (`pay_…`, `cf_payment_id`). */
  pspPaymentId: string | null;
  paidAt: number | null;
  failureReason: string | null;
  /** Every PSP payment id seen, so a redelivered event has no second effect. */
  seenPspPayments: string[];
}

export type PaymentEvent =
  | { type: "credited"; pspPaymentId: string; amountPaise: number; currency: string; paidAt: number }
  | { type: "failed"; pspPaymentId: string; reason: string }
  | { type: "expired"; at: number }
  | { type: "closed"; at: number };

export type PaymentEffect =
  | { type: "unlock"; storyId: string }
  | { type: "confirm"; pspPaymentId: string; paidAt: number }
  | { type: "close_qr" }
  | { type: "flag_refund"; reason: RefundReason; pspPaymentId: string; amountPaise: number }
  | { type: "notify"; status: PaymentStatus };

export interface Transition {
  record: PaymentRecord;
  effects: PaymentEffect[];
}

/** A new pending payment. */
export function newPayment(
  fields: Omit<PaymentRecord, "status" | "pspPaymentId" | "paidAt" | "failureReason" | "seenPspPayments">,
): PaymentRecord {
  return { ...fields, status: "pending", pspPaymentId: null, paidAt: null, failureReason: null, seenPspPayments: [] };
}

function credited(record: PaymentRecord, event: Extract<PaymentEvent, { type: "credited" }>): Transition {
  if (record.seenPspPayments.includes(event.pspPaymentId)) return { record, effects: [] };
  const seen = { ...record, seenPspPayments: [...record.seenPspPayments, event.pspPaymentId] };
  const refund = (reason: RefundReason): PaymentEffect => ({
    type: "flag_refund",
    reason,
    pspPaymentId: event.pspPaymentId,
    amountPaise: event.amountPaise,
  });
  if (event.amountPaise !== record.amountPaise || event.currency !== record.currency)
    return { record: seen, effects: [refund("amount_mismatch")] };
  if (record.status === "paid" || record.status === "late_credit")
    return { record: seen, effects: [refund("duplicate_payment")] };
  // A payment made before expiry counts even if its webhook arrives after the expiry alarm.
  if (event.paidAt > record.expiresAt) {
    return {
      record: { ...seen, status: "late_credit" },
      effects: [refund("late_credit"), { type: "notify", status: "late_credit" }],
    };
  }
  return {
    record: { ...seen, status: "paid", pspPaymentId: event.pspPaymentId, paidAt: event.paidAt, failureReason: null },
    effects: [
      { type: "unlock", storyId: record.storyId },
      { type: "confirm", pspPaymentId: event.pspPaymentId, paidAt: event.paidAt },
      { type: "notify", status: "paid" },
    ],
  };
}

/** Applies one event; returns the next record and what the session must do. */
export function applyPaymentEvent(record: PaymentRecord, event: PaymentEvent): Transition {
  switch (event.type) {
    case "credited":
      return credited(record, event);
    case "failed":
      if (record.status !== "pending") return { record, effects: [] };
      return {
        record: { ...record, status: "failed", failureReason: event.reason },
        effects: [{ type: "notify", status: "failed" }],
      };
    case "expired":
    case "closed":
      if (record.status !== "pending" && record.status !== "failed") return { record, effects: [] };
      return {
        record: { ...record, status: "expired" },
        effects:
          event.type === "expired"
            ? [{ type: "close_qr" }, { type: "notify", status: "expired" }]
            : [{ type: "notify", status: "expired" }],
      };
  }
}
