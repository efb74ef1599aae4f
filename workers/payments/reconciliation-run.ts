import type { Env } from "../env.js";
import type { Config } from "../lib/config.js";
import { pspFor } from "./psp.js";
import {
  istDayRange,
  type LedgerEvent,
  type LedgerPayment,
  type OverrideRow,
  type ReconciliationReport,
  reconcile,
} from "./reconcile.js";

/** Fetches both sides for one IST day, reconciles, and stores the run in D1. */
export async function runReconciliation(env: Env, config: Config, day: string): Promise<ReconciliationReport> {
  const { from, to } = istDayRange(day);
  const adapter = pspFor(config, env.DB);
  const payments = await env.DB.prepare(
    "SELECT payment_id, provider_ref, story_id, session_id, kiosk_id, amount_paise, status, psp_payment_id, refund_reason, paid_at FROM payments WHERE created_at >= ? AND created_at < ?",
  )
    .bind(from - 2 * 3_600_000, to)
    .all<{
      payment_id: string;
      provider_ref: string;
      story_id: string;
      session_id: string;
      kiosk_id: string;
      amount_paise: number;
      status: string;
      psp_payment_id: string | null;
      refund_reason: string | null;
      paid_at: number | null;
    }>();
  const events = await env.DB.prepare(
    "SELECT psp_payment_id, payment_id, amount_paise FROM payment_events WHERE psp_payment_id IS NOT NULL AND received_at >= ? AND received_at < ?",
  )
    .bind(from, to + 86_400_000)
    .all<{ psp_payment_id: string; payment_id: string | null; amount_paise: number | null }>();
  const overrides = await env.DB.prepare(
    "SELECT kiosk_id, session_id, story_id, staff, result, created_at FROM overrides WHERE created_at >= ? AND created_at < ? ORDER BY created_at",
  )
    .bind(from, to)
    .all<{
      kiosk_id: string;
      session_id: string;
      story_id: string | null;
      staff: string | null;
      result: string;
      created_at: number;
    }>();
  // Cashfree has no simple day listing here: ask each of the day's orders for its payments.
  const psp =
    config.PSP_PROVIDER === "cashfree"
      ? (await Promise.all(payments.results.map((p) => adapter.qrPayments(p.provider_ref)))).flat()
      : await adapter.listPayments(from, to);
  const report = reconcile(
    day,
    psp,
    payments.results.map(
      (p): LedgerPayment => ({
        paymentId: p.payment_id,
        storyId: p.story_id,
        sessionId: p.session_id,
        kioskId: p.kiosk_id,
        amountPaise: p.amount_paise,
        status: p.status,
        pspPaymentId: p.psp_payment_id,
        refundReason: p.refund_reason,
        paidAt: p.paid_at,
      }),
    ),
    events.results.map(
      (e): LedgerEvent => ({ pspPaymentId: e.psp_payment_id, paymentId: e.payment_id, amountPaise: e.amount_paise }),
    ),
    overrides.results.map(
      (o): OverrideRow => ({
        kioskId: o.kiosk_id,
        sessionId: o.session_id,
        storyId: o.story_id,
        staff: o.staff,
        result: o.result,
        createdAt: o.created_at,
      }),
    ),
    { from, to },
  );
  await env.DB.prepare(
    "INSERT INTO reconciliation_runs (day, provider, created_at, summary, report) VALUES (?, ?, ?, ?, ?)",
  )
    .bind(day, config.PSP_PROVIDER, Date.now(), JSON.stringify(report.summary), JSON.stringify(report))
    .run();
  return report;
}

/** Yesterday in India Standard Time, as YYYY-MM-DD. */
export function yesterdayIst(now: number): string {
  return new Date(now + (5 * 60 + 30) * 60_000 - 86_400_000).toISOString().slice(0, 10);
}
